/**
 * A Versia v0.6 federation client: discovery, instance metadata, WebFinger, entity reads whose response
 * signatures are checked against the serving instance's key, paged reference collections, and signed
 * deliveries to the shared inbox (for instances, which hold a key).
 *
 * A desktop client holds no instance key, so its reads are unsigned: the spec asks for signatures on
 * "All GET requests", servers that enforce it answer 401, and that is said as such. Answers are checked
 * the other way round: every entity and collection must be signed by the instance that serves it.
 *
 * Where a real server deviates harmlessly from the spec (a WebFinger link typed `application/json`, Users
 * served at `…/entities/pub.versia:users%2FUser/{id}`, JSON served as `application/json`), the client
 * carries on and records what it tolerated in `notes` (the provider writes them to the job log).
 *
 * Answers are read by federation-answers.ts, WebFinger links interpreted by webfinger-link.ts; the errors a
 * caller tells apart are in federation-errors.ts.
 */
import type { KeyObject } from 'node:crypto';
import { normaliseDomain, parseReference, sameInstanceDomain } from './reference';
import {
  InstanceMetadataSchema,
  URICollectionSchema,
  UserSchema,
  VERSIA_CONTENT_TYPE,
  WebFingerSchema,
  WellKnownVersiaSchema,
  type InstanceMetadata,
  type User,
} from './schemas';
import { signatureHeaders, SIGNATURE_HEADER, SIGNED_AT_HEADER, SIGNED_BY_HEADER } from './signatures';
import {
  ENTITY_BODY_LIMIT,
  fetchFrom,
  SMALL_BODY_LIMIT,
  VersiaProtocolError,
  type RequestSpec,
  type TransportOptions,
} from './transport';
import { compareVersions, jsonOf, parse, readJson, referenceFrom, snippet, verifyResponse } from './federation-answers';
import { VersiaSignedReadsError, VersiaVersionError } from './federation-errors';
import { USER_TYPES, webfingerReference } from './webfinger-link';

export { parse } from './federation-answers';
export * from './federation-errors';

export interface FederationClientOptions extends TransportOptions {
  /** When the client acts for an instance: its domain and key sign every request. */
  signer?: { domain: string; privateKey: KeyObject };
  /** Items asked for per collection page (the spec: servers support 1 to 40). */
  pageSize?: number;
  /** Most pages of one collection followed before stopping with an error. */
  maxPages?: number;
  /** Receives each tolerated deviation once (also kept in `notes`). */
  onNote?: (note: string) => void;
}

export interface Discovery {
  versions: string[];
  /** The version chosen from those listed (the newest 0.6.x). */
  version: string;
  metadata: InstanceMetadata;
}

export interface CollectionResult {
  total: number;
  items: string[];
}

export type UserCollectionName = 'followers' | 'following';

const DEFAULT_MAX_PAGES = 2_500;

export class FederationClient {
  private readonly metadata = new Map<string, Promise<InstanceMetadata>>();
  /** Per domain (and for its collections), the index in USER_TYPES of the path that answered. */
  private readonly userType = new Map<string, number>();
  readonly notes: string[];

  constructor(
    private readonly options: FederationClientOptions = {},
    notes: string[] = [],
  ) {
    this.notes = notes;
  }

  /** A client sharing this one's transport and notes, aborting with `signal`. */
  withSignal(signal: AbortSignal): FederationClient {
    return new FederationClient({ ...this.options, signal }, this.notes);
  }

  private note(text: string): void {
    if (this.notes.includes(text)) return;
    this.notes.push(text);
    this.options.onNote?.(text);
  }

  /**
   * Discovery as the spec orders it: "Making a GET request to the instance's /.well-known/versia endpoint
   * to discover supported Versia Protocol versions", then "Picking a protocol version to use, and then
   * querying the instance metadata endpoint".
   */
  async discover(domain: string): Promise<Discovery> {
    const host = normaliseDomain(domain);
    const path = '/.well-known/versia';
    // The spec allows `application/jrd+json` and `application/json` for this endpoint.
    const response = await this.send(host, path, {
      method: 'GET',
      headers: { accept: 'application/json, application/jrd+json' },
    });
    const versions = parse(WellKnownVersiaSchema, await readJson(response, host, path), `${host}${path}`).versions;
    const version = versions
      .filter((v) => /^0\.6(\.\d+)?$/.test(v.trim()))
      .sort(compareVersions)
      .at(-1);
    if (!version) throw new VersiaVersionError(host, versions);
    return { versions, version, metadata: await this.instance(host) };
  }

  /** The instance metadata (cached). */
  instance(domain: string): Promise<InstanceMetadata> {
    const host = normaliseDomain(domain);
    let cached = this.metadata.get(host);
    if (!cached) {
      cached = this.fetchInstance(host);
      cached.catch(() => this.metadata.delete(host));
      this.metadata.set(host, cached);
    }
    return cached;
  }

  forget(domain: string): void {
    this.metadata.delete(normaliseDomain(domain));
  }

  /**
   * The spec: "This endpoint is exempt from the signature requirement. No signatures are required for
   * requests or responses to it." An unsigned answer is accepted; a signature that is there must verify
   * with the key the metadata publishes, signed by that instance.
   */
  private async fetchInstance(host: string): Promise<InstanceMetadata> {
    const path = '/.versia/v0.6/instance';
    const response = await this.send(host, path, { method: 'GET', headers: { accept: 'application/vnd.versia+json' } });
    const raw = await response.text();
    if (!response.ok)
      throw new VersiaProtocolError(`${host}${path} answered ${response.status}: ${snippet(raw)}`, response.status);
    this.checkContentType(host, 'instance metadata', response);
    const metadata = parse(InstanceMetadataSchema, jsonOf(raw, `${host}${path}`), `${host}${path}`);
    if (!sameInstanceDomain(metadata.domain, host))
      throw new VersiaProtocolError(`${host}${path} describes another instance (${metadata.domain}).`);
    const signed = [SIGNATURE_HEADER, SIGNED_BY_HEADER, SIGNED_AT_HEADER].some((h) => response.headers.has(h));
    if (signed) verifyResponse(host, path, raw, response, metadata.public_key.key);
    return metadata;
  }

  /**
   * A read of an entity or collection of `domain`. Unsigned (unless this client is an instance); the
   * answer must be signed by that domain's key.
   */
  async getEntity(domain: string, pathAndQuery: string): Promise<unknown> {
    const host = normaliseDomain(domain);
    const metadata = await this.instance(host);
    const response = await this.send(
      host,
      pathAndQuery,
      { method: 'GET', headers: { accept: 'application/vnd.versia+json' } },
      ENTITY_BODY_LIMIT,
    );
    const raw = await response.text();
    const path = pathAndQuery.split('?')[0];
    if (response.status === 404) throw new VersiaProtocolError(`${host}${path} was not found (404).`, 404);
    if (response.status === 401 && !this.options.signer) throw new VersiaSignedReadsError(host, path);
    if (!response.ok)
      throw new VersiaProtocolError(`${host}${path} answered ${response.status}: ${snippet(raw)}`, response.status);
    this.checkContentType(host, 'entities', response);
    verifyResponse(host, path, raw, response, metadata.public_key.key);
    return jsonOf(raw, `${host}${path}`);
  }

  /** GET of a User entity path (`suffix` for its collections), the spec's type first, then Versia Server's. */
  private async getUserPath(
    domain: string,
    id: string,
    suffix = '',
    query = '',
  ): Promise<{ value: unknown; where: string }> {
    const host = normaliseDomain(domain);
    const memo = suffix ? `${host} collections` : host;
    const known = this.userType.get(memo);
    const order = known === undefined ? [0, 1] : [known, 1 - known];
    let first: unknown;
    for (const index of order) {
      const path = `/.versia/v0.6/entities/${encodeURIComponent(USER_TYPES[index])}/${encodeURIComponent(id)}${suffix}`;
      try {
        const value = await this.getEntity(host, `${path}${query}`);
        if (index === 1 && !suffix)
          this.note(
            `${host} serves Users at /.versia/v0.6/entities/${encodeURIComponent(USER_TYPES[1])}/{id} instead of /.versia/v0.6/entities/User/{id} (tolerated).`,
          );
        this.userType.set(memo, index);
        return { value, where: `${host}${path}` };
      } catch (error) {
        if (!(error instanceof VersiaProtocolError && error.status === 404)) throw error;
        first ??= error;
      }
    }
    throw first;
  }

  /** The User a reference points at, validated; `new`/`previous` normalised to `domain:id`. */
  async user(reference: string): Promise<User> {
    const ref = parseReference(reference);
    const { value, where } = await this.getUserPath(ref.domain, ref.id);
    const user = parse(UserSchema, value, where);
    if (user.id !== ref.id)
      throw new VersiaProtocolError(`${where} returned the user ${user.id} instead of ${ref.id}.`);
    const migration = user.extensions?.['pub.versia:migration'];
    if (migration) {
      for (const field of ['previous', 'new'] as const) {
        const value = migration[field];
        if (value) {
          try {
            migration[field] = referenceFrom(value, ref.domain);
          } catch (error) {
            throw new VersiaProtocolError(
              `${where}: extensions["pub.versia:migration"].${field}: ${(error as Error).message}`,
            );
          }
        }
      }
    }
    return user;
  }

  /**
   * Every item of a user's followers or following collection, page by page (offset / limit), at most
   * `maxPages` pages.
   */
  async collection(
    reference: string,
    name: UserCollectionName,
    onPage?: (seen: number, total: number) => void,
  ): Promise<CollectionResult> {
    const ref = parseReference(reference);
    const limit = Math.min(40, Math.max(1, this.options.pageSize ?? 40));
    const maxPages = this.options.maxPages ?? DEFAULT_MAX_PAGES;
    const items: string[] = [];
    let total = 0;
    for (let offset = 0, pages = 0; ; pages++) {
      if (pages >= maxPages) {
        throw new VersiaProtocolError(
          `${ref.domain}: the ${name} of ${ref.domain}:${ref.id} go on for more than ${maxPages} pages (${items.length} of ${total} read): Cutover stops there.`,
        );
      }
      const { value, where } = await this.getUserPath(
        ref.domain,
        ref.id,
        `/collections/${name}`,
        `?offset=${offset}&limit=${limit}`,
      );
      const page = parse(URICollectionSchema, value, where);
      total = page.total;
      if (page.items.length > limit)
        throw new VersiaProtocolError(`${where} sent ${page.items.length} items for a page of ${limit}.`);
      for (const item of page.items) {
        try {
          items.push(referenceFrom(item, ref.domain));
        } catch (error) {
          throw new VersiaProtocolError(`${where}: item ${items.length}: ${(error as Error).message}`);
        }
      }
      offset += page.items.length;
      onPage?.(items.length, total);
      if (page.items.length === 0 || offset >= total) break;
    }
    return { total, items: [...new Set(items)] };
  }

  /** WebFinger: `@user@domain` to the `domain:id` reference of the User. */
  async webfinger(handle: string): Promise<string> {
    const match = /^@?([^@\s]+)@([^@\s]+)$/.exec(handle.trim());
    if (!match) throw new VersiaProtocolError(`"${handle}" is not a handle: write it as @user@instance.`);
    const host = normaliseDomain(match[2]);
    const who = `@${match[1]}@${host}`;
    const resource = `acct:${match[1]}@${host}`;
    const path = `/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
    const response = await this.send(host, path, { method: 'GET', headers: { accept: 'application/jrd+json' } });
    if (response.status === 404) throw new VersiaProtocolError(`${who} does not exist (WebFinger answered 404).`, 404);
    const jrd = parse(
      WebFingerSchema,
      await readJson(response, host, '/.well-known/webfinger'),
      `${host}/.well-known/webfinger`,
    );
    return webfingerReference(jrd, who, host, (text) => this.note(text));
  }

  /** Delivers an entity to a domain's shared inbox, signed with this client's instance key. */
  async deliver(domain: string, entity: unknown): Promise<Response> {
    const signer = this.options.signer;
    if (!signer) throw new Error('Only an instance (a client with a signing key) can deliver to an inbox.');
    const body = JSON.stringify(entity);
    const path = '/.versia/v0.6/inbox';
    const headers = signatureHeaders({
      method: 'POST',
      url: path,
      body,
      signer: signer.domain,
      privateKey: signer.privateKey,
    });
    return fetchFrom(
      normaliseDomain(domain),
      path,
      {
        method: 'POST',
        body,
        headers: { ...headers, accept: 'application/vnd.versia+json', 'content-type': VERSIA_CONTENT_TYPE },
      },
      this.options,
    );
  }

  private send(host: string, pathAndQuery: string, init: RequestSpec, limit = SMALL_BODY_LIMIT): Promise<Response> {
    const signer = this.options.signer;
    const headers: Record<string, string> = { ...init.headers };
    if (signer)
      Object.assign(
        headers,
        signatureHeaders({ method: 'GET', url: pathAndQuery, signer: signer.domain, privateKey: signer.privateKey }),
      );
    return fetchFrom(host, pathAndQuery, { ...init, headers }, this.options, limit);
  }

  private checkContentType(host: string, what: string, response: Response): void {
    const type = response.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
    if (type !== 'application/vnd.versia+json')
      this.note(
        `${host} serves its ${what} as ${type ?? 'no content type'} instead of application/vnd.versia+json (tolerated).`,
      );
  }
}

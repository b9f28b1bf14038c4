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
 */
import type { KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { hostOf, normaliseDomain, normaliseReference, parseReference, sameInstanceDomain } from './reference';
import {
  InstanceMetadataSchema,
  URICollectionSchema,
  UserSchema,
  VERSIA_CONTENT_TYPE,
  WebFingerSchema,
  WellKnownVersiaSchema,
  describeIssues,
  type InstanceMetadata,
  type User,
} from './schemas';
import { checkSignature, signatureHeaders, SIGNATURE_HEADER, SIGNED_AT_HEADER, SIGNED_BY_HEADER } from './signatures';
import {
  ENTITY_BODY_LIMIT,
  fetchFrom,
  SMALL_BODY_LIMIT,
  VersiaProtocolError,
  type RequestSpec,
  type TransportOptions,
} from './transport';

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

/** The instance lists no Versia version Cutover speaks. */
export class VersiaVersionError extends VersiaProtocolError {
  override name = 'VersiaVersionError';
  constructor(
    readonly domain: string,
    readonly versions: string[],
  ) {
    super(
      `${domain} does not speak Versia v0.6 (its /.well-known/versia lists ${versions.join(', ') || 'no version'}).`,
    );
  }
}

/** The instance refuses unsigned reads (401): only another instance, with a key, can read it. */
export class VersiaSignedReadsError extends VersiaProtocolError {
  override name = 'VersiaSignedReadsError';
  constructor(
    readonly domain: string,
    path: string,
  ) {
    super(
      `${domain} answered 401 to an unsigned read of ${path}: this instance requires instance-signed reads, which a desktop client cannot make (Cutover holds no instance key).`,
      401,
    );
  }
}

/** Spec path first, then what Versia Server 0.9 serves (its extension-style type name). */
const USER_TYPES = ['User', 'pub.versia:users/User'] as const;
const ENTITY_URL = /^\/\.versia\/v0\.6\/entities\/([^/]+)\/([^/]+)$/;
const ID = /^[A-Za-z0-9_-]+$/;
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
    const selfLinks = jrd.links.filter((l) => l.rel === 'self' && l.href);
    let link = selfLinks.find((l) => l.type?.split(';')[0].trim() === 'application/vnd.versia+json');
    if (!link) {
      link = selfLinks.find((l) => l.type?.split(';')[0].trim() === 'application/json');
      if (link)
        this.note(
          `WebFinger of ${who} types its Versia link application/json instead of application/vnd.versia+json (tolerated).`,
        );
    }
    if (!link?.href)
      throw new VersiaProtocolError(
        `WebFinger of ${who} has no Versia link (rel "self", type application/vnd.versia+json).`,
      );
    let url: URL;
    try {
      url = new URL(link.href);
    } catch {
      throw new VersiaProtocolError(`WebFinger of ${who} links to "${snippet(link.href)}", which is not a URL.`);
    }
    if (url.username || url.password)
      throw new VersiaProtocolError(`WebFinger of ${who} links to a URL with credentials.`);
    const entity = ENTITY_URL.exec(url.pathname);
    const type = entity ? safeDecode(entity[1]) : undefined;
    if (entity && type && (USER_TYPES as readonly string[]).includes(type)) {
      return normaliseReference(safeDecode(entity[2]) ?? '', normaliseDomain(url.host));
    }
    // Versia Server 0.9 links to /users/{id}, a page that answers 404: the id is there, and the entity
    // endpoint of the same instance is asked for it (its answer is signed and its id checked).
    const id = safeDecode(url.pathname.split('/').filter(Boolean).at(-1) ?? '');
    if (id && ID.test(id) && hostOf(normaliseDomain(url.host)) === hostOf(host)) {
      this.note(
        `WebFinger of ${who} links to ${snippet(link.href)}, not to a v0.6 User entity URL: Cutover read the user ${id} from ${host}'s entity endpoint instead (tolerated).`,
      );
      return `${host}:${id}`;
    }
    throw new VersiaProtocolError(
      `WebFinger of ${who} links to ${snippet(link.href)}, which is not a v0.6 User entity URL.`,
    );
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

function verifyResponse(host: string, path: string, raw: string, response: Response, publicKey: string): void {
  const check = checkSignature({
    method: 'GET',
    url: path,
    body: raw,
    headers: (name) => response.headers.get(name),
    publicKey,
    expectedSigner: host,
  });
  if (!check.ok) throw new VersiaProtocolError(`The answer of ${host}${path} is not correctly signed: ${check.reason}`);
}

async function readJson(response: Response, host: string, path: string): Promise<unknown> {
  const raw = await response.text();
  if (!response.ok)
    throw new VersiaProtocolError(`${host}${path} answered ${response.status}: ${snippet(raw)}`, response.status);
  return jsonOf(raw, `${host}${path}`);
}

function jsonOf(raw: string, where: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new VersiaProtocolError(`${where} did not answer JSON: ${snippet(raw)}`);
  }
}

/**
 * A reference read from an entity served by `servingDomain`, as `domain:id`. An instance on a development
 * port names itself by its host alone (a Domain has no port; Versia Server writes `localhost:{id}` while
 * served at localhost:8080): such a reference is the serving instance's own.
 */
function referenceFrom(text: string, servingDomain: string): string {
  const ref = parseReference(text, servingDomain);
  const domain = ref.domain !== servingDomain && ref.domain === hostOf(servingDomain) ? servingDomain : ref.domain;
  return `${domain}:${ref.id}`;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new VersiaProtocolError(`${where} sent an invalid entity: ${describeIssues(result.error)}`);
  return result.data;
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t || '(empty)';
}

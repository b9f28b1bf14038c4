/**
 * A Versia v0.6 federation client: discovery, instance metadata, WebFinger, signed GETs whose response
 * signatures are checked against the serving instance's key, paged reference collections, and signed
 * deliveries to the shared inbox (for instances, which hold a key).
 */
import type { KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { entityPath, normaliseDomain, normaliseReference, parseReference } from './reference';
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
import { checkSignature, signatureHeaders } from './signatures';
import { fetchFrom, VersiaProtocolError, type TransportOptions } from './transport';

export interface FederationClientOptions extends TransportOptions {
  /** When the client acts for an instance: its domain and key sign every request. */
  signer?: { domain: string; privateKey: KeyObject };
  /** Items asked for per collection page. */
  pageSize?: number;
}

export interface Discovery {
  versions: string[];
  metadata: InstanceMetadata;
}

export interface CollectionResult {
  total: number;
  items: string[];
}

export type UserCollectionName = 'followers' | 'following';

export class FederationClient {
  private readonly metadata = new Map<string, Promise<InstanceMetadata>>();

  constructor(private readonly options: FederationClientOptions = {}) {}

  /** A client sharing this one's transport, aborting with `signal`. */
  withSignal(signal: AbortSignal): FederationClient {
    return new FederationClient({ ...this.options, signal });
  }

  /** `GET /.well-known/versia` then `GET /.versia/v0.6/instance`. */
  async discover(domain: string): Promise<Discovery> {
    const host = normaliseDomain(domain);
    const response = await this.request(host, '/.well-known/versia', { method: 'GET' });
    const versions = parse(WellKnownVersiaSchema, await readJson(response, host, '/.well-known/versia'), `${host}/.well-known/versia`).versions;
    return { versions, metadata: await this.instance(host) };
  }

  /** The instance metadata (cached), its response signature checked with the key it publishes. */
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

  private async fetchInstance(host: string): Promise<InstanceMetadata> {
    const path = '/.versia/v0.6/instance';
    const response = await this.request(host, path, { method: 'GET' });
    const raw = await response.text();
    if (!response.ok) throw new VersiaProtocolError(`${host}${path} answered ${response.status}: ${snippet(raw)}`, response.status);
    const metadata = parse(InstanceMetadataSchema, jsonOf(raw, `${host}${path}`), `${host}${path}`);
    if (normaliseDomain(metadata.domain) !== host) throw new VersiaProtocolError(`${host}${path} describes another instance (${metadata.domain}).`);
    verifyResponse(host, path, raw, response, metadata.public_key.key);
    return metadata;
  }

  /** A signed GET of a path of `domain`; the response must be signed by that domain's key. */
  async getSigned(domain: string, pathAndQuery: string): Promise<unknown> {
    const host = normaliseDomain(domain);
    const metadata = await this.instance(host);
    const response = await this.request(host, pathAndQuery, { method: 'GET' });
    const raw = await response.text();
    const path = pathAndQuery.split('?')[0];
    if (response.status === 404) throw new VersiaProtocolError(`${host}${path} was not found (404).`, 404);
    if (!response.ok) throw new VersiaProtocolError(`${host}${path} answered ${response.status}: ${snippet(raw)}`, response.status);
    verifyResponse(host, path, raw, response, metadata.public_key.key);
    return jsonOf(raw, `${host}${path}`);
  }

  /** The User a reference points at, validated; `new`/`previous` normalised to `domain:id`. */
  async user(reference: string): Promise<User> {
    const ref = parseReference(reference);
    const where = `${ref.domain}${entityPath('User', ref.id)}`;
    const user = parse(UserSchema, await this.getSigned(ref.domain, entityPath('User', ref.id)), where);
    if (user.id !== ref.id) throw new VersiaProtocolError(`${where} returned the user ${user.id} instead of ${ref.id}.`);
    const migration = user.extensions?.['pub.versia:migration'];
    if (migration) {
      for (const field of ['previous', 'new'] as const) {
        const value = migration[field];
        if (value) {
          try {
            migration[field] = normaliseReference(value, ref.domain);
          } catch (error) {
            throw new VersiaProtocolError(`${where}: extensions["pub.versia:migration"].${field}: ${(error as Error).message}`);
          }
        }
      }
    }
    return user;
  }

  /** Every item of a user's followers or following collection, page by page (offset / limit). */
  async collection(reference: string, name: UserCollectionName, onPage?: (seen: number, total: number) => void): Promise<CollectionResult> {
    const ref = parseReference(reference);
    const limit = this.options.pageSize ?? 40;
    const items: string[] = [];
    let total = 0;
    for (let offset = 0; ; ) {
      const path = `${entityPath('User', ref.id)}/collections/${name}`;
      const where = `${ref.domain}${path}`;
      const page = parse(URICollectionSchema, await this.getSigned(ref.domain, `${path}?offset=${offset}&limit=${limit}`), where);
      total = page.total;
      for (const item of page.items) {
        try {
          items.push(normaliseReference(item, ref.domain));
        } catch (error) {
          throw new VersiaProtocolError(`${where}: item ${offset + items.length}: ${(error as Error).message}`);
        }
      }
      offset += page.items.length;
      onPage?.(items.length, total);
      if (page.items.length === 0 || offset >= total) break;
      if (page.items.length > limit) throw new VersiaProtocolError(`${where} sent ${page.items.length} items for a page of ${limit}.`);
    }
    return { total, items: [...new Set(items)] };
  }

  /** WebFinger: `@user@domain` to the `domain:id` reference of the User. */
  async webfinger(handle: string): Promise<string> {
    const match = /^@?([^@\s]+)@([^@\s]+)$/.exec(handle.trim());
    if (!match) throw new VersiaProtocolError(`"${handle}" is not a handle: write it as @user@instance.`);
    const host = normaliseDomain(match[2]);
    const resource = `acct:${match[1]}@${host}`;
    const path = `/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
    const response = await this.request(host, path, { method: 'GET', headers: { accept: 'application/jrd+json, application/json' } });
    if (response.status === 404) throw new VersiaProtocolError(`@${match[1]}@${host} does not exist (WebFinger answered 404).`, 404);
    const jrd = parse(WebFingerSchema, await readJson(response, host, '/.well-known/webfinger'), `${host}/.well-known/webfinger`);
    const link = jrd.links.find((l) => l.rel === 'self' && l.type?.startsWith('application/vnd.versia+json') && l.href);
    if (!link?.href) throw new VersiaProtocolError(`WebFinger of @${match[1]}@${host} has no Versia link (rel "self", type application/vnd.versia+json).`);
    const url = new URL(link.href);
    const id = /^\/\.versia\/v0\.6\/entities\/User\/([^/]+)$/.exec(url.pathname)?.[1];
    if (!id) throw new VersiaProtocolError(`WebFinger of @${match[1]}@${host} links to ${link.href}, which is not a v0.6 User entity URL.`);
    return normaliseReference(decodeURIComponent(id), normaliseDomain(url.host));
  }

  /** Delivers an entity to a domain's shared inbox, signed with this client's instance key. */
  async deliver(domain: string, entity: unknown): Promise<Response> {
    const signer = this.options.signer;
    if (!signer) throw new Error('Only an instance (a client with a signing key) can deliver to an inbox.');
    const body = JSON.stringify(entity);
    const path = '/.versia/v0.6/inbox';
    const headers = signatureHeaders({ method: 'POST', url: path, body, signer: signer.domain, privateKey: signer.privateKey });
    return this.send(normaliseDomain(domain), path, { method: 'POST', body, headers: { ...headers, 'content-type': VERSIA_CONTENT_TYPE } });
  }

  private request(host: string, pathAndQuery: string, init: RequestInit): Promise<Response> {
    const signer = this.options.signer;
    const headers: Record<string, string> = { accept: 'application/vnd.versia+json, application/json', ...(init.headers as Record<string, string> | undefined) };
    if (signer) Object.assign(headers, signatureHeaders({ method: 'GET', url: pathAndQuery, signer: signer.domain, privateKey: signer.privateKey }));
    return this.send(host, pathAndQuery, { ...init, headers });
  }

  private send(host: string, pathAndQuery: string, init: RequestInit): Promise<Response> {
    return fetchFrom(host, pathAndQuery, init, this.options);
  }
}

function verifyResponse(host: string, path: string, raw: string, response: Response, publicKey: string): void {
  const check = checkSignature({ method: 'GET', url: path, body: raw, headers: (name) => response.headers.get(name), publicKey, expectedSigner: host });
  if (!check.ok) throw new VersiaProtocolError(`The answer of ${host}${path} is not correctly signed: ${check.reason}`);
}

async function readJson(response: Response, host: string, path: string): Promise<unknown> {
  const raw = await response.text();
  if (!response.ok) throw new VersiaProtocolError(`${host}${path} answered ${response.status}: ${snippet(raw)}`, response.status);
  return jsonOf(raw, `${host}${path}`);
}

function jsonOf(raw: string, where: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new VersiaProtocolError(`${where} did not answer JSON: ${snippet(raw)}`);
  }
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new VersiaProtocolError(`${where} sent an invalid entity: ${describeIssues(result.error)}`);
  return result.data;
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t || '(empty)';
}

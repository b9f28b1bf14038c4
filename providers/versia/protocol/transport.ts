/**
 * How Versia instances are reached: by default `https://{domain}`. Tests (and the local test kit) inject a
 * resolver that maps a domain to another origin (e.g. `old.test` to `http://127.0.0.1:41234`); nothing
 * else changes, so the same code talks to real instances.
 *
 * Remote servers are untrusted, so every request here:
 * - reads at most a fixed number of bytes of the answer (counted while streaming; a server that sends
 *   2 GiB costs 8 MB at most, never the process);
 * - never follows a redirect (the spec: "API endpoints MUST NOT redirect to other endpoints");
 * - refuses loopback, private and link-local addresses for domains learned from remote data (a WebFinger
 *   link, a reference in an entity), unless the person's own instance is such an address itself (local
 *   development). The check runs on the addresses actually connected to (the DNS answer), before any
 *   connection, so the refusal says the same whether a port there is open or closed.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { CutoverError } from '../../api/index';

/** Returns the origin (scheme://host:port) to reach a domain at, or undefined for the default https. */
export type VersiaResolver = (domain: string) => string | undefined;

/** Largest answer read from metadata, discovery and WebFinger endpoints. */
export const SMALL_BODY_LIMIT = 1024 * 1024;
/** Largest answer read for an entity or a collection page. */
export const ENTITY_BODY_LIMIT = 8 * 1024 * 1024;

export interface DestinationPolicy {
  /** Domains the person gave (their accounts): always reachable. */
  trusted: readonly string[];
  /** The person's own instance is local (loopback / private / link-local): so may be the others. */
  allowPrivate: boolean;
}

export interface TransportOptions {
  resolve?: VersiaResolver;
  /** Per request, before giving up on an instance (ms). */
  timeoutMs?: number;
  /** Aborts every request (cancellation). */
  signal?: AbortSignal;
  /** Where requests may go; without one, anywhere (the test kit's own instances). */
  destinations?: DestinationPolicy;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export class VersiaUnreachableError extends CutoverError {
  override name = 'VersiaUnreachableError';
  constructor(
    readonly domain: string,
    detail: string,
  ) {
    super(`${domain} could not be reached (${detail}).`);
  }
}

/** The instance answered, but not as the protocol says (status, payload, signature, size, redirect). */
export class VersiaProtocolError extends CutoverError {
  override name = 'VersiaProtocolError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A destination learned from remote data points into a local network. */
export class VersiaDestinationError extends CutoverError {
  override name = 'VersiaDestinationError';
  constructor(readonly domain: string) {
    super(
      `${domain} was not contacted: remote data pointed Cutover at it and it is a loopback, private or link-local address. ` +
        'Cutover only connects to such addresses when your own instance is on one (local development).',
    );
  }
}

export function originOf(domain: string, resolve?: VersiaResolver): string {
  return (resolve?.(domain) ?? `https://${domain}`).replace(/\/+$/, '');
}

const LOCAL = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
] as const) {
  LOCAL.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
] as const)
  LOCAL.addSubnet(address, prefix, 'ipv6');

/** Loopback, private (RFC 1918, unique local, shared), link-local or unspecified. */
export function isLocalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = net.isIP(bare);
  if (!family) return false;
  return LOCAL.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether the origin a domain resolves to is on a local network (an IP literal, or what DNS answers). */
export async function isLocalDestination(domain: string, resolve?: VersiaResolver): Promise<boolean> {
  const host = new URL(originOf(domain, resolve)).hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return isLocalAddress(host);
  try {
    const addresses = await dns.promises.lookup(host, { all: true });
    return addresses.some((a) => isLocalAddress(a.address));
  } catch {
    return false;
  }
}

/**
 * One request, the answer read into memory up to `limit` bytes and handed back as a `Response`.
 * Network failures become a message naming the instance.
 */
export async function fetchFrom(
  domain: string,
  pathAndQuery: string,
  init: RequestSpec,
  options: TransportOptions,
  limit = SMALL_BODY_LIMIT,
): Promise<Response> {
  const url = new URL(`${originOf(domain, options.resolve)}${pathAndQuery}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const checked = mustCheck(domain, options.destinations);
  if (checked && net.isIP(url.hostname.replace(/^\[|\]$/g, '')) && isLocalAddress(url.hostname))
    throw new VersiaDestinationError(domain);
  try {
    return await send(
      url,
      init,
      signal,
      limit,
      `${domain}${url.pathname}`,
      checked ? guardedLookup(domain) : undefined,
    );
  } catch (error) {
    if (error instanceof VersiaProtocolError || error instanceof VersiaDestinationError) throw error;
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    if (timeout.aborted) throw new VersiaUnreachableError(domain, `no answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new VersiaUnreachableError(domain, networkDetail(error));
  }
}

function mustCheck(domain: string, policy: DestinationPolicy | undefined): boolean {
  if (!policy || policy.allowPrivate) return false;
  return !policy.trusted.includes(domain.toLowerCase());
}

/** A DNS lookup that fails when any answer is a local address, so the connection never starts. */
function guardedLookup(domain: string): net.LookupFunction {
  return ((
    hostname: string,
    options: dns.LookupOptions,
    callback: (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void,
  ) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (addresses.some((a) => isLocalAddress(a.address))) return callback(new VersiaDestinationError(domain), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  }) as net.LookupFunction;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

function send(
  url: URL,
  init: RequestSpec,
  signal: AbortSignal,
  limit: number,
  where: string,
  lookup: net.LookupFunction | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!client)
      return reject(
        new VersiaProtocolError(`${where}: ${url.protocol} is not a protocol Cutover speaks to Versia instances.`),
      );
    const headers: Record<string, string> = { 'user-agent': 'Cutover (Versia account migration)', ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const tooLarge = () =>
      new VersiaProtocolError(
        `${where} sent more than ${Math.round(limit / 1024 / 1024)} MB: Cutover stops reading there.`,
      );
    const request = client.request(url, { method: init.method, headers, signal, lookup, agent: false }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        request.destroy();
        const location = response.headers.location;
        return reject(
          new VersiaProtocolError(
            `${where} answered ${status}, a redirect${location ? ` to ${snippet(location, 120)}` : ''}: Cutover does not follow redirects from Versia instances (the spec forbids them).`,
            status,
          ),
        );
      }
      if (Number(response.headers['content-length']) > limit) {
        request.destroy();
        return reject(tooLarge());
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          request.destroy();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        try {
          resolve(
            new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), { status, headers: responseHeaders }),
          );
        } catch {
          reject(new VersiaProtocolError(`${where} answered with the status ${status}, which is not HTTP.`));
        }
      });
    });
    request.on('error', reject);
    request.end(init.body);
  });
}

function snippet(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function networkDetail(error: unknown): string {
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset';
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return code ?? (error as Error).message;
  }
}

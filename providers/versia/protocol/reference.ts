/**
 * Versia v0.6 entity references: `domain:id` for an entity of another instance, or a bare `id` for one of
 * the sender's own. Domains are lower-cased, may carry a port, and IPv6 addresses sit in brackets
 * (`[::1]:8080:abc`). Normalising a reference always gives the `domain:id` form.
 */
import { CutoverError } from '../../api/index';

export interface Reference {
  /** Host of the instance, lower-case, with its port if any; IPv6 in brackets. */
  domain: string;
  id: string;
}

export class VersiaReferenceError extends CutoverError {
  override name = 'VersiaReferenceError';
}

const ID = /^[A-Za-z0-9_-]+$/;
const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;
const PORT = /^\d{1,5}$/;

/** Checks and lower-cases a domain (`host`, `host:port`, `[ipv6]`, `[ipv6]:port`). */
export function normaliseDomain(input: string, where = 'domain'): string {
  const domain = input.trim().toLowerCase();
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const end = domain.indexOf(']');
    if (end < 0)
      throw new VersiaReferenceError(`Invalid ${where} "${input}": an IPv6 address must be closed with "]".`);
    host = domain.slice(0, end + 1);
    const rest = domain.slice(end + 1);
    if (rest) {
      if (!rest.startsWith(':'))
        throw new VersiaReferenceError(`Invalid ${where} "${input}": unexpected "${rest}" after the IPv6 address.`);
      port = rest.slice(1);
    }
    if (!IPV6.test(host))
      throw new VersiaReferenceError(`Invalid ${where} "${input}": "${host}" is not an IPv6 address.`);
  } else {
    const parts = domain.split(':');
    if (parts.length > 2)
      throw new VersiaReferenceError(
        `Invalid ${where} "${input}": write IPv6 addresses in brackets, e.g. [2001:db8::1].`,
      );
    [host, port] = parts;
    if (!HOST_NAME.test(host))
      throw new VersiaReferenceError(`Invalid ${where} "${input}": "${host}" is not a host name.`);
  }
  if (port !== undefined && (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535))
    throw new VersiaReferenceError(`Invalid ${where} "${input}": port "${port}" is not between 1 and 65535.`);
  return port === undefined ? host : `${host}:${port}`;
}

/**
 * Parses a reference. A bare `id` belongs to `senderDomain` (the instance that sent or serves the entity);
 * without one, a bare id is an error.
 */
export function parseReference(input: string, senderDomain?: string): Reference {
  if (typeof input !== 'string' || !input.trim()) throw new VersiaReferenceError('Invalid reference: it is empty.');
  const text = input.trim();
  const cut = text.lastIndexOf(':');
  const closing = text.lastIndexOf(']');
  if (cut < 0 || cut < closing) {
    if (!ID.test(text))
      throw new VersiaReferenceError(`Invalid reference "${input}": an id may only hold letters, digits, "_" and "-".`);
    if (!senderDomain) throw new VersiaReferenceError(`Reference "${input}" names no instance: write it as domain:id.`);
    return { domain: normaliseDomain(senderDomain, 'sender domain'), id: text };
  }
  const id = text.slice(cut + 1);
  if (!ID.test(id))
    throw new VersiaReferenceError(
      `Invalid reference "${input}": the id "${id}" may only hold letters, digits, "_" and "-".`,
    );
  return { domain: normaliseDomain(text.slice(0, cut), `domain of reference "${input}"`), id };
}

export function formatReference(ref: Reference): string {
  return `${ref.domain}:${ref.id}`;
}

/** `domain:id` for any accepted form of a reference. */
export function normaliseReference(input: string, senderDomain?: string): string {
  return formatReference(parseReference(input, senderDomain));
}

export function sameReference(
  a: string | undefined | null,
  b: string | undefined | null,
  senderDomain?: string,
): boolean {
  if (!a || !b) return false;
  try {
    return normaliseReference(a, senderDomain) === normaliseReference(b, senderDomain);
  } catch {
    return false;
  }
}

/** The host of a domain without its port (`old.test:8443` → `old.test`, `[::1]:80` → `[::1]`). */
export function hostOf(domain: string): string {
  const d = domain.toLowerCase();
  if (d.startsWith('[')) return d.slice(0, d.indexOf(']') + 1);
  return d.split(':')[0];
}

/**
 * Whether the domain an instance claims (in its metadata, or as `Versia-Signed-By`) is the instance Cutover
 * asked. The spec's Domain "must be a valid hostname, and cannot include a port number (the HTTPS port is
 * always 443)", so a real deployment reached as `host` says `host`, and one reached on a development port
 * (`versia+http://127.0.0.1:8080`, e.g. Versia Server in local development) also says just the host. The test
 * kit's instances addressed as `127.0.0.1:PORT` say it with the port; both are accepted.
 */
export function sameInstanceDomain(claimed: string, asked: string): boolean {
  let normalised: string;
  try {
    normalised = normaliseDomain(claimed);
  } catch {
    return false;
  }
  const host = normaliseDomain(asked);
  return normalised === host || normalised === hostOf(host);
}

/** The URL path of an entity: `/.versia/v0.6/entities/{type}/{id}`. */
export function entityPath(type: string, id: string): string {
  return `/.versia/v0.6/entities/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
}

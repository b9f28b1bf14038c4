/**
 * SDK helper: recognises, validates and redacts connection strings (MongoDB, PostgreSQL, MySQL/MariaDB,
 * Versia accounts). Errors name what is wrong and what to do. `@cutover/provider-api/connection`.
 * The host (main/core/connection-string.ts) uses this same module.
 */
import { ConnectionString } from 'mongodb-connection-string-url';
import type { ConnectionKind } from './index.js';
import { BadRequestError } from './errors.js';

export interface ParsedConnection {
  kind: ConnectionKind;
  uri: string;
  redactedUri: string;
  /** host[:port] list, for display. */
  host: string;
  hasCredentials: boolean;
  /** Database named in the URI path, if any. */
  defaultDatabase?: string;
}

/** A parsed MongoDB connection string and the URL object it was parsed into (one parse: the library is slow). */
export interface ParsedMongo {
  parsed: ParsedConnection;
  url: ConnectionString;
}

/** Query options whose values are secrets, whatever the kind (libpq and mysql2 take `password=` too). */
export const SECRET_QUERY_OPTIONS = [
  'tlsCertificateKeyFilePassword',
  'proxyPassword',
  'sslpassword',
  'password',
] as const;

/** Replaces the values of secret query options in a URL by ****. Changes `params`. */
function redactSecretOptions(params: URLSearchParams): void {
  for (const option of SECRET_QUERY_OPTIONS) if (params.has(option)) params.set(option, '****');
}

/** A connection string Cutover cannot use; the message says what is wrong and what to do. */
export class ConnectionStringError extends BadRequestError {
  override name = 'ConnectionStringError';
}

const SCHEMES: Array<[RegExp, ConnectionKind]> = [
  [/^mongodb(\+srv)?:\/\//i, 'mongodb'],
  [/^postgres(ql)?:\/\//i, 'postgres'],
  [/^(mysql|mariadb):\/\//i, 'mysql'],
  // A Versia account: versia://user:ACCESS_TOKEN@instance.example (versia+http:// for a local, plain-HTTP instance).
  [/^versia(\+http)?:\/\/[^@/\s]+@/i, 'versia'],
];

const VERSIA_HANDLE = /^@?([A-Za-z0-9_.-]+)@([A-Za-z0-9.-]+(?::\d+)?|\[[0-9a-fA-F:]+\](?::\d+)?)$/;

/** Whether a string looks like something the intake should treat as a connection (no validation). */
export function looksLikeConnectionString(text: string): boolean {
  const t = text.trim();
  return SCHEMES.some(([re]) => re.test(t));
}

export function parseConnectionString(input: string): ParsedConnection {
  const uri = input.trim();
  if (!uri) throw new ConnectionStringError('The connection string is empty.');
  const match = SCHEMES.find(([re]) => re.test(uri));
  if (match?.[1] === 'mongodb') return parseMongo(uri);
  if (match?.[1] === 'versia') return parseVersia(uri);
  if (match) return parseUrlLike(uri, match[1]);
  const handle = VERSIA_HANDLE.exec(uri);
  if (handle && uri.startsWith('@')) {
    return {
      kind: 'versia',
      uri: `versia://${handle[1]}@${handle[2]}`,
      redactedUri: `@${handle[1]}@${handle[2]}`,
      host: handle[2],
      hasCredentials: false,
    };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1];
  throw new ConnectionStringError(
    scheme
      ? `"${scheme}:" is not a connection type Cutover knows. Use mongodb://, mongodb+srv://, postgres://, mysql:// or a Versia handle (@user@instance).`
      : 'This is not a connection string. It should start with mongodb://, mongodb+srv://, postgres:// or mysql://, or be a Versia handle (@user@instance).',
  );
}

function parseMongo(uri: string): ParsedConnection {
  return parseMongoUrl(uri).parsed;
}

/** Parses a MongoDB connection string once; `redactedUri` is only worked out when read. */
export function parseMongoUrl(uri: string): ParsedMongo {
  // A port that is not a number gets a sentence of its own (the URL parser only says "Unable to parse").
  const hostList = /^mongodb(?:\+srv)?:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(uri)?.[1] ?? '';
  for (const host of hostList.split(',')) {
    const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(host)?.[1];
    if (port !== undefined && !/^\d+$/.test(port)) {
      throw new ConnectionStringError(
        `Invalid MongoDB connection string: the port of ${host} is "${port}", not a number. Write host:port with a port from 1 to 65535 (27017 by default), or leave the port out.`,
      );
    }
  }
  let cs: ConnectionString;
  try {
    cs = new ConnectionString(uri);
  } catch (error) {
    throw new ConnectionStringError(`Invalid MongoDB connection string: ${(error as Error).message}`);
  }
  if (cs.hosts.length === 0 || cs.hosts.some((h) => !h))
    throw new ConnectionStringError('Invalid MongoDB connection string: it names no host.');
  for (const host of cs.hosts) {
    const port = /:(\d+)$/.exec(host)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
      throw new ConnectionStringError(
        `Invalid MongoDB connection string: port ${port} of ${host} is out of range (1-65535).`,
      );
  }
  const db = decodeURIComponent(cs.pathname.replace(/^\//, ''));
  const parsed = {
    kind: 'mongodb',
    uri,
    host: cs.hosts.join(','),
    hasCredentials: cs.username !== '' || cs.password !== '',
    defaultDatabase: db || undefined,
  } as ParsedConnection;
  // Redacting costs another parse: done on first use (from a string taken now, before the caller changes `url`).
  const href = cs.href;
  let redacted: string | undefined;
  Object.defineProperty(parsed, 'redactedUri', {
    enumerable: true,
    get: () => {
      if (redacted === undefined) {
        const copy = new ConnectionString(href).redact({ replacementString: '****' });
        redactSecretOptions(copy.searchParams);
        redacted = copy.toString();
      }
      return redacted;
    },
  });
  return { parsed, url: cs };
}

/** versia://user[:token]@instance[:port] → the account @user@instance; the token is the secret. */
function parseVersia(uri: string): ParsedConnection {
  let url: URL;
  try {
    url = new URL(uri.replace(/^versia(\+http)?:/i, 'http:'));
  } catch {
    throw new ConnectionStringError('Invalid Versia account: write it as versia://user:ACCESS_TOKEN@instance.example.');
  }
  if (!url.username || !url.hostname)
    throw new ConnectionStringError(
      'Invalid Versia account: it needs a user and an instance (versia://user:ACCESS_TOKEN@instance.example).',
    );
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  return {
    kind: 'versia',
    uri,
    redactedUri: `@${decodeURIComponent(url.username)}@${host}`,
    host,
    hasCredentials: url.password !== '',
  };
}

function parseUrlLike(uri: string, kind: ConnectionKind): ParsedConnection {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ConnectionStringError(
      `Invalid ${kind === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'} connection string: it is not a valid URL.`,
    );
  }
  if (!url.hostname) throw new ConnectionStringError('Invalid connection string: it names no host.');
  const redacted = new URL(uri);
  if (redacted.password) redacted.password = '****';
  redactSecretOptions(redacted.searchParams);
  return {
    kind,
    uri,
    redactedUri: redacted.toString(),
    host: url.port ? `${url.hostname}:${url.port}` : url.hostname,
    hasCredentials: url.username !== '' || url.password !== '',
    defaultDatabase: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
  };
}

/** Replaces any credentials in URIs found inside free text (error messages, logs). */
export function redactSecretsInText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/@]*)@/gi, '$1$2:****@')
    .replace(new RegExp(`([?&](?:${SECRET_QUERY_OPTIONS.join('|')})=)[^&\\s#"'<>]*`, 'gi'), '$1****');
}

/** The connection string with its password replaced by `****`, or a short note when it cannot be parsed. */
export function redactConnectionString(uri: string): string {
  try {
    return parseConnectionString(uri).redactedUri;
  } catch {
    return redactSecretsInText(uri);
  }
}

/**
 * Splits a connection string into the part that may be written down (scheme, user, hosts, database,
 * options) and its secrets (the password or token, and secret options such as a TLS key passphrase),
 * and joins them again. Passwords travel decoded: any character round-trips.
 */
import { ConnectionString } from 'mongodb-connection-string-url';
import {
  ConnectionStringError,
  parseConnectionString,
  parseMongoUrl,
  SECRET_QUERY_OPTIONS,
  type ParsedConnection,
} from '../connection-string';
import type { ConnectionKind } from '../../../providers/api/index';

/** Query options whose values are secrets, whatever the kind. */
export const SECRET_OPTIONS = SECRET_QUERY_OPTIONS;

export interface UriSecrets {
  /** The password (or Versia access token), decoded. */
  password?: string;
  /** Secret query options, decoded. */
  options?: Record<string, string>;
}

export interface SplitUri {
  kind: ConnectionKind;
  /** The connection string without any secret. */
  publicUri: string;
  secrets: UriSecrets;
}

interface UrlLike {
  username: string;
  password: string;
  readonly searchParams: URLSearchParams;
  readonly href: string;
}

function urlOf(uri: string, kind: ConnectionKind): UrlLike {
  try {
    if (kind === 'mongodb') return new ConnectionString(uri) as unknown as UrlLike;
    return new URL(uri);
  } catch (error) {
    throw new ConnectionStringError(`Invalid connection string: ${(error as Error).message}`);
  }
}

/** Whether the string is a bare Versia handle (@user@instance), which holds no secret. */
const isHandle = (uri: string) => uri.trim().startsWith('@');

export function splitSecrets(uri: string): SplitUri {
  const parsed = parseConnectionString(uri);
  if (isHandle(uri)) return { kind: parsed.kind, publicUri: parsed.uri, secrets: {} };
  const url = urlOf(parsed.uri, parsed.kind);
  const secrets: UriSecrets = {};
  if (url.password) {
    secrets.password = safeDecode(url.password);
    url.password = '';
  }
  for (const option of SECRET_OPTIONS) {
    const value = url.searchParams.get(option);
    if (value === null) continue;
    (secrets.options ??= {})[option] = value;
    url.searchParams.delete(option);
  }
  return { kind: parsed.kind, publicUri: url.href, secrets };
}

/** The user name of a connection string (decoded), or '' when it has none. */
export function userOf(uri: string): string {
  if (isHandle(uri)) return '';
  const parsed = parseConnectionString(uri);
  return safeDecode(urlOf(parsed.uri, parsed.kind).username);
}

export function joinSecrets(publicUri: string, secrets: UriSecrets): string {
  if (!secrets.password && !secrets.options) return publicUri;
  const parsed = parseConnectionString(publicUri);
  const url = urlOf(parsed.uri, parsed.kind);
  if (secrets.password !== undefined && secrets.password !== '') {
    if (!url.username)
      throw new ConnectionStringError('A password was given for a connection string that names no user.');
    url.password = encodeURIComponent(secrets.password);
  }
  for (const [option, value] of Object.entries(secrets.options ?? {})) url.searchParams.set(option, value);
  return url.href;
}

/**
 * What makes two connections "the same" for duplicate detection: kind, hosts and ports (default port
 * filled in), user and database. Options and secrets do not count.
 */
export function connectionIdentity(uri: string): string {
  if (MONGODB_SCHEME.test(uri.trim())) {
    const { parsed, url } = parseMongoUrl(uri.trim());
    return identityOf(parsed, url.username);
  }
  const parsed = parseConnectionString(uri);
  if (isHandle(uri) || parsed.kind === 'versia') {
    const url = new URL(parsed.uri.replace(/^versia(\+http)?:/i, 'http:'));
    return ['versia', url.hostname.toLowerCase(), url.port || '443', safeDecode(url.username).toLowerCase(), ''].join(
      '|',
    );
  }
  return identityOf(parsed, urlOf(parsed.uri, parsed.kind).username);
}

/** The identity of a parsed (non-Versia) connection string, given its user name as written. */
function identityOf(parsed: ParsedConnection, username: string): string {
  const defaultPort =
    { mongodb: '27017', postgres: '5432', mysql: '3306' }[parsed.kind as 'mongodb' | 'postgres' | 'mysql'] ?? '';
  const hosts = parsed.host
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .map((h) => (/:\d+$/.test(h) || /^mongodb\+srv:/i.test(parsed.uri) ? h : `${h}:${defaultPort}`))
    .sort()
    .join(',');
  return [parsed.kind, hosts, safeDecode(username), parsed.defaultDatabase ?? ''].join('|');
}

/** What the intake shows and compares for one connection string, from a single parse. */
export interface ConnectionDescription {
  uri: string;
  kind: ConnectionKind;
  host: string;
  /** Every secret replaced by ****. */
  redactedUri: string;
  /** See connectionIdentity. */
  identity: string;
}

const MONGODB_SCHEME = /^mongodb(\+srv)?:\/\//i;

export function describeConnection(uri: string): ConnectionDescription {
  const trimmed = uri.trim();
  if (MONGODB_SCHEME.test(trimmed)) {
    // The MongoDB URL library is slow (about 0.2 ms a parse): parse once, read everything from it.
    const { parsed, url } = parseMongoUrl(trimmed);
    const identity = identityOf(parsed, url.username);
    return {
      uri: parsed.uri,
      kind: parsed.kind,
      host: parsed.host,
      identity,
      redactedUri: redactUrl(url as unknown as UrlLike),
    };
  }
  const parsed = parseConnectionString(trimmed);
  return {
    uri: parsed.uri,
    kind: parsed.kind,
    host: parsed.host,
    identity: connectionIdentity(trimmed),
    redactedUri: redactUri(trimmed),
  };
}

/**
 * Where a stored secret may be sent: the scheme, every host and port (default ports filled in), and the
 * authentication mechanism. A secret kept as **** only goes to the same place; see `credentialTargetChange`.
 */
export function credentialTarget(uri: string): { scheme: string; hosts: string; mechanism: string } {
  const parsed = parseConnectionString(uri);
  const scheme = (/^([a-z][a-z0-9+.-]*):/i.exec(parsed.uri)?.[1] ?? parsed.kind)
    .toLowerCase()
    .replace(/^postgresql$/, 'postgres')
    .replace(/^mariadb$/, 'mysql');
  if (isHandle(uri) || parsed.kind === 'versia') {
    const url = new URL(parsed.uri.replace(/^versia(\+http)?:/i, 'http:'));
    return {
      scheme,
      hosts: `${url.hostname.toLowerCase()}:${url.port || (scheme === 'versia+http' ? '80' : '443')}`,
      mechanism: '',
    };
  }
  const url = urlOf(parsed.uri, parsed.kind);
  const defaultPort =
    { mongodb: '27017', postgres: '5432', mysql: '3306' }[parsed.kind as 'mongodb' | 'postgres' | 'mysql'] ?? '';
  const hostList = parsed.host.split(',').map((h) => h.trim().toLowerCase());
  // libpq-style options that redirect a PostgreSQL connection count as hosts too.
  if (parsed.kind === 'postgres')
    for (const option of ['host', 'hostaddr', 'port'])
      for (const value of url.searchParams.getAll(option)) hostList.push(`${option}=${value.toLowerCase()}`);
  const hosts = hostList
    .map((h) => (h.includes('=') || /:\d+$/.test(h) || scheme === 'mongodb+srv' ? h : `${h}:${defaultPort}`))
    .sort()
    .join(',');
  let mechanism = '';
  for (const [key, value] of url.searchParams)
    if (/^(authmechanism|authsource|authmechanismproperties)$/i.test(key))
      mechanism += `${key.toLowerCase()}=${value};`;
  return { scheme, hosts, mechanism };
}

/** What changed between two connection strings that a stored secret must not follow, in words; undefined if nothing. */
export function credentialTargetChange(before: string, after: string): string | undefined {
  const [a, b] = [credentialTarget(before), credentialTarget(after)];
  if (a.scheme !== b.scheme) return `the scheme changed from ${a.scheme}:// to ${b.scheme}://`;
  if (a.hosts !== b.hosts) return `the server changed from ${a.hosts} to ${b.hosts}`;
  if (a.mechanism !== b.mechanism)
    return `the authentication settings changed (${a.mechanism || 'default'} to ${b.mechanism || 'default'})`;
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export const REDACTED = '****';

/** The connection string as the window may see it: every secret replaced by ****. */
export function redactUri(uri: string): string {
  const trimmed = uri.trim();
  if (MONGODB_SCHEME.test(trimmed)) return redactUrl(parseMongoUrl(trimmed).url as unknown as UrlLike);
  const parsed = parseConnectionString(trimmed);
  if (parsed.kind === 'versia') return parsed.redactedUri;
  return redactUrl(urlOf(parsed.uri, parsed.kind));
}

/** Replaces the password and every secret option of a parsed URL by **** (secret options move to the end). Changes `url`. */
function redactUrl(url: UrlLike): string {
  const options = SECRET_OPTIONS.filter((option) => url.searchParams.get(option) !== null);
  if (url.password) url.password = REDACTED;
  for (const option of options) url.searchParams.delete(option);
  for (const option of options) url.searchParams.set(option, REDACTED);
  return url.href;
}

/**
 * For an edit: secrets the person left as **** keep their stored value; anything typed replaces it;
 * a secret removed from the string is removed.
 */
export function keepRedactedSecrets(edited: UriSecrets, stored: UriSecrets): UriSecrets {
  const password = edited.password === REDACTED ? stored.password : edited.password;
  const options = edited.options
    ? Object.fromEntries(
        Object.entries(edited.options).map(([k, v]) => [k, v === REDACTED ? (stored.options?.[k] ?? '') : v]),
      )
    : undefined;
  return { ...(password ? { password } : {}), ...(options && Object.keys(options).length ? { options } : {}) };
}

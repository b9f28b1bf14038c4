/**
 * "Test connection": reaches the server with a time limit and says in one sentence what went wrong,
 * classified as DNS, refused, TLS, authentication or time-out. MongoDB through the official driver,
 * PostgreSQL through pg, MySQL/MariaDB through mysql2, Versia through its discovery document
 * (GET /.well-known/versia). Secrets never appear in the messages. pg and mysql2 are loaded when a check
 * needs them: the core (and the command line) starts without them.
 */
import os from 'node:os';
import { parseConnectionString, redactSecretsInText, type ParsedConnection } from '../connection-string';
import { splitSecrets } from './uri-secrets';
import { openPingedClient } from '../../../providers/api/mongo-connect';

export type CheckFailure = 'dns' | 'refused' | 'tls' | 'auth' | 'timeout' | 'other';

export interface ConnectionCheck {
  ok: boolean;
  failure?: CheckFailure;
  message: string;
  elapsedMs: number;
}

export interface CheckOptions {
  timeoutMs?: number;
}

export async function checkConnection(uri: string, options: CheckOptions = {}): Promise<ConnectionCheck> {
  const timeoutMs = options.timeoutMs ?? 8_000;
  const started = Date.now();
  const parsed = parseConnectionString(uri);
  const password = splitSecrets(parsed.uri).secrets.password;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeoutMs + 1_000);
  });
  try {
    const detail = await Promise.race([reach(parsed, timeoutMs), deadline]);
    return {
      ok: true,
      message: `Connected to ${parsed.host}${detail ? ` (${detail})` : ''}.`,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    const failure = classifyError(error);
    const message = sentenceFor(failure, parsed.host, error, timeoutMs);
    return { ok: false, failure, message: scrub(message, password), elapsedMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

async function reach(parsed: ParsedConnection, timeoutMs: number): Promise<string | undefined> {
  switch (parsed.kind) {
    case 'mongodb': {
      const client = await openPingedClient(parsed.uri, {
        timeoutMs,
        database: parsed.defaultDatabase,
        driverOptions: { socketTimeoutMS: timeoutMs },
      });
      try {
        const hello = await client.db('admin').command({ hello: 1 });
        return hello.setName ? `replica set ${String(hello.setName)}` : undefined;
      } finally {
        await client.close().catch(() => undefined);
      }
    }
    case 'postgres': {
      // Like psql, a URL without a user means the operating-system user.
      const url = new URL(parsed.uri);
      if (!url.username)
        url.username = encodeURIComponent(process.env.PGUSER || process.env.USER || os.userInfo().username);
      const { default: pg } = await import('pg');
      const client = new pg.Client({
        connectionString: url.href,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const { rows } = await client.query<{ v: string }>('select version() as v');
        return rows[0]?.v.split(' ').slice(0, 2).join(' ');
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    case 'mysql': {
      const { default: mysql } = await import('mysql2/promise');
      const connection = await mysql.createConnection({
        uri: parsed.uri.replace(/^mariadb:/i, 'mysql:'),
        connectTimeout: timeoutMs,
      });
      connection.on('error', () => undefined);
      try {
        const [rows] = await connection.query('select version() as v');
        return `version ${String((rows as Array<{ v: string }>)[0]?.v)}`;
      } finally {
        await connection.end().catch(() => connection.destroy());
      }
    }
    case 'versia': {
      const scheme = /^versia\+http:/i.test(parsed.uri) ? 'http' : 'https';
      const response = await fetch(`${scheme}://${parsed.host}/.well-known/versia`, {
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
        headers: { accept: 'application/json' },
      });
      if (!response.ok)
        throw new Error(
          `${parsed.host} answered ${response.status} ${response.statusText} for /.well-known/versia: it does not look like a Versia instance`,
        );
      const body = (await response.json().catch(() => undefined)) as { versions?: unknown } | undefined;
      if (!body || !Array.isArray(body.versions))
        throw new Error(`${parsed.host}/.well-known/versia is not a Versia discovery document`);
      return `Versia ${body.versions.join(', ')}`;
    }
    default:
      throw new Error(`Testing a ${parsed.kind} connection is not supported.`);
  }
}

/** Every message and code in an error and its causes (driver errors nest them). */
function collect(error: unknown, depth = 0): string[] {
  if (!error || depth > 5 || typeof error !== 'object') return error ? [String(error)] : [];
  const e = error as {
    name?: string;
    message?: string;
    code?: unknown;
    errno?: unknown;
    cause?: unknown;
    errors?: unknown[];
    reason?: { servers?: Map<string, { error?: unknown }> };
  };
  const out = [String(e.name ?? ''), String(e.message ?? ''), String(e.code ?? ''), String(e.errno ?? '')];
  if (e.cause) out.push(...collect(e.cause, depth + 1));
  if (Array.isArray(e.errors)) e.errors.forEach((inner) => out.push(...collect(inner, depth + 1)));
  const servers = e.reason?.servers;
  if (servers instanceof Map) for (const s of servers.values()) out.push(...collect(s.error, depth + 1));
  return out;
}

export function classifyError(error: unknown): CheckFailure {
  const text = collect(error).join(' | ');
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|getaddrinfo|querySrv|queryTxt/i.test(text)) return 'dns';
  if (/ECONNREFUSED/i.test(text)) return 'refused';
  if (
    /certificate|self[- ]signed|\bSSL\b|\bTLS\b|EPROTO|CERT_|ERR_TLS|UNABLE_TO_VERIFY|wrong version number|does not support SSL|server does not support SSL/i.test(
      text,
    )
  )
    return 'tls';
  if (
    /\| 18 \||\b28P01\b|\b28000\b|\b1045\b|ER_ACCESS_DENIED|Authentication failed|AuthenticationFailed|password authentication failed|Access denied|SCRAM|no pg_hba\.conf entry|role ".*" does not exist/i.test(
      text,
    )
  )
    return 'auth';
  // A server selection that failed for none of the reasons above: no server answered in time.
  if (/timed out|ETIMEDOUT|timeout|TimeoutError|aborted due to timeout|MongoServerSelectionError/i.test(text))
    return 'timeout';
  return 'other';
}

function sentenceFor(failure: CheckFailure, host: string, error: unknown, timeoutMs: number): string {
  const first = String((error as Error)?.message ?? error)
    .split('\n')[0]
    .slice(0, 300);
  switch (failure) {
    case 'dns':
      return `Could not find ${host}: the host name does not resolve (check its spelling and your network).`;
    case 'refused':
      return `Could not reach ${host}: the connection was refused (is the server running, and is the port right?).`;
    case 'tls':
      return `The TLS (SSL) handshake with ${host} failed: ${first} (check the TLS options and the CA file).`;
    case 'auth':
      return `${host} rejected the user name or password.`;
    case 'timeout':
      return `No answer from ${host} within ${Math.round(timeoutMs / 100) / 10} s (check the host, the port and any firewall).`;
    default:
      return `${host}: ${first}`;
  }
}

function scrub(message: string, password: string | undefined): string {
  let out = redactSecretsInText(message);
  if (password && password.length >= 3)
    out = out.split(password).join('****').split(encodeURIComponent(password)).join('****');
  return out;
}

/**
 * SDK helper: opens a MongoDB client (the official driver, which the host provides) with clear errors:
 * one sentence naming the server (redacted) and what to do. `@cutover/provider-api/mongodb`.
 */
import type { MongoClient, MongoClientOptions } from 'mongodb';
import { redactConnectionString } from './connection.js';

export interface OpenMongoOptions {
  /** How long to look for a server, in milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Closes the client when aborted (pass `host.cancellation.signal`). */
  signal?: AbortSignal;
  appName?: string;
  driverOptions?: MongoClientOptions;
}

/** A connected client; throws an Error whose message is one clear sentence (never the password). */
export async function openMongoClient(uri: string, options: OpenMongoOptions = {}): Promise<MongoClient> {
  const where = redactConnectionString(uri);
  const { MongoClient: Client } = await import('mongodb');
  let client: MongoClient;
  try {
    client = new Client(uri, { serverSelectionTimeoutMS: options.timeoutMs ?? 10_000, appName: options.appName ?? 'cutover-provider', ...options.driverOptions });
  } catch (error) {
    throw new Error(describeMongoError(error, where));
  }
  const onAbort = () => void client.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    return client;
  } catch (error) {
    options.signal?.removeEventListener('abort', onAbort);
    await client.close().catch(() => undefined);
    throw new Error(describeMongoError(error, where));
  }
}

export function describeMongoError(error: unknown, where: string): string {
  const e = error as { message?: string; code?: number | string; cause?: unknown; reason?: unknown };
  const text = collectMessages(error).join(' | ');
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(text)) return `Could not find the host of ${where}: the name does not resolve (check the host name).`;
  if (/ECONNREFUSED/i.test(text)) return `Could not reach ${where}: the connection was refused (is the server running and the port right?).`;
  if (/certificate|self[- ]signed|SSL|TLS|EPROTO/i.test(text)) return `TLS handshake with ${where} failed: ${firstLine(text)}`;
  if (e.code === 18 || /Authentication failed|AuthenticationFailed/i.test(text)) return `The server at ${where} rejected the user name or password.`;
  if (e.code === 13 || /requires authentication|Unauthorized/i.test(text)) return `The server at ${where} requires a user name and password (add them to the connection string).`;
  if (/Server selection timed out|timed out|ETIMEDOUT/i.test(text) || (e as { name?: string }).name === 'MongoServerSelectionError') return `Timed out connecting to ${where}: no server answered (check the host, port and firewall).`;
  return `${where}: ${firstLine(e.message ?? String(error))}`;
}

function collectMessages(error: unknown, depth = 0): string[] {
  if (!error || depth > 4) return [];
  const e = error as { message?: string; code?: unknown; cause?: unknown; reason?: { servers?: Map<string, { error?: unknown }> } };
  const out = [String(e.message ?? ''), String(e.code ?? '')];
  if (e.cause) out.push(...collectMessages(e.cause, depth + 1));
  const servers = e.reason?.servers;
  if (servers instanceof Map) for (const s of servers.values()) out.push(...collectMessages(s.error, depth + 1));
  return out;
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

/**
 * SDK helper: opens a MongoDB client (the official driver, which the host provides) with clear errors:
 * one sentence naming the server (redacted) and what to do. `@cutover/provider-api/mongodb`.
 */
import type { MongoClient, MongoClientOptions } from 'mongodb';
import { redactConnectionString } from './connection.js';
import { describeMongoError } from './mongo-errors.js';
import { connectPromptly, openPingedClient, type PingOptions } from './mongo-connect.js';

export { describeMongoError, connectPromptly, openPingedClient, type PingOptions };

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
    client = new Client(uri, {
      serverSelectionTimeoutMS: options.timeoutMs ?? 10_000,
      appName: options.appName ?? 'cutover-provider',
      ...options.driverOptions,
    });
  } catch (error) {
    throw new Error(describeMongoError(error, where));
  }
  const onAbort = () => void client.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await connectPromptly(client);
    return client;
  } catch (error) {
    options.signal?.removeEventListener('abort', onAbort);
    await client.close().catch(() => undefined);
    throw new Error(describeMongoError(error, where));
  }
}

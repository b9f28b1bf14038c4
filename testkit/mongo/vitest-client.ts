/**
 * For a Vitest file whose tests talk to MongoDB: `useMongo()` (MONGODB_URI, else a test server) and one
 * connected driver client, opened before the file's tests and closed after them. `dropOnRealServer`: a
 * database the tests write in, dropped afterwards on a real deployment (a test server goes with its data).
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { useMongo, type UsedMongo } from './index.js';

export interface MongoForTests {
  /** The server's connection string. */
  readonly uri: string;
  readonly client: MongoClient;
}

export function useMongoClient(options: { dropOnRealServer?: string } = {}): MongoForTests {
  let server: UsedMongo | undefined;
  let client: MongoClient | undefined;
  beforeAll(async () => {
    server = await useMongo();
    client = await new MongoClient(server.uri).connect();
  });
  afterAll(async () => {
    if (server?.isReal && client && options.dropOnRealServer) await client.db(options.dropOnRealServer).dropDatabase();
    await client?.close();
    await server?.stop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useMongoClient: used outside the tests of the file that called it');
    return value;
  };
  return {
    get uri() {
      return ready(server).uri;
    },
    get client() {
      return ready(client);
    },
  };
}

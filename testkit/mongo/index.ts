/**
 * Public API of the MongoDB wire-protocol test server.
 */
import { startMongoTestServer } from './server.js';

export { startMongoTestServer } from './server.js';
export type { MongoTestServer, MongoTestServerOptions } from './server.js';
export type { FaultConfig, FaultController } from './faults.js';
export type { UserConfig, ScramMechanism } from './scram.js';

export interface UsedMongo {
  uri: string;
  /** true when MONGODB_URI points at a real deployment */
  isReal: boolean;
  stop(): Promise<void>;
}

/**
 * MongoDB for a test: `process.env.MONGODB_URI` when set (stop is a no-op), otherwise a fresh
 * in-process test server on a free port.
 */
export async function useMongo(): Promise<UsedMongo> {
  const real = process.env.MONGODB_URI;
  if (real) return { uri: real, isReal: true, stop: async () => undefined };
  const server = await startMongoTestServer();
  return { uri: server.uri, isReal: false, stop: () => server.stop() };
}

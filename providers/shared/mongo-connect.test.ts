/**
 * openPingedClient, the one "open a client, connect promptly, ping" of the host and the providers:
 * against the test kit's server (or MONGODB_URI), and a refused port that fails at once.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo } from '../../testkit/mongo/index';
import { describeMongoError } from '../api/mongo-errors';
import { openPingedClient } from './mongo-connect';

let server: { uri: string; stop(): Promise<void> };
beforeAll(async () => {
  server = await useMongo();
});
afterAll(async () => {
  await server?.stop();
});

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('openPingedClient', () => {
  it('gives a connected client of a server that answered', async () => {
    const client = await openPingedClient(server.uri, { timeoutMs: 5_000, database: 'cutover_ping' });
    try {
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('fails at once when the port refuses, long before the time limit, with the driver’s error', async () => {
    const started = Date.now();
    const error = await openPingedClient(`mongodb://127.0.0.1:${await closedPort()}/`, { timeoutMs: 20_000 }).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(describeMongoError(error, 'the target')).toMatch(/refused/);
  });

  it('throws the driver’s parse error for a malformed string', async () => {
    await expect(openPingedClient('mongodb://', { timeoutMs: 1_000 })).rejects.toMatchObject({
      name: 'MongoParseError',
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, MongoServerError } from 'mongodb';
import { MongoClient as MongoClient6 } from 'mongodb6';
import { startMongoTestServer, type MongoTestServer } from './index.js';

const SPECIAL_USER = 'ad:m@n';
const SPECIAL_PASS = 'p@ss:w/rd%';

let server: MongoTestServer;
const logs: string[] = [];

beforeAll(async () => {
  server = await startMongoTestServer({
    auth: {
      users: [
        { user: 'alice', password: 'secret' },
        { user: SPECIAL_USER, password: SPECIAL_PASS },
        { user: 'legacy', password: 'old', mechanisms: ['SCRAM-SHA-1'] },
        { user: 'appuser', password: 'apppass', db: 'app' },
      ],
    },
    log: (m) => logs.push(m),
  });
});

afterAll(async () => {
  await server?.stop();
});

function uriWith(user: string, pass: string, params = ''): string {
  const base = server.uri.replace('mongodb://', `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@`);
  return params ? `${base}?${params}` : base;
}

async function withClient<T>(uri: string, fn: (c: MongoClient) => Promise<T>): Promise<T> {
  const c = new MongoClient(uri, { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000 });
  try {
    await c.connect();
    return await fn(c);
  } finally {
    await c.close();
  }
}

describe('SCRAM authentication', () => {
  it('authenticates with SCRAM-SHA-256 (default negotiation)', async () => {
    await withClient(uriWith('alice', 'secret'), async (c) => {
      await c.db('d1').collection('c').insertOne({ ok: 1 });
      const status = await c.db('admin').command({ connectionStatus: 1 });
      expect(status.authInfo.authenticatedUsers).toEqual([{ user: 'alice', db: 'admin' }]);
    });
  });

  it('authenticates with an explicit SCRAM-SHA-256 and SCRAM-SHA-1 mechanism', async () => {
    for (const mech of ['SCRAM-SHA-256', 'SCRAM-SHA-1']) {
      await withClient(uriWith('alice', 'secret', `authMechanism=${mech}`), async (c) => {
        expect(await c.db('d1').collection('c').countDocuments()).toBeGreaterThanOrEqual(0);
      });
    }
    await withClient(uriWith('legacy', 'old', 'authMechanism=SCRAM-SHA-1'), async (c) => {
      await c.db('d1').command({ ping: 1 });
    });
  });

  it('negotiates SCRAM-SHA-1 for users that only have it', async () => {
    await withClient(uriWith('legacy', 'old'), async (c) => {
      await c.db('d1').collection('c').findOne({});
    });
  });

  it('handles special characters in user names and passwords', async () => {
    await withClient(uriWith(SPECIAL_USER, SPECIAL_PASS), async (c) => {
      await c.db('d1').collection('c').findOne({});
    });
    await withClient(uriWith(SPECIAL_USER, SPECIAL_PASS, 'authMechanism=SCRAM-SHA-1'), async (c) => {
      await c.db('d1').collection('c').findOne({});
    });
  });

  it('uses authSource for users defined on other databases', async () => {
    await withClient(uriWith('appuser', 'apppass', 'authSource=app'), async (c) => {
      await c.db('app').collection('x').insertOne({ a: 1 });
    });
    await expect(
      withClient(uriWith('appuser', 'apppass'), async (c) => c.db('app').command({ ping: 1 })),
    ).rejects.toMatchObject({ code: 18 });
  });

  it('fails with code 18 AuthenticationFailed on a wrong password or unknown user', async () => {
    for (const [u, p] of [
      ['alice', 'wrong'],
      ['nobody', 'secret'],
    ]) {
      const err = (await withClient(uriWith(u, p), async (c) => c.db('admin').command({ ping: 1 })).catch(
        (e: unknown) => e,
      )) as MongoServerError;
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(18);
      expect(err.codeName).toBe('AuthenticationFailed');
      expect(err.message).toBe('Authentication failed.');
    }
    const sha1 = (await withClient(uriWith('alice', 'wrong', 'authMechanism=SCRAM-SHA-1'), async (c) =>
      c.db('admin').command({ ping: 1 }),
    ).catch((e: unknown) => e)) as MongoServerError;
    expect(sha1.code).toBe(18);
  });

  it('rejects unauthenticated commands with code 13 but allows the handshake and ping', async () => {
    await withClient(server.uri, async (c) => {
      expect((await c.db('admin').command({ ping: 1 })).ok).toBe(1);
      expect((await c.db('admin').command({ buildinfo: 1 })).version).toBeTypeOf('string');
      const err = (await c
        .db('d1')
        .collection('c')
        .find({})
        .toArray()
        .catch((e: unknown) => e)) as MongoServerError;
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(13);
      expect(err.codeName).toBe('Unauthorized');
      expect(err.message).toBe('command find requires authentication');
      await expect(c.db('d1').collection('c').insertOne({})).rejects.toMatchObject({ code: 13 });
      await expect(c.db('admin').command({ listDatabases: 1 })).rejects.toMatchObject({ code: 13 });
    });
  });

  it('advertises saslSupportedMechs in hello', async () => {
    await withClient(server.uri, async (c) => {
      const hello = await c.db('admin').command({ hello: 1, saslSupportedMechs: 'admin.legacy' });
      expect(hello.saslSupportedMechs).toEqual(['SCRAM-SHA-1']);
      const both = await c.db('admin').command({ hello: 1, saslSupportedMechs: 'admin.alice' });
      expect(both.saslSupportedMechs).toEqual(['SCRAM-SHA-1', 'SCRAM-SHA-256']);
    });
  });
});

describe('driver v6 compatibility', () => {
  it('handshakes, authenticates, inserts and finds with mongodb@6', async () => {
    const c = new MongoClient6(uriWith('alice', 'secret'), { serverSelectionTimeoutMS: 3000 });
    try {
      await c.connect();
      const coll = c.db('v6db').collection('items');
      await coll.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(
        (
          await coll
            .find({ n: { $gte: 2 } })
            .sort({ n: 1 })
            .toArray()
        ).map((d) => d.n),
      ).toEqual([2, 3]);
      expect(await coll.countDocuments()).toBe(3);
      await coll.updateOne({ n: 1 }, { $set: { x: true } });
      expect(await coll.findOne({ x: true })).toMatchObject({ n: 1 });
      const sha1 = new MongoClient6(uriWith('legacy', 'old'), { serverSelectionTimeoutMS: 3000 });
      await sha1.connect();
      await sha1.db('v6db').command({ ping: 1 });
      await sha1.close();
    } finally {
      await c.close();
    }
  });

  it('reports auth failures to mongodb@6 with code 18', async () => {
    const c = new MongoClient6(uriWith('alice', 'nope'), { serverSelectionTimeoutMS: 3000 });
    await expect(c.connect()).rejects.toMatchObject({ code: 18 });
    await c.close();
  });
});

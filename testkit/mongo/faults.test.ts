import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BSON, MongoClient, MongoNetworkError, MongoServerError, MongoServerSelectionError, ObjectId } from 'mongodb';
import { startMongoTestServer, type MongoTestServer } from './index.js';
import { buildOpMsgRequest, FLAG_CHECKSUM } from './wire.js';

let server: MongoTestServer;
let client: MongoClient;
const logs: string[] = [];

beforeAll(async () => {
  server = await startMongoTestServer({ log: (m) => logs.push(m) });
  client = new MongoClient(server.uri, {
    serverSelectionTimeoutMS: 3000,
    retryReads: false,
    retryWrites: false,
    maxPoolSize: 5,
  });
  await client.connect();
});

afterEach(() => server.faults.reset());

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

const ping = () => client.db('admin').command({ ping: 1 });

describe('fault injection', () => {
  it('closeAllConnections: in-flight operations get a network error, then the driver reconnects', async () => {
    await ping();
    server.faults.setLatency(300);
    const pending = client
      .db('f')
      .collection('c')
      .insertOne({ a: 1 })
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    server.faults.closeAllConnections();
    const err = await pending;
    expect(err).toBeInstanceOf(MongoNetworkError);
    server.faults.setLatency(0);
    expect((await ping()).ok).toBe(1);
  });

  it('closeAfterCommands: serves N commands, then drops the connection on the next one', async () => {
    await ping();
    server.faults.closeAfterCommands(2);
    await ping();
    await ping();
    await expect(ping()).rejects.toBeInstanceOf(MongoNetworkError);
    expect((await ping()).ok).toBe(1);
    expect(logs.some((l) => l.includes('closeAfterCommands'))).toBe(true);
  });

  it('failNextWrites: the next N writes fail with the given code, then writes succeed', async () => {
    const c = client.db('f').collection('writes');
    server.faults.failNextWrites(2, 16500);
    const e1 = (await c.insertOne({ n: 1 }).catch((e: unknown) => e)) as MongoServerError;
    expect(e1).toBeInstanceOf(MongoServerError);
    expect(e1.code).toBe(16500);
    expect(e1.codeName).toBe('RequestRateTooLarge');
    expect(e1.message).toMatch(/Request rate is large/);
    await expect(c.updateOne({ n: 1 }, { $set: { x: 1 } })).rejects.toMatchObject({ code: 16500 });
    await c.insertOne({ n: 2 });
    expect(await c.countDocuments()).toBe(1);
    // reads are never failed
    server.faults.failNextWrites(1, 91, 'The server is in quiesce mode and will shut down');
    expect(await c.countDocuments()).toBe(1);
    const e2 = (await c.deleteMany({}).catch((e: unknown) => e)) as MongoServerError;
    expect(e2.code).toBe(91);
    expect(e2.codeName).toBe('ShutdownInProgress');
    expect(e2.errorLabels).toContain('RetryableWriteError');
    server.faults.failNextWrites(1, 11600);
    const e3 = (await c.findOneAndUpdate({}, { $set: { y: 1 } }).catch((e: unknown) => e)) as MongoServerError;
    expect(e3.code).toBe(11600);
    expect(e3.codeName).toBe('InterruptedAtShutdown');
  });

  it('setLatency delays every reply', async () => {
    server.faults.setLatency(150);
    const t = performance.now();
    await ping();
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    server.faults.setLatency(0);
    const t2 = performance.now();
    await ping();
    expect(performance.now() - t2).toBeLessThan(140);
  });

  it('refuseConnectionsFor: new connections are dropped for a while', async () => {
    server.faults.refuseConnectionsFor(700);
    const fresh = new MongoClient(server.uri, { serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 });
    await expect(fresh.connect()).rejects.toBeInstanceOf(MongoServerSelectionError);
    await fresh.close();
    await new Promise((r) => setTimeout(r, 750));
    const later = new MongoClient(server.uri, { serverSelectionTimeoutMS: 2000 });
    await later.connect();
    expect((await later.db('admin').command({ ping: 1 })).ok).toBe(1);
    await later.close();
  });

  it('accepts initial faults through the options', async () => {
    const s = await startMongoTestServer({ faults: { latencyMs: 120 } });
    const c = new MongoClient(s.uri, { serverSelectionTimeoutMS: 3000 });
    try {
      await c.connect();
      const t = performance.now();
      await c.db('admin').command({ ping: 1 });
      expect(performance.now() - t).toBeGreaterThanOrEqual(110);
    } finally {
      await c.close();
      await s.stop();
    }
  });
});

describe('limits', () => {
  it('rejects documents over 16 MB with code 10334 naming the _id', async () => {
    const _id = new ObjectId();
    const big = { _id, blob: 'x'.repeat(16 * 1024 * 1024) };
    const err = (await client
      .db('f')
      .collection('big')
      .insertOne(big)
      .catch((e: unknown) => e)) as MongoServerError;
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(10334);
    expect(err.message).toContain('object to insert too large');
    expect(err.message).toContain(`max size: ${16 * 1024 * 1024}`);
    expect(err.message).toContain(`ObjectId('${_id.toHexString()}')`);
    // a document just under the limit is fine
    const ok = { _id: new ObjectId(), blob: 'y'.repeat(16 * 1024 * 1024 - 100) };
    await client.db('f').collection('big').insertOne(ok);
    const back = await client.db('f').collection('big').findOne({ _id: ok._id });
    expect(back?.blob.length).toBe(ok.blob.length);
  });

  it('plays a target with a smaller document limit (maxDocumentBytes), reported by hello', async () => {
    const s = await startMongoTestServer({ maxDocumentBytes: 2 * 1024 * 1024 });
    const c = new MongoClient(s.uri);
    try {
      await c.connect();
      const hello = await c.db('admin').command({ hello: 1 });
      expect(hello.maxBsonObjectSize).toBe(2 * 1024 * 1024);
      const err = (await c
        .db('f')
        .collection('big')
        .insertOne({ _id: 'x' as never, blob: 'x'.repeat(3 * 1024 * 1024) })
        .catch((e: unknown) => e)) as MongoServerError;
      expect(err.code).toBe(10334);
      expect(err.message).toContain(`max size: ${2 * 1024 * 1024} for document with _id: "x"`);
      await c
        .db('f')
        .collection('big')
        .insertOne({ _id: 'y' as never, blob: 'y'.repeat(1024 * 1024) });
    } finally {
      await c.close();
      await s.stop();
    }
  });

  it('w:0 writes (moreToCome) get no reply and do not desynchronise the connection', async () => {
    const c = client.db('f').collection('w0');
    await c.insertOne({ a: 1 }, { writeConcern: { w: 0 } });
    await c.insertOne({ a: 2 }, { writeConcern: { w: 0 } });
    const docs = await c.find({}).sort({ a: 1 }).toArray();
    expect(docs.map((d) => d.a)).toEqual([1, 2]);
  });
});

/** Opens a raw socket, writes `bytes`, resolves with what the server answered before closing. */
function rawExchange(bytes: Buffer[], waitMs = 1000): Promise<{ closed: boolean; data: Buffer }> {
  return new Promise((resolve) => {
    const sock = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve({ closed, data: Buffer.concat(chunks) });
    };
    sock.on('data', (d) => chunks.push(d));
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
    sock.on('connect', () => {
      for (const b of bytes) sock.write(b);
    });
    setTimeout(() => finish(false), waitMs);
  });
}

function header(len: number, opCode: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(len, 0);
  b.writeInt32LE(1, 4);
  b.writeInt32LE(0, 8);
  b.writeInt32LE(opCode, 12);
  return b;
}

describe('robustness against bad input', () => {
  it('closes connections that send garbage while the driver keeps working', async () => {
    const cases: Buffer[][] = [
      [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
      [header(-5, 2013)],
      [header(100 * 1024 * 1024, 2013)],
      [header(8, 2013)],
      [Buffer.concat([header(26, 9999), Buffer.alloc(10)])],
      [
        Buffer.concat([
          header(40, 2013),
          Buffer.alloc(4),
          Buffer.from([0]),
          Buffer.from([200, 0, 0, 0]),
          Buffer.alloc(15),
        ]),
      ],
      [Buffer.concat([header(30, 2013), Buffer.alloc(4), Buffer.from([7]), Buffer.alloc(9)])],
    ];
    for (const c of cases) {
      const r = await rawExchange(c);
      expect(r.closed).toBe(true);
      expect((await ping()).ok).toBe(1);
    }
    expect(logs.some((l) => l.includes('message msgLen'))).toBe(true);
    expect(logs.some((l) => l.includes('unsupported opCode 9999'))).toBe(true);
  });

  it('tolerates truncated messages from clients that disconnect', async () => {
    const msg = buildOpMsgRequest(1, { ping: 1, $db: 'admin' });
    const r = await rawExchange([msg.subarray(0, msg.length - 5)], 200);
    expect(r.closed).toBe(false);
    expect((await ping()).ok).toBe(1);
  });

  it('answers the legacy OP_QUERY handshake with OP_REPLY and refuses other OP_QUERY commands', async () => {
    const opQuery = (requestId: number, ns: string, doc: Record<string, unknown>): Buffer => {
      const body = Buffer.from(BSON.serialize(doc));
      const nsBytes = Buffer.from(`${ns}\0`, 'utf8');
      const out = Buffer.alloc(16 + 4 + nsBytes.length + 8 + body.length);
      out.writeInt32LE(out.length, 0);
      out.writeInt32LE(requestId, 4);
      out.writeInt32LE(2004, 12);
      nsBytes.copy(out, 20);
      out.writeInt32LE(-1, 20 + nsBytes.length + 4);
      body.copy(out, 20 + nsBytes.length + 8);
      return out;
    };
    const r = await rawExchange(
      [
        opQuery(11, 'admin.$cmd', { ismaster: 1, helloOk: true }),
        opQuery(12, 'admin.$cmd', { insert: 'x', documents: [] }),
        opQuery(13, 'db.coll', { a: 1 }),
      ],
      500,
    );
    const replies: Array<Record<string, unknown>> = [];
    let pos = 0;
    while (pos < r.data.length) {
      const len = r.data.readInt32LE(pos);
      expect(r.data.readInt32LE(pos + 12)).toBe(1); // OP_REPLY
      expect(r.data.readInt32LE(pos + 32)).toBe(1); // numberReturned
      replies.push(BSON.deserialize(r.data.subarray(pos + 36, pos + len)));
      pos += len;
    }
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatchObject({ ismaster: true, helloOk: true, maxWireVersion: 21, ok: 1 });
    expect(replies[1]).toMatchObject({ ok: 0, code: 352 });
    expect(replies[2]).toMatchObject({ ok: 0, code: 352 });
  });

  it('answers raw OP_MSG requests, strips checksums and returns errors for a missing $db', async () => {
    const msg = buildOpMsgRequest(7, { ping: 1, $db: 'admin' });
    const withCrc = Buffer.concat([msg, Buffer.alloc(4)]);
    withCrc.writeInt32LE(withCrc.length, 0);
    withCrc.writeUInt32LE(FLAG_CHECKSUM, 16);
    const noDb = buildOpMsgRequest(8, { ping: 1 });
    const badDb = buildOpMsgRequest(9, { listCollections: 1, $db: 'bad.db' });
    const r = await rawExchange([withCrc, noDb, badDb], 500);
    const replies: Array<Record<string, unknown>> = [];
    let pos = 0;
    while (pos < r.data.length) {
      const len = r.data.readInt32LE(pos);
      replies.push(BSON.deserialize(r.data.subarray(pos + 21, pos + len)));
      expect(r.data.readInt32LE(pos + 12)).toBe(2013);
      pos += len;
    }
    expect(replies).toHaveLength(3);
    expect(replies[0].ok).toBe(1);
    expect(replies[1]).toMatchObject({ ok: 0, code: 40571 });
    expect(replies[2]).toMatchObject({ ok: 0, code: 73, codeName: 'InvalidNamespace' });
  });
});

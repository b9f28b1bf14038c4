/**
 * "Test connection" against real servers: the MongoDB test server (with SCRAM auth and TLS), the local
 * PostgreSQL and MariaDB, and small local HTTP servers standing in for Versia instances.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from '../../../testkit/mongo/index';
import { checkConnection } from './connection-check';

const PG_URL = process.env.PG_URL ?? 'postgres://127.0.0.1:5432/test';
const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const PASSWORD = 'p@ss:w/rd%';
const quick = { timeoutMs: 1_500 };

let secured: MongoTestServer;
let silent: net.Server;
let silentPort: number;
let closedPort: number;
let versia: http.Server;
let versiaPort: number;

beforeAll(async () => {
  secured = await startMongoTestServer({ auth: { users: [{ user: 'ada', password: PASSWORD }] }, tls: true });
  // Accepts connections and never answers: every client must give up on its own.
  silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as net.AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  versia = http.createServer((req, res) => {
    if (req.url === '/.well-known/versia')
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"versions":["0.6.0"]}');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => versia.listen(0, '127.0.0.1', resolve));
  versiaPort = (versia.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await secured?.stop();
  silent?.close();
  versia?.close();
});

const mongoUri = (password: string, withCa = true) =>
  `mongodb://ada:${encodeURIComponent(password)}@127.0.0.1:${secured.port}/?tls=true${withCa ? `&tlsCAFile=${encodeURIComponent(secured.caFile!)}` : ''}&authSource=admin`;

describe('test connection: MongoDB (driver)', () => {
  it('connects with TLS (tlsCAFile) and a password with special characters', async () => {
    const result = await checkConnection(mongoUri(PASSWORD), quick);
    expect(result).toMatchObject({ ok: true, message: `Connected to 127.0.0.1:${secured.port}.` });
  });

  it('says the password was rejected, without repeating it', async () => {
    const result = await checkConnection(mongoUri('wrong-secret'), quick);
    expect(result).toMatchObject({
      ok: false,
      failure: 'auth',
      message: `127.0.0.1:${secured.port} rejected the user name or password.`,
    });
  });

  it('says the TLS handshake failed when the CA is not trusted', async () => {
    const result = await checkConnection(mongoUri(PASSWORD, false), quick);
    expect(result.failure).toBe('tls');
    expect(result.message).toMatch(/^The TLS \(SSL\) handshake with 127\.0\.0\.1:\d+ failed: .*certificate/i);
    expect(result.message).not.toContain(PASSWORD);
  });

  it('classifies refused, unknown hosts and silence', async () => {
    expect(await checkConnection(`mongodb://127.0.0.1:${closedPort}/`, quick)).toMatchObject({
      ok: false,
      failure: 'refused',
    });
    expect(await checkConnection('mongodb://no-such-host.invalid:27017/', quick)).toMatchObject({
      ok: false,
      failure: 'dns',
      message: expect.stringContaining('does not resolve'),
    });
    // A refused port (or two) is final: said at once, not after the 20 s time limit.
    const refused = await checkConnection(`mongodb://127.0.0.1:${closedPort},localhost:${closedPort}/`, {
      timeoutMs: 20_000,
    });
    expect(refused).toMatchObject({ ok: false, failure: 'refused' });
    expect(refused.elapsedMs).toBeLessThan(10_000);
    const silence = await checkConnection(`mongodb://127.0.0.1:${silentPort}/`, { timeoutMs: 800 });
    expect(silence).toMatchObject({
      ok: false,
      failure: 'timeout',
      message: `No answer from 127.0.0.1:${silentPort} within 0.8 s (check the host, the port and any firewall).`,
    });
    expect(silence.elapsedMs).toBeLessThan(3_000);
  });
});

describe('test connection: PostgreSQL (pg)', () => {
  it('connects to the local server', async () => {
    expect(await checkConnection(PG_URL, quick)).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Connected to .*\(PostgreSQL \d/),
    });
  });

  it('says an unknown role was rejected', async () => {
    const url = new URL(PG_URL);
    url.username = 'no_such_role_cutover';
    url.password = 'x';
    expect(await checkConnection(url.href, quick)).toMatchObject({ ok: false, failure: 'auth' });
  });

  it('classifies refused and silence', async () => {
    expect(await checkConnection(`postgres://u@127.0.0.1:${closedPort}/db`, quick)).toMatchObject({
      ok: false,
      failure: 'refused',
    });
    expect(await checkConnection(`postgres://u@127.0.0.1:${silentPort}/db`, { timeoutMs: 800 })).toMatchObject({
      ok: false,
      failure: 'timeout',
    });
  });
});

describe('test connection: MySQL / MariaDB (mysql2)', () => {
  it('connects to the local server', async () => {
    expect(await checkConnection(MYSQL_URL, quick)).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Connected to .*\(version /),
    });
  });

  it('says a wrong password was rejected', async () => {
    const url = new URL(MYSQL_URL);
    url.username = 'no_such_user_cutover';
    url.password = encodeURIComponent(PASSWORD);
    const result = await checkConnection(url.href, quick);
    expect(result).toMatchObject({ ok: false, failure: 'auth' });
    expect(result.message).not.toContain(PASSWORD);
  });

  it('classifies refused and silence', async () => {
    expect(await checkConnection(`mysql://u@127.0.0.1:${closedPort}/db`, quick)).toMatchObject({
      ok: false,
      failure: 'refused',
    });
    expect(await checkConnection(`mariadb://u@127.0.0.1:${silentPort}/db`, { timeoutMs: 800 })).toMatchObject({
      ok: false,
      failure: 'timeout',
    });
  });
});

describe('test connection: Versia (discovery)', () => {
  it('reads /.well-known/versia over http for versia+http accounts', async () => {
    expect(await checkConnection(`versia+http://alice:tok@127.0.0.1:${versiaPort}`, quick)).toMatchObject({
      ok: true,
      message: `Connected to 127.0.0.1:${versiaPort} (Versia 0.6.0).`,
    });
  });

  it('classifies refused, TLS (https to a plain server), silence and non-Versia servers', async () => {
    expect(await checkConnection(`versia+http://alice:tok@127.0.0.1:${closedPort}`, quick)).toMatchObject({
      failure: 'refused',
    });
    expect(await checkConnection(`versia://alice:tok@127.0.0.1:${versiaPort}`, quick)).toMatchObject({
      failure: 'tls',
    });
    expect(await checkConnection(`versia+http://alice:tok@127.0.0.1:${silentPort}`, { timeoutMs: 800 })).toMatchObject({
      failure: 'timeout',
    });
    const notVersia = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => notVersia.listen(0, '127.0.0.1', resolve));
    const port = (notVersia.address() as net.AddressInfo).port;
    expect(await checkConnection(`versia+http://alice:tok@127.0.0.1:${port}`, quick)).toMatchObject({
      failure: 'other',
      message: expect.stringContaining('does not look like a Versia instance'),
    });
    notVersia.close();
  });
});

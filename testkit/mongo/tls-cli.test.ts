import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { MongoClient as MongoClient6 } from 'mongodb6';
import { startMongoTestServer, useMongo } from './index.js';

describe('TLS', () => {
  it('serves TLS with a generated CA file and refuses clients without it', async () => {
    const server = await startMongoTestServer({ tls: true, auth: { users: [{ user: 'u', password: 'p' }] } });
    try {
      expect(server.caFile).toBeDefined();
      expect(existsSync(server.caFile!)).toBe(true);
      expect(server.uri).toContain('tls=true');
      expect(server.uri).toContain(`tlsCAFile=${encodeURIComponent(server.caFile!)}`);

      const c = new MongoClient(server.uri, { auth: { username: 'u', password: 'p' }, serverSelectionTimeoutMS: 5000 });
      await c.connect();
      await c.db('t').collection('c').insertOne({ secure: true });
      expect(await c.db('t').collection('c').countDocuments()).toBe(1);
      await c.close();

      const c6 = new MongoClient6(`mongodb://u:p@127.0.0.1:${server.port}/?tls=true`, {
        tlsCAFile: server.caFile,
        serverSelectionTimeoutMS: 5000,
      });
      await c6.connect();
      expect((await c6.db('t').collection('c').findOne({}))?.secure).toBe(true);
      await c6.close();

      const untrusted = new MongoClient(`mongodb://127.0.0.1:${server.port}/?tls=true`, {
        serverSelectionTimeoutMS: 800,
      });
      await expect(untrusted.connect()).rejects.toThrow();
      await untrusted.close();

      const plain = new MongoClient(`mongodb://127.0.0.1:${server.port}/`, { serverSelectionTimeoutMS: 800 });
      await expect(plain.connect()).rejects.toThrow();
      await plain.close();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.caFile!)).toBe(false);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

describe('CLI', () => {
  it('prints the listening line, serves, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', String(port), '--user', 'admin:s3cr3t'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`CLI did not start: ${stderr}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('\n')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`CLI exited early: ${stderr}`)));
      });
      expect(stdout.split('\n')[0]).toBe(`listening on 127.0.0.1:${port}`);
      const c = new MongoClient(`mongodb://admin:s3cr3t@127.0.0.1:${port}/`, { serverSelectionTimeoutMS: 5000 });
      await c.connect();
      expect((await c.db('admin').command({ ping: 1 })).ok).toBe(1);
      await c.db('x').collection('y').insertOne({ a: 1 });
      await c.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('useMongo', () => {
  it('starts a server when MONGODB_URI is unset and stops it', async () => {
    const saved = process.env.MONGODB_URI;
    delete process.env.MONGODB_URI;
    try {
      const m = await useMongo();
      expect(m.isReal).toBe(false);
      expect(m.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
      const c = new MongoClient(m.uri, { serverSelectionTimeoutMS: 3000 });
      await c.connect();
      await c.close();
      await m.stop();
      process.env.MONGODB_URI = 'mongodb://example.invalid:27017/';
      const real = await useMongo();
      expect(real).toMatchObject({ uri: 'mongodb://example.invalid:27017/', isReal: true });
      await real.stop();
    } finally {
      if (saved === undefined) delete process.env.MONGODB_URI;
      else process.env.MONGODB_URI = saved;
    }
  });
});

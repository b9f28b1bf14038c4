/**
 * A stored password only goes where it was saved for: editing a saved connection's host, port, scheme
 * or authentication mechanism while keeping **** is refused, through the core's real dispatcher, and a
 * hostile server on loopback (a fake PostgreSQL asking for the cleartext password) receives nothing.
 */
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../app-core';
import { credentialTargetChange } from './uri-secrets';

/** A "PostgreSQL server" that asks every client for its password in clear text and records it. */
async function passwordCatcher() {
  const captured: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === 80877103) {
            socket.write('N'); // no TLS
            continue;
          }
          started = true;
          socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        if (buffer[0] === 0x70) captured.push(buffer.subarray(5, length).toString('utf8').replace(/\0$/, ''));
        buffer = buffer.subarray(length + 1);
        socket.destroy();
        return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    captured,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a stored password is not sent to another place', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (stops.length) await stops.pop()!();
  });

  it('refuses **** with a new port through the window contract, and Test sends the fake server nothing', async () => {
    const catcher = await passwordCatcher();
    stops.push(catcher.stop);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-target-'));
    const core = createCore({ providers: [], shell: 'browser', version: 'test', dataDir, connectTimeoutMs: 2_000 });
    stops.push(() => core.shutdown());
    const call = async (name: string, payload: unknown) => core.dispatch(name, payload);

    const added = await call('connections.saved.add', {
      uri: 'postgres://bob:Tr0ub4dor-3@127.0.0.1:5432/test',
      name: 'Reports',
    });
    expect(added.ok).toBe(true);
    const id = (added as { value: { id: string } }).value.id;
    const moved = await call('connections.saved.update', {
      id,
      uri: `postgres://bob:****@127.0.0.1:${catcher.port}/test`,
    });
    expect(moved).toMatchObject({
      ok: false,
      error: {
        code: 'bad_request',
        message: expect.stringMatching(
          /server changed from 127\.0\.0\.1:5432 to 127\.0\.0\.1:\d+: the stored secrets are not sent there\. Type the password again/,
        ),
      },
    });
    // A libpq host option that redirects the connection counts as a new server too.
    const redirected = await call('connections.saved.update', {
      id,
      uri: `postgres://bob:****@127.0.0.1:5432/test?host=127.0.0.1&port=${catcher.port}`,
    });
    expect(redirected).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    await call('connections.saved.test', { id });
    expect(catcher.captured).toEqual([]);

    // Proof the catcher works: a password typed for the new place is what it gets.
    expect(
      await call('connections.saved.update', { id, uri: `postgres://bob:typed-again@127.0.0.1:${catcher.port}/test` }),
    ).toMatchObject({ ok: true });
    await call('connections.saved.test', { id });
    expect(catcher.captured).toEqual(['typed-again']);
  });

  it('names what changed: scheme, host, port, mechanism; other edits keep the secrets', () => {
    expect(credentialTargetChange('mongodb://u@a:27017/db', 'mongodb://u@a/other?appName=x')).toBeUndefined();
    expect(credentialTargetChange('mongodb://u@a/db', 'mongodb://u@b/db')).toMatch(
      /server changed from a:27017 to b:27017/,
    );
    expect(credentialTargetChange('mongodb://u@a,b/db', 'mongodb://u@b,a:27017/db')).toBeUndefined();
    expect(credentialTargetChange('mongodb://u@a/db', 'mongodb+srv://u@a/db')).toMatch(
      /scheme changed from mongodb:\/\/ to mongodb\+srv:\/\//,
    );
    expect(
      credentialTargetChange('mongodb://u@a/db?authMechanism=SCRAM-SHA-256', 'mongodb://u@a/db?authMechanism=PLAIN'),
    ).toMatch(/authentication settings changed/);
    expect(credentialTargetChange('mongodb://u@a/db', 'mongodb://u@a/db?authSource=other')).toMatch(
      /authentication settings changed/,
    );
    expect(credentialTargetChange('postgresql://u@a/db', 'postgres://u@a:5432/db')).toBeUndefined();
    expect(credentialTargetChange('mysql://u@a/db', 'mysql://u@a:3307/db')).toMatch(/a:3306 to a:3307/);
    expect(credentialTargetChange('versia://u@social.example', 'versia+http://u@social.example')).toMatch(
      /scheme changed/,
    );
  });

  it('keeps **** for a TLS key passphrase only on the same server', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-target-'));
    const core = createCore({ providers: [], shell: 'browser', version: 'test', dataDir });
    stops.push(() => core.shutdown());
    const added = (await core.dispatch('connections.saved.add', {
      uri: 'mongodb://h1/?tls=true&tlsCertificateKeyFilePassword=k3y',
    })) as { value: { id: string } };
    const id = added.value.id;
    expect(
      await core.dispatch('connections.saved.update', {
        id,
        uri: 'mongodb://h2/?tls=true&tlsCertificateKeyFilePassword=****',
      }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Type tlsCertificateKeyFilePassword again/) },
    });
    expect(
      await core.dispatch('connections.saved.update', {
        id,
        uri: 'mongodb://h1/?tls=true&appName=x&tlsCertificateKeyFilePassword=****',
      }),
    ).toMatchObject({ ok: true });
    expect(await core.saved.uriOf(id)).toContain('tlsCertificateKeyFilePassword=k3y');
  });
});

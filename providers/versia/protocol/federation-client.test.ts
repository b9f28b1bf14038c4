/** The federation client's checks of what instances send: signatures, versions, body caps, redirects, pages, destinations. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  FederationClient,
  generateInstanceKeys,
  signatureHeaders,
  isLocalAddress,
  VersiaDestinationError,
  VersiaUnreachableError,
  VersiaVersionError,
} from './index';

describe('federation client', () => {
  /** A one-route server returning what the test says, to see the client refuse it. */
  async function serve(handler: http.RequestListener) {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  const keys = generateInstanceKeys();
  const metadataOf = (domain: string, extra: Record<string, unknown> = {}) => ({
    type: 'InstanceMetadata',
    name: 'X',
    software: { name: 's', version: '1' },
    compatibility: { versions: ['0.6.0'], extensions: [] },
    domain,
    public_key: { algorithm: 'ed25519', key: keys.publicKey },
    ...extra,
  });

  it('accepts unsigned instance metadata (the endpoint is exempt), refuses a bad signature, another domain or an invalid field', async () => {
    let body: Record<string, unknown> = {};
    let sign: 'none' | 'good' | 'forged' | 'other-signer' = 'none';
    let accept: string | undefined;
    const server = await serve((req, res) => {
      accept = req.headers.accept;
      const text = JSON.stringify(body);
      const key = sign === 'forged' ? generateInstanceKeys().privateKey : keys.privateKey;
      const signer = sign === 'other-signer' ? 'y.test' : 'x.test';
      const headers =
        sign === 'none'
          ? {}
          : signatureHeaders({ method: 'GET', url: req.url!.split('?')[0], body: text, signer, privateKey: key });
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(text);
    });
    try {
      const client = () => new FederationClient({ resolve: () => server.origin });
      body = metadataOf('x.test');
      await expect(client().instance('x.test')).resolves.toMatchObject({ name: 'X' });
      expect(accept).toBe('application/vnd.versia+json');
      sign = 'good';
      await expect(client().instance('x.test')).resolves.toMatchObject({ name: 'X' });
      sign = 'forged';
      await expect(client().instance('x.test')).rejects.toThrow(/not correctly signed: The signature does not verify/);
      sign = 'other-signer';
      await expect(client().instance('x.test')).rejects.toThrow(
        /not correctly signed: Signed by y\.test, expected x\.test/,
      );
      sign = 'none';
      body = metadataOf('y.test');
      await expect(client().instance('x.test')).rejects.toThrow(/describes another instance \(y\.test\)/);
      // A Domain has no port: an instance reached on a development port names its host alone.
      body = metadataOf('127.0.0.1');
      await expect(client().instance('127.0.0.1:8080')).resolves.toMatchObject({ domain: '127.0.0.1' });
      body = { ...metadataOf('x.test'), public_key: { algorithm: 'rsa', key: 'k' } };
      await expect(client().instance('x.test')).rejects.toThrow(/invalid entity: public_key\.algorithm/);
    } finally {
      await server.close();
    }
  });

  it('chooses a 0.6 version from /.well-known/versia; a v0.5-only instance does not speak v0.6', async () => {
    let versions = ['0.5.0'];
    const server = await serve((req, res) => {
      if (req.url === '/.well-known/versia') return void res.end(JSON.stringify({ versions }));
      res.writeHead(req.url === '/.versia/v0.6/instance' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(metadataOf('x.test')));
    });
    try {
      const client = new FederationClient({ resolve: () => server.origin });
      const error = await client.discover('x.test').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VersiaVersionError);
      expect((error as Error).message).toBe('x.test does not speak Versia v0.6 (its /.well-known/versia lists 0.5.0).');
      versions = ['0.5.0', '0.6.0', '0.6.2', '0.7.0'];
      await expect(client.discover('x.test')).resolves.toMatchObject({ version: '0.6.2' });
    } finally {
      await server.close();
    }
  });

  it('reads entities unsigned with Accept application/vnd.versia+json; a 401 names instance-signed reads', async () => {
    const seen: Array<string | undefined> = [];
    const server = await serve((req, res) => {
      if (req.url === '/.versia/v0.6/instance') return void res.end(JSON.stringify(metadataOf('x.test')));
      seen.push(req.headers.accept, req.headers['versia-signature'] as string | undefined);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"signed requests only"}');
    });
    try {
      const client = new FederationClient({ resolve: () => server.origin });
      await expect(client.user('x.test:abc')).rejects.toThrow(
        'x.test answered 401 to an unsigned read of /.versia/v0.6/entities/User/abc: this instance requires instance-signed reads, which a desktop client cannot make (Cutover holds no instance key).',
      );
      expect(seen).toEqual(['application/vnd.versia+json', undefined]);
    } finally {
      await server.close();
    }
  });

  it('stops reading a body past its cap (a server streaming without end), and the process lives on', async () => {
    let sent = 0;
    const server = await serve((req, res) => {
      if (req.url === '/.versia/v0.6/instance') return void res.end(JSON.stringify(metadataOf('x.test')));
      // No content-length: 2 GiB announced only by never ending, 64 KiB at a time.
      res.writeHead(200, { 'content-type': 'application/vnd.versia+json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 2 * 1024 ** 3 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = Math.max(sent, 0)));
      pump();
    });
    try {
      const client = new FederationClient({ resolve: () => server.origin });
      await expect(client.user('x.test:abc')).rejects.toThrow(
        'x.test/.versia/v0.6/entities/User/abc sent more than 8 MB: Cutover stops reading there.',
      );
      expect(sent).toBeLessThan(64 * 1024 * 1024);
      // Metadata and WebFinger stop at 1 MB.
      const big = await serve((req, res) =>
        res.end(JSON.stringify({ ...metadataOf('x.test'), description: 'x'.repeat(1_100_000) })),
      );
      try {
        await expect(new FederationClient({ resolve: () => big.origin }).instance('x.test')).rejects.toThrow(
          /sent more than 1 MB/,
        );
      } finally {
        await big.close();
      }
    } finally {
      await server.close();
    }
  });

  it('refuses redirects without following them', async () => {
    let followed = false;
    const target = await serve((_req, res) => {
      followed = true;
      res.end('{}');
    });
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${target.origin}/.versia/v0.6/instance` });
      res.end();
    });
    try {
      await expect(new FederationClient({ resolve: () => server.origin }).instance('x.test')).rejects.toThrow(
        /answered 302, a redirect to http:\/\/127\.0\.0\.1:\d+\/\.versia\/v0\.6\/instance: Cutover does not follow redirects/,
      );
      expect(followed).toBe(false);
    } finally {
      await Promise.all([server.close(), target.close()]);
    }
  });

  it('follows at most maxPages pages of a collection', async () => {
    let pages = 0;
    const server = await serve((req, res) => {
      if (req.url === '/.versia/v0.6/instance') return void res.end(JSON.stringify(metadataOf('x.test')));
      pages++;
      const offset = Number(new URL(req.url!, 'http://x').searchParams.get('offset'));
      const text = JSON.stringify({ total: 1_000_000_000, items: [`f${offset}`] });
      res.writeHead(200, {
        'content-type': 'application/vnd.versia+json',
        ...signatureHeaders({
          method: 'GET',
          url: req.url!.split('?')[0],
          body: text,
          signer: 'x.test',
          privateKey: keys.privateKey,
        }),
      });
      res.end(text);
    });
    try {
      const client = new FederationClient({ resolve: () => server.origin, maxPages: 5 });
      await expect(client.collection('x.test:abc', 'followers')).rejects.toThrow(
        'x.test: the followers of x.test:abc go on for more than 5 pages (5 of 1000000000 read): Cutover stops there.',
      );
      expect(pages).toBe(5);
    } finally {
      await server.close();
    }
  });

  it('refuses a loopback destination learned from WebFinger, saying the same for an open and a closed port', async () => {
    const open = await serve((_req, res) => res.end('{}'));
    const closed = await serve(() => undefined);
    await closed.close();
    let href = '';
    const server = await serve((req, res) => {
      if (req.url?.startsWith('/.well-known/webfinger'))
        return void res.end(
          JSON.stringify({
            subject: 'acct:a@x.test',
            links: [{ rel: 'self', type: 'application/vnd.versia+json', href }],
          }),
        );
      res.end(JSON.stringify(metadataOf('x.test')));
    });
    try {
      const destinations = { trusted: ['x.test'], allowPrivate: false };
      const client = new FederationClient({
        resolve: (d) => (d === 'x.test' ? server.origin : undefined),
        destinations,
        timeoutMs: 2_000,
      });
      const messages: string[] = [];
      for (const origin of [
        open.origin,
        closed.origin,
        'https://[::1]:9',
        'https://10.1.2.3',
        open.origin.replace('127.0.0.1', 'localhost'),
      ]) {
        href = `${origin.replace('http:', 'https:')}/.versia/v0.6/entities/User/abc`;
        const ref = await client.webfinger('@a@x.test');
        const error = await client.user(ref).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(VersiaDestinationError);
        messages.push((error as Error).message.replace(/^\S+ was/, 'HOST was'));
      }
      expect(new Set(messages).size).toBe(1);
      expect(messages[0]).toBe(
        'HOST was not contacted: remote data pointed Cutover at it and it is a loopback, private or link-local address. Cutover only connects to such addresses when your own instance is on one (local development).',
      );
      // The same destinations are fine when the person's own instance is local.
      href = `${server.origin.replace('http:', 'https:')}/.versia/v0.6/entities/User/abc`;
      const local = new FederationClient({
        resolve: (d) => (d === 'x.test' ? server.origin : undefined),
        destinations: { ...destinations, allowPrivate: true },
        timeoutMs: 2_000,
      });
      await expect(local.user(await local.webfinger('@a@x.test'))).rejects.toThrow(VersiaUnreachableError);
    } finally {
      await Promise.all([server.close(), open.close()]);
    }
  });

  it('classifies loopback, private and link-local addresses', () => {
    for (const a of [
      '127.0.0.1',
      '127.9.9.9',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '[::1]',
      'fd00::2',
      'fe80::1',
      '::ffff:127.0.0.1',
      '100.64.0.1',
    ])
      expect(isLocalAddress(a), a).toBe(true);
    for (const a of ['192.0.2.2', '8.8.8.8', '172.32.0.1', '2001:db8::1', 'old.test'])
      expect(isLocalAddress(a), a).toBe(false);
  });

  it('names the instance it cannot reach', async () => {
    const server = await serve(() => undefined);
    await server.close();
    const client = new FederationClient({ resolve: () => server.origin, timeoutMs: 2_000 });
    const error = await client.instance('gone.test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersiaUnreachableError);
    expect((error as Error).message).toBe('gone.test could not be reached (connection refused).');
  });
});

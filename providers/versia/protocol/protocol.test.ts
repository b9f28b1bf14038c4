/** References, signatures and the federation client's checks of what instances send. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  FederationClient,
  checkSignature,
  generateInstanceKeys,
  normaliseReference,
  parseReference,
  signatureHeaders,
  signedString,
  bodyHash,
  VersiaUnreachableError,
} from './index';

describe('references', () => {
  it('normalises domain:id and bare ids, with ports and bracketed IPv6', () => {
    expect(normaliseReference('Old.Test:abc-1')).toBe('old.test:abc-1');
    expect(normaliseReference('abc', 'old.test')).toBe('old.test:abc');
    expect(normaliseReference('127.0.0.1:8080:abc')).toBe('127.0.0.1:8080:abc');
    expect(parseReference('[2001:DB8::1]:abc')).toEqual({ domain: '[2001:db8::1]', id: 'abc' });
    expect(parseReference('[::1]:8443:x_y')).toEqual({ domain: '[::1]:8443', id: 'x_y' });
  });

  it('names what is wrong', () => {
    expect(() => parseReference('abc')).toThrow(/names no instance/);
    expect(() => parseReference('2001:db8::1:abc')).toThrow(/IPv6 addresses in brackets/);
    expect(() => parseReference('old.test:a b')).toThrow(/the id "a b"/);
    expect(() => parseReference('old.test:99999:abc')).toThrow(/port "99999"/);
    expect(() => parseReference('[::1:abc')).toThrow(/closed with "\]"/);
    expect(() => parseReference('')).toThrow(/empty/);
  });
});

describe('signatures', () => {
  const keys = generateInstanceKeys();

  it('signs "<method> <path> <seconds> <base64 sha256(body)>", GETs hashing the empty body', () => {
    expect(bodyHash('')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(signedString('GET', '/a%20b', 1700000000, '')).toBe('get /a%20b 1700000000 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(Buffer.from(keys.publicKey, 'base64').length).toBe(44); // Ed25519 SPKI DER
  });

  it('verifies, and refuses a changed body, another key, another path or a stale time', () => {
    const now = 1_700_000_000_000;
    const headers = signatureHeaders({ method: 'POST', url: 'https://old.test/.versia/v0.6/inbox?x=1', body: '{"a":1}', signer: 'old.test', privateKey: keys.privateKey, now });
    const get = (name: string) => (headers as unknown as Record<string, string>)[name];
    const base = { method: 'POST', url: '/.versia/v0.6/inbox', body: '{"a":1}', headers: get, publicKey: keys.publicKey, now };
    expect(checkSignature(base)).toEqual({ ok: true, signer: 'old.test', signedAt: 1_700_000_000 });
    expect(checkSignature({ ...base, body: '{"a":2}' })).toMatchObject({ ok: false, status: 401 });
    expect(checkSignature({ ...base, url: '/other' })).toMatchObject({ ok: false, status: 401 });
    expect(checkSignature({ ...base, publicKey: generateInstanceKeys().publicKey })).toMatchObject({ ok: false, status: 401 });
    expect(checkSignature({ ...base, expectedSigner: 'new.test' })).toMatchObject({ ok: false, status: 401, reason: /expected new\.test/ });
    expect(checkSignature({ ...base, now: now + 300_000 }).ok).toBe(true);
    expect(checkSignature({ ...base, now: now + 301_000 })).toMatchObject({ ok: false, status: 422 });
    expect(checkSignature({ ...base, headers: () => undefined })).toMatchObject({ ok: false, status: 401, reason: /Missing Versia-Signature, Versia-Signed-By, Versia-Signed-At/ });
  });
});

describe('federation client', () => {
  /** A one-route server returning what the test says, to see the client refuse it. */
  async function serve(handler: http.RequestListener) {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('refuses instance metadata that is unsigned, for another domain, or invalid — naming the field', async () => {
    const keys = generateInstanceKeys();
    let body: Record<string, unknown> = {};
    let sign = true;
    const server = await serve((req, res) => {
      const text = JSON.stringify(body);
      const headers = sign ? signatureHeaders({ method: 'GET', url: req.url!.split('?')[0], body: text, signer: 'x.test', privateKey: keys.privateKey }) : {};
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(text);
    });
    try {
      const metadata = { type: 'InstanceMetadata', name: 'X', software: { name: 's', version: '1' }, compatibility: { versions: ['0.6.0'], extensions: [] }, domain: 'x.test', public_key: { algorithm: 'ed25519', key: keys.publicKey } };
      const client = () => new FederationClient({ resolve: () => server.origin });
      body = metadata;
      await expect(client().instance('x.test')).resolves.toMatchObject({ name: 'X' });
      sign = false;
      await expect(client().instance('x.test')).rejects.toThrow(/not correctly signed: Missing Versia-Signature/);
      sign = true;
      body = { ...metadata, domain: 'y.test' };
      await expect(client().instance('x.test')).rejects.toThrow(/describes another instance \(y\.test\)/);
      body = { ...metadata, public_key: { algorithm: 'rsa', key: 'k' } };
      await expect(client().instance('x.test')).rejects.toThrow(/invalid entity: public_key\.algorithm/);
    } finally {
      await server.close();
    }
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

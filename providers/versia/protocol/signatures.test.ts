/** Signatures of requests and answers: the signed string, verification, the time window, signers on a port. */
import { describe, expect, it } from 'vitest';
import {
  checkSignature,
  generateInstanceKeys,
  signatureHeaders,
  signedString,
  bodyHash,
  sameInstanceDomain,
} from './index';

describe('signatures', () => {
  const keys = generateInstanceKeys();

  it('signs "<method> <path> <seconds> <base64 sha256(body)>", GETs hashing the empty body', () => {
    expect(bodyHash('')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(signedString('GET', '/a%20b', 1700000000, '')).toBe(
      'get /a%20b 1700000000 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    );
    expect(Buffer.from(keys.publicKey, 'base64').length).toBe(44); // Ed25519 SPKI DER
  });

  it('verifies, and refuses a changed body, another key, another path or a stale time', () => {
    const now = 1_700_000_000_000;
    const headers = signatureHeaders({
      method: 'POST',
      url: 'https://old.test/.versia/v0.6/inbox?x=1',
      body: '{"a":1}',
      signer: 'old.test',
      privateKey: keys.privateKey,
      now,
    });
    const get = (name: string) => (headers as unknown as Record<string, string>)[name];
    const base = {
      method: 'POST',
      url: '/.versia/v0.6/inbox',
      body: '{"a":1}',
      headers: get,
      publicKey: keys.publicKey,
      now,
    };
    expect(checkSignature(base)).toEqual({ ok: true, signer: 'old.test', signedAt: 1_700_000_000 });
    expect(checkSignature({ ...base, body: '{"a":2}' })).toMatchObject({ ok: false, status: 401 });
    expect(checkSignature({ ...base, url: '/other' })).toMatchObject({ ok: false, status: 401 });
    expect(checkSignature({ ...base, publicKey: generateInstanceKeys().publicKey })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkSignature({ ...base, expectedSigner: 'new.test' })).toMatchObject({
      ok: false,
      status: 401,
      reason: /expected new\.test/,
    });
    expect(checkSignature({ ...base, now: now + 300_000 }).ok).toBe(true);
    expect(checkSignature({ ...base, now: now + 301_000 })).toMatchObject({ ok: false, status: 422 });
    expect(checkSignature({ ...base, headers: () => undefined })).toMatchObject({
      ok: false,
      status: 401,
      reason: /Missing Versia-Signature, Versia-Signed-By, Versia-Signed-At/,
    });
  });

  it('checks the time window before the signature: stale and forged is a 422', () => {
    const now = 1_700_000_000_000;
    const headers = signatureHeaders({
      method: 'GET',
      url: '/x',
      signer: 'old.test',
      privateKey: generateInstanceKeys().privateKey,
      now,
    });
    const check = checkSignature({
      method: 'GET',
      url: '/x',
      body: '',
      headers: (n) => (headers as unknown as Record<string, string>)[n],
      publicKey: keys.publicKey,
      now: now + 400_000,
    });
    expect(check).toMatchObject({ ok: false, status: 422, reason: /outside the 5-minute window/ });
  });

  it('a signer on a development port may sign by its host alone (a Domain has no port)', () => {
    const headers = signatureHeaders({ method: 'GET', url: '/x', signer: '127.0.0.1', privateKey: keys.privateKey });
    const get = (n: string) => (headers as unknown as Record<string, string>)[n];
    expect(
      checkSignature({
        method: 'GET',
        url: '/x',
        body: '',
        headers: get,
        publicKey: keys.publicKey,
        expectedSigner: '127.0.0.1:8080',
      }).ok,
    ).toBe(true);
    expect(
      checkSignature({
        method: 'GET',
        url: '/x',
        body: '',
        headers: get,
        publicKey: keys.publicKey,
        expectedSigner: '127.0.0.2:8080',
      }).ok,
    ).toBe(false);
    expect(sameInstanceDomain('127.0.0.1', '127.0.0.1:8080')).toBe(true);
    expect(sameInstanceDomain('Old.Test', 'old.test')).toBe(true);
    expect(sameInstanceDomain('other.test', 'old.test:8080')).toBe(false);
  });
});

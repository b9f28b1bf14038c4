/**
 * Versia v0.6 signatures: Ed25519 instance keys (public key = base64 SPKI DER), the headers
 * `Versia-Signature`, `Versia-Signed-By` (the signer's domain) and `Versia-Signed-At` (Unix seconds), and the
 * signed string `"<method lowercase> <url-encoded pathname> <unix seconds> <base64 sha256(body)>"`.
 * GET requests hash the empty body; responses to GETs are signed over their own body.
 * A signature more than five minutes away from now is out of the window.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export const SIGNATURE_HEADER = 'Versia-Signature';
export const SIGNED_BY_HEADER = 'Versia-Signed-By';
export const SIGNED_AT_HEADER = 'Versia-Signed-At';
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export interface InstanceKeys {
  privateKey: KeyObject;
  /** base64 SPKI DER, as published in the instance metadata. */
  publicKey: string;
}

export function generateInstanceKeys(): InstanceKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
}

/** Imports a base64 PKCS#8 DER private key. */
export function importPrivateKey(base64Pkcs8: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(base64Pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
}

export function importPublicKey(base64Spki: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(base64Spki, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`The key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not ed25519.`);
  return key;
}

export function bodyHash(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

/** The pathname as it goes into the signed string (percent-encoded, query excluded). */
export function signedPath(url: string | URL): string {
  const pathname = typeof url === 'string' ? new URL(url, 'http://x').pathname : url.pathname;
  // URL already percent-encodes what must be; encodeURI leaves existing escapes alone only if we decode first.
  return encodeURI(decodeURI(pathname));
}

export function signedString(method: string, path: string, signedAt: number, body: string | Uint8Array): string {
  return `${method.toLowerCase()} ${path} ${signedAt} ${bodyHash(body)}`;
}

export type SignatureHeaders = {
  'Versia-Signature': string;
  'Versia-Signed-By': string;
  'Versia-Signed-At': string;
};

export function signatureHeaders(opts: {
  method: string;
  url: string | URL;
  body?: string | Uint8Array;
  signer: string;
  privateKey: KeyObject;
  now?: number;
}): SignatureHeaders {
  const signedAt = Math.floor((opts.now ?? Date.now()) / 1000);
  const text = signedString(opts.method, signedPath(opts.url), signedAt, opts.body ?? '');
  return {
    'Versia-Signature': sign(null, Buffer.from(text), opts.privateKey).toString('base64'),
    'Versia-Signed-By': opts.signer,
    'Versia-Signed-At': String(signedAt),
  };
}

export type SignatureCheck =
  { ok: true; signer: string; signedAt: number } | { ok: false; status: 401 | 422; reason: string };

type HeaderGetter = (name: string) => string | null | undefined;

/** Reads the three headers; says which is missing or malformed. */
export function readSignatureHeaders(
  get: HeaderGetter,
): { signature: string; signer: string; signedAt: number } | { error: string } {
  const signature = get(SIGNATURE_HEADER);
  const signer = get(SIGNED_BY_HEADER);
  const at = get(SIGNED_AT_HEADER);
  const missing = [!signature && SIGNATURE_HEADER, !signer && SIGNED_BY_HEADER, !at && SIGNED_AT_HEADER].filter(
    Boolean,
  );
  if (missing.length) return { error: `Missing ${missing.join(', ')}.` };
  if (!/^\d{1,12}$/.test(at!)) return { error: `${SIGNED_AT_HEADER} "${at}" is not a Unix time in seconds.` };
  return { signature: signature!, signer: signer!.trim().toLowerCase(), signedAt: Number(at) };
}

/**
 * Checks a signature against the signer's public key. The order is the spec's ("Check that the
 * `Versia-Signed-At` timestamp is within 5 minutes of the current time", then "Perform a signature
 * verification"), as its example code does: 422 when the time is more than five minutes away from now,
 * whatever the signature; then 401 for a missing or wrong signature.
 */
export function checkSignature(opts: {
  method: string;
  url: string | URL;
  body: string | Uint8Array;
  headers: HeaderGetter;
  /** The signer's public key (base64 SPKI), looked up by the caller from the signer's domain. */
  publicKey: string | KeyObject;
  /** The domain that must have signed (`Versia-Signed-By`), compared as `sameSigner` says. */
  expectedSigner?: string;
  now?: number;
}): SignatureCheck {
  const read = readSignatureHeaders(opts.headers);
  if ('error' in read) return { ok: false, status: 401, reason: read.error };
  const skew = Math.abs(Math.floor((opts.now ?? Date.now()) / 1000) - read.signedAt);
  if (skew > SIGNATURE_WINDOW_SECONDS)
    return { ok: false, status: 422, reason: `Signed ${skew} s away from now: outside the 5-minute window.` };
  if (opts.expectedSigner && !sameSigner(read.signer, opts.expectedSigner)) {
    return { ok: false, status: 401, reason: `Signed by ${read.signer}, expected ${opts.expectedSigner}.` };
  }
  let valid = false;
  try {
    const key = typeof opts.publicKey === 'string' ? importPublicKey(opts.publicKey) : opts.publicKey;
    valid = verify(
      null,
      Buffer.from(signedString(opts.method, signedPath(opts.url), read.signedAt, opts.body)),
      key,
      Buffer.from(read.signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  if (!valid)
    return { ok: false, status: 401, reason: `The signature does not verify with the key of ${read.signer}.` };
  return { ok: true, signer: read.signer, signedAt: read.signedAt };
}

/**
 * `Versia-Signed-By` is a Domain, which has no port: an instance reached on a development port signs with
 * its host alone (Versia Server uses its base URL's hostname). The test kit's `127.0.0.1:PORT` instances
 * sign with the port. Either names the instance asked.
 */
export function sameSigner(signer: string, expected: string): boolean {
  const a = signer.trim().toLowerCase();
  const b = expected.trim().toLowerCase();
  if (a === b) return true;
  const host = b.startsWith('[') ? b.slice(0, b.indexOf(']') + 1) : b.split(':')[0];
  return a === host;
}

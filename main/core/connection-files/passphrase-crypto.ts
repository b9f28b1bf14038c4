/**
 * Passphrase encryption of exported secrets, with node:crypto only.
 *
 * - Cutover files: AES-256-GCM, key from scrypt (N=2^15, r=8, p=1) with a random 16-byte salt, random
 *   12-byte IV, 16-byte tag, the entries' public URIs bound in as additional authenticated data.
 * - Compass exports: base64 of version (2 bytes, 0x0001) | salt (16) | IV (16) | GCM tag (16) | ciphertext,
 *   AES-256-GCM with a PBKDF2-SHA512 key of 100,000 iterations (decryption only: Cutover writes .cutover).
 */
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { CutoverError } from '../../../providers/api/errors';

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
) => Promise<Buffer>;

export class WrongPassphraseError extends CutoverError {
  override name = 'WrongPassphraseError';
  constructor(message = 'the passphrase is wrong (or the encrypted data was changed)') {
    super(message);
  }
}

const SCRYPT = { N: 32_768, r: 8, p: 1 } as const;

export const PassphraseBoxSchema = z.object({
  cipher: z.literal('aes-256-gcm'),
  kdf: z.literal('scrypt'),
  N: z.number().int().min(1024).max(1_048_576),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.base64(),
  iv: z.base64(),
  tag: z.base64(),
  data: z.base64(),
});
export type PassphraseBox = z.infer<typeof PassphraseBoxSchema>;

async function scryptKey(
  passphrase: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return scryptAsync(passphrase.normalize('NFC'), salt, 32, {
    ...params,
    maxmem: 256 * params.N * params.r + 16 * 1024 * 1024,
  });
}

export async function sealWithPassphrase(plain: string, passphrase: string, aad: string): Promise<PassphraseBox> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await scryptKey(passphrase, salt, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return {
    cipher: 'aes-256-gcm',
    kdf: 'scrypt',
    ...SCRYPT,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

export async function openWithPassphrase(box: PassphraseBox, passphrase: string, aad: string): Promise<string> {
  const key = await scryptKey(passphrase, Buffer.from(box.salt, 'base64'), box);
  const tag = Buffer.from(box.tag, 'base64');
  if (tag.length !== 16) throw new Error('the encrypted secrets are damaged (bad tag length)');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(box.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new WrongPassphraseError();
  }
}

const COMPASS_HEADER = 2 + 16 + 16 + 16;

/** Decrypts one Compass `connectionSecrets` blob. Keys are cached per salt within one call site. */
export async function openCompassSecrets(
  blob: string,
  passphrase: string,
  keyCache = new Map<string, Buffer>(),
): Promise<string> {
  const raw = Buffer.from(blob, 'base64');
  if (raw.length < COMPASS_HEADER)
    throw new Error(`the encrypted secrets are truncated (${raw.length} bytes, at least ${COMPASS_HEADER} expected)`);
  const version = raw.readUInt16BE(0);
  if (version !== 0x0001)
    throw new Error(
      `the encrypted secrets use an unsupported version (0x${version.toString(16).padStart(4, '0')}; Cutover reads 0x0001)`,
    );
  const salt = raw.subarray(2, 18);
  const iv = raw.subarray(18, 34);
  const tag = raw.subarray(34, 50);
  const cacheKey = salt.toString('base64');
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = await pbkdf2Async(Buffer.from(passphrase, 'utf8'), salt, 100_000, 32, 'sha512');
    keyCache.set(cacheKey, key);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(raw.subarray(COMPASS_HEADER)), decipher.final()]).toString('utf8');
  } catch {
    throw new WrongPassphraseError();
  }
}

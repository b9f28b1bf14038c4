/**
 * Where secrets (passwords in connection strings, tokens) are sealed before anything is written to
 * disk. Electron's main side uses `safeStorage` (the OS keychain); plain Node (the harness, the CLI,
 * tests) uses a per-installation key file readable only by its owner.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CutoverError } from '../../providers/api/errors';

export interface SecretStore {
  seal(plain: string): string;
  open(sealed: string): string;
}

export class SecretStoreError extends CutoverError {
  override name = 'SecretStoreError';
}

/** AES-256-GCM with a random key kept in `<dir>/secret.key` (mode 0600). */
export class FileKeySecretStore implements SecretStore {
  private key?: Buffer;

  constructor(private readonly dir: string) {}

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyBytes(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new SecretStoreError('Unknown sealed secret format.');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyBytes(), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretStoreError('A stored secret could not be decrypted (the key changed or the data is corrupt).');
    }
  }

  private keyBytes(): Buffer {
    if (this.key) return this.key;
    const file = path.join(this.dir, 'secret.key');
    try {
      this.key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    } catch {
      mkdirSync(this.dir, { recursive: true });
      const fresh = randomBytes(32);
      try {
        writeFileSync(file, fresh.toString('base64'), { mode: 0o600, flag: 'wx' });
        this.key = fresh;
      } catch {
        this.key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'); // another process made it first
      }
    }
    if (this.key.length !== 32) throw new SecretStoreError(`${file} is not a valid key file.`);
    return this.key;
  }
}

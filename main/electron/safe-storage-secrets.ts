/**
 * Secrets sealed with Electron's safeStorage (the OS keychain / DPAPI / libsecret).
 */
import type { SafeStorage } from 'electron';
import type { SecretStore } from '../core/secret-store';

export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly safeStorage: SafeStorage) {}

  seal(plain: string): string {
    return `ss1:${this.safeStorage.encryptString(plain).toString('base64')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith('ss1:')) throw new Error('Unknown sealed secret format.');
    return this.safeStorage.decryptString(Buffer.from(sealed.slice(4), 'base64'));
  }
}

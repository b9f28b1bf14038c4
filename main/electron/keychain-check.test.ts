/** The keychain decision and the store that reads secrets sealed either way (no Electron binary needed). */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileKeySecretStore, type SecretStore } from '../core/secret-store';
import { decideKeychain, EitherSecretStore } from './keychain-check';

describe('keychain', () => {
  it('uses safeStorage only when it really encrypts, and says so otherwise', () => {
    expect(decideKeychain({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'gnome_libsecret' })).toEqual({
      useSafeStorage: true,
    });
    expect(decideKeychain({ platform: 'darwin', encryptionAvailable: true })).toEqual({ useSafeStorage: true });
    for (const backend of ['basic_text', 'unknown']) {
      const decision = decideKeychain({ platform: 'linux', encryptionAvailable: true, linuxBackend: backend });
      expect(decision.useSafeStorage).toBe(false);
      expect(decision.warning).toMatch(new RegExp(`"${backend}" backend.*key file in its data folder.*a copy of it`));
    }
    expect(decideKeychain({ platform: 'win32', encryptionAvailable: false })).toMatchObject({
      useSafeStorage: false,
      warning: expect.stringMatching(/No system keychain/),
    });
  });

  it('seals with the chosen store and still opens what the other one sealed', async () => {
    const fileKey = new FileKeySecretStore(await mkdtemp(path.join(os.tmpdir(), 'cutover-keys-')));
    // A stand-in for safeStorage's output format (ss1:).
    const keyring: SecretStore = {
      seal: (p) => `ss1:${Buffer.from(p).toString('base64')}`,
      open: (s) => Buffer.from(s.slice(4), 'base64').toString(),
    };
    const readers = [
      { prefix: 'ss1:', store: keyring },
      { prefix: 'v1:', store: fileKey },
    ];
    const older = keyring.seal('sealed by the keyring');
    const store = new EitherSecretStore(fileKey, readers);
    const newer = store.seal('sealed by the key file');
    expect(newer.startsWith('v1:')).toBe(true);
    expect(store.open(older)).toBe('sealed by the keyring');
    expect(store.open(newer)).toBe('sealed by the key file');
    expect(new EitherSecretStore(keyring, readers).open(newer)).toBe('sealed by the key file');
  });
});

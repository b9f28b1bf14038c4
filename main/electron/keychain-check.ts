/**
 * Whether Electron's safeStorage really protects secrets here. On Linux it may fall back to the
 * `basic_text` backend (a key written into Chromium itself, the same for everyone) when no keyring
 * (GNOME Keyring / KWallet) answers: secrets would then be only obfuscated. Electron-free, so a unit
 * test can check the decision.
 */
import type { SecretStore } from '../core/secret-store';

export interface KeychainState {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend() on Linux; undefined elsewhere. */
  linuxBackend?: string;
}

export interface KeychainDecision {
  /** Seal secrets with safeStorage (true) or with Cutover's owner-only key file (false). */
  useSafeStorage: boolean;
  /** What to tell the person, when the keychain does not protect secrets. */
  warning?: string;
}

export function decideKeychain(state: KeychainState): KeychainDecision {
  const fallback =
    'Cutover seals saved passwords with a key file in its data folder instead, readable by your user only: anyone who can read that folder (or a copy of it) can read them.';
  if (!state.encryptionAvailable)
    return { useSafeStorage: false, warning: `No system keychain is available. ${fallback}` };
  if (state.platform === 'linux' && (state.linuxBackend === 'basic_text' || state.linuxBackend === 'unknown')) {
    return {
      useSafeStorage: false,
      warning: `No system keyring answered (Electron's safeStorage would use its "${state.linuxBackend}" backend, a fixed key). ${fallback} Install and unlock GNOME Keyring or KWallet for stronger protection.`,
    };
  }
  return { useSafeStorage: true };
}

/**
 * Seals with one store and opens what any of them sealed (each marks its output with a prefix: `ss1:`
 * safeStorage, `v1:` the key file), so secrets saved before the keychain changed stay readable.
 */
export class EitherSecretStore implements SecretStore {
  constructor(
    private readonly sealer: SecretStore,
    private readonly readers: Array<{ prefix: string; store: SecretStore }>,
  ) {}

  seal(plain: string): string {
    return this.sealer.seal(plain);
  }

  open(sealed: string): string {
    const reader = this.readers.find((r) => sealed.startsWith(r.prefix));
    return (reader?.store ?? this.sealer).open(sealed);
  }
}

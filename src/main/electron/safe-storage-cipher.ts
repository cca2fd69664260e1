import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/store/secret-cipher';

/** Secrets at rest through the OS keychain (Keychain, DPAPI, libsecret) via Electron. */
export class SafeStorageCipher implements SecretCipher {
  encrypt(plain: string): Buffer {
    return safeStorage.encryptString(plain);
  }

  decrypt(data: Buffer): string {
    return safeStorage.decryptString(data);
  }
}

/**
 * safeStorage when the OS offers real protection; otherwise undefined (the manager falls
 * back to its 0600 key file). On Linux without a keyring safeStorage says it is available
 * but uses `basic_text`, a key hard-coded in Chromium: that is no encryption at all.
 */
export function systemCipher(): SecretCipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')
    return undefined;
  return new SafeStorageCipher();
}

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

/** safeStorage when the OS offers it; otherwise undefined (the manager falls back to a key file). */
export function systemCipher(): SecretCipher | undefined {
  return safeStorage.isEncryptionAvailable() ? new SafeStorageCipher() : undefined;
}

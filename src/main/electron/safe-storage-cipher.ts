import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { CipherChain, KeyFileCipher, type SecretCipher } from '../core/store/secret-cipher';

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
 * The cipher for secrets in `dataDir`: safeStorage when the OS offers real protection;
 * undefined when it offers none (the manager uses its 0600 key file). On Linux without a
 * keyring safeStorage says it is available but uses `basic_text`, a key hard-coded in
 * Chromium: that is no encryption at all, so the key file seals, still reading old values.
 * Either way, what `patchbay serve` sealed with the key file in this dir still opens.
 */
export function systemCipher(dataDir: string): SecretCipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const keyFile = join(dataDir, 'secret.key');
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return new CipherChain(new KeyFileCipher(keyFile), [new SafeStorageCipher()]);
  }
  const system = new SafeStorageCipher();
  return existsSync(keyFile) ? new CipherChain(system, [new KeyFileCipher(keyFile)]) : system;
}

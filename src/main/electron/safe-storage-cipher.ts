import { join } from 'node:path';
import { safeStorage } from 'electron';
import { KeyFileCipher, type SecretCipher } from '../core/store/secret-cipher';

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
 * The key-file cipher for where safeStorage's `basic_text` was used before: secrets written
 * then still open (that key is public anyway); every later save uses the key file.
 */
class KeyFileOverBasicText implements SecretCipher {
  constructor(private readonly keyFile: KeyFileCipher) {}

  encrypt(plain: string): Buffer {
    return this.keyFile.encrypt(plain);
  }

  decrypt(data: Buffer): string {
    try {
      return this.keyFile.decrypt(data);
    } catch (err) {
      if (data.subarray(0, 3).toString('latin1') !== 'v10') throw err;
      return safeStorage.decryptString(data);
    }
  }
}

/**
 * The cipher for secrets in `dataDir`: safeStorage when the OS offers real protection;
 * undefined when it offers none (the manager uses its 0600 key file). On Linux without a
 * keyring safeStorage says it is available but uses `basic_text`, a key hard-coded in
 * Chromium: that is no encryption at all, so the key file is used, reading old values.
 */
export function systemCipher(dataDir: string): SecretCipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return new KeyFileOverBasicText(new KeyFileCipher(join(dataDir, 'secret.key')));
  }
  return new SafeStorageCipher();
}

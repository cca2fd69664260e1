import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ErrorCode, PatchbayError } from '../errors';

/** Encrypts secrets at rest; the shell provides it (Electron safeStorage, or a key file). */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

const IV = 12;
const TAG = 16;

/**
 * AES-256-GCM with a random key kept in a 0600 file beside the database: for `patchbay
 * serve` and the CLI, where no OS keychain is at hand.
 */
export class KeyFileCipher implements SecretCipher {
  private readonly key: Buffer;

  constructor(keyFile: string) {
    if (!existsSync(keyFile)) {
      writeFileSync(keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(keyFile, 0o600);
    this.key = readFileSync(keyFile);
    if (this.key.length !== 32) {
      throw new PatchbayError(ErrorCode.Internal, `The key file ${keyFile} is damaged (expected 32 bytes)`);
    }
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decrypt(data: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, IV));
    decipher.setAuthTag(data.subarray(IV, IV + TAG));
    return Buffer.concat([decipher.update(data.subarray(IV + TAG)), decipher.final()]).toString('utf8');
  }
}

/**
 * Seals with `primary`; opens with the first cipher that can. The app and `patchbay serve`
 * may share a data dir: the app's keychain cipher still opens what the key file sealed.
 */
export class CipherChain implements SecretCipher {
  constructor(
    private readonly primary: SecretCipher,
    private readonly readers: readonly SecretCipher[],
  ) {}

  encrypt(plain: string): Buffer {
    return this.primary.encrypt(plain);
  }

  decrypt(data: Buffer): string {
    let first: unknown;
    for (const cipher of [this.primary, ...this.readers]) {
      try {
        return cipher.decrypt(data);
      } catch (err) {
        first ??= err;
      }
    }
    throw first;
  }
}

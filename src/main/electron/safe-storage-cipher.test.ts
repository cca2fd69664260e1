import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const backend = vi.hoisted(() => ({ available: true, selected: 'gnome_libsecret' }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => backend.available,
    getSelectedStorageBackend: () => backend.selected,
    encryptString: (s: string) => Buffer.from(`v10${s}`),
    decryptString: (b: Buffer) => {
      if (b.subarray(0, 3).toString() !== 'v10')
        throw new Error('Error while decrypting the ciphertext provided');
      return b.subarray(3).toString();
    },
  },
}));
const { SafeStorageCipher, systemCipher } = await import('./safe-storage-cipher');
const { KeyFileCipher } = await import('../core/store/secret-cipher');
const dir = mkdtempSync(join(tmpdir(), 'patchbay-cipher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('systemCipher', () => {
  beforeEach(() => {
    backend.available = true;
    backend.selected = 'gnome_libsecret';
  });

  it('uses safeStorage when a real keyring backs it', () => {
    expect(systemCipher(dir)).toBeInstanceOf(SafeStorageCipher);
  });

  it.runIf(process.platform === 'linux')(
    'refuses basic_text (a hard-coded key): the key file seals, old values still open',
    () => {
      backend.selected = 'basic_text';
      const cipher = systemCipher(dir)!;
      expect(cipher).not.toBeInstanceOf(SafeStorageCipher);
      const sealed = cipher.encrypt('sk-secret');
      expect(sealed.toString('latin1')).not.toContain('sk-secret');
      expect(cipher.decrypt(sealed)).toBe('sk-secret');
      expect((statSync(join(dir, 'secret.key')).mode & 0o777).toString(8)).toBe('600');
      // A value saved under basic_text before still opens; its next save uses the key file.
      expect(cipher.decrypt(Buffer.from('v10old-secret'))).toBe('old-secret');
    },
  );

  it('opens what `patchbay serve` sealed with the key file in the same dir; seals with the keychain', () => {
    const shared = mkdtempSync(join(tmpdir(), 'patchbay-cipher-shared-'));
    try {
      const sealedByServe = new KeyFileCipher(join(shared, 'secret.key')).encrypt('sk-from-serve');
      const app = systemCipher(shared)!;
      expect(app.decrypt(sealedByServe)).toBe('sk-from-serve');
      expect(app.encrypt('sk-new').toString()).toBe('v10sk-new');
      expect(() => app.decrypt(Buffer.from('not sealed by anyone'))).toThrow();
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it('falls back when encryption is unavailable', () => {
    backend.available = false;
    expect(systemCipher(dir)).toBeUndefined();
  });
});

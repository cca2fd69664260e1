import { beforeEach, describe, expect, it, vi } from 'vitest';

const backend = vi.hoisted(() => ({ available: true, selected: 'gnome_libsecret' }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => backend.available,
    getSelectedStorageBackend: () => backend.selected,
    encryptString: (s: string) => Buffer.from(s),
    decryptString: (b: Buffer) => b.toString(),
  },
}));
const { SafeStorageCipher, systemCipher } = await import('./safe-storage-cipher');

describe('systemCipher', () => {
  beforeEach(() => {
    backend.available = true;
    backend.selected = 'gnome_libsecret';
  });

  it('uses safeStorage when a real keyring backs it', () => {
    expect(systemCipher()).toBeInstanceOf(SafeStorageCipher);
  });

  it.runIf(process.platform === 'linux')(
    'refuses basic_text (a hard-coded key), so the key file is used',
    () => {
      backend.selected = 'basic_text';
      expect(systemCipher()).toBeUndefined();
    },
  );

  it('falls back when encryption is unavailable', () => {
    backend.available = false;
    expect(systemCipher()).toBeUndefined();
  });
});

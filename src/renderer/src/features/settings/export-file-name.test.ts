import { expect, it } from 'vitest';
import { exportFileName } from './export-file-name';

it('names exports by local date', () => {
  expect(exportFileName(new Date(2024, 4, 1, 23, 59))).toBe('patchbay-servers-2024-05-01.json');
  expect(exportFileName(new Date(2025, 11, 31))).toBe('patchbay-servers-2025-12-31.json');
});

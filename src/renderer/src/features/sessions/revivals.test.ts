import { describe, expect, it } from 'vitest';
import { revivalTitle } from './revivals';

describe('revivalTitle', () => {
  it('says never, once, or how many times', () => {
    expect(revivalTitle(0)).toMatch(/^Never revived/);
    expect(revivalTitle(1)).toMatch(/^Revived once: /);
    expect(revivalTitle(1200)).toMatch(/^Revived 1,200 times: /);
  });
});

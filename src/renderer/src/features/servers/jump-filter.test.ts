import { describe, expect, it } from 'vitest';
import { filterByName, moveIndex } from './jump-filter';

const names = (items: { name: string }[]) => items.map((i) => i.name);

describe('the jump palette', () => {
  const servers = [{ name: 'github' }, { name: 'filesystem' }, { name: 'Git tools' }, { name: 'memory' }];

  it('lists names starting with the query first, then names containing it, ignoring case', () => {
    expect(names(filterByName(servers, 'git'))).toEqual(['github', 'Git tools']);
    expect(names(filterByName(servers, 'm'))).toEqual(['memory', 'filesystem']);
    expect(names(filterByName(servers, '  '))).toEqual(names(servers));
    expect(filterByName(servers, 'zzz')).toEqual([]);
  });

  it('moves the highlight with wrap-around', () => {
    expect(moveIndex(0, 1, 3)).toBe(1);
    expect(moveIndex(2, 1, 3)).toBe(0);
    expect(moveIndex(0, -1, 3)).toBe(2);
    expect(moveIndex(-1, 1, 3)).toBe(0);
    expect(moveIndex(0, 1, 0)).toBe(-1);
  });
});

import { SECRET_MASK } from '@shared/server-config';
import { describe, expect, it } from 'vitest';
import { shownCommand } from './shown-command';

describe('shownCommand', () => {
  it('masks a password inside a connection URL', () => {
    expect(shownCommand('npx', ['-y', 'pg-mcp', 'postgresql://app:s3cr3t@db:5432/x'])).toBe(
      `npx -y pg-mcp 'postgresql://app:${SECRET_MASK}@db:5432/x'`,
    );
  });
  it('masks the values of token, key and password flags, in both spellings', () => {
    expect(shownCommand('srv', ['--api-key', 'abc', '--token=xyz', '--port', '3000', '--verbose'])).toBe(
      `srv --api-key '${SECRET_MASK}' '--token=${SECRET_MASK}' --port 3000 --verbose`,
    );
  });
  it('leaves ordinary commands as they are', () => {
    expect(shownCommand('node', ['/opt/fs.js', '--root', '/tmp/my dir'])).toBe(
      `node /opt/fs.js --root '/tmp/my dir'`,
    );
  });
});

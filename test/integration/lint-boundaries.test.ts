import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths';

// The process boundaries of DESIGN.md are enforced by lint; prove the rules bite.
describe('lint boundaries', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: repoRoot });
  });

  async function restrictedImports(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((m) => m.message);
  }

  it('refuses electron in src/main/core, value or type import', async () => {
    const file = 'src/main/core/errors.ts';
    expect(
      await restrictedImports("import { app } from 'electron';\nexport const a = app;\n", file),
    ).toHaveLength(1);
    expect(
      await restrictedImports("import type { App } from 'electron';\nexport type A = App;\n", file),
    ).toHaveLength(1);
    expect(
      await restrictedImports("import { join } from 'node:path';\nexport const j = join;\n", file),
    ).toEqual([]);
  });

  it('allows electron in src/main/electron', async () => {
    const file = 'src/main/electron/main-window.ts';
    expect(await restrictedImports("import { app } from 'electron';\nexport const a = app;\n", file)).toEqual(
      [],
    );
  });

  it('refuses Node built-ins in the renderer, with or without the node: prefix', async () => {
    const file = 'src/renderer/src/shell.ts';
    for (const spec of ['node:fs', 'fs', 'child_process', 'node:path', 'path']) {
      const messages = await restrictedImports(`import * as m from '${spec}';\nexport const x = m;\n`, file);
      expect(messages, spec).toHaveLength(1);
    }
    expect(
      await restrictedImports("import { useState } from 'react';\nexport const u = useState;\n", file),
    ).toEqual([]);
  });
});

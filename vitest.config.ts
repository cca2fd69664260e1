import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@shared': resolve(import.meta.dirname, 'src/shared') };

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          // Component tests (src/renderer/**/*.test.tsx) ask for a DOM with `// @vitest-environment happy-dom`
          // on their first line; every other unit test keeps plain Node, which starts faster.
          environment: 'node',
          // No process, no socket: the tier that answers in seconds (README, "Tests").
          setupFiles: ['./test/support/unit-tier-guard.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          benchmark: { include: [] },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          benchmark: { include: [] },
          // Faults, fuzz, churn and nginx: real processes and real load, so generous bounds,
          // and one file at a time so their timings and RSS/fd readings do not disturb each other.
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // RSS readings after a full GC show what is kept, not garbage not yet collected.
          execArgv: ['--expose-gc'],
          // After the other projects, alone: a busy 2-core machine would blur frame timings.
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One browser at a time keeps a 2-core machine responsive.
          fileParallelism: false,
          benchmark: { include: [] },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'perf',
          include: ['test/perf/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          benchmark: { include: [] },
          // Last and alone: its long-task rule measures the page, not a machine busy with other tests.
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});

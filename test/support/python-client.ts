// One long-lived python-mcp-client.py process per test file: importing `mcp` takes seconds, so
// jobs go to it over stdin, one at a time, and each answer is one stdout line.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, type TestContext } from 'vitest';
import { pythonMcp } from './python-venv';

const SCRIPT = join(import.meta.dirname, 'python-mcp-client.py');

/** What python-mcp-client.py reports for one job. */
export interface PythonReport {
  protocolVersion: string;
  tools: string[];
  events: ({ progress: number; total: number | null } | { result: true })[];
  isError: boolean;
  textLength: number;
  textHead: string;
  allX: boolean;
}

/** A modern-only scenario for python-mcp-client.py's `run_modern`: which tools play which part. */
export interface PythonModernJob {
  /** A pinned modern version, e.g. `2026-07-28` (no probe, no fallback). */
  mode: string;
  progress: { tool: string; arguments: Record<string, unknown>; steps: number };
  elicit: { tool: string; arguments: Record<string, unknown>; answer: Record<string, unknown> };
  listen: { uri: string; trigger: { tool: string; arguments: Record<string, unknown> }; timeoutS: number };
}

/** What `run_modern` reports. */
export interface PythonModernReport {
  protocolVersion: string;
  tools: string[];
  progress: number[];
  progressText: string;
  /** Each elicitation the client answered: `key` is the input request's key (MRTR). */
  elicitations: { key: string; message: string }[];
  elicitText: string;
  /** The resource subscriptions the listen's acknowledgment honored. */
  honored: string[];
  /** The URIs of `resources/updated` events the listen delivered (the first one, if any). */
  updated: string[];
}

export interface PythonClient {
  /**
   * Connects to `url` (negotiating the client's default way, `auto`, unless `mode` says
   * `legacy`), lists tools and calls `tool` with progress (waiting briefly for `progressSteps`
   * callbacks); rejects with the Python error.
   */
  call(
    url: string,
    tool: string,
    args: Record<string, unknown>,
    options?: { progressSteps?: number; timeoutMs?: number; mode?: 'auto' | 'legacy' },
  ): Promise<PythonReport>;
  /** Runs a modern-only scenario against `url`; rejects with the Python error. */
  modern(url: string, job: PythonModernJob, timeoutMs?: number): Promise<PythonModernReport>;
  stop(): Promise<void>;
}

/** Starts the driver with `python` (a venv's) and waits until it has imported `mcp`. */
export async function startPythonClient(python: string, readyTimeoutMs = 120_000): Promise<PythonClient> {
  const child: ChildProcessWithoutNullStreams = spawn(python, [SCRIPT], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-8000);
  });
  const waiting: ((line: string | undefined) => void)[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => waiting.shift()?.(line));
  lines.on('close', () => {
    for (const w of waiting.splice(0)) w(undefined);
  });

  function nextLine(timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`python client: no answer to ${what} in ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      waiting.push((line) => {
        clearTimeout(timer);
        if (line === undefined) reject(new Error(`python client exited; stderr:\n${stderr}`));
        else resolve(line);
      });
    });
  }

  await nextLine(readyTimeoutMs, 'start-up');
  let queue: Promise<unknown> = Promise.resolve();
  // Jobs run one at a time: each writes one stdin line and reads one stdout line.
  function send<T>(job: Record<string, unknown>, timeoutMs: number, what: string): Promise<T> {
    const done = queue.then(async () => {
      child.stdin.write(`${JSON.stringify(job)}\n`);
      const answer = JSON.parse(await nextLine(timeoutMs, what)) as T | { error: string };
      if (answer && typeof answer === 'object' && 'error' in answer)
        throw new Error(`python client: ${answer.error}`);
      return answer;
    });
    queue = done.catch(() => {});
    return done;
  }
  return {
    call(url, tool, args, { progressSteps = 0, timeoutMs = 60_000, mode = 'auto' } = {}) {
      return send<PythonReport>(
        { url, tool, arguments: args, progressSteps, mode },
        timeoutMs,
        `${tool} at ${url}`,
      );
    },
    modern(url, job, timeoutMs = 60_000) {
      return send<PythonModernReport>(
        { scenario: 'modern', url, ...job },
        timeoutMs,
        `the modern scenario at ${url}`,
      );
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Registers this test file's hooks: one Python client started with the shared venv's python
 * (`pythonMcp`) before all tests, stopped after. Returns a getter that gives the client to a
 * test, or skips the test with the reason there is none (no python3, no package…).
 */
export function usePythonClient(label: string): (ctx: TestContext) => PythonClient {
  let skip: string | undefined;
  let client: PythonClient | undefined;
  beforeAll(async () => {
    const py = await pythonMcp();
    if ('skip' in py) {
      skip = py.skip;
      console.log(`${label} skip: ${skip}`);
    } else client = await startPythonClient(py.python);
  }, 420_000);
  afterAll(() => client?.stop());
  return function python(ctx: TestContext): PythonClient {
    if (!client) return ctx.skip(skip ?? 'the python client did not start');
    return client;
  };
}

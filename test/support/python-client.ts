// One long-lived python-mcp-client.py process per test file: importing `mcp` takes seconds, so
// jobs go to it over stdin, one at a time, and each answer is one stdout line.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

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
  return {
    call(url, tool, args, { progressSteps = 0, timeoutMs = 60_000, mode = 'auto' } = {}) {
      const job = queue.then(async () => {
        child.stdin.write(`${JSON.stringify({ url, tool, arguments: args, progressSteps, mode })}\n`);
        const answer = JSON.parse(await nextLine(timeoutMs, `${tool} at ${url}`)) as
          PythonReport | { error: string };
        if ('error' in answer) throw new Error(`python client: ${answer.error}`);
        return answer;
      });
      queue = job.catch(() => {});
      return job;
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

// `npm run test:under-load [-- --runs N --busy N -- <command…>]`: runs the test command (default
// `npm test`) N times in a row (default 3) while N busy-looping processes (default: one per
// core) keep the CPUs loaded, as on a CI machine shared with other work. A test that fails
// only here is bound to timing: fix it at the cause.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const split = process.argv.indexOf('--', 2);
const own = split === -1 ? process.argv.slice(2) : process.argv.slice(2, split);
const command = split === -1 ? ['npm', 'test'] : process.argv.slice(split + 1);
const { values } = parseArgs({
  args: own,
  options: {
    runs: { type: 'string', default: '3' },
    busy: { type: 'string', default: String(availableParallelism()) },
  },
});
const runs = Number(values.runs);
const busy = Number(values.busy);

// Each load process spins for at most 2 h and ends with this script.
const spinner =
  'const end = Date.now() + 7_200_000; while (Date.now() < end) { for (let i = 0; i < 1e6; i++); }';
const load = Array.from({ length: busy }, () =>
  spawn(process.execPath, ['-e', spinner], { stdio: 'ignore' }),
);
const stopLoad = () => load.forEach((p) => p.kill('SIGKILL'));
process.on('exit', stopLoad);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const results = [];
for (let run = 1; run <= runs; run++) {
  console.log(`\n=== under load (${busy} busy processes): run ${run} of ${runs}: ${command.join(' ')}`);
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    child.on('exit', (c) => resolve(c ?? 1));
    child.on('error', () => resolve(1));
  });
  results.push({
    run,
    code,
    seconds: Math.round((Date.now() - started) / 1000),
    load: loadavg()[0].toFixed(1),
  });
}
stopLoad();
console.log('\n=== under load: results');
for (const r of results)
  console.log(
    `run ${r.run}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ${r.seconds} s, load ${r.load}`,
  );
process.exit(results.every((r) => r.code === 0) ? 0 : 1);

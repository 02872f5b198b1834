import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './support/processes';

const ROOT = path.resolve(__dirname, '..');
const API = 'dist/apps/api/apps/api/src/main.js';
const WORKER = 'dist/apps/worker/apps/worker/src/main.js';

/** A stand-in app: says it is up, and on SIGTERM says so and exits with `onTerm`; or exits by itself. */
// "up" is printed after the signal handlers exist: a write to a pipe is synchronous, so a signal sent on
// reading it could otherwise arrive before the handlers.
const app = (name: string, behaviour: { onTerm?: number; exitAfterMs?: number; exitCode?: number }) => `
for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => { console.log('${name} got ' + signal); process.exit(${behaviour.onTerm ?? 0}); });
console.log('${name} up');
${behaviour.exitAfterMs === undefined ? 'setInterval(() => {}, 1000);' : `setTimeout(() => process.exit(${behaviour.exitCode ?? 0}), ${behaviour.exitAfterMs});`}
`;

/**
 * scripts/start.js, copied beside stand-in builds of both apps (a real build takes a minute; the
 * script's job is the process handling, which this exercises with real processes and signals).
 */
function startScript(api: string | null, worker: string | null) {
  const dir = mkdtempSync(path.join(tmpdir(), 'luotsi-start-'));
  mkdirSync(path.join(dir, 'scripts'));
  copyFileSync(path.join(ROOT, 'scripts/start.js'), path.join(dir, 'scripts/start.js'));
  for (const [entry, source] of [
    [API, api],
    [WORKER, worker],
  ] as const) {
    if (source === null) continue;
    mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
    writeFileSync(path.join(dir, entry), source);
  }
  const child: ChildProcess = spawn(process.execPath, [path.join(dir, 'scripts/start.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', SHUTDOWN_TIMEOUT_MS: '2000' },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // 'close', not 'exit': the output of the apps (which share the pipe) is all read by then.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe('npm start (scripts/start.js)', () => {
  it('runs both apps and, on SIGTERM, stops both and exits 0', async () => {
    const run = startScript(app('api', {}), app('worker', {}));
    try {
      await waitFor(() => /api up/.test(run.output()) && /worker up/.test(run.output()), 10_000, run.output);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('api got SIGTERM');
      expect(run.output()).toContain('worker got SIGTERM');
    } finally {
      run.cleanup();
    }
  });

  it('exits non-zero when one app dies, stopping the other', async () => {
    const run = startScript(app('api', {}), app('worker', { exitAfterMs: 300, exitCode: 3 }));
    try {
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/worker stopped on its own \(exit code 3\)/);
      expect(run.output()).toContain('api got SIGTERM');
    } finally {
      run.cleanup();
    }
  });

  it('counts a clean exit nobody asked for as a failure too', async () => {
    const run = startScript(app('api', { exitAfterMs: 300, exitCode: 0 }), app('worker', {}));
    try {
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain('worker got SIGTERM');
    } finally {
      run.cleanup();
    }
  });

  it('exits non-zero when an app fails to stop cleanly on SIGTERM', async () => {
    const run = startScript(app('api', {}), app('worker', { onTerm: 1 }));
    try {
      await waitFor(() => /api up/.test(run.output()) && /worker up/.test(run.output()), 10_000, run.output);
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(1);
    } finally {
      run.cleanup();
    }
  });

  it('refuses to start without a build, naming what is missing', async () => {
    const run = startScript(app('api', {}), null);
    try {
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/worker is not built .*run npm run build/);
      expect(run.output()).not.toContain('api up');
    } finally {
      run.cleanup();
    }
  });
});

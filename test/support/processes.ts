import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended and its output is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills whatever a test left running (call in afterAll), so Jest can exit. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Runs an app's main.ts from source (swc on the fly) as a real OS process with its own env. */
export function spawnApp(app: 'api' | 'worker', env: Record<string, string>): AppProcess {
  const child = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'scripts/register-swc.js'), path.join(ROOT, `apps/${app}/src/main.ts`)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  child.on('exit', () => running.delete(child));
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  // 'close', not 'exit': by then the pipes are drained too, so output() holds the process's last lines.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exited,
    waitForOutput: (pattern, timeoutMs = 30_000) =>
      waitFor(
        () => pattern.test(text),
        timeoutMs,
        () => `${app} did not print ${pattern}; output:\n${text.slice(-2000)}`,
      ),
  };
}

/** Polls until `condition` holds; fails with `describe()` after the timeout. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  describe: () => string = () => 'condition not met',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { freePort } from '../../apps/demo/src/free-port';

import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../test/support/processes';
import { sleep, waitUntil } from './kit';

const ROOT = path.resolve(__dirname, '..');

export interface ApiProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The real API as its own OS process (main.ts, compiled on the fly by swc), as production runs it:
 * its own event loop and core, JSON request logs. The logs go to a file rather than a pipe, so the
 * bench's busy event loop can never hold the API up on a full pipe.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'luotsi-bench-api-'));
  const logFile = path.join(dir, 'api.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'scripts/register-swc.js'), path.join(ROOT, 'apps/api/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_BASE_URL: url,
        ...env,
      },
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail = () => readFileSync(logFile, 'utf8').slice(-3000);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}):\n${tail()}`);
        return fetch(`${url}/health`).then(
          () => true,
          () => false,
        );
      },
      60_000,
      () => `the API did not answer on ${url}:\n${tail()}`,
      200,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  // Let the boot's stragglers (pool connections, the first health check's queries) settle.
  await sleep(500);
  return { url, pid: child.pid!, stop };
}

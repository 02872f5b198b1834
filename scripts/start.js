#!/usr/bin/env node
/**
 * `npm start`: runs the built API and worker side by side (build first: `npm run build`, which
 * `prestart` does). SIGTERM or SIGINT is passed to both, and the script exits once both have stopped,
 * with 0 if they stopped cleanly (exit code 0, or ended by the signal passed on). If either stops on its
 * own, whatever its exit code, the other is stopped too and the script exits non-zero, so a supervisor
 * (systemd, a container runtime) restarts the pair rather than running half of it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { setTimeout } = require('node:timers');

const root = path.resolve(__dirname, '..');
// nest build puts an app whose tsconfig has rootDir ../.. under dist/apps/<app>/apps/<app>/src.
const entries = {
  api: 'dist/apps/api/apps/api/src/main.js',
  worker: 'dist/apps/worker/apps/worker/src/main.js',
};
/** How long the children get after a signal; the worker's own SHUTDOWN_TIMEOUT_MS is shorter by default. */
const GRACE_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS || 30_000) + 5_000;

// `npm start` is the development entry: without NODE_ENV it says development outright, which opens the
// development tools (/dev/inbox, POST /dev/clock). The apps started any other way without NODE_ENV keep
// them closed; an installation sets NODE_ENV=production.
if (!process.env.NODE_ENV) {
  process.env.NODE_ENV = 'development';
  console.log(
    'start: NODE_ENV is not set; running in development (set NODE_ENV=production for an installation)',
  );
}

for (const [name, entry] of Object.entries(entries)) {
  if (!fs.existsSync(path.join(root, entry))) {
    console.error(`start: ${name} is not built (${entry} is missing); run npm run build`);
    process.exit(1);
  }
}

let stopping = false;
/** The signal passed on to the children: ending by it (an app still booting has no handler yet) is clean. */
let sent = null;
let failed = false;
const children = Object.entries(entries).map(([name, entry]) => {
  // Each app in a process group of its own: a Ctrl-C in the terminal reaches this script, which
  // passes it on once, rather than reaching each app twice (once directly, once from here).
  const child = spawn(process.execPath, [path.join(root, entry)], {
    stdio: 'inherit',
    env: process.env,
    detached: true,
  });
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) {
      console.error(
        `start: ${name} stopped on its own (${signal ?? `exit code ${code}`}); stopping the other`,
      );
      failed = true;
      stop('SIGTERM');
    } else if (signal === null ? code !== 0 : signal !== sent) {
      // A non-zero exit, or killed by anything but the signal passed on (a SIGKILL mid-drain).
      failed = true;
    }
    if (children.every((c) => c.exited)) process.exit(failed ? 1 : 0);
  });
  return child;
});

function stop(signal) {
  if (stopping) return;
  stopping = true;
  sent = signal;
  for (const child of children) if (!child.exited) child.kill(signal);
  setTimeout(() => {
    console.error(`start: still running ${GRACE_MS} ms after ${signal}; killing`);
    for (const child of children) if (!child.exited) child.kill('SIGKILL');
    process.exit(1);
  }, GRACE_MS).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

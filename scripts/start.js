#!/usr/bin/env node
/**
 * `npm start`: runs the built API and worker side by side, forwards SIGTERM/SIGINT to both, and exits
 * when both have stopped (or as soon as one fails, stopping the other).
 */
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const entries = {
  api: 'dist/apps/api/apps/api/src/main.js',
  worker: 'dist/apps/worker/apps/worker/src/main.js',
};

const children = Object.entries(entries).map(([name, entry]) => {
  const child = spawn(process.execPath, [path.join(root, entry)], { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping && code !== 0) {
      console.error(`${name} exited (${signal ?? code}); stopping the others`);
      process.exitCode = code || 1;
      stop('SIGTERM');
    }
    if (children.every((c) => c.exited)) process.exit(process.exitCode ?? 0);
  });
  return child;
});

let stopping = false;
function stop(signal) {
  stopping = true;
  for (const child of children) if (!child.exited) child.kill(signal);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

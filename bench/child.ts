import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const running = new Set<ChildProcess>();

/** Kills whatever the bench still has running (after a crash), so it can exit. */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** A TypeScript module of the bench run as its own process (swc on the fly), talking over IPC. */
export interface Child<Request, Reply extends { type: string }> {
  child: ChildProcess;
  /** Resolves with the next message of this type. */
  next<T extends Reply['type']>(type: T, timeoutMs?: number): Promise<Extract<Reply, { type: T }>>;
  ask<T extends Reply['type']>(request: Request, type: T): Promise<Extract<Reply, { type: T }>>;
  stop(): Promise<void>;
}

export function forkTs<Request, Reply extends { type: string }>(
  file: string,
  env: Record<string, string> = {},
): Child<Request, Reply> {
  const child = fork(path.join(__dirname, file), [], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    execArgv: ['-r', path.join(ROOT, 'scripts/register-swc.js')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));

  const next = <T extends Reply['type']>(type: T, timeoutMs = 60_000) =>
    new Promise<Extract<Reply, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`${file}: no "${type}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (message: Reply) => {
        if (message.type === type) done(null, message as Extract<Reply, { type: T }>);
      };
      const onExit = (code: number | null) => done(new Error(`${file} exited (${code}) before "${type}"`));
      function done(error: Error | null, message?: Extract<Reply, { type: T }>) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(message!);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });

  return {
    child,
    next,
    ask: (request, type) => {
      const reply = next(type);
      child.send(request as object);
      return reply;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

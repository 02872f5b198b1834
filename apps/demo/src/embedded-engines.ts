import { fork } from 'node:child_process';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from './free-port';

export interface EmbeddedEngines {
  /** The environment that points both apps at the embedded engines. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * PostgreSQL with nothing installed: PGlite (Postgres compiled to WebAssembly) served over the Postgres
 * wire protocol, so TypeORM and BullMQ's PostgreSQL backend connect to it as to any server. It runs in
 * a child process, so the database and the apps use a core each. In memory unless given a folder.
 */
export async function startEmbeddedEngines(options: { dataDir?: string } = {}): Promise<EmbeddedEngines> {
  const child = fork(join(__dirname, 'embedded-postgres.ts'), options.dataDir ? [options.dataDir] : [], {
    execArgv: ['-r', join(__dirname, '../../../scripts/register-swc.js')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`embedded Postgres exited with code ${code}`)));
  });
  return {
    env: {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      // PGlite is one session: each pool holds one connection, and the server runs their queries in turn.
      DATABASE_POOL_SIZE: '1',
      QUEUE_BACKEND: 'postgres',
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/** Serves one PGlite database on a free loopback port (the child process's half). */
export async function servePglite(dataDir?: string): Promise<{ port: number; stop(): Promise<void> }> {
  const db = await PGlite.create(dataDir);
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 64 });
  serialiseExtendedQueries(server);
  await server.start();
  return {
    port,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Parse, Bind, Describe, Execute, Close and Flush: the steps of an extended-protocol query before Sync. */
const EXTENDED = new Set([...'PBDECH'].map((c) => c.charCodeAt(0)));
const ENDS_SEQUENCE = new Set([...'SQ'].map((c) => c.charCodeAt(0)));

/**
 * PGlite is one session for every connection, and the socket server interleaves connections message
 * by message, so one connection's unnamed statement can replace another's between Parse and Bind
 * ("unnamed prepared statement does not exist"). This takes the next message only from the connection
 * that is in the middle of a Parse…Sync sequence (or of a transaction), so each query runs whole.
 */
function serialiseExtendedQueries(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midSequence: number | null = null;
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const holder = midSequence ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = holder === null ? 0 : this.queue.findIndex((item) => item.handlerId === holder);
        if (index === -1) break; // wait for the holder's next message
        const [item] = this.queue.splice(index, 1);
        const type = item.message[0];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          midSequence = null;
          item.reject(error);
          continue;
        }
        if (EXTENDED.has(type)) midSequence = item.handlerId;
        else if (ENDS_SEQUENCE.has(type)) midSequence = null;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (midSequence === handlerId) {
      midSequence = null;
      void queue.processQueue();
    }
  };
}

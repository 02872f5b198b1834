import { createServer } from 'node:net';

/**
 * A free TCP port on the loopback interface, so links in mail (or a second process) can name it before
 * anything listens on it.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

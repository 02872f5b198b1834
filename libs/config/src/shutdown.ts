/** The little of a Nest logger that shutting down needs. */
interface ShutdownLogger {
  log(message: string): void;
  error(message: unknown): void;
}

/**
 * Closes the app on SIGTERM or SIGINT and exits: 0 once `close()` has finished (Nest's shutdown hooks
 * ran: workers drained, servers and pools closed), 1 if it failed or took longer than `timeoutMs`.
 * One close however many signals come: a process group, a supervisor and `npm start` may each pass
 * one on, and a second signal must not kill the app half-way.
 */
export function closeOnSignals(
  app: { close(): Promise<void> },
  logger: ShutdownLogger,
  { timeoutMs, doing }: { timeoutMs: number; doing: string },
): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return logger.log(`${signal}: already ${doing}`);
      closing = true;
      logger.log(`${signal}: ${doing}`);
      setTimeout(() => {
        logger.error(`still ${doing} after ${timeoutMs} ms; exiting`);
        process.exit(1);
      }, timeoutMs).unref();
      app.close().then(
        () => {
          logger.log('stopped cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(error);
          process.exit(1);
        },
      );
    });
  }
}

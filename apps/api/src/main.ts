import { Logger } from 'nestjs-pino';
import { AppConfig, closeOnSignals, ConfigError } from '@luotsi/config';
import { createApiApp } from './api.app';

async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment();
  const app = await createApiApp({ config });
  // Requests in flight are answered, then the pools and queues close.
  closeOnSignals(app, app.get(Logger), {
    timeoutMs: config.worker.shutdownTimeoutMs,
    doing: 'closing',
  });
  await app.listen(config.http.port, config.http.host);
}

main().catch((error: unknown) => {
  // Before the logger exists, a plain line naming the variable is the clearest message.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

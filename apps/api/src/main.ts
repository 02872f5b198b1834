import { AppConfig, ConfigError } from '@luotsi/config';
import { createApiApp } from './api.app';

async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment();
  const app = await createApiApp({ config });
  await app.listen(config.http.port, config.http.host);
}

main().catch((error: unknown) => {
  // Before the logger exists, a plain line naming the variable is the clearest message.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

import { servePglite } from './embedded-engines';

/** The embedded Postgres as a child process: serves PGlite, reports its port, stops when told. */
async function main(): Promise<void> {
  const served = await servePglite(process.argv[2]);
  process.on('message', (message) => {
    if (message === 'stop') void served.stop().then(() => process.exit(0));
  });
  // The parent went away without a word: stop too.
  process.on('disconnect', () => void served.stop().then(() => process.exit(0)));
  process.send!({ port: served.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { ManualClock } from '@luotsi/domain';
import { startEmbeddedEngines, EmbeddedEngines } from './embedded-engines';
import { startRuntime } from './demo-runtime';
import { DemoSimulation, DemoSummary } from './demo-simulation';

/**
 * `npm run demo [-- --once]`: a whole simulated rollout. Without DATABASE_URL and REDIS_URL it runs on
 * embedded engines (PGlite for Postgres, BullMQ's Postgres backend for the queues); with both set, on
 * those servers. Mail goes to the built-in inbox. The services stay up until Ctrl-C; `--once` prints
 * the summary as JSON and exits, for scripts and tests; `--data-dir <folder>` keeps the embedded
 * database in a folder instead of memory.
 */
async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const dataDirAt = process.argv.indexOf('--data-dir');
  const dataDir = dataDirAt > 0 ? process.argv[dataDirAt + 1] : undefined;
  const started = Date.now();
  const embedded = !process.env.DATABASE_URL && !process.env.REDIS_URL;
  if (!embedded && (!process.env.DATABASE_URL || !process.env.REDIS_URL))
    throw new Error(
      'Set both DATABASE_URL and REDIS_URL to use your servers, or neither for the embedded engines.',
    );
  say(embedded ? 'Starting embedded Postgres (PGlite) and queues…' : 'Using DATABASE_URL and REDIS_URL…');
  let engines: EmbeddedEngines | null = null;
  const env: Record<string, string> = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  delete env.SMTP_URL; // mail goes to the built-in inbox
  if (embedded) {
    engines = await startEmbeddedEngines({ dataDir });
    Object.assign(env, engines.env);
  }
  const clock = new ManualClock();
  const runtime = await startRuntime({ NODE_ENV: 'development', ...env }, clock);
  const simulation = new DemoSimulation(runtime, progressBar());
  const summary = await simulation.run();
  process.stdout.write('\n');

  const stop = async () => {
    await runtime.close();
    await engines?.stop();
  };
  if (once) {
    process.stdout.write(
      `${JSON.stringify({ ...summary, seconds: Math.round((Date.now() - started) / 1000) })}\n`,
    );
    await stop();
    return;
  }
  print(summary, runtime.config.operator.token!, Date.now() - started);
  say('The services stay up; Ctrl-C stops them.');
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** One bar per quarter, redrawn in place on a terminal, a line per step elsewhere. */
function progressBar() {
  let current = '';
  return (quarter: string, done: number, total: number, what: string) => {
    const width = 24;
    const filled = Math.round((done / total) * width);
    const line = `${quarter} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${what.padEnd(14)}`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}`);
      if (done === total) process.stderr.write('\n');
    } else if (quarter !== current || done === total) {
      if (done === total) say(line);
    }
    current = quarter;
  };
}

function print(summary: DemoSummary, operatorToken: string, ms: number): void {
  say('');
  say(`Done in ${Math.round(ms / 1000)} s.`);
  say(`  mail sent: ${summary.mailSent} (failed ${summary.mailFailed})`);
  say(`  retrospective answers: ${summary.retrospectiveAnswers}, check-ins: ${summary.checkIns}`);
  for (const pilot of summary.pilots)
    say(
      `  ${pilot.name}: ${pilot.learningReportsReady} learning report(s) over ${pilot.quarters} quarter(s)`,
    );
  if (summary.readiness)
    say(
      `  readiness: ${summary.readiness.verdict}${summary.readiness.decision ? `, decided ${summary.readiness.decision}` : ''}`,
    );
  say('');
  say('Open the console and sign in as the demo coach:');
  say(`  ${summary.links.console}`);
  say(`  email ${summary.workspace.email}   password ${summary.workspace.password}`);
  say('');
  say('Also:');
  for (const [name, url] of Object.entries(summary.links))
    if (name !== 'console' && name !== 'queues') say(`  ${name.padEnd(22)} ${url}`);
  // The board shows every workspace's jobs, so the operator token opens it, not the coach's sign-in.
  say(`  queue board            ${summary.links.console}/operator  (operator token ${operatorToken})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

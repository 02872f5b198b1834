import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { databaseUrl, TEST_DATABASE_PREFIX, withAdmin } from './support/database';
import { freePort, waitFor } from './support/processes';

const ROOT = path.resolve(__dirname, '..');
const API = 'dist/apps/api/apps/api/src/main.js';
const WORKER = 'dist/apps/worker/apps/worker/src/main.js';

/** A stand-in app: says it is up, and on SIGTERM says so and exits with `onTerm`; or exits by itself. */
// "up" is printed after the signal handlers exist: a write to a pipe is synchronous, so a signal sent on
// reading it could otherwise arrive before the handlers.
const app = (name: string, behaviour: { onTerm?: number; exitAfterMs?: number; exitCode?: number }) => `
for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => { console.log('${name} got ' + signal); process.exit(${behaviour.onTerm ?? 0}); });
console.log('${name} up');
${behaviour.exitAfterMs === undefined ? 'setInterval(() => {}, 1000);' : `setTimeout(() => process.exit(${behaviour.exitCode ?? 0}), ${behaviour.exitAfterMs});`}
`;

/**
 * scripts/start.js, copied beside stand-in builds of both apps (a real build takes a minute; the
 * script's job is the process handling, which this exercises with real processes and signals).
 */
function startScript(api: string | null, worker: string | null) {
  const dir = mkdtempSync(path.join(tmpdir(), 'luotsi-start-'));
  mkdirSync(path.join(dir, 'scripts'));
  copyFileSync(path.join(ROOT, 'scripts/start.js'), path.join(dir, 'scripts/start.js'));
  for (const [entry, source] of [
    [API, api],
    [WORKER, worker],
  ] as const) {
    if (source === null) continue;
    mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
    writeFileSync(path.join(dir, entry), source);
  }
  const child: ChildProcess = spawn(process.execPath, [path.join(dir, 'scripts/start.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', SHUTDOWN_TIMEOUT_MS: '2000' },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // 'close', not 'exit': the output of the apps (which share the pipe) is all read by then.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe('npm start (scripts/start.js)', () => {
  it('runs both apps and, on SIGTERM, stops both and exits 0', async () => {
    const run = startScript(app('api', {}), app('worker', {}));
    try {
      await waitFor(() => /api up/.test(run.output()) && /worker up/.test(run.output()), 10_000, run.output);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('api got SIGTERM');
      expect(run.output()).toContain('worker got SIGTERM');
    } finally {
      run.cleanup();
    }
  });

  it('exits non-zero when one app dies, stopping the other', async () => {
    const run = startScript(app('api', {}), app('worker', { exitAfterMs: 300, exitCode: 3 }));
    try {
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/worker stopped on its own \(exit code 3\)/);
      expect(run.output()).toContain('api got SIGTERM');
    } finally {
      run.cleanup();
    }
  });

  it('counts a clean exit nobody asked for as a failure too', async () => {
    const run = startScript(app('api', { exitAfterMs: 300, exitCode: 0 }), app('worker', {}));
    try {
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain('worker got SIGTERM');
    } finally {
      run.cleanup();
    }
  });

  it('exits non-zero when an app fails to stop cleanly on SIGTERM', async () => {
    const run = startScript(app('api', {}), app('worker', { onTerm: 1 }));
    try {
      await waitFor(() => /api up/.test(run.output()) && /worker up/.test(run.output()), 10_000, run.output);
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(1);
    } finally {
      run.cleanup();
    }
  });

  it('refuses to start without a build, naming what is missing', async () => {
    const run = startScript(app('api', {}), null);
    try {
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/worker is not built .*run npm run build/);
      expect(run.output()).not.toContain('api up');
    } finally {
      run.cleanup();
    }
  });
});

/**
 * Records how each built app ends, loaded into every node process through NODE_OPTIONS (it acts only
 * in the two apps): `exit <code>` from process.exit or a drained event loop, and `re-raised <signal>`
 * when the app kills itself with the signal it got, as Nest's shutdown hooks do once the app has closed.
 */
const EXIT_RECORDER = `
const fs = require('node:fs');
const app = /dist\\/apps\\/(api|worker)\\/.*main\\.js$/.exec(process.argv[1] || '');
if (app && process.env.EXIT_RECORD) {
  const record = (line) => fs.appendFileSync(process.env.EXIT_RECORD, app[1] + ' ' + line + '\\n');
  process.on('exit', (code) => record('exit ' + code));
  const kill = process.kill.bind(process);
  process.kill = (pid, signal) => {
    if (pid === process.pid) record('re-raised ' + signal);
    return kill(pid, signal);
  };
}
`;

/** Pids of this user's processes whose environment holds `entry` (NAME=value). */
function processesWith(entry: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(entry);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function run(command: string, args: string[], env: Record<string, string>, detached = false) {
  const child = spawn(command, args, { cwd: ROOT, env, detached, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

describe('a fresh clone: npm run migration:run, then npm start', () => {
  // Named like the other test databases, so a crashed run's database is swept by a later run.
  const name = `${TEST_DATABASE_PREFIX}${Math.floor(Date.now() / 1000)}_fresh_${randomBytes(3).toString('hex')}`;
  const prefix = `luotsi-test-start-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'luotsi-fresh-'));
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let npmStart: ReturnType<typeof run> | undefined;

  afterAll(async () => {
    // If the test failed half-way: stop whatever npm start left running. The apps run in process
    // groups of their own, so they are found by the queue prefix in their environment.
    for (const pid of [npmStart?.child.pid, ...processesWith(`QUEUE_PREFIX=${prefix}`)]) {
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  let port = 0;
  const record = path.join(dir, 'exits.txt');

  it('creates and migrates the database, builds, and serves /health with database, redis and worker up', async () => {
    port = await freePort();
    writeFileSync(path.join(dir, 'exit-recorder.js'), EXIT_RECORDER);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      DATABASE_URL: databaseUrl(name),
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      HEARTBEAT_EVERY_MS: '1000',
      // A beat a second, so a move of the clock shows in the inbox at once.
      CADENCE_TICK_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      LOG_LEVEL: 'warn',
      EXIT_RECORD: record,
      NODE_OPTIONS: `--require ${path.join(dir, 'exit-recorder.js')}`,
    };

    // The database does not exist yet: the migration command creates it, then migrates it.
    const exists = async () =>
      (await withAdmin((admin) => admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])))
        .rowCount === 1;
    expect(await exists()).toBe(false);
    const migrate = run('npm', ['run', 'migration:run'], env);
    expect(await migrate.exited).toEqual({ code: 0, signal: null });
    expect(migrate.output()).toContain(`created database ${name}`);
    const client = new Client({ connectionString: databaseUrl(name) });
    await client.connect();
    const { rows } = await client
      .query(`SELECT count(*)::int AS n FROM typeorm_migrations`)
      .finally(() => client.end());
    expect(rows[0].n).toBe(
      readdirSync(path.join(ROOT, 'migrations')).filter((f) => /^\d+-.*\.ts$/.test(f)).length,
    );

    // npm start: prestart builds both apps, then scripts/start.js runs them.
    npmStart = run('npm', ['start'], env, true);
    const started = npmStart;
    let health: { status?: string; info?: Record<string, { status: string }> } = {};
    await waitFor(
      async () => {
        if (started.child.exitCode !== null) return true;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/health`);
          health = (await res.json()) as typeof health;
        } catch {
          return false;
        }
        return ['database', 'redis', 'worker'].every((part) => health.info?.[part]?.status === 'up');
      },
      // The build under npm start's prestart: about a minute alone, several on a busy machine.
      420_000,
      () => `no healthy /health; last: ${JSON.stringify(health)}; output:\n${started.output().slice(-3000)}`,
    );
    expect(health).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' }, worker: { status: 'up' } },
    });
    expect(existsSync(path.join(ROOT, 'dist/apps/api/apps/api/src/main.js'))).toBe(true);
  }, 480_000);

  it("in development, POST /dev/clock to a step's day makes the worker send that step", async () => {
    const base = `http://127.0.0.1:${port}`;
    const call = async (method: string, url: string, body?: unknown, token?: string) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    };
    // As a person trying Luotsi would: a workspace, an organization, a rollout, a pilot from 2027-Q1
    // with one participant, started today (December 2026, before its quarter).
    const signUp = await call('POST', '/api/v1/workspaces', {
      workspaceName: 'Kokeilu',
      email: 'coach@example.fi',
      name: 'Kokeilija',
      password: 'correct horse battery staple',
    });
    expect(signUp.status).toBe(202);
    // No SMTP server: the confirmation link is in the development inbox, and it signs the coach in.
    const inboxRow =
      /<tr><td>[^<]*<\/td><td>coach@example\.fi<\/td><td><a href="\/dev\/inbox\/([0-9a-f-]+)">/;
    let confirmationId: string | undefined;
    await waitFor(
      async () => !!(confirmationId = inboxRow.exec((await call('GET', '/dev/inbox')).body as string)?.[1]),
      20_000,
      () => 'no confirmation in the inbox',
    );
    const confirmation = (await call('GET', `/dev/inbox/${confirmationId}/html`)).body as string;
    const link = /\/app\/confirm\/(lcf_[A-Za-z0-9_-]{43})/.exec(confirmation);
    expect(link).not.toBeNull();
    const confirmed = await call('POST', '/api/v1/auth/confirmations', { token: link![1] });
    expect(confirmed.status).toBe(200);
    const token = confirmed.body.accessToken as string;
    const organization = await call(
      'POST',
      '/api/v1/organizations',
      { name: 'Kela', sector: 'public', headcount: 8000, timeZone: 'Europe/Helsinki', defaultLocale: 'fi' },
      token,
    );
    const rollout = await call(
      'POST',
      '/api/v1/rollouts',
      { organizationId: organization.body.id, goal: 'OKRs', targetHeadcount: 100, plannedWaves: 2 },
      token,
    );
    const pilot = await call(
      'POST',
      `/api/v1/rollouts/${rollout.body.id}/pilots`,
      { name: 'Etuuspalvelut', waveNumber: 1, levels: ['staff'], startQuarter: '2027-Q1' },
      token,
    );
    const person = await call(
      'POST',
      `/api/v1/pilots/${pilot.body.id}/participants`,
      { email: 'aino@example.fi', name: 'Aino Virtanen', locale: 'fi', level: 'staff' },
      token,
    );
    expect(person.status).toBe(201);
    expect((await call('POST', `/api/v1/pilots/${pilot.body.id}/start`, undefined, token)).status).toBe(200);

    /** The inbox's messages to Aino, as the page lists them (newest first). */
    const ainosMail = async () => {
      const page = (await call('GET', '/dev/inbox')).body as string;
      return [
        ...page.matchAll(
          /<tr><td>[^<]*<\/td><td>aino@example\.fi<\/td><td><a href="\/dev\/inbox\/([0-9a-f-]+)">([^<]*)<\/a>/g,
        ),
      ].map((m) => ({ id: m[1], subject: m[2] }));
    };
    // A few beats: the kickoff is due on 1 January, so nothing goes yet.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await ainosMail()).toEqual([]);

    // To the kickoff's day, past its 09:00 in Helsinki: the worker's next beat sends it.
    const moved = await call('POST', '/dev/clock', { to: '2027-01-01T09:30:00+02:00' });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now)).toBeGreaterThanOrEqual(Date.parse('2027-01-01T07:30:00Z'));
    expect((await call('GET', '/dev/clock')).body.offsetMs).toBeGreaterThan(0);
    let mail: { id: string; subject: string }[] = [];
    await waitFor(
      async () => (mail = await ainosMail()).length > 0,
      20_000,
      () => 'no kickoff in the inbox',
    );
    expect(mail).toEqual([
      { id: expect.any(String), subject: 'Aino, mikä on neljänneksen 2027-Q1 tärkein tehtävä?' },
    ]);
    const raw = (await call('GET', `/dev/inbox/${mail[0].id}/raw`)).body as string;
    // The header is folded onto its next line.
    expect(raw).toMatch(/X-Luotsi-Message:\s+[0-9a-f-]+\.kickoff\.p[0-9a-f-]+/);
    // Sent once: more beats on the same day add nothing.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await ainosMail()).toHaveLength(1);
  }, 60_000);

  it('stops both apps cleanly on SIGTERM', async () => {
    const started = npmStart!;

    // SIGTERM to `npm start` itself, as a supervisor's stop sends it: npm passes it on to the script
    // (the script runs as `exec`, so no shell stands between them to swallow it).
    process.kill(started.child.pid!, 'SIGTERM');
    expect({ exit: await started.exited, output: started.output().slice(-3000) }).toEqual({
      exit: { code: 0, signal: null },
      output: expect.not.stringMatching(/stopped on its own|still running/),
    });
    const exits = readFileSync(record, 'utf8').trim().split('\n').sort();
    // Both close (the worker drains; the API answers what is in flight, closes its pools) and exit 0.
    expect(exits).toEqual(['api exit 0', 'worker exit 0']);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 120_000);
});

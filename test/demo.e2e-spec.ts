import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { hashToken, ManualClock } from '@luotsi/domain';
import { startRuntime } from '../apps/demo/src/demo-runtime';
import { DemoSimulation } from '../apps/demo/src/demo-simulation';
import { testEnvironment } from './support/api';

interface Summary {
  mailSent: number;
  retrospectiveAnswers: number;
  checkIns: number;
  pilots: { name: string; learningReportsReady: number; quarters: number }[];
  readiness: { verdict: string | null; decision: string | null } | null;
  nextWave: {
    decision: string;
    waveNumber: number;
    decisionId: string;
    pilots: string[];
    startQuarter: string;
  } | null;
  movedOn: number;
  links: Record<string, string>;
}

/** Runs `npm run demo -- --once …` as a newcomer would and returns its summary line. */
function runDemo(args: string[], env: Record<string, string | undefined>): Promise<Summary> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'demo', '--', '--once', ...args], {
      cwd: join(__dirname, '..'),
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`demo exited ${code}: ${err.slice(-3000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as Summary);
      } catch (error) {
        reject(new Error(`no summary: ${out.slice(-1000)} ${err.slice(-1000)} ${String(error)}`));
      }
    });
  });
}

/** What the database says the demo did, counted independently of the demo's own summary. */
const COUNTS = `
  SELECT (SELECT count(*)::int FROM outbox_message WHERE status = 'sent') AS "mailSent",
         (SELECT count(*)::int FROM captured_mail) AS captured,
         (SELECT count(*)::int FROM retrospective_response)
           + (SELECT count(*)::int FROM pending_answer) AS "retrospectiveAnswers",
         (SELECT count(*)::int FROM check_in) AS "checkIns",
         (SELECT count(*)::int FROM audit_event WHERE action = 'pilot.advance'
            AND details->>'automatic' = 'true') AS "movedOnByThemselves",
         (SELECT count(*)::int FROM audit_event WHERE action = 'pilot.advance'
            AND details->>'automatic' IS NULL) AS "advancedByCoach",
         (SELECT count(*)::int FROM audit_event WHERE action = 'rollout.next_wave_created') AS "wavesCreated",
         (SELECT count(*)::int FROM pilot p JOIN rollout_decision d ON d.id = p.decision_id
            WHERE d.decision = 'go' AND p.wave_number = 2 AND p.name = 'Asiakaspalvelun pilotti'
              AND p.levels = '{staff}') AS "wavePilots"`;
const REPORTS = `
  SELECT p.name, count(lr.id) FILTER (WHERE lr.status = 'ready')::int AS ready
  FROM pilot p LEFT JOIN learning_report lr ON lr.pilot_id = p.id
  WHERE p.workspace_id = (SELECT id FROM workspace ORDER BY created_at DESC LIMIT 1)
  GROUP BY p.name ORDER BY p.name`;

/**
 * Opens the demo's embedded database folder in PGlite and runs the two queries. In a plain Node process:
 * PGlite loads its WebAssembly with a dynamic import, which Jest's module system does not allow.
 */
function queryPglite(dir: string): {
  counts: Record<string, number>;
  reports: { name: string; ready: number }[];
} {
  const script = `
    const { PGlite } = require('@electric-sql/pglite');
    (async () => {
      const db = await PGlite.create(process.argv[1]);
      const counts = (await db.query(process.argv[2])).rows[0];
      const reports = (await db.query(process.argv[3])).rows;
      await db.close();
      process.stdout.write(JSON.stringify({ counts, reports }));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script, dir, COUNTS, REPORTS], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`reading the demo's database failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function check(summary: Summary, counts: Record<string, number>, reports: { name: string; ready: number }[]) {
  expect(summary.mailSent).toBe(counts.mailSent);
  // Every mail went to the built-in inbox.
  expect(counts.captured).toBeGreaterThanOrEqual(counts.mailSent);
  expect(summary.retrospectiveAnswers).toBe(counts.retrospectiveAnswers);
  expect(summary.checkIns).toBe(counts.checkIns);
  // At least a kickoff and a retrospective invitation for each of the 899 participants.
  expect(counts.mailSent).toBeGreaterThan(2 * 899);
  expect(counts.retrospectiveAnswers).toBeGreaterThan(300);
  expect(counts.checkIns).toBeGreaterThan(50);
  // Every pilot has a learning report for each quarter it closed.
  expect(reports.map((r) => r.name).sort()).toEqual(summary.pilots.map((p) => p.name).sort());
  for (const pilot of summary.pilots) {
    expect(reports.find((r) => r.name === pilot.name)!.ready).toBe(pilot.learningReportsReady);
    expect(pilot.learningReportsReady).toBeGreaterThanOrEqual(1);
  }
  expect(summary.readiness?.verdict).toMatch(/^(ready|ready_with_conditions|not_ready)$/);
  // Quarters moved themselves at their end on the clock: the board's, the management's and the
  // volunteers' pilots each went on at the end of Q1, Q2 and Q3 (3 × 3); the coach advanced none.
  expect(summary.movedOn).toBe(9);
  expect(counts.movedOnByThemselves).toBe(9);
  expect(counts.advancedByCoach).toBe(0);
  // The second wave came from the readiness report's proposal after the sponsors' go: one staff pilot,
  // wave 2, linked to the decision, starting the quarter after the report.
  expect(summary.nextWave).toMatchObject({
    decision: 'go',
    waveNumber: 2,
    pilots: ['Asiakaspalvelun pilotti'],
    startQuarter: '2027-Q3',
  });
  expect(counts.wavesCreated).toBe(1);
  expect(counts.wavePilots).toBe(1);
  expect(summary.links.retrospective).toMatch(/\/r\/r_[A-Za-z0-9_-]{43}$/);
}

/**
 * `npm run demo -- --once`, the README's first command, end to end: on the embedded engines (no
 * DATABASE_URL, no REDIS_URL) and on the local servers. Its summary must agree with the database.
 */
describe('npm run demo', () => {
  it('runs a whole rollout on embedded engines, and the summary agrees with the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luotsi-demo-'));
    try {
      const env = { ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined, QUEUE_PREFIX: undefined };
      const summary = await runDemo(['--data-dir', dir], env);
      const { counts, reports } = queryPglite(dir);
      check(summary, counts, reports);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);

  it('runs the same on the local Postgres and Redis', async () => {
    const { env, database } = await testEnvironment();
    try {
      const summary = await runDemo([], { ...process.env, ...env });
      const client = new Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const counts = (await client.query(COUNTS)).rows[0];
        const reports = (await client.query(REPORTS)).rows;
        check(summary, counts, reports);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  }, 900_000);

  it('lets a person follow the README: the inbox, a live link, an answer, and the next report counts it', async () => {
    const { env, database } = await testEnvironment();
    const runtime = await startRuntime({ ...env }, new ManualClock());
    try {
      const summary = await new DemoSimulation(runtime, () => undefined).run();
      const base = runtime.baseUrl;

      // The inbox the demo prints lists the retrospective invitations it sent.
      const inbox = await fetch(summary.links.inbox);
      expect(inbox.status).toBe(200);
      expect(await inbox.text()).toMatch(/retrospektiiv|retrospektiv|retrospective/i);

      // The printed link opens the form; find its run the way the server does, by the token's hash.
      const link = new URL(summary.links.retrospective);
      const form = await fetch(link);
      expect(form.status).toBe(200);
      const token = link.pathname.split('/').pop()!;
      const [run] = await runtime.db.query(
        `SELECT i.retrospective_id AS id, r.quarter_id AS "quarterId"
         FROM invitation_token t JOIN invitation i ON i.id = t.invitation_id
         JOIN retrospective r ON r.id = i.retrospective_id WHERE t.token_hash = $1`,
        [hashToken(token)],
      );
      const responses = async () =>
        (
          await runtime.db.query(
            // An anonymous answer waits in pending_answer until it moves with at least k others.
            `SELECT (SELECT count(*) FROM retrospective_response WHERE retrospective_id = $1)::int
                    + (SELECT count(*) FROM pending_answer WHERE retrospective_id = $1)::int AS n`,
            [run.id],
          )
        )[0].n as number;
      const before = await responses();

      // The person answers (every required question, as the form asks).
      const answers: Record<string, string> = {
        okrs_guided_priorities: '4',
        confidence_next_quarter: '8',
        recommend_okrs: '9',
        what_worked: 'Veckomötena höll fokus.',
      };
      for (const element of ['awareness', 'desire', 'knowledge', 'ability', 'reinforcement'])
        answers[`adkar_${element}`] = '4';
      const posted = await fetch(link, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(answers).toString(),
      });
      expect(posted.status).toBe(200);
      expect(await responses()).toBe(before + 1);

      // The coach closes the run as the README says; the learning report that follows counts the answer.
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(summary.workspace),
      });
      const auth = {
        Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`,
      };
      const closed = await fetch(`${base}/api/v1/retrospectives/${run.id}/close`, {
        method: 'POST',
        headers: auth,
      });
      expect(closed.status).toBe(200);
      await runtime.settleReports();
      const report = (await (
        await fetch(`${base}/api/v1/quarters/${run.quarterId}/learning-report`, { headers: auth })
      ).json()) as { status: string; content: { response: { count: number } } };
      expect(report.status).toBe('ready');
      expect(report.content.response.count).toBe(before + 1);
      expect(report.content.response.count).toBe(await responses());
    } finally {
      await runtime.close();
      await database.drop();
    }
  }, 900_000);
});

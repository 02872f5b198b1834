import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { AppConfig } from '@luotsi/config';
import { LearningReportService } from '@luotsi/domain';
import { createApiApp } from '../apps/api/src/api.app';
import { rawHome, rawPilot } from './console-raw';
import {
  ConsoleSeed,
  ORGANIZATIONS,
  PARTICIPANTS_PER_PILOT,
  PILOTS_PER_ORGANIZATION,
  seedConsole,
} from './console-seed';
import { BenchContext, meets, PathResult, PRODUCTION_ENV } from './kit';

/** Untimed rounds first (JIT, plan caches, pool connections), then the timed ones; p95 of those. */
const WARM_UP = 10;
const ROUNDS = 60;
const RATIO_GOAL = '≤ 3×';
const ABSOLUTE_GOAL = '≤ 150 ms';

interface Session {
  cookie: string;
}

interface Timings {
  luotsi: number[];
  raw: number[];
  bytes: number;
}

/**
 * The console's two busiest pages for a consultancy of 20 organizations, 60 pilots and 30,000
 * participants over four quarters, as the coach opens them: the home page (`GET /app`, the portfolio)
 * and a running pilot's page (`GET /app/pilots/:id`), each timed over loopback against the API in
 * production mode, signed in through the console's own form. Each is set against one hand-written SQL
 * statement that gathers the same data (`console-raw.ts`); the two take turns request by request, so a
 * neighbour on the machine slows both. The figure is the p95 of each side; the ratio is Luotsi's p95 over
 * the raw one, and the absolute p95 has its own goal.
 */
export async function benchConsole(ctx: BenchContext): Promise<PathResult[]> {
  const database = await ctx.database('console');
  const db = new Client({ connectionString: database.url });
  await db.connect();
  let app: NestExpressApplication | undefined;
  try {
    app = await createApiApp({
      config: AppConfig.fromEnvironment({
        ...PRODUCTION_ENV,
        SMTP_URL: 'smtp://127.0.0.1:2525',
        DATABASE_URL: database.url,
        REDIS_URL: ctx.redisUrl,
        QUEUE_PREFIX: ctx.queuePrefix('console'),
        LOG_LEVEL: 'warn',
      }),
    });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

    const started = Date.now();
    const seed = await seedConsole(base, db, app.get(LearningReportService), ctx.log);
    const seedSeconds = Math.round((Date.now() - started) / 1000);
    ctx.log(`console: seeded in ${seedSeconds} s (${JSON.stringify(seed.rows)})`);
    return await measureConsole(base, db, { ...seed, seedSeconds }, ctx.log);
  } finally {
    await app?.close();
    await db.end();
    await database.drop();
  }
}

/**
 * Signs in as the coach and times both pages against their raw statements. `pilotPage` names the pilot
 * page's address (a 404 there means the page does not exist yet: the path is skipped, not failed).
 */
export async function measureConsole(
  base: string,
  db: Client,
  seed: Pick<ConsoleSeed, 'workspaceId' | 'coach' | 'rows' | 'seconds'> & { seedSeconds: number },
  log: (line: string) => void,
  pilotPage = (id: string) => `/app/pilots/${id}`,
): Promise<PathResult[]> {
  const what = `${ORGANIZATIONS} orgs · ${ORGANIZATIONS * PILOTS_PER_ORGANIZATION} pilots · ${seed.rows.participants} people · 4 quarters`;
  const shared = { seedSeconds: seed.seedSeconds, seedStages: seed.seconds, rows: seed.rows };

  const session = await signIn(base, seed.coach.email, seed.coach.password);

  // The home page: every pilot the coach sees must be on it, and no other.
  const expected = await rawHome(db, seed.workspaceId, seed.coach.id);
  const shown = await page(base, '/app', session);
  if (shown.status !== 200) throw new Error(`GET /app answered ${shown.status}`);
  const ids = new Set([...shown.text.matchAll(/href="\/app\/pilots\/([0-9a-f-]{36})"/g)].map((m) => m[1]));
  const missing = expected.filter((row) => !ids.has(row.id));
  if (missing.length || ids.size !== expected.length)
    throw new Error(
      `the home page shows ${ids.size} pilots, the raw statement ${expected.length} (missing ${missing.map((r) => r.name).join(', ')})`,
    );
  const home = await alternate(
    () => page(base, '/app', session),
    () => rawHome(db, seed.workspaceId, seed.coach.id),
  );
  log(
    `console home: ${expected.length} pilots, ${Math.round(home.bytes / 1024)} KiB; Luotsi p50 ${ms(percentile(home.luotsi, 0.5))} ms, raw p50 ${ms(percentile(home.raw, 0.5))} ms`,
  );

  // The pilot page of a running pilot in its fourth quarter, with an open retrospective.
  const {
    rows: [target],
  } = await db.query<{ id: string; name: string }>(
    `SELECT p.id, p.name FROM pilot p JOIN quarter q ON q.pilot_id = p.id AND q.state = 'active' AND q.number = 4
     JOIN retrospective rt ON rt.quarter_id = q.id
     WHERE p.workspace_id = $1 AND p.state = 'running'
     ORDER BY (SELECT count(*) FROM outbox_message m WHERE m.quarter_id = q.id AND m.status = 'failed') DESC, p.name
     LIMIT 1`,
    [seed.workspaceId],
  );
  const pilotPath = pilotPage(target.id);
  const first = await page(base, pilotPath, session);
  let pilotResult: PathResult;
  if (first.status === 404) {
    pilotResult = {
      path: 'console-pilot',
      luotsi: 0,
      raw: 0,
      unit: 'ms',
      ratio: 0,
      goal: RATIO_GOAL,
      holds: false,
      skipped: `GET /app/pilots/:id answered 404: the pilot page is not in this build`,
      details: { what: `${target.name}, 4th quarter running` },
    };
  } else {
    if (first.status !== 200) throw new Error(`GET ${pilotPath} answered ${first.status}`);
    const raw = await rawPilot(db, seed.workspaceId, target.id);
    if (!first.text.includes(raw.pilot.name))
      throw new Error(`the pilot page does not name its pilot ${raw.pilot.name}`);
    const timings = await alternate(
      () => page(base, pilotPath, session),
      () => rawPilot(db, seed.workspaceId, target.id),
    );
    pilotResult = result('console-pilot', timings, {
      what: `${target.name}, 4th quarter running, ${PARTICIPANTS_PER_PILOT} people`,
      gathered: {
        timelineSteps: raw.timeline.length,
        runs: raw.runs.length,
        objectives: raw.objectives?.length ?? 0,
        failures: raw.failures?.length ?? 0,
      },
    });
  }

  const results = [result('console', home, { what, pilotsShown: expected.length, ...shared }), pilotResult];
  for (const { path, details, skipped } of results)
    if (!skipped) {
      const absolute = details!.absolute as { p95Ms: number; holds: boolean };
      log(
        `${path}: absolute p95 ${absolute.p95Ms} ms (goal ${ABSOLUTE_GOAL}) ${absolute.holds ? 'ok' : 'MISS'}`,
      );
    }
  return results;
}

function result(path: string, timings: Timings, details: Record<string, unknown>): PathResult {
  const luotsi = round(percentile(timings.luotsi, 0.95), 1);
  const raw = round(percentile(timings.raw, 0.95), 2);
  const ratio = round(luotsi / raw, 2);
  return {
    path,
    luotsi,
    raw,
    unit: 'ms',
    ratio,
    goal: RATIO_GOAL,
    holds: meets(ratio, RATIO_GOAL),
    details: {
      ...details,
      absolute: { p95Ms: luotsi, goal: ABSOLUTE_GOAL, holds: meets(luotsi, ABSOLUTE_GOAL) },
      rounds: timings.luotsi.length,
      pageBytes: timings.bytes,
      luotsiMs: summary(timings.luotsi),
      rawMs: summary(timings.raw),
    },
  };
}

/**
 * Signs in as a browser does: the sign-in page for its form cookie and CSRF token, then the form posted
 * with both from the console's own origin; the session cookie comes back with the redirect.
 */
async function signIn(base: string, email: string, password: string): Promise<Session> {
  const form = await fetch(`${base}/app/sign-in`, { redirect: 'manual' });
  const html = await form.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (form.status !== 200 || !token)
    throw new Error(`GET /app/sign-in answered ${form.status} without a form`);
  const posted = await fetch(`${base}/app/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: base,
      cookie: cookieHeader(form.headers.getSetCookie()),
    },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  });
  await posted.text();
  const cookie = cookieHeader(posted.headers.getSetCookie());
  if (posted.status !== 303 || !cookie.includes('luotsi_session='))
    throw new Error(`POST /app/sign-in answered ${posted.status} without a session`);
  return { cookie };
}

const cookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(';', 1)[0]).join('; ');

async function page(base: string, path: string, session: Session): Promise<{ status: number; text: string }> {
  const response = await fetch(`${base}${path}`, {
    redirect: 'manual',
    headers: { cookie: session.cookie, 'accept-language': 'fi' },
  });
  return { status: response.status, text: await response.text() };
}

/** Luotsi's page and the raw statement in turns, WARM_UP untimed rounds and then ROUNDS timed ones. */
async function alternate(
  luotsi: () => Promise<{ status: number; text: string }>,
  raw: () => Promise<unknown>,
): Promise<Timings> {
  const timings: Timings = { luotsi: [], raw: [], bytes: 0 };
  for (let round = 0; round < WARM_UP + ROUNDS; round++) {
    let start = performance.now();
    const shown = await luotsi();
    const pageMs = performance.now() - start;
    if (shown.status !== 200) throw new Error(`the page answered ${shown.status} in round ${round}`);
    start = performance.now();
    await raw();
    const rawMs = performance.now() - start;
    if (round < WARM_UP) continue;
    timings.luotsi.push(pageMs);
    timings.raw.push(rawMs);
    timings.bytes = Buffer.byteLength(shown.text);
  }
  return timings;
}

/** The nearest-rank percentile. */
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * values.length) - 1)];
const summary = (values: number[]) => ({
  p50: round(percentile(values, 0.5), 2),
  p95: round(percentile(values, 0.95), 2),
  max: round(Math.max(...values), 2),
});
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const ms = (value: number) => Math.round(value);

import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { AppConfig } from '@luotsi/config';
import type { Level } from '@luotsi/database';
import { LearningReportService, type LearningReportContent } from '@luotsi/domain';
import { createApiApp } from '../apps/api/src/api.app';
import { BenchContext, meets, PathResult, PRODUCTION_ENV } from './kit';
import { seedPeople } from './people';
import { differences } from './report-check';
import { rawReport, RawReport } from './report-raw';
import { REPORT_QUESTIONS, seedRetrospectives } from './report-seed';
import { addPilot, createQuestionSet, movePilot, signUpWithPilot } from './skeleton';

const SMALL = 2_000;
const LARGE = 8_000;
/** Timed builds per side and size, after one untimed; the median counts. */
const REPEATS = 3;
const REPORT_GOAL = '≤ 3×';
/** Four quarters lived through: each closed, the last by the review. */
const LIFECYCLE = ['start', 'advance', 'advance', 'advance', 'review'];
const GROWTH_GOAL = '≤ 4.4×';

interface Pilot {
  participants: number;
  reportId: string;
  runIds: string[];
  quarterOfRun: Record<string, string>;
}

interface Timings {
  luotsi: number[];
  raw: number[];
}

/**
 * The learning report of a pilot's fourth quarter, 8,000 participants (and 2,000 for growth) × 4
 * quarters × 12 questions of anonymous answers: Luotsi's build (the real LearningReportService, as the
 * worker's job calls it, stored and announced) against the raw SQL aggregate of the same numbers over
 * the same rows. Both pilots live in one database, as they would in one workspace; builds and raw
 * aggregates take turns. The report's numbers must equal the raw aggregate's.
 */
export async function benchReport(ctx: BenchContext): Promise<PathResult[]> {
  const database = await ctx.database('report');
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
        QUEUE_PREFIX: ctx.queuePrefix('report'),
        LOG_LEVEL: 'warn',
      }),
    });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const reports = app.get(LearningReportService);

    const started = Date.now();
    const pilots = await seed(base, db, [LARGE, SMALL]);
    ctx.log(
      `report: seeded ${LARGE} and ${SMALL} participants × 4 quarters in ${Math.round((Date.now() - started) / 1000)} s`,
    );

    const choiceKeys = REPORT_QUESTIONS.filter((q) => q.type === 'single_choice').map((q) => q.key);
    const timings = new Map<Pilot, Timings>();
    for (const pilot of [...pilots].reverse()) {
      const times: Timings = { luotsi: [], raw: [] };
      let raw: RawReport | undefined;
      for (let round = 0; round <= REPEATS; round++) {
        const built = await build(reports, db, pilot.reportId);
        const aggregated = await timed(() =>
          rawReport(db, pilot.runIds[pilot.runIds.length - 1], pilot.runIds, choiceKeys),
        );
        raw = aggregated.value;
        // The first round warms both up (plans, caches, JIT) and is not counted.
        if (round > 0) {
          times.luotsi.push(built);
          times.raw.push(aggregated.ms);
        }
      }
      const content = await storedContent(db, pilot.reportId);
      const wrong = differences(content, raw!, pilot.quarterOfRun);
      if (wrong.length)
        throw new Error(
          `the ${pilot.participants}-participant report differs from the raw aggregate:\n${wrong.slice(0, 20).join('\n')}`,
        );
      timings.set(pilot, times);
      ctx.log(
        `report ${pilot.participants}: Luotsi ${times.luotsi.map(ms).join(', ')}; raw ${times.raw.map(ms).join(', ')} (numbers agree)`,
      );
    }

    const [large, small] = pilots.map((pilot) => timings.get(pilot)!);
    const seconds = (values: number[]) => round(median(values) / 1000, 3);
    const reportRatio = median(large.luotsi) / median(large.raw);
    const growth = (side: keyof Timings) => median(large[side]) / median(small[side]);
    return [
      {
        path: 'report',
        luotsi: seconds(large.luotsi),
        raw: seconds(large.raw),
        unit: 's',
        ratio: round(reportRatio, 2),
        goal: REPORT_GOAL,
        holds: meets(round(reportRatio, 2), REPORT_GOAL),
        details: {
          what: `${LARGE} people × 4 quarters × ${REPORT_QUESTIONS.length} questions`,
          luotsiMs: large.luotsi.map(ms),
          rawMs: large.raw.map(ms),
          responses: await responseCounts(db, pilots[0]),
        },
      },
      {
        path: 'growth-report',
        luotsi: round(growth('luotsi'), 2),
        raw: round(growth('raw'), 2),
        unit: '×',
        ratio: round(growth('luotsi'), 2),
        goal: GROWTH_GOAL,
        holds: meets(round(growth('luotsi'), 2), GROWTH_GOAL),
        details: {
          what: `${SMALL}→${LARGE} people`,
          luotsiSeconds: [seconds(small.luotsi), seconds(large.luotsi)],
          rawSeconds: [seconds(small.raw), seconds(large.raw)],
        },
      },
    ];
  } finally {
    await app?.close();
    await db.end();
    await database.drop();
  }
}

/**
 * One workspace with a pilot of each size, each in its own rollout: the skeleton through the API, the
 * people and four closed quarters of answers set-based, and a report row for each pilot's last quarter.
 */
async function seed(base: string, db: Client, sizes: number[]): Promise<Pilot[]> {
  const options = { quarterCount: 4, startQuarter: '2027-Q1', levels: ['management', 'staff'] as Level[] };
  const first = await signUpWithPilot(base, db, options);
  const questionSet = await createQuestionSet(base, first.token, 'Neljännesretro (12)', REPORT_QUESTIONS);
  const pilots: Pilot[] = [];
  for (const [i, participants] of sizes.entries()) {
    // Each pilot in its own rollout, so neither appears in the other's comparison.
    const ref = i === 0 ? first : { ...first, ...(await addPilot(base, first.token, options)) };
    const quarters = await movePilot(base, first.token, ref.pilotId, LIFECYCLE);
    await seedPeople(db, ref, participants);
    const runIds = await seedRetrospectives(
      db,
      ref.pilotId,
      questionSet,
      quarters.map((q) => q.id),
    );
    const {
      rows: [report],
    } = await db.query<{ id: string }>(
      `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, generation, progress, requested_at)
       SELECT workspace_id, organization_id, pilot_id, id, 'queued', 0, 0, now() FROM quarter WHERE id = $1
       RETURNING id`,
      [quarters[quarters.length - 1].id],
    );
    pilots.push({
      participants,
      reportId: report.id,
      runIds,
      quarterOfRun: Object.fromEntries(runIds.map((run, n) => [run, quarters[n].id])),
    });
  }
  await db.query(`VACUUM ANALYZE`);
  return pilots;
}

/**
 * A new generation of the report, built as the worker's job builds it: the milliseconds the build took.
 * Fails unless the report ends ready.
 */
async function build(reports: LearningReportService, db: Client, reportId: string): Promise<number> {
  const {
    rows: [{ generation }],
  } = await db.query<{ generation: number }>(
    `UPDATE learning_report SET status = 'queued', generation = generation + 1, progress = 0 WHERE id = $1 RETURNING generation`,
    [reportId],
  );
  const { ms: took } = await timed(() => reports.build(reportId, generation));
  const {
    rows: [{ status }],
  } = await db.query<{ status: string }>(`SELECT status FROM learning_report WHERE id = $1`, [reportId]);
  if (status !== 'ready') throw new Error(`the learning report ended ${status}`);
  return took;
}

async function storedContent(db: Client, reportId: string): Promise<LearningReportContent> {
  const { rows } = await db.query<{ content: LearningReportContent }>(
    `SELECT content FROM learning_report WHERE id = $1`,
    [reportId],
  );
  return rows[0].content;
}

async function responseCounts(db: Client, pilot: Pilot): Promise<number[]> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(r.id)::int AS n FROM unnest($1::uuid[]) WITH ORDINALITY AS run(id, ord)
     LEFT JOIN retrospective_response r ON r.retrospective_id = run.id GROUP BY run.ord ORDER BY run.ord`,
    [pilot.runIds],
  );
  return rows.map((row) => row.n);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const ms = (value: number) => Math.round(value);

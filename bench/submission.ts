import { Client } from 'pg';
import { startApiProcess } from './api-process';
import { forkTs } from './child';
import { fixedRate, LoadOptions, LoadResult, LoadSummary, summarize } from './fixed-rate';
import { backendCpu, backendCpuSince, BenchContext, cpuMs, meets, PathResult, PRODUCTION_ENV } from './kit';
import { quarterLabel, seedPeople } from './people';
import type { RawSubmissionReply } from './raw-submission-server';
import { movePilot, signUpWithPilot } from './skeleton';
import { formBodies, inviteWithLinks, openRun } from './submission-seed';

const RATE = 500;
const SECONDS = 20;
/**
 * The 20 s of each side run as rounds taking turns (Luotsi, raw, Luotsi, raw …), so both meet the
 * same neighbours on a shared machine; a drift in the background then moves both, not one.
 */
const ROUNDS = 4;
/** Each side first runs this long at the same rate, unmeasured: JIT, pool connections, plan caches. */
const WARM_UP_SECONDS = 2;
const GOAL = '≤ 2×';
/** One single-use link per request, and some to spare. */
const LINKS = RATE * (SECONDS + WARM_UP_SECONDS) + 1_000;
const FORM = 'application/x-www-form-urlencoded';

interface Side {
  target: Pick<LoadOptions, 'url' | 'headers' | 'next'>;
  /** The server's process, whose CPU time per post is reported beside the latencies. */
  pid: number;
  runs: LoadResult[];
  warmUp: LoadResult[];
  /** CPU time over the measured rounds, in ms: the server process and its database sessions. */
  cpu: { server: number; postgres: number };
}

/**
 * The participant's submit at a fixed 500 requests a second for 20 s: Luotsi's API (its own process,
 * production settings, every post a different single-use link of an open anonymous run) against a bare
 * node:http + pg server inserting the same row. p99 against p99; no request may fail, and the database
 * must hold exactly one answer per successful post.
 */
export async function benchSubmission(ctx: BenchContext): Promise<PathResult[]> {
  const database = await ctx.database('submission');
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const stops: (() => Promise<void>)[] = [];
  try {
    const api = await startApiProcess({
      ...PRODUCTION_ENV,
      // The API sends no mail itself; production only insists that a server is named.
      SMTP_URL: 'smtp://127.0.0.1:2525',
      DATABASE_URL: database.url,
      REDIS_URL: ctx.redisUrl,
      QUEUE_PREFIX: ctx.queuePrefix('submission'),
      LOG_LEVEL: 'info',
      // Raised so that no post is refused for its rate; the posts come from many addresses anyway.
      PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
    });
    stops.push(api.stop);
    const start = quarterLabel(new Date(Date.now() + 92 * 86_400_000));
    const pilot = await signUpWithPilot(api.url, db, {
      quarterCount: 2,
      startQuarter: start,
      levels: ['management', 'staff'],
    });
    const [first, second] = await movePilot(api.url, pilot.token, pilot.pilotId, ['start']);
    await seedPeople(db, pilot, LINKS);
    const run = await openRun(db, first.id);
    const tokens = await inviteWithLinks(db, run.runId);
    // The raw server's rows go to a run of their own, so each side's rows can be counted.
    const rawRun = await openRun(db, second.id);
    await db.query(
      `VACUUM ANALYZE participant, invitation, invitation_token, retrospective, retrospective_response, pending_answer`,
    );

    const server = forkTs<never, RawSubmissionReply>('raw-submission-server.ts', {
      DATABASE_URL: database.url,
      WORKSPACE_ID: rawRun.workspaceId,
      RETROSPECTIVE_ID: rawRun.runId,
    });
    stops.push(server.stop);
    const rawUrl = (await server.next('listening')).url;

    const bodies = formBodies(50);
    let posted = 0;
    const luotsi: Side = {
      target: {
        url: api.url,
        // A browser posts the form from the page itself; the pages allow their own origin.
        headers: { 'content-type': FORM, origin: api.url },
        next: () => {
          const i = posted++;
          return {
            path: `/r/${tokens[i % tokens.length]}`,
            body: bodies[i % bodies.length],
            // People answer from their own phones and networks, through the proxy in front of the API.
            headers: { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
          };
        },
      },
      pid: api.pid,
      runs: [],
      warmUp: [],
      cpu: { server: 0, postgres: 0 },
    };
    let rawPosted = 0;
    const raw: Side = {
      target: {
        url: rawUrl,
        headers: { 'content-type': FORM, origin: rawUrl },
        next: () => ({ path: '/r/raw', body: bodies[rawPosted++ % bodies.length] }),
      },
      pid: server.child.pid!,
      runs: [],
      warmUp: [],
      cpu: { server: 0, postgres: 0 },
    };

    const load = (side: Side, seconds: number) => fixedRate({ ...side.target, rate: RATE, seconds });
    ctx.log(
      `submission: ${tokens.length} links; ${ROUNDS} rounds of ${SECONDS / ROUNDS} s a side at ${RATE}/s`,
    );
    for (const side of [luotsi, raw]) side.warmUp.push(await load(side, WARM_UP_SECONDS));
    for (let round = 0; round < ROUNDS; round++)
      for (const side of [luotsi, raw]) {
        // Each side's database sessions are the only ones busy during its round.
        const [server, postgres] = [cpuMs(side.pid), await backendCpu(db)];
        side.runs.push(await load(side, SECONDS / ROUNDS));
        side.cpu.server += cpuMs(side.pid) - server;
        side.cpu.postgres += backendCpuSince(postgres, await backendCpu(db));
      }

    const stored = async (runId: string) =>
      (
        await db.query<{ n: number }>(
          // An anonymous answer waits in pending_answer until it moves with at least k others.
          `SELECT (SELECT count(*) FROM retrospective_response WHERE retrospective_id = $1)::int
                  + (SELECT count(*) FROM pending_answer WHERE retrospective_id = $1)::int AS n`,
          [runId],
        )
      ).rows[0].n;
    const ours = outcome(luotsi, await stored(run.runId));
    const theirs = outcome(raw, await stored(rawRun.runId));
    for (const [name, side] of [
      ['Luotsi', ours],
      ['raw', theirs],
    ] as const)
      ctx.log(
        `submission ${name}: p50 ${side.p50} ms, p99 ${side.p99} ms, ${side.rate}/s sustained, ` +
          `${side.failures} failed or miscounted; CPU/post ${side.cpuMsPerPost.server} ms server + ` +
          `${side.cpuMsPerPost.postgres} ms Postgres`,
      );
    const ratio = ours.p99 / theirs.p99;
    const clean = ours.failures === 0 && theirs.failures === 0;
    return [
      {
        path: 'submission',
        luotsi: round2(ours.p99),
        raw: round2(theirs.p99),
        unit: 'ms',
        ratio: round2(ratio),
        goal: GOAL,
        holds: meets(ratio, GOAL) && clean,
        details: {
          what: `p99 at ${RATE}/s × ${SECONDS} s`,
          p50: { luotsi: round2(ours.p50), raw: round2(theirs.p50), ratio: round2(ours.p50 / theirs.p50) },
          luotsi: ours,
          raw: theirs,
          clean: { goal: '0 failed requests; rows stored = requests answered 2xx', holds: clean },
          load: { rate: RATE, seconds: SECONDS, rounds: ROUNDS, warmUpSeconds: WARM_UP_SECONDS },
        },
      },
    ];
  } finally {
    for (const stop of stops.reverse()) await stop();
    await db.end();
    await database.drop();
  }
}

/** A side's figures; `failures` counts failed requests and any row too many or missing. */
function outcome(
  side: Side,
  storedRows: number,
): LoadSummary & {
  stored: number;
  failures: number;
  cpuMsPerPost: { server: number; postgres: number };
} {
  const measured = summarize(side.runs);
  const all = summarize([...side.warmUp, ...side.runs]);
  const posts = Math.max(1, measured.requests);
  return {
    ...measured,
    cpuMsPerPost: { server: round2(side.cpu.server / posts), postgres: round2(side.cpu.postgres / posts) },
    p50: round2(measured.p50),
    p99: round2(measured.p99),
    max: round2(measured.max),
    stored: storedRows,
    failures: all.non2xx + all.errors + Math.abs(storedRows - all.ok),
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

import type { DemoMailbox } from './demo-mailbox';
import type { PilotState } from './demo-pilots';
import type { DemoRuntime } from './demo-runtime';

export interface DemoSummary {
  workspace: { email: string; password: string };
  mailSent: number;
  mailFailed: number;
  retrospectiveAnswers: number;
  checkIns: number;
  pilots: { name: string; learningReportsReady: number; quarters: number }[];
  readiness: { id: string; verdict: string | null; decision: string | null } | null;
  /** The wave created from the readiness report's proposal after the sponsors' go. */
  nextWave: {
    /** The readiness report it came from, its verdict and the sponsors' decision on it. */
    readinessReportId: string;
    verdict: string | null;
    decision: string;
    waveNumber: number;
    decisionId: string;
    pilots: string[];
    startQuarter: string;
    proposedSize: number;
  } | null;
  /** How many times a pilot moved on to its next quarter by itself at a quarter's end. */
  movedOn: number;
  links: Record<string, string>;
}

/** What the demo did, as the database counts it, and where a person can look next. */
export async function summarize(
  runtime: DemoRuntime,
  mailbox: DemoMailbox,
  simulated: {
    pilots: PilotState[];
    workspace: DemoSummary['workspace'];
    readiness: DemoSummary['readiness'];
    nextWave: DemoSummary['nextWave'];
    movedOn: number;
  },
): Promise<DemoSummary> {
  const db = runtime.db;
  const [counts] = await db.query(
    `SELECT (SELECT count(*)::int FROM outbox_message WHERE status = 'sent') AS sent,
            (SELECT count(*)::int FROM outbox_message WHERE status = 'failed') AS failed,
            (SELECT count(*)::int FROM retrospective_response)
              + (SELECT count(*)::int FROM pending_answer) AS answers,
            (SELECT count(*)::int FROM check_in) AS "checkIns"`,
  );
  const pilots = [];
  for (const pilot of simulated.pilots.filter((p) => p.id)) {
    const [row] = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'ready')::int AS ready FROM learning_report WHERE pilot_id = $1`,
      [pilot.id],
    );
    pilots.push({
      name: pilot.plan.name,
      learningReportsReady: row.ready,
      quarters: pilot.quarters.length,
    });
  }
  const live = await liveRetrospectiveLink(simulated.pilots, mailbox);
  return {
    workspace: simulated.workspace,
    mailSent: counts.sent,
    mailFailed: counts.failed,
    retrospectiveAnswers: counts.answers,
    checkIns: counts.checkIns,
    pilots,
    readiness: simulated.readiness,
    nextWave: simulated.nextWave,
    movedOn: simulated.movedOn,
    links: {
      console: `${runtime.baseUrl}/app`,
      inbox: `${runtime.baseUrl}/dev/inbox`,
      ...(live ? { retrospective: `${runtime.baseUrl}${live}` } : {}),
      docs: `${runtime.baseUrl}/docs`,
      queues: `${runtime.baseUrl}/admin/queues`,
    },
  };
}

/** An invitation of the open last-quarter retrospective that nobody has answered yet. */
async function liveRetrospectiveLink(pilots: PilotState[], mailbox: DemoMailbox): Promise<string | null> {
  const pilot = pilots.find((p) => p.plan.key === 'volunteers')!;
  const silent = pilot.people.filter((p) => p.responsiveness === 0).map((p) => p.email);
  mailbox.readUntil(new Date(0));
  const links = await mailbox.links('/r/', silent);
  return [...links.values()].pop() ?? null;
}

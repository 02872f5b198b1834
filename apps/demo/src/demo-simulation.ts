import { simpleParser } from 'mailparser';
import { DemoClient } from './demo-client';
import {
  confidenceAt,
  DemoPerson,
  participantCsv,
  peopleOf,
  progressAt,
  retrospectiveAnswers,
} from './demo-participants';
import { DemoRandom } from './demo-random';
import type { DemoRuntime } from './demo-runtime';
import { DEMO_CADENCE, OBJECTIVES, ORGANIZATIONS, OrganizationPlan, PilotPlan, QUARTERS } from './demo-story';

const DAY = 24 * 3600 * 1000;
const PASSWORD = 'luotsi-demo-password';
const SEED = 2027;

interface KeyResultState {
  id: string;
  ownerId: string;
  kind: 'committed' | 'aspirational';
  measure: 'metric' | 'milestone' | 'binary';
  start: number | null;
  target: number | null;
}

interface PilotState {
  plan: PilotPlan;
  organization: OrganizationPlan;
  organizationId: string;
  rolloutId: string;
  id?: string;
  people: DemoPerson[];
  byEmail: Map<string, DemoPerson>;
  /** The pilot's quarters in order, from the API. */
  quarters: { id: string; label: string }[];
  keyResults: KeyResultState[];
}

export interface DemoSummary {
  workspace: { email: string; password: string };
  mailSent: number;
  mailFailed: number;
  retrospectiveAnswers: number;
  checkIns: number;
  pilots: { name: string; learningReportsReady: number; quarters: number }[];
  readiness: { id: string; verdict: string | null; decision: string | null } | null;
  links: Record<string, string>;
}

export type Progress = (quarter: string, done: number, total: number, what: string) => void;

/**
 * The whole loop, through the real API, queues and mail: a coach sets up two organizations and their
 * pilots, the clock moves through four quarters, the worker sends prompts, check-in requests and
 * retrospective invitations, simulated people answer through the links in their mail, the coach scores
 * and carries objectives over, learning reports are built when retrospectives close, sponsors read the
 * readiness report and decide to widen. The last quarter's retrospective stays open for a person to try.
 */
export class DemoSimulation {
  private readonly rng = new DemoRandom(SEED);
  private readonly pilots: PilotState[] = [];
  private coach!: DemoClient;
  private sponsor!: DemoClient;
  private sponsorEmail = '';
  private ownerEmail = '';
  private memberId = '';
  private mailSeen = new Date(0);
  private readiness: DemoSummary['readiness'] = null;

  constructor(
    private readonly runtime: DemoRuntime,
    private readonly progress: Progress,
  ) {}

  async run(): Promise<DemoSummary> {
    await this.setUp();
    for (let q = 0; q < QUARTERS.length; q++) await this.quarter(q);
    return this.summary();
  }

  private async setUp(): Promise<void> {
    const { clock, baseUrl } = this.runtime;
    clock.set(new Date(Date.UTC(2026, 11, 28, 12)));
    const anonymous = new DemoClient(baseUrl);
    // A fresh workspace each run, so the demo can also run against a database that has data.
    this.ownerEmail = `coach.${Date.now().toString(36)}@luotsi.example`;
    const signed = await anonymous.post('/api/v1/workspaces', {
      workspaceName: 'Pilotti Consulting',
      email: this.ownerEmail,
      name: 'Kaisa Koskinen',
      password: PASSWORD,
    });
    this.coach = anonymous.as(signed.accessToken);
    this.memberId = signed.member.id;

    const organizationIds: string[] = [];
    for (const organization of ORGANIZATIONS) {
      const created = await this.coach.post('/api/v1/organizations', {
        name: organization.name,
        sector: organization.sector,
        headcount: organization.headcount,
        defaultLocale: organization.defaultLocale,
        timeZone: organization.timeZone,
      });
      organizationIds.push(created.id);
      const rollout = await this.coach.post('/api/v1/rollouts', {
        organizationId: created.id,
        goal: organization.goal,
        targetHeadcount: organization.headcount,
        plannedWaves: organization.plannedWaves,
      });
      await this.coach.put(`/api/v1/rollouts/${rollout.id}/cadence`, {
        steps: DEMO_CADENCE,
        weeklyEmailCap: 5,
      });
      for (const plan of organization.pilots) {
        const people = peopleOf(plan, this.rng);
        this.pilots.push({
          plan,
          organization,
          organizationId: created.id,
          rolloutId: rollout.id,
          people,
          byEmail: new Map(people.map((p) => [p.email, p])),
          quarters: [],
          keyResults: [],
        });
      }
    }
    for (const pilot of this.pilots) if (pilot.plan.wave === 1) await this.createPilot(pilot);

    this.sponsorEmail = `sponsor.${Date.now().toString(36)}@virasto.example`;
    const invited = await this.coach.post('/api/v1/members', {
      email: this.sponsorEmail,
      name: 'Helena Sjöberg',
      role: 'sponsor',
      organizationIds,
    });
    const accepted = await anonymous.post('/api/v1/auth/invitations/accept', {
      token: invited.invitationToken,
      password: PASSWORD,
    });
    this.sponsor = anonymous.as(accepted.accessToken);
  }

  private async createPilot(pilot: PilotState): Promise<void> {
    const created = await this.coach.post(`/api/v1/rollouts/${pilot.rolloutId}/pilots`, {
      name: pilot.plan.name,
      waveNumber: pilot.plan.wave,
      levels: [pilot.plan.level],
      startQuarter: pilot.plan.startQuarter,
      quarterCount: pilot.plan.quarters,
      coachId: this.memberId,
    });
    pilot.id = created.id;
    await this.coach.csv(
      `/api/v1/pilots/${pilot.id}/participants/import`,
      participantCsv(pilot.people, pilot.plan.level, pilot.organization.timeZone),
    );
    for (let offset = 0; ; offset += 200) {
      const page = await this.coach.get(`/api/v1/pilots/${pilot.id}/participants?limit=200&offset=${offset}`);
      for (const item of page.items as { id: string; email: string }[]) {
        const person = pilot.byEmail.get(item.email);
        if (person) person.id = item.id;
      }
      if (offset + 200 >= page.total) break;
    }
  }

  /** One calendar quarter: its event days in order, each a scheduler beat followed by what people do. */
  private async quarter(q: number): Promise<void> {
    const label = QUARTERS[q];
    const year = Number(label.slice(0, 4));
    const first = Date.UTC(year, (q % 4) * 3, 1);
    const last = Date.UTC(year, (q % 4) * 3 + 3, 0);
    const at = (day: number) => new Date(day + 12 * 3600 * 1000);
    const last4 = q === QUARTERS.length - 1;
    // Day offsets: kickoff, three check-ins, retrospective open and reminder, scores, close.
    const events: { day: number; what: string }[] = [
      { day: first, what: 'kickoff' },
      { day: first + 14 * DAY, what: 'checkin' },
      { day: first + 42 * DAY, what: 'checkin' },
      { day: first + 70 * DAY, what: 'checkin' },
      { day: last - 14 * DAY, what: 'retrospective' },
      { day: last - 10 * DAY, what: 'reminder' },
      ...(last4
        ? []
        : [
            { day: last - 1 * DAY, what: 'scores' },
            { day: last, what: 'close' },
          ]),
    ];
    let done = 0;
    // Sessions last 90 days at most; the demo's people log in again each quarter, as real ones would.
    this.runtime.clock.set(at(first));
    await this.logIn();
    for (const event of events) {
      this.runtime.clock.set(at(event.day));
      if (event.what !== 'kickoff') await this.logIn();
      this.progress(label, done, events.length, event.what);
      const began = Date.now();
      if (event.what === 'kickoff') await this.startQuarter(q);
      if (event.what !== 'scores') await this.runtime.tick();
      if (event.what === 'checkin') await this.checkIns(q, Math.round((event.day - first) / (7 * DAY)) + 1);
      if (event.what === 'retrospective' || event.what === 'reminder') await this.retrospectives(q);
      if (event.what === 'scores') await this.score(q);
      if (event.what === 'close') await this.runtime.settleReports();
      this.progress(label, ++done, events.length, event.what);
      if (process.env.DEMO_TRACE) process.stderr.write(` ${event.what} ${Date.now() - began} ms\n`);
    }
    await this.logIn();
    if (q === 1) await this.decideToWiden();
    if (q === 2) await this.readinessReport(false);
  }

  private async logIn(): Promise<void> {
    const anonymous = new DemoClient(this.runtime.baseUrl);
    const session = async (email: string) =>
      (await anonymous.post('/api/v1/auth/login', { email, password: PASSWORD })).accessToken as string;
    this.coach = anonymous.as(await session(this.ownerEmail));
    this.sponsor = anonymous.as(await session(this.sponsorEmail));
  }

  /** Pilots in one of their quarters in calendar quarter q. */
  private running(q: number): PilotState[] {
    return this.pilots.filter((p) => {
      const n = p.id ? this.pilotQuarter(p, q) : -1;
      return n >= 0 && n < p.plan.quarters;
    });
  }

  private pilotQuarter(pilot: PilotState, q: number): number {
    return q - QUARTERS.indexOf(pilot.plan.startQuarter as never);
  }

  /** Day one of a quarter: new pilots start, running ones carry their objectives over and advance. */
  private async startQuarter(q: number): Promise<void> {
    // A pilot whose quarters are done goes to review: its sponsors and coach read what it learned.
    for (const pilot of this.pilots.filter((p) => p.id && this.pilotQuarter(p, q) === p.plan.quarters))
      await this.coach.post(`/api/v1/pilots/${pilot.id}/review`);
    for (const pilot of this.running(q)) {
      const n = this.pilotQuarter(pilot, q);
      if (n === 0) {
        await this.coach.post(`/api/v1/pilots/${pilot.id}/start`);
        pilot.quarters = await this.coach.get(`/api/v1/pilots/${pilot.id}/quarters`);
        await this.setObjectives(pilot, pilot.quarters[0].id);
        continue;
      }
      const left = pilot.quarters[n - 1].id;
      const objectives = (await this.coach.get(`/api/v1/quarters/${left}/objectives`)).items as {
        id: string;
        title: string;
      }[];
      await this.coach.post(`/api/v1/quarters/${left}/carry-over`, {
        decisions: objectives.map((objective, i) =>
          i === 0 || this.rng.chance(0.7)
            ? { objectiveId: objective.id, action: 'keep' }
            : { objectiveId: objective.id, action: this.rng.chance(0.5) ? 'defer' : 'abandon' },
        ),
      });
      await this.coach.post(`/api/v1/pilots/${pilot.id}/advance`);
      await this.readKeyResults(pilot, pilot.quarters[n].id);
    }
  }

  private owners(pilot: PilotState): DemoPerson[] {
    return pilot.people.filter((p) => p.id).slice(0, Math.min(6, pilot.people.length));
  }

  private async setObjectives(pilot: PilotState, quarterId: string): Promise<void> {
    const owners = this.owners(pilot);
    let o = 0;
    for (const objective of OBJECTIVES[pilot.plan.key]) {
      await this.coach.post(`/api/v1/quarters/${quarterId}/objectives`, {
        title: objective.title,
        keyResults: objective.keyResults.map((kr) => ({
          title: kr.title,
          kind: kr.kind,
          measure: kr.start === undefined ? 'milestone' : 'metric',
          ...(kr.start === undefined ? {} : { start: kr.start, target: kr.target, unit: kr.unit ?? '' }),
          ownerId: owners[o++ % owners.length].id,
        })),
      });
    }
    await this.readKeyResults(pilot, quarterId);
  }

  private async readKeyResults(pilot: PilotState, quarterId: string): Promise<void> {
    const objectives = (await this.coach.get(`/api/v1/quarters/${quarterId}/objectives`)).items as {
      keyResults: KeyResultState[];
    }[];
    pilot.keyResults = objectives.flatMap((objective) => objective.keyResults);
  }

  /** Mail that reached these people since the last look, parsed, with the first link of `path`. */
  private async links(path: '/c/' | '/r/', emails: string[]): Promise<Map<string, string>> {
    const rows: { recipients: string[]; raw: string; created_at: Date }[] = await this.runtime.db.query(
      `SELECT recipients, raw, created_at FROM captured_mail WHERE created_at > $1 AND recipients && $2::text[]
       ORDER BY created_at`,
      [this.mailSeen, emails],
    );
    const found = new Map<string, string>();
    const pattern = new RegExp(`https?://[^\\s"<>]+${path.replace(/\//g, '\\/')}[A-Za-z0-9_-]+`);
    for (const row of rows) {
      const parsed = await simpleParser(row.raw);
      const link = pattern.exec(parsed.text ?? '')?.[0];
      if (link) for (const email of row.recipients) found.set(email, new URL(link).pathname);
    }
    return found;
  }

  private async checkIns(q: number, week: number): Promise<void> {
    const since = await this.now();
    for (const pilot of this.running(q)) {
      const n = this.pilotQuarter(pilot, q);
      const owners = this.owners(pilot).filter((p) => this.rng.chance(p.responsiveness));
      const links = await this.links(
        '/c/',
        owners.map((p) => p.email),
      );
      const participant = new DemoClient(this.runtime.baseUrl);
      for (const owner of owners) {
        const link = links.get(owner.email);
        if (!link) continue;
        const values: Record<string, string> = {};
        for (const kr of pilot.keyResults.filter((k) => k.ownerId === owner.id)) {
          const progress = progressAt(n, week, this.rng);
          if (kr.measure === 'metric') {
            const value = kr.start! + (kr.target! - kr.start!) * progress;
            values[`value.${kr.id}`] = String(Math.round(value * 10) / 10);
          } else values[`done.${kr.id}`] = progress > 0.7 ? 'yes' : 'no';
          values[`confidence.${kr.id}`] = String(confidenceAt(n, week, this.rng));
        }
        await participant.form(link, values);
      }
    }
    this.mailSeen = since;
  }

  private async retrospectives(q: number): Promise<void> {
    const since = await this.now();
    for (const pilot of this.running(q)) {
      const n = this.pilotQuarter(pilot, q);
      const answering = pilot.people.filter((p) => this.rng.chance(p.responsiveness * 0.6));
      const links = await this.links(
        '/r/',
        answering.map((p) => p.email),
      );
      const participant = new DemoClient(this.runtime.baseUrl);
      for (const person of answering) {
        const link = links.get(person.email);
        if (link) await participant.form(link, retrospectiveAnswers(person, n, this.rng));
      }
    }
    this.mailSeen = since;
  }

  /** The quarter's last day but one: the coach records a final score for every key result. */
  private async score(q: number): Promise<void> {
    for (const pilot of this.running(q)) {
      const n = this.pilotQuarter(pilot, q);
      for (const kr of pilot.keyResults) {
        const reached = progressAt(n, 12, this.rng);
        const score = kr.kind === 'aspirational' ? reached * 0.8 : reached;
        await this.coach.post(`/api/v1/key-results/${kr.id}/score`, {
          score: Math.round(Math.min(1, Math.max(0, score)) * 10) / 10,
        });
      }
    }
  }

  /** After two quarters the sponsors read the readiness report and decide to widen to the staff pilot. */
  private async decideToWiden(): Promise<void> {
    await this.readinessReport(true);
    const staff = this.pilots.find((p) => p.plan.key === 'staff')!;
    await this.createPilot(staff);
  }

  private async readinessReport(decide: boolean): Promise<void> {
    const agency = this.pilots.find((p) => p.organization.key === 'agency')!;
    const requested = await this.coach.post(`/api/v1/rollouts/${agency.rolloutId}/readiness-report`);
    await this.runtime.settleReports();
    const report = await this.coach.get(`/api/v1/readiness-reports/${requested.id}`);
    let decision: string | null = null;
    if (decide) {
      decision = report.verdict === 'not_ready' ? 'adjust' : 'go';
      await this.sponsor.post(`/api/v1/readiness-reports/${requested.id}/decision`, {
        decision,
        reason:
          decision === 'go'
            ? 'Johto ja hallitus ovat omaksuneet tavan; laajennetaan asiakaspalveluun ehtojen mukaan.'
            : 'Korjataan esteet ennen laajentamista.',
      });
    }
    this.readiness = { id: requested.id, verdict: report.verdict ?? null, decision };
  }

  private async now(): Promise<Date> {
    const [row] = await this.runtime.db.query(`SELECT now() AS now`);
    return row.now as Date;
  }

  private async summary(): Promise<DemoSummary> {
    const db = this.runtime.db;
    const [counts] = await db.query(
      `SELECT (SELECT count(*)::int FROM outbox_message WHERE status = 'sent') AS sent,
              (SELECT count(*)::int FROM outbox_message WHERE status = 'failed') AS failed,
              (SELECT count(*)::int FROM retrospective_response)
                + (SELECT count(*)::int FROM pending_answer) AS answers,
              (SELECT count(*)::int FROM check_in) AS "checkIns"`,
    );
    const pilots = [];
    for (const pilot of this.pilots.filter((p) => p.id)) {
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
    const live = await this.liveRetrospectiveLink();
    return {
      workspace: { email: this.ownerEmail, password: PASSWORD },
      mailSent: counts.sent,
      mailFailed: counts.failed,
      retrospectiveAnswers: counts.answers,
      checkIns: counts.checkIns,
      pilots,
      readiness: this.readiness,
      links: {
        inbox: `${this.runtime.baseUrl}/dev/inbox`,
        ...(live ? { retrospective: `${this.runtime.baseUrl}${live}` } : {}),
        docs: `${this.runtime.baseUrl}/docs`,
        queues: `${this.runtime.baseUrl}/admin/queues`,
      },
    };
  }

  /** An invitation of the open last-quarter retrospective that nobody has answered yet. */
  private async liveRetrospectiveLink(): Promise<string | null> {
    const pilot = this.pilots.find((p) => p.plan.key === 'volunteers')!;
    const silent = pilot.people.filter((p) => p.responsiveness === 0).map((p) => p.email);
    this.mailSeen = new Date(0);
    const links = await this.links('/r/', silent);
    return [...links.values()].pop() ?? null;
  }
}

import { DemoAnswers } from './demo-answers';
import { DemoClient } from './demo-client';
import { DemoMailbox } from './demo-mailbox';
import { participantCsv, peopleOf, progressAt } from './demo-participants';
import { KeyResultState, owners, PilotState, pilotQuarter, running } from './demo-pilots';
import { DemoRandom } from './demo-random';
import type { DemoRuntime } from './demo-runtime';
import { DEMO_CADENCE, OBJECTIVES, ORGANIZATIONS, QUARTERS } from './demo-story';
import { DemoSummary, summarize } from './demo-summary';

export type { DemoSummary } from './demo-summary';

const DAY = 24 * 3600 * 1000;
const PASSWORD = 'luotsi-demo-password';
const SEED = 2027;

export type Progress = (quarter: string, done: number, total: number, what: string) => void;

/**
 * The whole loop, through the real API, queues and mail: a coach sets up two organizations and their
 * pilots, the clock moves through four quarters and the pilots move from quarter to quarter by
 * themselves at each quarter's end, the worker sends prompts, check-in requests and retrospective
 * invitations, simulated people answer through the links in their mail, the coach scores and carries
 * objectives over, learning reports are built when retrospectives close, sponsors read the readiness
 * report and decide to widen, and the next wave's pilot is created from the report's proposal. The last
 * quarter's retrospective stays open for a person to try.
 */
export class DemoSimulation {
  private readonly rng = new DemoRandom(SEED);
  private readonly pilots: PilotState[] = [];
  private coach!: DemoClient;
  private sponsor!: DemoClient;
  private sponsorEmail = '';
  private ownerEmail = '';
  private memberId = '';
  private readiness: DemoSummary['readiness'] = null;
  private nextWave: DemoSummary['nextWave'] = null;
  /** Pilots that moved on to their next quarter by themselves, at a quarter's end on the clock. */
  private movedOn = 0;
  private readonly mailbox: DemoMailbox;
  private readonly people: DemoAnswers;

  constructor(
    private readonly runtime: DemoRuntime,
    private readonly progress: Progress,
  ) {
    this.mailbox = new DemoMailbox(runtime.db);
    this.people = new DemoAnswers(runtime.baseUrl, this.mailbox, this.rng);
  }

  async run(): Promise<DemoSummary> {
    await this.setUp();
    for (let q = 0; q < QUARTERS.length; q++) await this.quarter(q);
    return summarize(this.runtime, this.mailbox, {
      pilots: this.pilots,
      workspace: { email: this.ownerEmail, password: PASSWORD },
      readiness: this.readiness,
      nextWave: this.nextWave,
      movedOn: this.movedOn,
    });
  }

  private async setUp(): Promise<void> {
    const { clock, baseUrl } = this.runtime;
    clock.set(new Date(Date.UTC(2026, 11, 28, 12)));
    const anonymous = new DemoClient(baseUrl);
    // A fresh workspace each run, so the demo can also run against a database that has data.
    this.ownerEmail = `coach.${Date.now().toString(36)}@luotsi.example`;
    await anonymous.post('/api/v1/workspaces', {
      workspaceName: 'Pilotti Consulting',
      email: this.ownerEmail,
      name: 'Kaisa Koskinen',
      password: PASSWORD,
      locale: 'fi',
    });
    // The coach follows the link in the confirmation mail, which signs her in.
    const signed = await anonymous.post('/api/v1/auth/confirmations', {
      token: await this.mailbox.tokenFor('/app/confirm/', this.ownerEmail),
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
    await this.coach.post('/api/v1/members', {
      email: this.sponsorEmail,
      name: 'Helena Sjöberg',
      role: 'sponsor',
      organizationIds,
    });
    // The sponsor accepts through the link in her invitation mail.
    const accepted = await anonymous.post('/api/v1/auth/invitations/accept', {
      token: await this.mailbox.tokenFor('/app/invitations/', this.sponsorEmail),
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
    await this.importPeople(pilot);
  }

  /** The pilot's people from a CSV file, as a coach imports them; their ids as the API gave them. */
  private async importPeople(pilot: PilotState): Promise<void> {
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
      if (event.what === 'kickoff') await this.checkMovedOn(q);
      if (event.what === 'checkin')
        await this.people.checkIns(this.pilots, q, Math.round((event.day - first) / (7 * DAY)) + 1);
      if (event.what === 'retrospective' || event.what === 'reminder')
        await this.people.retrospectives(this.pilots, q);
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

  /**
   * Day one of a quarter, before the scheduler's beat: new pilots start, and running ones carry their
   * objectives over into the quarter they are about to enter (the beat moves them into it by itself).
   */
  private async startQuarter(q: number): Promise<void> {
    // A pilot whose quarters are done goes to review: its sponsors and coach read what it learned.
    for (const pilot of this.pilots.filter((p) => p.id && pilotQuarter(p, q) === p.plan.quarters))
      await this.coach.post(`/api/v1/pilots/${pilot.id}/review`);
    for (const pilot of running(this.pilots, q)) {
      const n = pilotQuarter(pilot, q);
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
      await this.readKeyResults(pilot, pilot.quarters[n].id);
    }
  }

  /**
   * After the first beat of a quarter: every pilot that went on from the last one is in its next quarter,
   * moved there by the scheduler at the old quarter's end, not by the coach.
   */
  private async checkMovedOn(q: number): Promise<void> {
    for (const pilot of running(this.pilots, q)) {
      const n = pilotQuarter(pilot, q);
      if (n === 0) continue;
      const current = (await this.coach.get(`/api/v1/pilots/${pilot.id}`)).currentQuarter as {
        id: string;
      } | null;
      if (current?.id !== pilot.quarters[n].id)
        throw new Error(`${pilot.plan.name} did not move on to ${pilot.quarters[n].label} by itself`);
      this.movedOn++;
    }
  }

  private async setObjectives(pilot: PilotState, quarterId: string): Promise<void> {
    const owning = owners(pilot);
    let o = 0;
    for (const objective of OBJECTIVES[pilot.plan.key]) {
      await this.coach.post(`/api/v1/quarters/${quarterId}/objectives`, {
        title: objective.title,
        keyResults: objective.keyResults.map((kr) => ({
          title: kr.title,
          kind: kr.kind,
          measure: kr.start === undefined ? 'milestone' : 'metric',
          ...(kr.start === undefined ? {} : { start: kr.start, target: kr.target, unit: kr.unit ?? '' }),
          ownerId: owning[o++ % owning.length].id,
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

  /** The quarter's last day but one: the coach records a final score for every key result. */
  private async score(q: number): Promise<void> {
    for (const pilot of running(this.pilots, q)) {
      const n = pilotQuarter(pilot, q);
      for (const kr of pilot.keyResults) {
        const reached = progressAt(n, 12, this.rng);
        const score = kr.kind === 'aspirational' ? reached * 0.8 : reached;
        await this.coach.post(`/api/v1/key-results/${kr.id}/score`, {
          score: Math.round(Math.min(1, Math.max(0, score)) * 10) / 10,
        });
      }
    }
  }

  /**
   * After two quarters the coach marks a lesson for the next wave, the sponsors read the readiness report
   * and decide, and after their go the next wave's pilot is created from the report's proposal: its
   * start quarter and its new level as proposed, named and sized by the coach for the customer service
   * unit she knows (the proposal's size is kept in the summary beside it), seeded from the first wave.
   * Its kickoff carries the lesson.
   */
  private async decideToWiden(): Promise<void> {
    const management = this.pilots.find((p) => p.plan.key === 'management')!;
    await this.coach.post(`/api/v1/quarters/${management.quarters[1].id}/learning-notes`, {
      body: 'Viikkokatsaus toimii, kun siihen menee enintään kymmenen minuuttia ja avaintuloksilla on omistajat.',
      forNextWave: true,
    });
    await this.readinessReport(true);
    const staff = this.pilots.find((p) => p.plan.key === 'staff')!;
    const reportId = this.readiness!.id;
    const report = await this.coach.get(`/api/v1/readiness-reports/${reportId}`);
    const proposal = report.content.nextWave as { size: number; newLevels: string[]; startQuarter: string };
    const levels = proposal.newLevels.includes(staff.plan.level) ? [staff.plan.level] : proposal.newLevels;
    const wave = await this.coach.post(`/api/v1/readiness-reports/${reportId}/next-wave`, {
      pilots: [{ name: staff.plan.name, size: staff.plan.size, levels }],
    });
    const [created] = wave.pilots as { id: string; name: string }[];
    staff.id = created.id;
    const quarters = (await this.coach.get(`/api/v1/pilots/${created.id}/quarters`)) as { label: string }[];
    // The pilot starts when the proposal says; the story follows it from there.
    staff.plan = { ...staff.plan, startQuarter: quarters[0].label };
    await this.importPeople(staff);
    this.nextWave = {
      readinessReportId: reportId,
      verdict: this.readiness!.verdict,
      decision: this.readiness!.decision!,
      waveNumber: wave.waveNumber,
      decisionId: wave.decisionId,
      pilots: [created.name],
      startQuarter: quarters[0].label,
      proposedSize: proposal.size,
    };
  }

  private async readinessReport(decide: boolean): Promise<void> {
    const agency = this.pilots.find((p) => p.organization.key === 'agency')!;
    const requested = await this.coach.post(`/api/v1/rollouts/${agency.rolloutId}/readiness-report`);
    await this.runtime.settleReports();
    const report = await this.coach.get(`/api/v1/readiness-reports/${requested.id}`);
    let decision: string | null = null;
    if (decide) {
      // The sponsors widen: the verdict informs them, the decision is theirs, and its reason says on what terms.
      decision = 'go';
      await this.sponsor.post(`/api/v1/readiness-reports/${requested.id}/decision`, {
        decision,
        reason:
          report.verdict === 'not_ready'
            ? 'Laajennetaan asiakaspalveluun, mutta raportin esteet korjataan ensimmäisen neljänneksen aikana.'
            : 'Johto ja hallitus ovat omaksuneet tavan; laajennetaan asiakaspalveluun ehtojen mukaan.',
      });
    }
    this.readiness = { id: requested.id, verdict: report.verdict ?? null, decision };
  }
}

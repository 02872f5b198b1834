import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  PASSWORD,
  signUp,
  Workspace,
} from './support/fixtures';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const DAY = 24 * 3600 * 1000;
const START = Date.UTC(2027, 0, 1); // 2027-Q1, organization in UTC.
const LINK = /http:\/\/luotsi\.test(\/c\/c_[A-Za-z0-9_-]{43})/;
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The default cadence asks for check-ins in weeks 2–11 (week 1 is the kickoff). */
const REQUEST_WEEKS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** The last three of the quarter's 13 weeks ask for final scores too; week 11 is the last request. */
const SCORING_WEEK = 11;

type Person = 'aino' | 'bjorn' | 'emma';
const PEOPLE: Record<Person | 'dan', { email: string; name: string; locale: string }> = {
  aino: { email: 'aino@example.fi', name: 'Aino Virtanen', locale: 'fi' },
  bjorn: { email: 'bjorn@example.se', name: 'Björn Öhman', locale: 'sv' },
  emma: { email: 'emma@example.co.uk', name: 'Emma Clarke', locale: 'en' },
  dan: { email: 'dan@example.org', name: 'Dan Okafor', locale: 'en' },
};
/** Weeks each owner lets pass without answering. */
const MISSED: Record<Person, number[]> = { aino: [4, 8], bjorn: [3, 5, 6], emma: [7, 10, 11] };

interface KrSpec {
  key: string;
  owner: Person;
  kind: 'committed' | 'aspirational';
  measure: 'metric' | 'milestone' | 'binary';
  start?: number;
  target?: number;
}
const KRS: KrSpec[] = [
  { key: 'answerTime', owner: 'aino', kind: 'committed', measure: 'metric', start: 12, target: 4 },
  { key: 'templates', owner: 'aino', kind: 'committed', measure: 'milestone' },
  { key: 'csat', owner: 'bjorn', kind: 'aspirational', measure: 'metric', start: 62, target: 75 },
  { key: 'survey', owner: 'bjorn', kind: 'aspirational', measure: 'binary' },
  { key: 'referrals', owner: 'emma', kind: 'aspirational', measure: 'metric', start: 0, target: 10 },
  { key: 'volunteers', owner: 'emma', kind: 'committed', measure: 'metric', start: 20, target: 50 },
];

/**
 * What each owner reports in week `w`: a value (or done flag) and a confidence, made up by hand so that
 * values move, confidence dips and recovers, and some weeks drop by 3 or more.
 */
function answer(kr: KrSpec, week: number): { value?: number; done?: boolean; confidence: number } {
  const i = REQUEST_WEEKS.indexOf(week);
  switch (kr.key) {
    case 'answerTime':
      return {
        value: [12, 11, 10, 10, 9, 7, 6, 5, 4, 3.5][i],
        confidence: [7, 7, 4, 6, 6, 7, 8, 8, 9, 9][i],
      };
    case 'templates':
      return { done: week >= 9, confidence: [8, 8, 7, 7, 3, 5, 6, 8, 9, 10][i] };
    case 'csat':
      return { value: 62, confidence: [6, 6, 6, 6, 6, 2, 3, 3, 4, 4][i] };
    case 'survey':
      return { done: week >= 7, confidence: [5, 5, 5, 5, 9, 9, 9, 9, 9, 9][i] };
    case 'referrals':
      return { value: [0, 1, 1, 2, 3, 4, 5, 6, 6, 7][i], confidence: [5, 5, 6, 6, 6, 2, 3, 4, 4, 4][i] };
    default:
      return {
        value: [20, 24, 27, 30, 35, 38, 44, 48, 51, 52][i],
        confidence: [9, 9, 9, 5, 5, 6, 7, 8, 8, 8][i],
      };
  }
}

/** Final scores: Aino and Björn give theirs through the link in the scoring week; the coach scores the rest. */
const OWNER_SCORES: Record<string, number> = { answerTime: 1, templates: 0.8, csat: 0.3 };
const COACH_SCORES: Record<string, number> = { survey: 1, referrals: 0.7, volunteers: 0.9 };

/**
 * A quarter of weekly check-ins through the real mail: the worker sends each week's requests over SMTP on
 * the test clock, the owners answer through the links in their mail (missing some weeks), give final
 * scores through the last link, and the API's rhythm, progress, trajectories and scores match what the
 * test works out from its own plan.
 */
describe('a quarter of check-ins by email', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date(START + 12 * 3600 * 1000));
  const env = () => ({ SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({ clock, env: env() });
    worker = await startWorker({ ...api.env, ...env() }, clock);
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.close();
  });

  it('rhythm, progress, trajectories and scores follow what the owners answered by mail', async () => {
    let auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      startQuarter: '2027-Q1',
    });
    const ids = {} as Record<Person | 'dan', string>;
    for (const [key, person] of Object.entries(PEOPLE))
      ids[key as Person] = (
        await api.http
          .post(`/api/v1/pilots/${pilot.id}/participants`)
          .set(auth)
          .send({ ...person, level: 'staff' })
          .expect(201)
      ).body.id;
    const quarterId = (await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200)).body
      .currentQuarter.id as string;

    // One objective per owner, each with that owner's key results.
    const krId: Record<string, string> = {};
    for (const person of ['aino', 'bjorn', 'emma'] as Person[]) {
      const specs = KRS.filter((kr) => kr.owner === person);
      const created = await api.http
        .post(`/api/v1/quarters/${quarterId}/objectives`)
        .set(auth)
        .send({
          title: `Objective of ${PEOPLE[person].name}`,
          keyResults: specs.map((kr) => ({
            title: `KR ${kr.key}`,
            kind: kr.kind,
            measure: kr.measure,
            ...(kr.measure === 'metric' ? { start: kr.start, target: kr.target } : {}),
            ownerId: ids[person],
          })),
        })
        .expect(201);
      specs.forEach((kr, i) => (krId[kr.key] = created.body.keyResults[i].id));
    }

    // Week by week: the worker sends the requests; the owners who do not skip the week answer by link.
    const answered: Record<Person, number[]> = { aino: [], bjorn: [], emma: [] };
    let seen = 0;
    for (let week = 1; week <= 13; week++) {
      clock.set(new Date(START + (week - 1) * 7 * DAY + 12 * 3600 * 1000));
      await worker.tickAndDrain();
      const mails = smtp.received.slice(seen);
      seen = smtp.received.length;
      const requests = mails.filter((m) => /^(Viikko|Vecka|Week) \d+:/.test(m.subject));
      if (!REQUEST_WEEKS.includes(week)) {
        expect(requests).toEqual([]);
        continue;
      }
      // Everyone gets the request; only owners get a link.
      expect(requests.map((m) => m.to).sort()).toEqual(
        Object.values(PEOPLE)
          .map((p) => p.email)
          .sort(),
      );
      expect(requests.find((m) => m.to === PEOPLE.dan.email)!.text).not.toContain('/c/');
      for (const person of ['aino', 'bjorn', 'emma'] as Person[]) {
        const mail: ReceivedMail = requests.find((m) => m.to === PEOPLE[person].email)!;
        expect(mail.subject).toContain(String(week));
        const link = LINK.exec(mail.text)![1];
        const scoring = week === SCORING_WEEK;
        expect(mail.text.includes('0,0–1,0') || mail.text.includes('0.0–1.0')).toBe(scoring);
        if (MISSED[person].includes(week)) continue;

        const form = await api.http.get(link).expect(200);
        expect(form.text).toContain(`<html lang="${PEOPLE[person].locale}">`);
        expect(form.text.includes('name="score.')).toBe(scoring);
        const values: Record<string, string> = {};
        for (const kr of KRS.filter((k) => k.owner === person)) {
          const a = answer(kr, week);
          const id = krId[kr.key];
          if (a.value !== undefined)
            values[`value.${id}`] =
              PEOPLE[person].locale === 'en' ? String(a.value) : String(a.value).replace('.', ',');
          if (a.done !== undefined) values[`done.${id}`] = a.done ? 'yes' : 'no';
          values[`confidence.${id}`] = String(a.confidence);
          if (scoring && OWNER_SCORES[kr.key] !== undefined)
            values[`score.${id}`] = String(OWNER_SCORES[kr.key]);
        }
        await api.http.post(link).type('form').send(values).expect(200);
        // Single-use: the same link again is refused and changes nothing.
        await api.http.post(link).type('form').send(values).expect(409);
        answered[person].push(week);
      }
    }

    // After the quarter: the coach scores what the owners did not.
    clock.set(new Date(START + 91 * DAY));
    // A quarter later the first session has long expired: log in again.
    auth = bearer(
      (await api.http.post('/api/v1/auth/login').send({ email: owner.email, password: PASSWORD }).expect(200))
        .body.accessToken,
    );
    for (const [key, score] of Object.entries(COACH_SCORES))
      await api.http.post(`/api/v1/key-results/${krId[key]}/score`).set(auth).send({ score }).expect(200);

    // --- What the test expects, from its own plan. ---
    const ownersOf = (person: Person) => KRS.filter((kr) => kr.owner === person);
    const lastAnswer = (kr: KrSpec) => {
      const weeks = answered[kr.owner];
      return weeks.length ? answer(kr, weeks[weeks.length - 1]) : null;
    };
    const expectedProgress = (kr: KrSpec) => {
      const last = lastAnswer(kr);
      if (kr.measure !== 'metric') return last?.done ? 1 : 0;
      const current = last?.value ?? kr.start!;
      return round4(Math.min(1, Math.max(0, (current - kr.start!) / (kr.target! - kr.start!))));
    };
    const finalScore = (kr: KrSpec) => OWNER_SCORES[kr.key] ?? COACH_SCORES[kr.key];
    const band = (score: number) => (score >= 0.7 ? 'green' : score >= 0.4 ? 'yellow' : 'red');

    expect(answered).toEqual({
      aino: REQUEST_WEEKS.filter((w) => ![4, 8].includes(w)),
      bjorn: REQUEST_WEEKS.filter((w) => ![3, 5, 6].includes(w)),
      emma: REQUEST_WEEKS.filter((w) => ![7, 10, 11].includes(w)),
    });

    // Progress and scores, per key result and objective.
    const objectives = (await api.http.get(`/api/v1/quarters/${quarterId}/objectives`).set(auth).expect(200))
      .body.items as {
      finalScore: number;
      band: string;
      keyResults: { id: string; progress: number; finalScore: number; band: string; confidence: number }[];
    }[];
    expect(objectives).toHaveLength(3);
    for (const objective of objectives) {
      for (const view of objective.keyResults) {
        const kr = KRS.find((k) => krId[k.key] === view.id)!;
        expect({ kr: kr.key, progress: view.progress, score: view.finalScore, band: view.band }).toEqual({
          kr: kr.key,
          progress: expectedProgress(kr),
          score: finalScore(kr),
          band: band(finalScore(kr)),
        });
        expect(view.confidence).toBe(lastAnswer(kr)!.confidence);
      }
      const specs = objective.keyResults.map((v) => KRS.find((k) => krId[k.key] === v.id)!);
      const objectiveScore = round4(mean(specs.map(finalScore)));
      expect(objective.finalScore).toBe(objectiveScore);
      expect(objective.band).toBe(band(objectiveScore));
    }
    // Scores given through the link were stored as the owner's: Aino's objective is scored by her alone.
    expect(objectives.find((o) => o.keyResults.some((kr) => kr.id === krId.answerTime))!.finalScore).toBe(
      0.9,
    );

    const signals = (
      await api.http.get(`/api/v1/quarters/${quarterId}/practice-signals`).set(auth).expect(200)
    ).body;
    expect(signals).toMatchObject({ currentWeek: 13, weeksInQuarter: 13 });

    // Rhythm: ten weeks requested per owner; done = weeks answered.
    const people = (['aino', 'bjorn', 'emma'] as Person[]).map((person) => ({
      participantId: ids[person],
      due: REQUEST_WEEKS.length,
      done: answered[person].length,
      share: round4(answered[person].length / REQUEST_WEEKS.length),
    }));
    const done = people.reduce((sum, p) => sum + p.done, 0);
    expect(done).toBe(8 + 7 + 7);
    expect(signals.rhythm).toEqual({
      due: 3 * REQUEST_WEEKS.length,
      done,
      share: round4(done / (3 * REQUEST_WEEKS.length)),
      people: people.sort((a, b) => a.participantId.localeCompare(b.participantId)),
    });

    // Trajectories and drops of 3 or more between recorded weeks.
    const trajectory = (kr: KrSpec) =>
      answered[kr.owner].map((week) => ({ week, confidence: answer(kr, week).confidence }));
    for (const t of signals.confidence as { keyResultId: string; weeks: unknown[] }[]) {
      const kr = KRS.find((k) => krId[k.key] === t.keyResultId)!;
      expect(t.weeks).toEqual(trajectory(kr));
    }
    const drops = KRS.flatMap((kr) =>
      trajectory(kr)
        .slice(1)
        .map((point, i) => ({ before: trajectory(kr)[i], point, kr }))
        .filter(({ before, point }) => before.confidence - point.confidence >= 3)
        .map(({ before, point }) => ({
          keyResultId: krId[kr.key],
          fromWeek: before.week,
          toWeek: point.week,
          from: before.confidence,
          to: point.confidence,
          drop: before.confidence - point.confidence,
        })),
    ).sort((a, b) => a.toWeek - b.toWeek || a.keyResultId.localeCompare(b.keyResultId));
    expect(drops.length).toBeGreaterThanOrEqual(4);
    expect(signals.confidenceDrops).toEqual(drops);

    // No movement: only the satisfaction metric, which stayed at its start value.
    expect(signals.noMovement.map((s: { keyResultId: string }) => s.keyResultId)).toEqual([krId.csat]);

    // Committed met: scored 1.0 (answer time); templates 0.8 and volunteers 0.9 are not.
    const committed = KRS.filter((kr) => kr.kind === 'committed');
    const met = committed.filter((kr) => finalScore(kr) >= 1).length;
    expect(signals.committed).toEqual({
      total: committed.length,
      met,
      share: round4(met / committed.length),
    });
    const aspirational = KRS.filter((kr) => kr.kind === 'aspirational').map(finalScore);
    const average = mean(aspirational);
    const spread = Math.sqrt(mean(aspirational.map((s) => (s - average) ** 2)));
    expect(signals.aspirational).toEqual({
      scored: aspirational.length,
      average: round4(average),
      spread: round4(spread),
    });
    expect(ownersOf('aino')).toHaveLength(2);
  }, 180_000);
});

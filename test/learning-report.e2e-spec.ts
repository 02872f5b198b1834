import fc from 'fast-check';
import { eng, fin, swe } from 'stopword';
import { LEVELS, LOCALES, type Level, type Locale } from '@luotsi/database';
import {
  BUILTIN_QUESTION_SET,
  CadenceScheduler,
  LearningReportService,
  ManualClock,
  type LearningReportContent,
  type Question,
} from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { waitFor } from './support/processes';
import { startWorker } from './support/worker';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  PASSWORD,
  signUp,
  unique,
  Workspace,
} from './support/fixtures';

const at = (month: number, day: number, hour = 12) => new Date(Date.UTC(2027, month - 1, day, hour));
const QUESTIONS: readonly Question[] = BUILTIN_QUESTION_SET.questions;
const SUPPRESSED = { suppressed: true, reason: 'fewer than k responses' };

type Answer = number | string | null;
type Answers = Record<string, Answer>;
interface Person {
  id: string;
  level: Level;
  locale: Locale;
}
interface Response {
  level: Level;
  locale: Locale;
  answers: Answers;
}
type Auth = { Authorization: string };

// ---------------------------------------------------------------------------------------------------
// The hand computation: plain TypeScript over the generated arrays, with exact integer rounding the way
// Postgres rounds numerics (half away from zero), and the publication rules written out from scratch:
// nothing from fewer than k answers, no hidden level recoverable as "total minus the shown ones", means
// to one decimal.
// ---------------------------------------------------------------------------------------------------

/** num / den with four decimals (num, den ≥ 0 integers); null when den is 0. */
const ratio4 = (num: number, den: number): number | null =>
  den ? Math.floor((2 * num * 10_000 + den) / (2 * den)) / 10_000 : null;
/** num / den with one decimal (num, den ≥ 0 integers): how a mean of answers is published. */
const ratio1 = (num: number, den: number): number | null =>
  den ? Math.floor((2 * num * 10 + den) / (2 * den)) / 10 : null;
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const median = (values: number[]): number | null => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const isScale = (q: Question) => q.type === 'likert5' || q.type === 'scale10' || q.type === 'nps';
const scalePoints = (q: Question) =>
  q.type === 'likert5' ? [1, 2, 3, 4, 5] : Array.from({ length: 11 }, (_, i) => i);
const answered = (q: Question, value: Answer | undefined) =>
  q.type === 'free_text'
    ? typeof value === 'string' && value.trim() !== ''
    : q.type === 'single_choice'
      ? typeof value === 'string'
      : typeof value === 'number';
const valuesOf = (q: Question, responses: Response[]) =>
  responses.filter((r) => answered(q, r.answers[q.key])).map((r) => r.answers[q.key]);
const meanOf = (q: Question, responses: Response[]) => {
  const values = valuesOf(q, responses) as number[];
  return isScale(q) ? ratio1(sum(values), values.length) : null;
};
const ordered = (levels: Iterable<Level>) => {
  const present = new Set(levels);
  return LEVELS.filter((level) => present.has(level));
};
const nps1 = (promoters: number, detractors: number, n: number): number | null => {
  if (!n) return null;
  const num = (promoters - detractors) * 1000;
  const q = Math.floor((2 * Math.abs(num) + n) / (2 * n));
  return q === 0 ? 0 : (Math.sign(num) * q) / 10;
};

/**
 * The levels a breakdown may show: each with at least k; then, if the hidden ones hold 1 to k − 1
 * answers together (the total minus the shown ones), the smallest shown level goes too (the first in
 * the report's order on a tie). A shown level holds at least k, so after that the hidden hold more.
 */
function shownLevels<G extends string>(counts: [G, number][], k: number): Set<G> {
  const total = sum(counts.map(([, n]) => n));
  const shown = counts.filter(([, n]) => n >= k);
  const hidden = total - sum(shown.map(([, n]) => n));
  if (shown.length && hidden > 0 && hidden < k) {
    const smallest = Math.min(...shown.map(([, n]) => n));
    shown.splice(
      shown.findIndex(([, n]) => n === smallest),
      1,
    );
  }
  return new Set(shown.map(([level]) => level));
}

interface Run {
  quarterId: string;
  quarterLabel: string;
  responses: Response[];
}

/** Invited from the people's levels when the run opened; responded from the answers' levels. */
function expectedResponse(people: Person[], responses: Response[], levels: Level[], k: number) {
  const counts = levels.map((level): [Level, number] => [
    level,
    responses.filter((r) => r.level === level).length,
  ]);
  const shown = shownLevels(counts, k);
  return {
    of: people.length,
    count: responses.length,
    rate: ratio4(responses.length, people.length),
    byLevel: counts.map(([level, count]) => {
      const of = people.filter((p) => p.level === level).length;
      return shown.has(level) ? { level, of, count, rate: ratio4(count, of) } : { level, ...SUPPRESSED };
    }),
  };
}

/** The levels whose answers may be quoted: those the response breakdown shows. */
const quotableLevels = (responses: Response[], levels: Level[], k: number) =>
  shownLevels(
    levels.map((level) => [level, responses.filter((r) => r.level === level).length]),
    k,
  );

/**
 * Every question of the last run. The runs share one k and are closed: a trend point is a run with at
 * least k answers to the question.
 */
function expectedQuestions(runs: Run[], levels: Level[], k: number) {
  const responses = runs[runs.length - 1].responses;
  return QUESTIONS.map((q) => {
    const values = valuesOf(q, responses);
    const trend = runs
      .map((run) => ({
        quarterId: run.quarterId,
        quarterLabel: run.quarterLabel,
        responses: valuesOf(q, run.responses).length,
        mean: meanOf(q, run.responses),
      }))
      .filter((point) => point.responses >= k);
    const head = {
      key: q.key,
      type: q.type,
      text: { fi: q.text.fi, sv: q.text.sv, en: q.text.en },
      responses: values.length,
    };
    if (values.length < k)
      return {
        ...head,
        distribution: [],
        mean: null,
        median: null,
        trend,
        byLevel: levels.map((level) => ({ level, ...SUPPRESSED })),
        ...SUPPRESSED,
      };
    const counts = levels.map((level): [Level, number] => [
      level,
      valuesOf(
        q,
        responses.filter((r) => r.level === level),
      ).length,
    ]);
    const shown = shownLevels(counts, k);
    return {
      ...head,
      distribution: isScale(q)
        ? scalePoints(q).map((value) => ({ value, count: values.filter((v) => v === value).length }))
        : (q.options ?? []).map((o) => ({ value: o.key, count: values.filter((v) => v === o.key).length })),
      mean: meanOf(q, responses),
      median: isScale(q) ? median(values as number[]) : null,
      trend,
      byLevel: counts.map(([level, n]) =>
        shown.has(level)
          ? {
              level,
              responses: n,
              mean: meanOf(
                q,
                responses.filter((r) => r.level === level),
              ),
            }
          : { level, ...SUPPRESSED },
      ),
    };
  });
}

/** NPS of the recommendation question; null for fewer than k answers to it. */
function expectedNps(responses: Response[], k: number) {
  const values = valuesOf(
    QUESTIONS.find((q) => q.type === 'nps')!,
    responses,
  ) as number[];
  if (values.length < k) return null;
  const promoters = values.filter((v) => v >= 9).length;
  const detractors = values.filter((v) => v <= 6).length;
  return {
    responses: values.length,
    promoters,
    passives: values.length - promoters - detractors,
    detractors,
    score: nps1(promoters, detractors, values.length),
  };
}

/** ADKAR elements answered by at least k; a published mean of 3 or less is a barrier. */
function expectedAdkar(responses: Response[], k: number) {
  return QUESTIONS.filter((q) => q.adkar).flatMap((q) => {
    const values = valuesOf(q, responses) as number[];
    if (values.length < k) return [];
    const mean = ratio1(sum(values), values.length)!;
    return [{ element: q.adkar, responses: values.length, mean, barrier: mean <= 3 }];
  });
}

// Themes are per free-text question, and within one per language (each shown only with k answers, and
// none that the question's count minus the shown ones would give away). Words are runs of letters; the
// `stopword` lists are the stop words; the inflections of one word count as one term, shown in the form
// most answers wrote. The free text below uses only content words and words of those lists, so the
// report's extra list for inflections changes nothing, and one word in two forms: SAME_WORD, grouped by
// hand (every other word of the texts is its own term).
const STOP: Record<Locale, Set<string>> = { fi: new Set(fin), sv: new Set(swe), en: new Set(eng) };
const SAME_WORD: Record<Locale, string[][]> = { fi: [['tavoitteet', 'tavoitteista']], sv: [], en: [] };
const groupOf = (word: string, locale: Locale) =>
  SAME_WORD[locale].find((forms) => forms.includes(word))?.[0] ?? word;
const words = (text: string, locale: Locale) =>
  text.toLocaleLowerCase(locale).match(/\p{L}+(?:['-]\p{L}+)*/gu) ?? [];
const isTerm = (word: string, locale: Locale) => word.length >= 2 && !STOP[locale].has(word);

/** Per group (a word, or two words), the answers using it and the form each wrote first; the top ten. */
function topCounts(
  texts: string[],
  locale: Locale,
  pick: (tokens: string[]) => [group: string, form: string][],
  min = 1,
) {
  const counts = new Map<string, number>();
  const forms = new Map<string, Map<string, number>>();
  for (const text of texts) {
    const once = new Map<string, string>();
    for (const [group, form] of pick(words(text, locale))) if (!once.has(group)) once.set(group, form);
    for (const [group, form] of once) {
      counts.set(group, (counts.get(group) ?? 0) + 1);
      const written = forms.get(group) ?? new Map<string, number>();
      written.set(form, (written.get(form) ?? 0) + 1);
      forms.set(group, written);
    }
  }
  const byLanguage = (a: string, b: string) => a.localeCompare(b, locale);
  return [...counts]
    .filter(([, count]) => count >= min)
    .map(([group, count]): [string, number] => [
      [...forms.get(group)!].sort((a, b) => b[1] - a[1] || byLanguage(a[0], b[0]))[0][0],
      count,
    ])
    .sort((a, b) => b[1] - a[1] || byLanguage(a[0], b[0]))
    .slice(0, 10);
}

function expectedTerms(texts: string[], locale: Locale) {
  return {
    terms: topCounts(texts, locale, (t) =>
      t.filter((w) => isTerm(w, locale)).map((w): [string, string] => [groupOf(w, locale), w]),
    ).map(([term, count]) => ({ term, count })),
    // Two terms side by side (not one word twice), in at least two answers.
    phrases: topCounts(
      texts,
      locale,
      (t) =>
        t.flatMap((w, i): [string, string][] =>
          i + 1 < t.length &&
          isTerm(w, locale) &&
          isTerm(t[i + 1], locale) &&
          groupOf(w, locale) !== groupOf(t[i + 1], locale)
            ? [[`${groupOf(w, locale)} ${groupOf(t[i + 1], locale)}`, `${w} ${t[i + 1]}`]]
            : [],
        ),
      2,
    ).map(([phrase, count]) => ({ phrase, count })),
  };
}

const FREE_TEXT = QUESTIONS.filter((q) => q.type === 'free_text');
/** The answers with text to question `key`. */
const answersTo = (key: string, responses: Response[]) =>
  responses.flatMap((r) => {
    const v = r.answers[key];
    return typeof v === 'string' && v.trim() !== '' ? [v] : [];
  });

/** Per free-text question: its answers with text, and which languages may be shown. */
function expectedThemeGroups(responses: Response[], k: number) {
  return FREE_TEXT.map((q) => {
    const counts = LOCALES.map((locale): [Locale, number] => [
      locale,
      answersTo(
        q.key,
        responses.filter((r) => r.locale === locale),
      ).length,
    ]);
    const total = sum(counts.map(([, n]) => n));
    const shown = total < k ? new Set<Locale>() : shownLevels(counts, k);
    return { key: q.key, text: q.text, total, suppressed: shown.size === 0, shown };
  });
}

const HIDDEN_THEME = { responses: 0, terms: [], phrases: [], quotes: [], suppressed: true };

// ---------------------------------------------------------------------------------------------------
// Generated answers: a small seeded generator, so the data set is the same on every run.
// ---------------------------------------------------------------------------------------------------

function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

const BANK: Record<Locale, string[]> = {
  fi: [
    'Viikkopalaverit auttoivat keskittymään olennaiseen',
    'Tavoitteet olivat selkeät ja mittarit toimivat',
    'Viikkopalaverit veivät liikaa aikaa',
    'Mittarit puuttuivat osasta tavoitteista',
    'Selkeät tavoitteet auttoivat priorisoimaan',
  ],
  sv: ['Veckomötena gav fokus', 'Tydliga mål och mätbara resultat', 'Mätbara resultat saknades'],
  en: [
    'Weekly check-ins helped the team focus',
    'Clear objectives and measurable key results',
    'Weekly check-ins took too much time',
    'Key results lacked clear owners',
  ],
};
// Written only by the board, a level of 4 with k = 5: never to be quoted.
const BOARD_TEXT = 'Hallituksen kokoukset venyivät iltaan';
const LONG_TEXT = `${'Viikkopalaverit auttoivat keskittymään olennaiseen ja selkeät tavoitteet auttoivat priorisoimaan '.repeat(4)}loppuun asti`;

function answersFor(
  rand: ReturnType<typeof generator>,
  level: Level,
  locale: Locale,
  texts: boolean,
): Answers {
  const answers: Answers = {};
  for (const q of QUESTIONS) {
    const skip = !q.required && rand.next() < 0.15;
    if (q.type === 'free_text') {
      const bank = level === 'board' ? [BOARD_TEXT] : BANK[locale];
      answers[q.key] = texts && rand.next() < 0.8 ? bank[rand.int(0, bank.length - 1)] : null;
    } else if (q.type === 'single_choice') {
      answers[q.key] = skip ? null : q.options![rand.int(0, q.options!.length - 1)].key;
    } else {
      const [min, max] = q.type === 'likert5' ? [1, 5] : [0, 10];
      answers[q.key] = skip ? null : rand.int(min, max);
    }
  }
  return answers;
}

describe('the learning report of a pilot quarter', () => {
  let api: TestApi;
  let owner: Workspace;
  let sponsorEmail: string;
  const clock = new ManualClock(at(1, 2));

  beforeAll(async () => {
    api = await startApi({ clock });
    owner = await signUp(api.http);
  });
  afterAll(() => api.close());

  /** A fresh token: the clock moves by months, tokens live for hours. */
  const token = async (email = owner.email): Promise<string> =>
    (await api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200)).body
      .accessToken;
  const login = async (email = owner.email): Promise<Auth> => bearer(await token(email));

  async function addPeople(
    pilotId: string,
    organizationId: string,
    groups: [Level, Locale, number][],
  ): Promise<Person[]> {
    const specs = groups.flatMap(([level, locale, n]) =>
      Array.from({ length: n }, () => ({ level, locale, email: `${unique('p-')}@example.fi` })),
    );
    const people: Person[] = await api.db.query(
      `INSERT INTO participant (workspace_id, email, name, locale, time_zone, level)
       SELECT $1, x.e ->> 'email', 'Person ' || (x.e ->> 'email'), x.e ->> 'locale', 'UTC', x.e ->> 'level'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(e, n)
       ORDER BY x.n
       RETURNING id, level, locale`,
      [owner.id, JSON.stringify(specs)],
    );
    await api.db.query(
      `INSERT INTO pilot_membership (workspace_id, pilot_id, participant_id, organization_id)
       SELECT $1, $2, unnest($3::uuid[]), $4`,
      [owner.id, pilotId, people.map((p) => p.id), organizationId],
    );
    return people;
  }

  async function insertResponses(retrospectiveId: string, responses: Response[]): Promise<void> {
    if (!responses.length) return;
    await api.db.query(
      `INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
       SELECT $1, $2, NULL, x.level, x.locale, x.answers, $3::date
       FROM jsonb_to_recordset($4::jsonb) AS x(level text, locale text, answers jsonb)`,
      [owner.id, retrospectiveId, clock.now().toISOString().slice(0, 10), JSON.stringify(responses)],
    );
    // As a submission does, each answer uses one invitation of its level (the level frozen on the
    // invitation when the run opened): the report counts who answered from the invitations.
    for (const level of LEVELS) {
      const n = responses.filter((r) => r.level === level).length;
      if (!n) continue;
      const [marked] = await api.db.query(
        `WITH marked AS (
           UPDATE invitation SET used = true
           WHERE id IN (SELECT id FROM invitation WHERE retrospective_id = $1 AND level = $2 AND NOT used LIMIT $3)
           RETURNING 1)
         SELECT count(*)::int AS n FROM marked`,
        [retrospectiveId, level, n],
      );
      expect(marked.n).toBe(n);
    }
  }

  const quartersOf = async (pilotId: string, auth: Auth) =>
    (
      (await api.http.get(`/api/v1/pilots/${pilotId}/quarters`).set(auth).expect(200)).body as {
        id: string;
        number: number;
        label: string;
      }[]
    ).sort((a, b) => a.number - b.number);

  async function openRun(quarterId: string, auth: Auth, minGroupSize: number): Promise<string> {
    return (
      await api.http
        .post(`/api/v1/quarters/${quarterId}/retrospectives`)
        .set(auth)
        .send({ minGroupSize })
        .expect(201)
    ).body.id;
  }

  const closeRun = (id: string, auth: Auth) =>
    api.http.post(`/api/v1/retrospectives/${id}/close`).set(auth).expect(200);

  /** Builds the quarter's report in this process, as the worker's job would (the queue is tested apart). */
  async function build(quarterId: string): Promise<LearningReportContent> {
    const [row] = await api.db.query(`SELECT id, generation FROM learning_report WHERE quarter_id = $1`, [
      quarterId,
    ]);
    await api.app.get(LearningReportService).build(row.id, row.generation);
    const [built] = await api.db.query(`SELECT status, content FROM learning_report WHERE id = $1`, [row.id]);
    expect(built.status).toBe('ready');
    return built.content;
  }

  async function checkIns(
    quarterId: string,
    organizationId: string,
    rows: { keyResultId: string; week: number; value?: number; done?: boolean; confidence: number }[],
  ) {
    await api.db.query(
      `INSERT INTO check_in (workspace_id, organization_id, quarter_id, key_result_id, week, current_value, done, confidence, recorded_on)
       SELECT $1, $2, $3, x."keyResultId", x.week, x.value, x.done, x.confidence, '2027-01-01'
       FROM jsonb_to_recordset($4::jsonb) AS x("keyResultId" uuid, week int, value numeric, done boolean, confidence int)`,
      [owner.id, organizationId, quarterId, JSON.stringify(rows)],
    );
  }

  const ids: Record<string, string> = {};
  const runs: Run[] = [];
  let alphaPeople: Person[] = [];
  let betaResponses: Response[] = [];
  let betaPeople: Person[] = [];
  let content: LearningReportContent;
  /** When Alpha's quarter 2 report was built (kept in its row, not in its content). */
  const BUILT_AT = at(7, 2, 8).toISOString();

  it('builds from generated data, every number matching a hand computation', async () => {
    let auth = await login();
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const sponsor = await addMember(api.http, owner, 'sponsor', [organization.id]);
    sponsorEmail = sponsor.email;
    const alpha = await createPilot(api.http, owner.token, rollout.id, {
      name: 'Alpha',
      levels: ['staff', 'management', 'board'],
    });
    const beta = await createPilot(api.http, owner.token, rollout.id, { name: 'Beta', levels: ['staff'] });
    Object.assign(ids, {
      organization: organization.id,
      rollout: rollout.id,
      alpha: alpha.id,
      beta: beta.id,
    });

    alphaPeople = await addPeople(alpha.id, organization.id, [
      ['staff', 'fi', 6],
      ['staff', 'sv', 4],
      ['staff', 'en', 4],
      ['management', 'fi', 4],
      ['management', 'en', 3],
      ['board', 'fi', 2],
      ['board', 'sv', 2],
    ]);
    betaPeople = await addPeople(beta.id, organization.id, [
      ['staff', 'fi', 5],
      ['staff', 'en', 3],
    ]);
    await api.http.post(`/api/v1/pilots/${alpha.id}/start`).set(auth).expect(200);
    await api.http.post(`/api/v1/pilots/${beta.id}/start`).set(auth).expect(200);
    const [aq1, aq2, aq3] = await quartersOf(alpha.id, auth);
    const [bq1] = await quartersOf(beta.id, auth);
    Object.assign(ids, { aq1: aq1.id, aq2: aq2.id, aq3: aq3.id, bq1: bq1.id });

    // Quarter 1 of Alpha: two objectives, one carried on.
    const p1 = alphaPeople[0].id;
    const p2 = alphaPeople[10].id;
    const p3 = alphaPeople[14].id;
    const kept = (
      await api.http
        .post(`/api/v1/quarters/${aq1.id}/objectives`)
        .set(auth)
        .send({
          title: 'Asiakkaat saavat vastauksen nopeammin',
          ownerId: p1,
          keyResults: [
            { title: 'Vastausaika 12 → 4 päivää', measure: 'metric', start: 12, target: 4, ownerId: p1 },
            { title: 'Vastauspohjat käytössä', kind: 'aspirational', measure: 'milestone', ownerId: p1 },
          ],
        })
        .expect(201)
    ).body;
    const dropped = (
      await api.http
        .post(`/api/v1/quarters/${aq1.id}/objectives`)
        .set(auth)
        .send({ title: 'Kokeilu' })
        .expect(201)
    ).body;

    // Retrospectives of quarter 1: Alpha 20 of 25 answer; Beta 3 of 8 (fewer than k = 5).
    const rand = generator(2027);
    const respond = (people: Person[], pick: (p: Person, i: number) => boolean, texts = true) =>
      people.filter(pick).map((p) => ({
        level: p.level,
        locale: p.locale,
        answers: answersFor(rand, p.level, p.locale, texts),
      }));
    clock.set(at(3, 16));
    auth = await login();
    const aRun1 = await openRun(aq1.id, auth, 5);
    const q1Responses = respond(alphaPeople, (_, i) => i % 5 !== 4 && i < 24);
    await insertResponses(aRun1, q1Responses);
    const bRun1 = await openRun(bq1.id, auth, 5);
    betaResponses = respond(betaPeople, (_, i) => i < 3);
    await insertResponses(bRun1, betaResponses);
    clock.set(at(3, 30));
    auth = await login();
    await closeRun(aRun1, auth);
    await closeRun(bRun1, auth);
    runs.push({ quarterId: aq1.id, quarterLabel: aq1.label, responses: q1Responses });

    // Closing a run by hand requests its quarter's learning report (no worker here: it stays queued).
    expect(
      await api.db.query(
        `SELECT quarter_id, status, generation, progress FROM learning_report ORDER BY quarter_id`,
      ),
    ).toEqual(
      [aq1.id, bq1.id].sort().map((id) => ({ quarter_id: id, status: 'queued', generation: 1, progress: 0 })),
    );

    // Quarter 2: the first objective carried over unchanged, the other abandoned, one new objective.
    clock.set(at(4, 1, 8));
    auth = await login();
    await api.http.post(`/api/v1/pilots/${alpha.id}/advance`).set(auth).expect(200);
    await api.http
      .post(`/api/v1/quarters/${aq1.id}/carry-over`)
      .set(auth)
      .send({
        decisions: [
          { objectiveId: kept.id, action: 'keep' },
          { objectiveId: dropped.id, action: 'abandon' },
        ],
      })
      .expect(200);
    const carried = (await api.http.get(`/api/v1/quarters/${aq2.id}/objectives`).set(auth).expect(200)).body
      .items[0];
    const fresh = (
      await api.http
        .post(`/api/v1/quarters/${aq2.id}/objectives`)
        .set(auth)
        .send({
          title: 'Kunderna är nöjdare',
          ownerId: p2,
          keyResults: [
            { title: 'Nöjdhet 62 → 75', kind: 'aspirational', measure: 'metric', start: 62, target: 75 },
            { title: 'Enkät publicerad', kind: 'aspirational', measure: 'binary' },
            { title: 'Rutin dokumenterad', measure: 'binary', ownerId: p3 },
          ],
        })
        .expect(201)
    ).body;
    const [a1, a2] = carried.keyResults.map((kr: { id: string }) => kr.id) as string[];
    const [b1, b2, b3] = fresh.keyResults.map((kr: { id: string }) => kr.id) as string[];

    // Check-ins of quarter 2, and the cadence's check-in requests of all 13 weeks.
    const plan = [
      { keyResultId: a1, week: 1, value: 12, confidence: 8 },
      { keyResultId: a1, week: 2, value: 10, confidence: 8 },
      { keyResultId: a1, week: 4, value: 8, confidence: 4 },
      { keyResultId: a1, week: 5, value: 4, confidence: 5 },
      { keyResultId: a2, week: 1, done: false, confidence: 7 },
      { keyResultId: a2, week: 3, done: false, confidence: 6 },
      { keyResultId: b1, week: 2, value: 62, confidence: 6 },
      { keyResultId: b1, week: 3, value: 62, confidence: 3 },
      { keyResultId: b2, week: 2, done: true, confidence: 9 },
    ];
    await checkIns(aq2.id, organization.id, plan);
    await api.db.query(
      `INSERT INTO cadence_dispatch (workspace_id, quarter_id, step_key, kind, step_date)
       SELECT $1, q.id, 'checkin-w' || w, 'checkin_request', q.starts_on + 7 * (w - 1)
       FROM quarter q CROSS JOIN generate_series(1, 13) AS w WHERE q.id = $2`,
      [owner.id, aq2.id],
    );
    const scores: Record<string, number> = { [a2]: 0.3, [b1]: 0.65, [b2]: 0.9, [b3]: 1 };
    for (const [id, score] of Object.entries(scores))
      await api.http.post(`/api/v1/key-results/${id}/score`).set(auth).send({ score }).expect(200);

    // Retrospective of quarter 2: 19 of 25 (the board's 4 among them, k = 5), free text in three languages.
    clock.set(at(6, 15));
    auth = await login();
    const aRun2 = await openRun(aq2.id, auth, 5);
    // Moving a person to the board while the run is open changes no group of the report: the level was
    // frozen on the invitation when the run opened (the expected counts below use the levels of then).
    await api.db.query(`UPDATE participant SET level = 'board' WHERE id = $1`, [alphaPeople[1].id]);
    const answering = new Set([
      ...alphaPeople.filter((p) => p.level === 'staff' && p.locale === 'fi').slice(0, 5),
      ...alphaPeople.filter((p) => p.level === 'staff' && p.locale === 'sv').slice(0, 2),
      ...alphaPeople.filter((p) => p.level === 'staff' && p.locale === 'en').slice(0, 3),
      ...alphaPeople.filter((p) => p.level === 'management' && p.locale === 'fi').slice(0, 3),
      ...alphaPeople.filter((p) => p.level === 'management' && p.locale === 'en').slice(0, 2),
      ...alphaPeople.filter((p) => p.level === 'board'),
    ]);
    const q2Responses: Response[] = respond(alphaPeople, (p) => answering.has(p)).map((r, i) => ({
      ...r,
      // Every writer writes, so the language groups are as planned; one answer is long.
      answers: {
        ...r.answers,
        what_worked:
          i === 0 ? LONG_TEXT : r.level === 'board' ? BOARD_TEXT : BANK[r.locale][i % BANK[r.locale].length],
      },
    }));
    await insertResponses(aRun2, q2Responses);
    clock.set(at(6, 29));
    auth = await login();
    await closeRun(aRun2, auth);
    runs.push({ quarterId: aq2.id, quarterLabel: aq2.label, responses: q2Responses });
    clock.set(at(7, 2, 8));
    auth = await login();
    await api.http.post(`/api/v1/pilots/${alpha.id}/advance`).set(auth).expect(200);

    content = await build(aq2.id);
    const k = 5;

    // Who it is about.
    expect(content).toMatchObject({
      version: 2,
      organization: { id: organization.id, name: organization.name },
      rollout: { id: rollout.id, goal: 'Every unit plans its quarter with OKRs' },
      pilot: { id: alpha.id, name: 'Alpha', waveNumber: 1, levels: ['staff', 'management', 'board'] },
      quarter: { id: aq2.id, label: '2027-Q2', number: 2, startsOn: '2027-04-01', endsOn: '2027-06-30' },
      retrospective: { id: aRun2, anonymity: 'anonymous', minGroupSize: 5, state: 'closed' },
    });

    // Stored without its build time (two builds of the same answers are the same bytes); the row has it.
    expect(content).not.toHaveProperty('builtAt');
    const [row] = await api.db.query(`SELECT built_at FROM learning_report WHERE quarter_id = $1`, [aq2.id]);
    expect(row.built_at.toISOString()).toBe(BUILT_AT);

    // Response, questions, NPS, ADKAR. The board (4) is under k, so the managers (5) are hidden with it:
    // alone, the board's count would be the total minus the shown levels. Only the staff (10) is shown.
    const levels: Level[] = ['board', 'management', 'staff'];
    expect(content.response).toEqual(expectedResponse(alphaPeople, q2Responses, levels, k));
    expect(content.response).toMatchObject({ of: 25, count: 19, rate: 0.76 });
    expect(content.response.byLevel).toEqual([
      { level: 'board', ...SUPPRESSED },
      { level: 'management', ...SUPPRESSED },
      { level: 'staff', of: 14, count: 10, rate: ratio4(10, 14) },
    ]);
    expect(content.questions).toEqual(expectedQuestions(runs, levels, k));
    for (const question of content.questions) {
      expect(question.byLevel.slice(0, 2)).toEqual([
        { level: 'board', ...SUPPRESSED },
        { level: 'management', ...SUPPRESSED },
      ]);
    }
    // Some scale question shows the staff's mean, and some trend runs over both quarters.
    expect(
      content.questions.some((q) => q.byLevel[2] && 'mean' in q.byLevel[2] && q.byLevel[2].mean !== null),
    ).toBe(true);
    expect(content.questions.some((q) => q.trend.length === 2)).toBe(true);
    expect(content.nps).toEqual(expectedNps(q2Responses, k));
    expect(content.nps).not.toBeNull();
    expect(content.adkar).toEqual(expectedAdkar(q2Responses, k));
    expect(content.adkar).toHaveLength(5);

    // Practice: what the check-ins, scores and owners above give by hand.
    const owners = [
      { participantId: p1, weeks: new Set([1, 2, 3, 4, 5]) },
      { participantId: p2, weeks: new Set([2, 3]) },
      { participantId: p3, weeks: new Set<number>() },
    ].sort((x, y) => (x.participantId < y.participantId ? -1 : 1));
    const aspirational = [0.3, 0.65, 0.9];
    const aspirationalMean = sum(aspirational) / 3;
    const spread = Math.sqrt(sum(aspirational.map((s) => (s - aspirationalMean) ** 2)) / 3);
    const weeksOf = (id: string) =>
      plan.filter((c) => c.keyResultId === id).map((c) => ({ week: c.week, confidence: c.confidence }));
    expect(content.practice).toEqual({
      quarterId: aq2.id,
      pilotId: alpha.id,
      currentWeek: 13,
      weeksInQuarter: 13,
      rhythm: {
        due: 39,
        done: 7,
        share: ratio4(7, 39),
        people: owners.map((o) => ({
          participantId: o.participantId,
          due: 13,
          done: o.weeks.size,
          share: ratio4(o.weeks.size, 13),
        })),
      },
      confidence: [
        { keyResultId: a1, objectiveId: carried.id, title: 'Vastausaika 12 → 4 päivää', weeks: weeksOf(a1) },
        { keyResultId: a2, objectiveId: carried.id, title: 'Vastauspohjat käytössä', weeks: weeksOf(a2) },
        { keyResultId: b1, objectiveId: fresh.id, title: 'Nöjdhet 62 → 75', weeks: weeksOf(b1) },
        { keyResultId: b2, objectiveId: fresh.id, title: 'Enkät publicerad', weeks: weeksOf(b2) },
        { keyResultId: b3, objectiveId: fresh.id, title: 'Rutin dokumenterad', weeks: [] },
      ],
      confidenceDrops: [
        { keyResultId: b1, fromWeek: 2, toWeek: 3, from: 6, to: 3, drop: 3 },
        { keyResultId: a1, fromWeek: 2, toWeek: 4, from: 8, to: 4, drop: 4 },
      ],
      noMovement: [
        { keyResultId: a2, objectiveId: carried.id, title: 'Vastauspohjat käytössä', checkIns: 2 },
        { keyResultId: b1, objectiveId: fresh.id, title: 'Nöjdhet 62 → 75', checkIns: 2 },
        { keyResultId: b3, objectiveId: fresh.id, title: 'Rutin dokumenterad', checkIns: 0 },
      ],
      // a1 is unscored and its value (no check-in sets it) stays at the start; b3 scored 1.0.
      committed: { total: 2, met: 1, share: 0.5 },
      aspirational: { scored: 3, average: round4(aspirationalMean), spread: round4(spread) },
      scoreBands: { green: 2, yellow: 1, red: 1, unscored: 1 },
      aspirationalReading: 'healthy',
    });

    // The other pilot side by side: its quarter 1 (still active), no OKRs.
    // Beta's 3 NPS answers are fewer than its k: its NPS is not published beside the others.
    expect(content.comparison).toEqual([
      {
        pilotId: alpha.id,
        pilotName: 'Alpha',
        quarterId: aq2.id,
        quarterLabel: '2027-Q2',
        participants: 25,
        responseRate: ratio4(19, 25),
        checkInRhythm: ratio4(7, 39),
        nps: expectedNps(q2Responses, k)!.score,
        committedMet: 0.5,
        aspirationalAverage: round4(aspirationalMean),
        self: true,
      },
      {
        pilotId: beta.id,
        pilotName: 'Beta',
        quarterId: bq1.id,
        quarterLabel: '2027-Q1',
        participants: 8,
        responseRate: ratio4(3, 8),
        checkInRhythm: null,
        nps: null,
        committedMet: null,
        aspirationalAverage: null,
        self: false,
      },
    ]);

    // Themes per question, each from its own answers ("what worked" apart from "what didn't"), and per
    // language. Quotes come only from the levels the response breakdown shows (the staff): nothing the
    // board or the managers wrote.
    const quotable = quotableLevels(q2Responses, levels, k);
    expect([...quotable]).toEqual(['staff']);
    const expectedThemes = expectedThemeGroups(q2Responses, k);
    expect(content.themes.map((q) => q.key)).toEqual([
      'what_worked',
      'what_did_not_work',
      'change_next_quarter',
    ]);
    for (const [i, question] of content.themes.entries()) {
      const expected = expectedThemes[i];
      expect(question).toMatchObject({
        key: expected.key,
        text: expected.text,
        responses: expected.suppressed ? 0 : expected.total,
        suppressed: expected.suppressed,
      });
      expect(question.languages.map((t) => t.locale)).toEqual(LOCALES);
      for (const theme of question.languages) {
        const { locale } = theme;
        if (!expected.shown.has(locale)) {
          expect(theme).toEqual({ locale, ...HIDDEN_THEME });
          continue;
        }
        const group = q2Responses.filter((r) => r.locale === locale);
        const texts = answersTo(expected.key, group);
        expect(theme).toMatchObject({ locale, responses: texts.length, suppressed: false });
        expect({ terms: theme.terms, phrases: theme.phrases }).toEqual(expectedTerms(texts, locale));
        const quotableTexts = answersTo(
          expected.key,
          group.filter((r) => quotable.has(r.level)),
        );
        expect(theme.quotes.length).toBeLessThanOrEqual(3);
        for (const quote of theme.quotes) {
          expect(Array.from(quote).length).toBeLessThanOrEqual(280);
          expect(quotableTexts.some((text) => text.startsWith(quote.replace(/…$/, '')))).toBe(true);
          expect(quote).not.toContain('Hallituksen');
        }
        // The first quote carries the most frequent term any quotable answer uses.
        const groupsIn = (text: string) => new Set(words(text, locale).map((w) => groupOf(w, locale)));
        const first = theme.terms.find((t) =>
          quotableTexts.some((text) => groupsIn(text).has(groupOf(t.term, locale))),
        );
        if (first) expect(groupsIn(theme.quotes[0])).toContain(groupOf(first.term, locale));
        else expect(theme.quotes).toEqual([]);
      }
    }
    // Finnish (10 writers) is shown for at least one question, with phrases; Swedish (4) for none.
    expect(content.themes.some((q) => !q.languages[0].suppressed && q.languages[0].phrases.length > 0)).toBe(
      true,
    );
    expect(content.themes.every((q) => q.languages[1].suppressed)).toBe(true);
    expect(JSON.stringify(content)).not.toContain('Hallituksen');
    expect(content.flags).toEqual([]);

    // Beta's quarter 1: 3 answers, fewer than k = 5. Its count is shown and nothing else from answers;
    // beside it, Alpha's quarter 1 (20 answers, closed) shows its NPS.
    const betaReport = await build(bq1.id);
    expect(betaReport.response).toEqual(expectedResponse(betaPeople, betaResponses, ['staff'], k));
    expect(betaReport.response).toEqual({
      of: 8,
      count: 3,
      rate: ratio4(3, 8),
      byLevel: [{ level: 'staff', ...SUPPRESSED }],
    });
    const betaRuns = [{ quarterId: bq1.id, quarterLabel: bq1.label, responses: betaResponses }];
    expect(betaReport.questions).toEqual(expectedQuestions(betaRuns, ['staff'], k));
    for (const question of betaReport.questions)
      expect(question).toMatchObject({
        distribution: [],
        mean: null,
        median: null,
        trend: [],
        ...SUPPRESSED,
      });
    expect(betaReport.nps).toBeNull();
    expect(betaReport.adkar).toEqual([]);
    expect(betaReport.themes).toHaveLength(3);
    expect(
      betaReport.themes.every(
        (q) => q.suppressed && q.languages.every((t) => t.suppressed && !t.quotes.length && !t.terms.length),
      ),
    ).toBe(true);
    expect(
      betaReport.comparison.map((c) => [c.pilotName, c.quarterLabel, c.responseRate, c.nps, c.self]),
    ).toEqual([
      ['Alpha', '2027-Q1', ratio4(20, 25), expectedNps(q1Responses, k)!.score, false],
      ['Beta', '2027-Q1', ratio4(3, 8), null, true],
    ]);
  });

  it('serves the stored report without recomputing, and a sponsor its sponsor view', async () => {
    const auth = await login();
    // A late answer changes the data, not the served report.
    await insertResponses(
      (await api.db.query(`SELECT id FROM retrospective WHERE quarter_id = $1`, [ids.aq2]))[0].id,
      [{ level: 'staff', locale: 'fi', answers: { recommend_okrs: 0 } }],
    );
    const res = await api.http.get(`/api/v1/quarters/${ids.aq2}/learning-report`).set(auth).expect(200);
    expect(res.body).toMatchObject({
      quarterId: ids.aq2,
      status: 'ready',
      progress: 100,
      stage: null,
      notes: [],
      builtAt: BUILT_AT,
    });
    // The stored content, with the build time of the row added back.
    expect(res.body.content).toEqual({ ...content, builtAt: BUILT_AT });

    // A sponsor: no per-person check-in rhythm, and no question or language whose themes are suppressed.
    const sponsor = await login(sponsorEmail);
    const seen = (await api.http.get(`/api/v1/quarters/${ids.aq2}/learning-report`).set(sponsor).expect(200))
      .body;
    const sponsorThemes = content.themes
      .filter((q) => !q.suppressed)
      .map((q) => ({ ...q, languages: q.languages.filter((t) => !t.suppressed) }));
    expect(sponsorThemes.length).toBeGreaterThan(0);
    expect(seen.content).toEqual({
      ...content,
      builtAt: BUILT_AT,
      practice: { ...content.practice, rhythm: { ...content.practice.rhythm, people: [] } },
      themes: sponsorThemes,
    });
    await api.http.post(`/api/v1/quarters/${ids.aq2}/learning-report`).set(sponsor).expect(403);

    // A quarter without a report yet: 404; the pilot's list shows each quarter's status.
    await api.http.get(`/api/v1/quarters/${ids.aq3}/learning-report`).set(auth).expect(404);
    const list = (await api.http.get(`/api/v1/pilots/${ids.alpha}/learning-reports`).set(auth).expect(200))
      .body;
    expect(
      list.map((q: { quarterLabel: string; report: { status: string } | null }) => [
        q.quarterLabel,
        q.report?.status ?? null,
      ]),
    ).toEqual([
      ['2027-Q1', 'queued'],
      ['2027-Q2', 'ready'],
      ['2027-Q3', null],
      ['2027-Q4', null],
    ]);
  });

  it('keeps what we learned beside the report and offers it to the rollout', async () => {
    const auth = await login();
    const note = (
      await api.http
        .post(`/api/v1/quarters/${ids.aq2}/learning-notes`)
        .set(auth)
        .send({ body: '  Viikkopalaverit toimivat, kun ne kestivät 15 minuuttia.  ' })
        .expect(201)
    ).body;
    expect(note).toMatchObject({
      quarterId: ids.aq2,
      pilotId: ids.alpha,
      body: 'Viikkopalaverit toimivat, kun ne kestivät 15 minuuttia.',
      author: { id: owner.ownerId, name: 'Owner' },
    });
    clock.advance(60_000);
    const other = (
      await api.http
        .post(`/api/v1/quarters/${ids.bq1}/learning-notes`)
        .set(auth)
        .send({ body: 'Start with one objective.' })
        .expect(201)
    ).body;
    const blank = await api.http
      .post(`/api/v1/quarters/${ids.aq2}/learning-notes`)
      .set(auth)
      .send({ body: '   ' })
      .expect(422);
    expect(blank.body.errors).toEqual([{ field: 'body', reason: 'must not be blank' }]);
    await api.http
      .post(`/api/v1/quarters/${ids.aq2}/learning-notes`)
      .set(auth)
      .send({ body: 'x'.repeat(4001) })
      .expect(422);

    // Notes come with the report (not in its content) and, per rollout, with their pilot and quarter.
    const report = (await api.http.get(`/api/v1/quarters/${ids.aq2}/learning-report`).set(auth).expect(200))
      .body;
    expect(report.notes.map((n: { id: string }) => n.id)).toEqual([note.id]);
    expect(report.content).toEqual({ ...content, builtAt: BUILT_AT });
    const offered = (
      await api.http.get(`/api/v1/rollouts/${ids.rollout}/learning-notes`).set(auth).expect(200)
    ).body;
    expect(
      offered.map((n: { id: string; pilotName: string; quarterLabel: string; waveNumber: number }) => [
        n.id,
        n.pilotName,
        n.quarterLabel,
        n.waveNumber,
      ]),
    ).toEqual([
      [other.id, 'Beta', '2027-Q1', 1],
      [note.id, 'Alpha', '2027-Q2', 1],
    ]);

    await api.http.delete(`/api/v1/learning-notes/${other.id}`).set(auth).expect(204);
    await api.http.delete(`/api/v1/learning-notes/${other.id}`).set(auth).expect(404);
    expect(
      (await api.http.get(`/api/v1/quarters/${ids.bq1}/learning-notes`).set(auth).expect(200)).body,
    ).toEqual([]);
  });

  it("requests the report again at the cadence's report step", async () => {
    const [before] = await api.db.query(`SELECT generation FROM learning_report WHERE quarter_id = $1`, [
      ids.aq2,
    ]);
    clock.set(at(7, 3, 9));
    await api.app.get(CadenceScheduler).dispatchDue();
    const rows = await api.db.query(
      `SELECT d.quarter_id, lr.status, lr.generation FROM cadence_dispatch d
       JOIN learning_report lr ON lr.quarter_id = d.quarter_id
       WHERE d.kind = 'report' ORDER BY d.quarter_id`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([{ quarter_id: ids.aq2, status: 'queued', generation: before.generation + 1 }]),
    );
  });

  it('raises the flags of the expectation curve', async () => {
    clock.set(at(1, 2));
    const raw = await token();
    let auth = bearer(raw);
    const rollout = await createRollout(api.http, raw, ids.organization);
    const pilot = await createPilot(api.http, raw, rollout.id, { name: 'Gamma', levels: ['staff'] });
    const people = await addPeople(pilot.id, ids.organization, [['staff', 'fi', 3]]);
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const quarters = await quartersOf(pilot.id, auth);
    const objective = (
      await api.http
        .post(`/api/v1/quarters/${quarters[0].id}/objectives`)
        .set(auth)
        .send({
          title: 'Palvelu paranee',
          ownerId: people[0].id,
          keyResults: [{ title: 'Jonotus 10 → 2 min', measure: 'metric', start: 10, target: 2 }],
        })
        .expect(201)
    ).body;
    const keyResultOf = async (quarterId: string) =>
      (await api.db.query(`SELECT id FROM key_result WHERE quarter_id = $1`, [quarterId]))[0].id as string;
    const request = async (quarterId: string) => {
      await api.http.post(`/api/v1/quarters/${quarterId}/learning-report`).set(auth).expect(202);
      return build(quarterId);
    };

    // Quarter 1: check-in confidence 8. Quarter 2: the retrospective's confidence question averages 19/3,
    // published as 6.3 (k = 3, closed).
    // Quarter 3: check-in confidence 5, and the key result never leaves its start.
    await checkIns(quarters[0].id, ids.organization, [
      { keyResultId: objective.keyResults[0].id, week: 1, value: 9, confidence: 8 },
    ]);
    let current = objective.id as string;
    for (const n of [2, 3, 4]) {
      clock.set(at(3 * (n - 1) + 1, 1, 8));
      auth = await login();
      await api.http.post(`/api/v1/pilots/${pilot.id}/advance`).set(auth).expect(200);
      await api.http
        .post(`/api/v1/quarters/${quarters[n - 2].id}/carry-over`)
        .set(auth)
        .send({ decisions: [{ objectiveId: current, action: 'keep' }] })
        .expect(200);
      current = (
        await api.db.query(`SELECT id FROM objective WHERE quarter_id = $1`, [quarters[n - 1].id])
      )[0].id;
    }
    // (Advancing happened before these were written, so write quarter 2's and 3's data now.)
    const q2Run = await api.db.query(
      `INSERT INTO retrospective (workspace_id, quarter_id, pilot_id, organization_id, question_set_ref, questions,
                                  anonymity, min_group_size, state, opened_at, closes_at, closed_at)
       SELECT q.workspace_id, q.id, q.pilot_id, q.organization_id, 'builtin:end-of-quarter', $2::jsonb, 'anonymous', 3,
              'closed', q.starts_at, q.ends_at, q.ends_at
       FROM quarter q WHERE q.id = $1 RETURNING id`,
      [quarters[1].id, JSON.stringify(QUESTIONS)],
    );
    await api.db.query(
      `INSERT INTO invitation (workspace_id, retrospective_id, participant_id, expires_at, level, locale)
       SELECT $1, $2, p.id, $3, p.level, p.locale FROM participant p WHERE p.id = ANY($4::uuid[])`,
      [owner.id, q2Run[0].id, at(6, 30), people.map((p) => p.id)],
    );
    await insertResponses(
      q2Run[0].id,
      [7, 6, 6].map((confidence) => ({
        level: 'staff',
        locale: 'fi',
        answers: { confidence_next_quarter: confidence },
      })),
    );
    await checkIns(quarters[1].id, ids.organization, [
      { keyResultId: await keyResultOf(quarters[1].id), week: 1, value: 5, confidence: 2 },
    ]);
    await checkIns(quarters[2].id, ids.organization, [
      { keyResultId: await keyResultOf(quarters[2].id), week: 1, value: 10, confidence: 5 },
      { keyResultId: await keyResultOf(quarters[2].id), week: 2, value: 10, confidence: 5 },
    ]);

    const q3 = await request(quarters[2].id);
    expect(q3.flags).toEqual([
      {
        code: 'no_key_result_movement',
        message: 'In quarter 3, no key result moved from its start (1 key results).',
        numbers: { quarterNumber: 3, keyResults: 1, withoutMovement: 1 },
      },
      {
        code: 'confidence_falling',
        message: `Confidence fell two quarters in a row: 2027-Q1 8, 2027-Q2 ${ratio1(19, 3)}, 2027-Q3 5.`,
        numbers: { '2027-Q1': 8, '2027-Q2': ratio1(19, 3), '2027-Q3': 5 },
      },
    ]);

    // Quarter 4: the objective carried over unchanged again, and 1 of 3 answer the retrospective.
    auth = await login();
    const run = await openRun(quarters[3].id, auth, 3);
    await insertResponses(run, [{ level: 'staff', locale: 'fi', answers: { confidence_next_quarter: 9 } }]);
    const q4 = await request(quarters[3].id);
    expect(q4.flags).toEqual([
      {
        code: 'no_key_result_movement',
        message: 'In quarter 4, no key result moved from its start (1 key results).',
        numbers: { quarterNumber: 4, keyResults: 1, withoutMovement: 1 },
      },
      {
        code: 'no_new_objectives',
        message: 'In quarter 4, no objective is new or refreshed; all 1 were carried over unchanged.',
        numbers: { quarterNumber: 4, objectives: 1, newOrRefreshed: 0 },
      },
      {
        code: 'low_response_rate',
        message: '1 of 3 invited answered the retrospective, below 50%.',
        numbers: { invited: 3, responded: 1, rate: ratio4(1, 3), threshold: 0.5 },
      },
    ]);
    // The run is anonymous and still open: how many were invited and answered, nothing from the answers.
    expect(q4.retrospective).toMatchObject({ anonymity: 'anonymous', state: 'open' });
    expect(q4.response).toEqual({
      of: 3,
      count: 1,
      rate: ratio4(1, 3),
      byLevel: [{ level: 'staff', suppressed: true, reason: 'shown once the retrospective closes' }],
    });
    expect(q4).toMatchObject({ questions: [], nps: null, adkar: [], themes: [] });
    expect(q4.comparison.map((c) => [c.self, c.nps])).toEqual([[true, null]]);
    // A refreshed title counts as a new objective.
    await api.db.query(`UPDATE objective SET title = 'Palvelu paranee edelleen' WHERE quarter_id = $1`, [
      quarters[3].id,
    ]);
    expect((await request(quarters[3].id)).flags.map((f) => f.code)).not.toContain('no_new_objectives');
  });

  it('agrees with a hand computation over random small data sets', async () => {
    const options = (q: Question) => q.options!.map((o) => o.key);
    const answer = (q: Question): fc.Arbitrary<Answer> =>
      q.type === 'free_text'
        ? fc.option(fc.constantFrom('Selkeät tavoitteet', 'Clear goals', 'Tydliga mål', '  '), { nil: null })
        : q.type === 'single_choice'
          ? fc.option(fc.constantFrom(...options(q)), { nil: null })
          : fc.option(fc.integer({ min: q.type === 'likert5' ? 1 : 0, max: q.type === 'likert5' ? 5 : 10 }), {
              nil: null,
            });
    const person = fc.record({
      level: fc.constantFrom(...LEVELS),
      locale: fc.constantFrom(...LOCALES),
      responds: fc.boolean(),
      answers: fc.record(
        Object.fromEntries(QUESTIONS.map((q) => [q.key, answer(q)])) as Record<string, fc.Arbitrary<Answer>>,
      ),
    });
    const dataSet = fc.record({
      k: fc.integer({ min: 3, max: 6 }),
      people: fc.array(person, { minLength: 1, maxLength: 14 }),
    });

    // Besides the random ones, data sets that surely show levels side by side, hide a level behind
    // another one (complementary suppression) and withhold everything.
    const rand = generator(13);
    const fixed = (k: number, groups: [Level, Locale, number, boolean][]) => ({
      k,
      people: groups.flatMap(([level, locale, n, responds]) =>
        Array.from({ length: n }, () => ({
          level,
          locale,
          responds,
          answers: answersFor(rand, level, locale, true),
        })),
      ),
    });
    const examples: [
      { k: number; people: { level: Level; locale: Locale; responds: boolean; answers: Answers }[] },
    ][] = [
      [
        fixed(3, [
          ['board', 'fi', 3, true],
          ['management', 'sv', 4, true],
          ['staff', 'en', 5, true],
          ['staff', 'fi', 1, false],
        ]),
      ],
      [
        fixed(3, [
          ['board', 'fi', 2, true],
          ['board', 'sv', 1, false],
          ['management', 'en', 3, true],
          ['staff', 'fi', 6, true],
        ]),
      ],
      [
        fixed(4, [
          ['staff', 'fi', 3, true],
          ['staff', 'en', 2, false],
        ]),
      ],
    ];

    clock.set(at(1, 3));
    await fc.assert(
      fc.asyncProperty(dataSet, async ({ k, people: specs }) => {
        const raw = await token();
        const auth = bearer(raw);
        const rollout = await createRollout(api.http, raw, ids.organization);
        const pilot = await createPilot(api.http, raw, rollout.id, { levels: ['staff'], quarterCount: 1 });
        const people = await addPeople(
          pilot.id,
          ids.organization,
          specs.map((s): [Level, Locale, number] => [s.level, s.locale, 1]),
        );
        await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
        const [quarter] = await quartersOf(pilot.id, auth);
        const run = await openRun(quarter.id, auth, k);
        const responses = specs
          .filter((s) => s.responds)
          .map((s) => ({ level: s.level, locale: s.locale, answers: s.answers }));
        await insertResponses(run, responses);
        await closeRun(run, auth);
        const report = await build(quarter.id);

        const levels = ordered(['staff', ...people.map((p) => p.level)]);
        expect(report.response).toEqual(expectedResponse(people, responses, levels, k));
        expect(report.questions).toEqual(
          expectedQuestions([{ quarterId: quarter.id, quarterLabel: quarter.label, responses }], levels, k),
        );
        const nps = expectedNps(responses, k);
        expect(report.nps).toEqual(nps);
        expect(report.adkar).toEqual(expectedAdkar(responses, k));
        expect(report.comparison).toMatchObject([
          { responseRate: ratio4(responses.length, people.length), nps: nps?.score ?? null, self: true },
        ]);
        const quotable = quotableLevels(responses, levels, k);
        const expectedThemes = expectedThemeGroups(responses, k);
        expect(report.themes.map((q) => [q.key, q.suppressed, q.responses])).toEqual(
          expectedThemes.map((e) => [e.key, e.suppressed, e.suppressed ? 0 : e.total]),
        );
        for (const [i, question] of report.themes.entries()) {
          for (const theme of question.languages) {
            const shown = expectedThemes[i].shown.has(theme.locale);
            const inLocale = responses.filter((r) => r.locale === theme.locale);
            const texts = answersTo(question.key!, inLocale);
            expect({
              locale: theme.locale,
              suppressed: theme.suppressed,
              responses: theme.responses,
            }).toEqual({
              locale: theme.locale,
              suppressed: !shown,
              responses: shown ? texts.length : 0,
            });
            const quotableTexts = answersTo(
              question.key!,
              inLocale.filter((r) => quotable.has(r.level)),
            ).map((t) => t.trim());
            for (const quote of theme.quotes) expect(quotableTexts).toContain(quote);
          }
        }
      }),
      { numRuns: 20, examples },
    );
  });

  it('is built by the queued job, with its progress visible on the way', async () => {
    const worker = await startWorker(api.env, clock);
    try {
      // Let the worker finish what closing runs queued earlier.
      await waitFor(
        async () =>
          (
            await api.db.query(
              `SELECT count(*)::int AS n FROM learning_report WHERE status IN ('queued', 'building')`,
            )
          )[0].n === 0,
        60_000,
        () => 'learning reports still queued',
      );
      const auth = await login();
      // Hold the key results so the build stops at its practice stage until released.
      const lock = api.db.createQueryRunner();
      await lock.connect();
      await lock.startTransaction();
      await lock.query(`LOCK TABLE key_result IN ACCESS EXCLUSIVE MODE`);
      let released = false;
      try {
        const requested = await api.http
          .post(`/api/v1/quarters/${ids.aq2}/learning-report`)
          .set(auth)
          .expect(202);
        // The worker may pick it up at once; either way no content is served while it builds.
        expect(['queued', 'building']).toContain(requested.body.status);
        expect(requested.body.progress).toBeLessThan(100);
        expect(requested.body.content).toBeNull();
        const seen: string[] = [];
        await waitFor(
          async () => {
            const res = await api.http
              .get(`/api/v1/quarters/${ids.aq2}/learning-report`)
              .set(auth)
              .expect(200);
            seen.push(`${res.body.status} ${res.body.progress} ${res.body.stage}`);
            return res.body.status === 'building' && res.body.stage === 'practice';
          },
          30_000,
          () => `never building at the practice stage: ${seen.join(', ')}`,
        );
        expect(seen[seen.length - 1]).toBe('building 60 practice');
        await lock.commitTransaction();
        released = true;
      } finally {
        if (!released) await lock.rollbackTransaction();
        await lock.release();
      }
      await waitFor(
        async () =>
          (await api.http.get(`/api/v1/quarters/${ids.aq2}/learning-report`).set(auth).expect(200)).body
            .status === 'ready',
        30_000,
        () => 'the report never became ready',
      );
      const ready = (await api.http.get(`/api/v1/quarters/${ids.aq2}/learning-report`).set(auth).expect(200))
        .body;
      expect(ready).toMatchObject({ status: 'ready', progress: 100, stage: null, lastError: null });
      expect(ready.content.quarter.id).toBe(ids.aq2);
      expect(ready.content.builtAt).toBe(clock.now().toISOString());
    } finally {
      await worker.close();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { LEVELS, type AnonymityMode, type Level } from '@luotsi/database';
import {
  BUILTIN_QUESTION_SET,
  hashToken,
  LearningReportService,
  ManualClock,
  type LearningReportContent,
  type Question,
} from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  unique,
  Workspace,
} from './support/fixtures';

/**
 * The promise made to participants, tried the way a curious coach or sponsor with a calculator would:
 * every published number of every format is collected, and every difference of a total and the groups
 * shown is solved for the groups hidden. Nothing of a group smaller than k may come out exact.
 */

const QUESTIONS: readonly Question[] = BUILTIN_QUESTION_SET.questions;
const NUMERIC = QUESTIONS.filter((q) => q.type === 'likert5' || q.type === 'scale10' || q.type === 'nps');
const LABEL: Record<string, Level> = Object.fromEntries(
  LEVELS.map((l) => [l.charAt(0).toUpperCase() + l.slice(1), l]),
);

type Answers = Record<string, number | string | null>;
interface Person {
  id: string;
  level: Level;
}
interface Answer {
  level: Level;
  answers: Answers;
}

/** A published group: how many answers, and the interval its sum must lie in. */
interface Group {
  n: number;
  sum: [number, number];
}
/** What a reader of one format can read about one question. */
interface QuestionNumbers {
  total?: Group;
  levels: Map<Level, Group>;
}

/** The interval a printed mean leaves for the sum of n answers: the printed decimals tell its precision. */
function sumOf(mean: number | string, n: number): [number, number] {
  const text = String(mean);
  const decimals = text.includes('.') ? text.split('.')[1].length : 0;
  const half = 0.5 * 10 ** -decimals;
  return [(Number(mean) - half) * n, (Number(mean) + half) * n];
}

/** The sum of a distribution is exact. */
const exact = (sum: number): [number, number] => [sum, sum];

function fromJson(content: LearningReportContent): Map<string, QuestionNumbers> {
  const out = new Map<string, QuestionNumbers>();
  for (const q of content.questions) {
    const numbers: QuestionNumbers = { levels: new Map() };
    if (q.distribution.length && typeof q.distribution[0].value === 'number')
      numbers.total = {
        n: q.responses,
        sum: exact(q.distribution.reduce((s, d) => s + Number(d.value) * d.count, 0)),
      };
    else if (q.mean !== null) numbers.total = { n: q.responses, sum: sumOf(q.mean, q.responses) };
    for (const l of q.byLevel)
      if (!('suppressed' in l) && l.mean !== null)
        numbers.levels.set(l.level, { n: l.responses, sum: sumOf(l.mean, l.responses) });
    out.set(q.key, numbers);
  }
  return out;
}

function fromCsv(csv: string): Map<string, QuestionNumbers> {
  const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
  const out = new Map<string, QuestionNumbers>();
  const of = (key: string) => out.get(key) ?? out.set(key, { levels: new Map() }).get(key)!;
  const value = (key: string, group: string, measure: string) =>
    rows.find(
      (r) => r.section === 'question' && r.subject === key && r.group === group && r.measure === measure,
    )?.value;
  for (const key of new Set(rows.filter((r) => r.section === 'question').map((r) => r.subject))) {
    const numbers = of(key);
    const n = Number(value(key, 'all', 'responses'));
    const answers = rows.filter(
      (r) => r.section === 'question' && r.subject === key && /^answer \d+$/.test(r.group),
    );
    if (answers.length)
      numbers.total = {
        n,
        sum: exact(answers.reduce((s, r) => s + Number(r.group.slice(7)) * Number(r.value), 0)),
      };
    else if (value(key, 'all', 'mean')) numbers.total = { n, sum: sumOf(value(key, 'all', 'mean')!, n) };
    for (const level of LEVELS) {
      const mean = value(key, level, 'mean');
      const count = value(key, level, 'responses');
      if (mean && count) numbers.levels.set(level, { n: Number(count), sum: sumOf(mean, Number(count)) });
    }
  }
  return out;
}

/** The page: each question's "N answers · mean M" and its table by level. */
function fromHtml(html: string, content: LearningReportContent): Map<string, QuestionNumbers> {
  const out = new Map<string, QuestionNumbers>();
  const articles = [...html.matchAll(/<article class="question"[\s\S]*?<\/article>/g)].map((m) => m[0]);
  articles.forEach((article, i) => {
    const key = content.questions[i].key;
    const numbers: QuestionNumbers = { levels: new Map() };
    const meta = article.match(/(\d+) answers · mean ([\d.]+)/);
    if (meta) numbers.total = { n: Number(meta[1]), sum: sumOf(meta[2], Number(meta[1])) };
    const byLevel = article.match(/<caption>By level<\/caption>[\s\S]*?<\/table>/);
    for (const row of byLevel?.[0].matchAll(
      /<th scope="row">(\w+)<\/th><td class="num">(\d+)<\/td><td class="num">([\d.]+)<\/td>/g,
    ) ?? [])
      numbers.levels.set(LABEL[row[1]], { n: Number(row[2]), sum: sumOf(row[3], Number(row[2])) });
    out.set(key, numbers);
  });
  return out;
}

/** The one whole number an interval holds, if it holds exactly one. */
function pinned([lo, hi]: [number, number]): number | null {
  const first = Math.ceil(lo - 1e-9);
  return first <= hi + 1e-9 && first + 1 > hi + 1e-9 ? first : null;
}

/**
 * Every published group of fewer than k, and every difference "total minus some shown levels" that
 * leaves between 1 and k − 1 answers, solved; an exact recovery of the true sum is a breach.
 */
function breaches(
  published: Map<string, QuestionNumbers>,
  truth: Answer[],
  levels: Level[],
  k: number,
  format: string,
): string[] {
  const found: string[] = [];
  const trueSum = (key: string, group: Set<Level>) =>
    truth
      .filter((a) => group.has(a.level) && typeof a.answers[key] === 'number')
      .reduce((s, a) => s + (a.answers[key] as number), 0);
  for (const [key, numbers] of published) {
    if (numbers.total && numbers.total.n < k)
      found.push(`${format} ${key}: a total of ${numbers.total.n} < k`);
    for (const [level, group] of numbers.levels)
      if (group.n < k) found.push(`${format} ${key}: ${level} shown with ${group.n} < k`);
    if (!numbers.total) continue;
    const shown = [...numbers.levels.keys()];
    for (let mask = 1; mask < 1 << shown.length; mask++) {
      const subtracted = shown.filter((_, i) => mask & (1 << i));
      const rest = new Set(levels.filter((l) => !subtracted.includes(l)));
      const n = numbers.total.n - subtracted.reduce((s, l) => s + numbers.levels.get(l)!.n, 0);
      if (n <= 0 || n >= k) continue;
      const lo = numbers.total.sum[0] - subtracted.reduce((s, l) => s + numbers.levels.get(l)!.sum[1], 0);
      const hi = numbers.total.sum[1] - subtracted.reduce((s, l) => s + numbers.levels.get(l)!.sum[0], 0);
      const value = pinned([lo, hi]);
      if (value !== null && value === trueSum(key, rest))
        found.push(`${format} ${key}: the ${n} answers of ${[...rest].join('+')} sum to ${value}`);
    }
  }
  return found;
}

function randomAnswers(random: () => number, text: string): Answers {
  const answers: Answers = {};
  for (const q of QUESTIONS) {
    if (q.type === 'free_text') answers[q.key] = text;
    else if (q.type === 'single_choice')
      answers[q.key] = q.options![Math.floor(random() * q.options!.length)].key;
    else {
      const [min, max] = q.type === 'likert5' ? [1, 5] : [0, 10];
      answers[q.key] = min + Math.floor(random() * (max - min + 1));
    }
  }
  return answers;
}

describe('anonymity that survives arithmetic', () => {
  let api: TestApi;
  let owner: Workspace;
  let sponsor: { token: string };
  let organizationId: string;
  const clock = new ManualClock(new Date('2027-01-04T10:00:00Z'));
  const auth = () => bearer(owner.token);

  beforeAll(async () => {
    api = await startApi({ clock });
    owner = await signUp(api.http);
    organizationId = (await createOrganization(api.http, owner.token, { timeZone: 'UTC' })).id;
    sponsor = await addMember(api.http, owner, 'sponsor', [organizationId]);
  });
  afterAll(() => api.close());

  /** A started pilot of `people` (level each) with an open run of mode `anonymity` and k. */
  async function pilotWithRun(levels: Level[], people: Level[], k: number, anonymity: AnonymityMode) {
    const rollout = await createRollout(api.http, owner.token, organizationId);
    const pilot = await createPilot(api.http, owner.token, rollout.id, { levels });
    const specs = people.map((level) => ({ level, email: `${unique('p-')}@example.fi` }));
    const rows: Person[] = await api.db.query(
      `INSERT INTO participant (workspace_id, email, name, locale, time_zone, level)
       SELECT $1, x.e ->> 'email', 'Person ' || (x.e ->> 'email'), 'fi', 'UTC', x.e ->> 'level'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY x.n
       RETURNING id, level`,
      [owner.id, JSON.stringify(specs)],
    );
    await api.db.query(
      `INSERT INTO pilot_membership (workspace_id, pilot_id, participant_id, organization_id)
       SELECT $1, $2, unnest($3::uuid[]), $4`,
      [owner.id, pilot.id, rows.map((p) => p.id), organizationId],
    );
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth()).expect(200);
    const quarters = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth()).expect(200)).body;
    const quarterId = quarters.find((q: { number: number }) => q.number === 1).id as string;
    const runId = (
      await api.http
        .post(`/api/v1/quarters/${quarterId}/retrospectives`)
        .set(auth())
        .send({ minGroupSize: k, anonymity })
        .expect(201)
    ).body.id as string;
    return { pilotId: pilot.id, quarterId, runId, people: rows };
  }

  /** Answers as a submission stores them: the answer, and its invitation marked used. */
  async function answer(runId: string, answered: { person: Person; answers: Answers }[], linked: boolean) {
    for (const { person, answers } of answered) {
      const [invitation] = await api.db.query(
        `WITH used AS (UPDATE invitation SET used = true WHERE retrospective_id = $1 AND participant_id = $2
                       RETURNING level, locale)
         SELECT * FROM used`,
        [runId, person.id],
      );
      await api.db.query(
        `INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, '2027-01-04')`,
        [
          owner.id,
          runId,
          linked ? person.id : null,
          invitation.level,
          invitation.locale,
          JSON.stringify(answers),
        ],
      );
    }
  }

  const close = (runId: string) =>
    api.http.post(`/api/v1/retrospectives/${runId}/close`).set(auth()).expect(200);

  /** Requests and builds the quarter's report in this process, as the worker's job would. */
  async function build(quarterId: string): Promise<{ id: string; stored: string }> {
    await api.http.post(`/api/v1/quarters/${quarterId}/learning-report`).set(auth()).expect(202);
    const [row] = await api.db.query(`SELECT id, generation FROM learning_report WHERE quarter_id = $1`, [
      quarterId,
    ]);
    await api.app.get(LearningReportService).build(row.id, row.generation);
    const [built] = await api.db.query(
      `SELECT status, content::text AS stored FROM learning_report WHERE id = $1`,
      [row.id],
    );
    expect(built.status).toBe('ready');
    return { id: row.id, stored: built.stored };
  }

  const get = (path: string, token = owner.token) =>
    api.http
      .get(path)
      .set(bearer(token))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .then((res) => res.body as Buffer);

  /** Every format of the report for every reader: the coach's, the sponsor's and a share link's. */
  async function allFormats(reportId: string) {
    const share = (
      await api.http
        .post(`/api/v1/learning-reports/${reportId}/shares`)
        .set(auth())
        .send({ audience: 'coach' })
        .expect(201)
    ).body.url as string;
    const path = new URL(share).pathname;
    const shared = (suffix: string) =>
      api.http
        .get(`${path}${suffix}?lang=en`)
        .expect(200)
        .then((res) => (suffix === '.json' ? JSON.stringify(res.body) : res.text));
    const json = (token?: string) =>
      get(`/api/v1/learning-reports/${reportId}.json`, token).then((b) => JSON.parse(b.toString()));
    return {
      coachJson: await json(),
      sponsorJson: await json(sponsor.token),
      // In English (`?lang=en`), whose labels and numbers the readers above parse.
      coachCsv: (await get(`/api/v1/learning-reports/${reportId}.csv?lang=en`)).toString(),
      sponsorCsv: (await get(`/api/v1/learning-reports/${reportId}.csv?lang=en`, sponsor.token)).toString(),
      coachHtml: (await get(`/api/v1/learning-reports/${reportId}.html?lang=en`)).toString(),
      sponsorHtml: (await get(`/api/v1/learning-reports/${reportId}.html?lang=en`, sponsor.token)).toString(),
      shareHtml: await shared(''),
      shareCsv: await shared('.csv'),
      shareJson: await shared('.json'),
      pdf: () => get(`/api/v1/learning-reports/${reportId}.pdf?lang=en`),
    };
  }

  it('lets no reader recover any answer of a group under k, for random pilots, in JSON, CSV and HTML', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          levels: fc.uniqueArray(fc.constantFrom(...LEVELS), { minLength: 1, maxLength: 4 }),
          size: fc.integer({ min: 1, max: 60 }),
          k: fc.integer({ min: 3, max: 7 }),
          answering: fc.double({ min: 0.2, max: 1, noNaN: true }),
          anonymity: fc.constantFrom<AnonymityMode>('anonymous', 'confidential', 'named'),
          seed: fc.integer(),
        }),
        async ({ levels, size, k, answering, anonymity, seed }) => {
          cases++;
          const random = mulberry(seed);
          const people = Array.from({ length: size }, () => levels[Math.floor(random() * levels.length)]);
          const run = await pilotWithRun(levels, people, k, anonymity);
          const answered = run.people
            .filter(() => random() < answering)
            .map((person) => ({ person, answers: randomAnswers(random, 'Viikkopalaverit auttoivat') }));
          await answer(run.runId, answered, anonymity !== 'anonymous');
          await close(run.runId);
          const report = await build(run.quarterId);
          const formats = await allFormats(report.id);
          const truth = answered.map((a) => ({ level: a.person.level, answers: a.answers }));
          const found = [
            ...breaches(fromJson(formats.coachJson.content ?? formats.coachJson), truth, levels, k, 'json'),
            ...breaches(fromJson(JSON.parse(formats.shareJson)), truth, levels, k, 'share json'),
            ...breaches(fromCsv(formats.coachCsv), truth, levels, k, 'csv'),
            ...breaches(fromCsv(formats.shareCsv), truth, levels, k, 'share csv'),
            ...breaches(fromHtml(formats.coachHtml, formats.coachJson), truth, levels, k, 'html'),
          ];
          expect(found).toEqual([]);
          // Nothing is published of fewer than k answers in all.
          if (answered.length < k) {
            expect(formats.coachJson.questions.every((q: { mean: unknown }) => q.mean === null)).toBe(true);
            expect(formats.coachJson.nps).toBeNull();
          }
        },
      ),
      { numRuns: 30, seed: 20271 },
    );
    expect(cases).toBe(30);
  }, 240_000);

  it('the same attacker does recover a small level from figures published the old way', () => {
    // Board: 2 answers (4 and 5), staff: 6 answers; means with four decimals and the total's distribution.
    const truth: Answer[] = [
      ...[4, 5].map((v) => ({ level: 'board' as Level, answers: { q: v } })),
      ...[3, 3, 4, 2, 5, 4].map((v) => ({ level: 'staff' as Level, answers: { q: v } })),
    ];
    const old = new Map<string, QuestionNumbers>([
      ['q', { total: { n: 8, sum: exact(30) }, levels: new Map([['staff', { n: 6, sum: sumOf(3.5, 6) }]]) }],
    ]);
    expect(breaches(old, truth, ['board', 'staff'], 5, 'old')).toEqual([
      'old q: the 2 answers of board sum to 9',
    ]);
  });

  it('publishes nothing from 4 answers with k = 5 in any format, but their count', async () => {
    const run = await pilotWithRun(['board'], Array(9).fill('board'), 5, 'anonymous');
    const quote = 'Hallitustyöskentely parani selvästi';
    await answer(
      run.runId,
      run.people.slice(0, 4).map((person, i) => ({
        person,
        answers: { ...randomAnswers(mulberry(i + 1), quote), recommend: 10 - i },
      })),
      false,
    );
    await close(run.runId);
    const report = await build(run.quarterId);
    const f = await allFormats(report.id);

    for (const json of [f.coachJson, f.sponsorJson, JSON.parse(f.shareJson)]) {
      expect(json.response).toMatchObject({ of: 9, count: 4 });
      for (const q of json.questions) {
        expect(q).toMatchObject({ distribution: [], mean: null, median: null, trend: [] });
        expect(q.byLevel.every((l: object) => 'suppressed' in l)).toBe(true);
      }
      expect(json.nps).toBeNull();
      expect(json.adkar).toEqual([]);
      expect(json.comparison.every((c: { nps: unknown }) => c.nps === null)).toBe(true);
      expect(
        json.themes.every(
          (q: { suppressed: boolean; languages: { quotes: string[]; terms: unknown[] }[] }) =>
            q.suppressed && q.languages.every((t) => !t.quotes.length && !t.terms.length),
        ),
      ).toBe(true);
    }
    for (const csv of [f.coachCsv, f.sponsorCsv, f.shareCsv]) {
      const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
      expect(
        rows.find((r) => r.section === 'response' && r.group === 'all' && r.measure === 'responded')?.value,
      ).toBe('4');
      const leaked = rows.filter(
        (r) =>
          ['nps', 'adkar'].includes(r.section) ||
          (r.section === 'theme' && r.measure !== 'suppressed') ||
          (r.section === 'question' && r.measure !== 'responses' && r.measure !== 'suppressed') ||
          (r.section === 'comparison' && r.measure === 'nps' && r.value !== ''),
      );
      expect(leaked).toEqual([]);
    }
    const dir = mkdtempSync(join(tmpdir(), 'luotsi-pdf-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), await f.pdf());
      const pdfText = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']).toString();
      for (const page of [f.coachHtml, f.sponsorHtml, f.shareHtml, pdfText]) {
        expect(page).toContain('4');
        expect(page).not.toContain(quote);
        expect(page).not.toMatch(/mean \d|median \d|Recommendation \(NPS\)<\/h2>|ADKAR\)<\/h2>|<blockquote/);
      }
      expect(pdfText).toMatch(/Not shown: fewer than 5 answers/);
      expect(pdfText).not.toMatch(/Readiness for the change|Promoters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps an answer in the level its person had when the run opened', async () => {
    const run = await pilotWithRun(
      ['staff', 'management'],
      [...Array(8).fill('staff'), ...Array(6).fill('management')],
      3,
      'confidential',
    );
    const moved = run.people.find((p) => p.level === 'staff')!;
    // The coach moves one person to a level of their own (and changes their language) before they answer.
    await api.http
      .patch(`/api/v1/participants/${moved.id}`)
      .set(auth())
      .send({ level: 'board', locale: 'sv' })
      .expect(200);
    // They answer through their own link.
    const token = `r_${Buffer.from(unique('tok').padEnd(32, 'x')).toString('base64url').slice(0, 43)}`;
    const [invitation] = await api.db.query(
      `SELECT id FROM invitation WHERE retrospective_id = $1 AND participant_id = $2`,
      [run.runId, moved.id],
    );
    await api.db.query(`INSERT INTO invitation_token (token_hash, invitation_id) VALUES ($1, $2)`, [
      hashToken(token),
      invitation.id,
    ]);
    const form = Object.fromEntries(
      Object.entries(randomAnswers(mulberry(7), 'Hyvä neljännes')).map(([key, v]) => [key, String(v)]),
    );
    await api.http.post(`/r/${token}`).type('form').send(form).expect(200);
    await answer(
      run.runId,
      run.people
        .filter((p) => p.id !== moved.id)
        .map((person, i) => ({ person, answers: randomAnswers(mulberry(i), 'Hyvä') })),
      true,
    );
    await close(run.runId);
    const { stored } = await build(run.quarterId);
    const content = JSON.parse(stored) as LearningReportContent;
    expect(content.response.byLevel).toEqual([
      { level: 'management', of: 6, count: 6, rate: 1 },
      { level: 'staff', of: 8, count: 8, rate: 1 },
    ]);
    const [saved] = await api.db.query(
      `SELECT level, locale FROM retrospective_response WHERE retrospective_id = $1 AND participant_id = $2`,
      [run.runId, moved.id],
    );
    expect(saved).toEqual({ level: 'staff', locale: 'fi' });
    for (const q of content.questions.filter((q) => NUMERIC.some((n) => n.key === q.key)))
      expect(q.byLevel.map((l) => l.level)).toEqual(['management', 'staff']);
  });

  it('builds nothing from answers while an anonymous run is open, and the same bytes twice after close', async () => {
    const run = await pilotWithRun(['staff'], Array(12).fill('staff'), 3, 'anonymous');
    await answer(
      run.runId,
      run.people
        .slice(0, 10)
        .map((person, i) => ({ person, answers: randomAnswers(mulberry(100 + i), 'Selkeät tavoitteet') })),
      false,
    );
    const first = await build(run.quarterId);
    const second = await build(run.quarterId);
    for (const { stored } of [first, second]) {
      const content = JSON.parse(stored) as LearningReportContent;
      expect(content.response).toMatchObject({ of: 12, count: 10 });
      expect(content.response.byLevel).toEqual([
        { level: 'staff', suppressed: true, reason: 'shown once the retrospective closes' },
      ]);
      expect(content).toMatchObject({ questions: [], nps: null, adkar: [] });
      // Nothing is read before close: no themes at all, as no question figures.
      expect(content.themes).toEqual([]);
      expect(stored).not.toContain('Selkeät');
    }

    await close(run.runId);
    clock.advance(60_000);
    const closedFirst = await build(run.quarterId);
    const firstCsv = (await get(`/api/v1/learning-reports/${closedFirst.id}.csv?lang=en`)).toString();
    clock.advance(60_000);
    const closedSecond = await build(run.quarterId);
    const secondCsv = (await get(`/api/v1/learning-reports/${closedSecond.id}.csv?lang=en`)).toString();
    expect(JSON.parse(closedFirst.stored).questions.length).toBeGreaterThan(0);
    expect(closedSecond.stored).toBe(closedFirst.stored);
    // The served formats differ only in the time of the build.
    const withoutBuildTime = (csv: string) =>
      csv.split('\r\n').filter((line) => !line.startsWith('report,built_at'));
    expect(withoutBuildTime(secondCsv)).toEqual(withoutBuildTime(firstCsv));
    expect(firstCsv).not.toBe(secondCsv);
  });
});

/** A small seeded generator, so a failing case replays. */
function mulberry(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

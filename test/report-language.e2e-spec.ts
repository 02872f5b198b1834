import { parse } from 'csv-parse/sync';
import type { Response as SuperResponse } from 'superagent';
import {
  BUILTIN_QUESTION_SET,
  LearningReportService,
  ManualClock,
  ReadinessReportService,
  type LearningReportContent,
  type ReadinessReportContent,
} from '@luotsi/domain';
import enReport from '../libs/texts/src/locales/en/report.json';
import fiReport from '../libs/texts/src/locales/fi/report.json';
import svReport from '../libs/texts/src/locales/sv/report.json';
import { startApi, TestApi } from './support/api';
import { bearer, createOrganization, createPilot, signUp, unique, Workspace } from './support/fixtures';
import { pdfText } from './support/pdf-text';

/**
 * Reports in the reader's language: a learning report built from a Finnish organization's quarter and the
 * rollout's readiness report, read as a page, a PDF and a CSV in Finnish and Swedish. "No English label"
 * is checked against the English catalogue itself: every English text of the `report` namespace (cut at
 * its {{placeholders}}) that differs from the other language's, and the English sentences the reports
 * store (flags, gate verdicts), must be absent from the other language's output.
 */

type Tree = { [key: string]: string | Tree };
type Language = 'fi' | 'sv';
const CATALOGUE: Record<Language | 'en', Tree> = { en: enReport, fi: fiReport, sv: svReport };

/** Every leaf of the English catalogue with the same key's text in `language`. */
function leaves(en: Tree, other: Tree, prefix = ''): { key: string; en: string; other: string }[] {
  return Object.entries(en).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [{ key: `${prefix}${key}`, en: value, other: String(other?.[key] ?? '') }]
      : leaves(value, other?.[key] as Tree, `${prefix}${key}.`),
  );
}

/**
 * The English pieces no `language` output may contain: longer than 3 characters, and not shared with the
 * other language's text of the same key (as "NPS (" of "NPS ({{count}} answers)").
 */
function englishPieces(language: Language, storedSentences: string[]): string[] {
  const pieces = leaves(CATALOGUE.en, CATALOGUE[language])
    .filter((leaf) => leaf.en !== leaf.other)
    .flatMap((leaf) =>
      leaf.en
        .split(/\{\{\w+\}\}/)
        .map((piece) => piece.trim())
        .filter((piece) => piece.length > 3 && !leaf.other.includes(piece)),
    );
  return [...new Set([...pieces, ...storedSentences])];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The pieces found in a text as words (so "Pilot" is not found inside "Pilotti"), case as written. */
const found = (text: string, pieces: string[]) =>
  pieces.filter((piece) => new RegExp(`(?<![\\p{L}])${escape(piece)}(?![\\p{L}])`, 'u').test(text));

/** What a reader sees of a page: its text and its accessible names, without markup or style. */
const visible = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*\saria-label="([^"]*)"[^>]*>/g, ' $1 ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const binary = (res: SuperResponse, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const csvRecords = (bytes: Buffer) => parse(bytes.toString('utf8'), { bom: true }) as string[][];

/** An answer of each built-in question: the scales by person, Finnish free text that repeats a few words. */
const TEXTS = [
  'Viikkopalaverit auttoivat keskittymään tavoitteisiin',
  'Viikkopalaverit selkeyttivät tavoitteet koko tiimille',
  'Tavoitteet olivat selkeät ja viikkopalaverit lyhyitä',
  'Viikkopalaverit toimivat, tavoitteet jäivät mieleen',
];
const answersOf = (n: number) =>
  Object.fromEntries(
    BUILTIN_QUESTION_SET.questions.map((q) => [
      q.key,
      q.type === 'likert5'
        ? 2 + (n % 3)
        : q.type === 'single_choice'
          ? q.options![n % q.options!.length].key
          : q.type === 'free_text'
            ? TEXTS[n]
            : 6 + n,
    ]),
  );

describe('reports in the reader language', () => {
  let api: TestApi;
  let owner: Workspace;
  let organizationId: string;
  let rolloutId: string;
  let quarter: { id: string; label: string };
  let learning: LearningReportContent;
  let readinessId: string;
  let readiness: ReadinessReportContent;
  const clock = new ManualClock(new Date('2027-06-20T09:00:00Z'));
  const auth = () => bearer(owner.token);
  const bytes = (path: string) => api.http.get(path).set(auth()).buffer(true).parse(binary);

  beforeAll(async () => {
    api = await startApi({ clock });
    owner = await signUp(api.http);
    organizationId = (
      await createOrganization(api.http, owner.token, {
        name: unique('Pohjolan kaupunki '),
        defaultLocale: 'fi',
      })
    ).id;
    rolloutId = (
      await api.http
        .post('/api/v1/rollouts')
        .set(auth())
        .send({
          organizationId,
          goal: 'Jokainen yksikkö suunnittelee neljänneksensä OKR:illä',
          targetHeadcount: 8000,
          plannedWaves: 3,
        })
        .expect(201)
    ).body.id;
    const pilot = await createPilot(api.http, owner.token, rolloutId, {
      name: 'Hallituspilotti',
      levels: ['staff'],
    });
    const quarters = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth()).expect(200))
      .body as {
      id: string;
      number: number;
      label: string;
    }[];
    quarter = quarters.find((q) => q.number === 2)!;

    // Ten staff members, four of whom answer the closed retrospective of quarter 2 (k = 3): 40 %, under the
    // 50 % the flag asks, and quarter 2 without key results moving. Both flags are raised.
    const people: { id: string }[] = await api.db.query(
      `INSERT INTO participant (workspace_id, email, name, locale, time_zone, level)
       SELECT $1, 'p' || n || '-' || $2 || '@example.fi', 'Henkilö ' || n, 'fi', 'Europe/Helsinki', 'staff'
       FROM generate_series(1, 10) n RETURNING id`,
      [owner.id, unique()],
    );
    await api.db.query(
      `INSERT INTO pilot_membership (workspace_id, pilot_id, participant_id, organization_id)
       SELECT $1, $2, unnest($3::uuid[]), $4`,
      [owner.id, pilot.id, people.map((p) => p.id), organizationId],
    );
    const [run] = await api.db.query(
      `INSERT INTO retrospective (workspace_id, quarter_id, pilot_id, organization_id, question_set_ref, questions,
                                  anonymity, min_group_size, state, opened_at, closes_at, closed_at)
       SELECT q.workspace_id, q.id, q.pilot_id, q.organization_id, 'builtin:end-of-quarter', $2::jsonb, 'anonymous', 3,
              'closed', q.starts_at, q.ends_at, q.ends_at
       FROM quarter q WHERE q.id = $1 RETURNING id`,
      [quarter.id, JSON.stringify(BUILTIN_QUESTION_SET.questions)],
    );
    await api.db.query(
      `INSERT INTO invitation (workspace_id, retrospective_id, participant_id, expires_at, level, locale, used)
       SELECT $1, $2, p.id, '2027-07-01', 'staff', 'fi', row_number() OVER (ORDER BY p.id) <= 4
       FROM participant p WHERE p.id = ANY($3::uuid[])`,
      [owner.id, run.id, people.map((p) => p.id)],
    );
    await api.db.query(
      `INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
       SELECT $1, $2, NULL, 'staff', 'fi', x.answers, '2027-06-15'
       FROM jsonb_to_recordset($3::jsonb) AS x(answers jsonb)`,
      [owner.id, run.id, JSON.stringify([0, 1, 2, 3].map((n) => ({ answers: answersOf(n) })))],
    );

    await api.http.post(`/api/v1/quarters/${quarter.id}/learning-report`).set(auth()).expect(202);
    const [row] = await api.db.query(`SELECT id, generation FROM learning_report WHERE quarter_id = $1`, [
      quarter.id,
    ]);
    await api.app.get(LearningReportService).build(row.id, row.generation);
    const report = (
      await api.http.get(`/api/v1/quarters/${quarter.id}/learning-report`).set(auth()).expect(200)
    ).body;
    expect(report.status).toBe('ready');
    learning = report.content;

    readinessId = (
      await api.http.post(`/api/v1/rollouts/${rolloutId}/readiness-report`).set(auth()).expect(202)
    ).body.id;
    await api.app.get(ReadinessReportService).build(readinessId);
    const built = (await api.http.get(`/api/v1/readiness-reports/${readinessId}`).set(auth()).expect(200))
      .body;
    expect(built.status).toBe('ready');
    readiness = built.content;
  });
  afterAll(() => api.close());

  it('builds a report with flags, questions, themes and a quarter after the first', () => {
    // The premise of the checks below: the report has English sentences stored and labels to translate.
    expect(quarter.label).toBe('2027-Q2');
    expect(learning.flags.map((f) => f.code)).toEqual(['no_key_result_movement', 'low_response_rate']);
    expect(learning.questions.length).toBeGreaterThan(3);
    const finnish = learning.themes.flatMap((q) => q.languages).filter((t) => t.locale === 'fi');
    expect(finnish.some((t) => !t.suppressed && t.responses === 4)).toBe(true);
    expect(readiness.gates).toHaveLength(7);
  });

  it('is in Finnish for a Finnish organization by default: page, PDF and CSV, with no English label', async () => {
    const stored = [...learning.flags.map((f) => f.message)];
    const english = englishPieces('fi', stored);
    const page = await api.http
      .get(`/api/v1/quarters/${quarter.id}/learning-report.html`)
      .set(auth())
      .expect(200);
    expect(page.headers['content-language']).toBe('fi');
    const text = visible(page.text);
    expect(page.text).toContain('<html lang="fi">');
    // Finnish labels, a Finnish flag sentence, quarters as Finnish writes them, a decimal comma.
    expect(text).toContain(`Oppimisraportti · ${learning.organization.name}`);
    expect(text).toContain('Hallituspilotti, Q2/2027');
    expect(text).toContain('Vastausaste alle 50 %');
    expect(text).toContain('4/10 kutsutusta vastasi retrospektiiviin, alle 50 %.');
    expect(text).toContain('2. neljänneksellä ei ole avaintuloksia, jotka voisivat liikkua.');
    expect(text).toMatch(/40,0\s%/);
    expect(text).not.toMatch(/2027-Q\d/);
    expect(found(text, english)).toEqual([]);

    // The same page asked for in Finnish explicitly is the same page.
    const explicit = await api.http
      .get(`/api/v1/quarters/${quarter.id}/learning-report.html?lang=fi`)
      .set(auth());
    expect(explicit.text).toBe(page.text);

    const pdf = (await bytes(`/api/v1/quarters/${quarter.id}/learning-report.pdf`).expect(200))
      .body as Buffer;
    const printed = pdfText(pdf).replace(/\s+/g, ' ');
    expect(printed).toContain('Hallituspilotti, Q2/2027');
    expect(printed).toContain('Oppimisraportti · Hallituspilotti · Q2/2027');
    expect(found(printed, english)).toEqual([]);

    const csv = csvRecords(
      (await bytes(`/api/v1/quarters/${quarter.id}/learning-report.csv`).expect(200)).body,
    );
    expect(csv[0]).toEqual(
      ['section', 'subject', 'group', 'measure', 'value'].map((c) => fiReport.csv[c as 'section']),
    );
    expect(csv[0]).toEqual(['osio', 'kohde', 'ryhmä', 'mittari', 'arvo']);
    // The cells stay codes and numbers; the few sentences in them are Finnish.
    expect(csv).toContainEqual(['report', 'quarter', '', 'text', '2027-Q2']);
    const cells = csv.flat().join('\n');
    expect(
      found(
        cells,
        english.filter((piece) => piece.includes(' ')),
      ),
    ).toEqual([]);
  });

  it('is in English or Swedish when asked, and the English check would find English', async () => {
    const english = await api.http
      .get(`/api/v1/quarters/${quarter.id}/learning-report.html?lang=en`)
      .set(auth())
      .expect(200);
    expect(english.headers['content-language']).toBe('en');
    const text = visible(english.text);
    expect(text).toContain('Hallituspilotti, Q2 2027');
    expect(text).toContain('4 of 10 invited answered the retrospective, below 50%.');
    // The check of the Finnish page is not vacuous: the English page has many of the pieces it looks for.
    expect(found(text, englishPieces('fi', [])).length).toBeGreaterThan(40);

    // In English, the sentences written from the stored codes and numbers say what the report stored.
    for (const flag of learning.flags) expect(text).toContain(flag.message);
    const readinessPage = visible(
      (await api.http.get(`/api/v1/readiness-reports/${readinessId}.html?lang=en`).set(auth()).expect(200))
        .text,
    );
    const plain = ['participation', 'response_rate', 'checkin_rhythm', 'outcome_health', 'trend', 'capacity'];
    for (const gate of readiness.gates.filter((g) => plain.includes(g.key)))
      expect(readinessPage).toContain(gate.summary);

    const swedish = await api.http
      .get(`/api/v1/quarters/${quarter.id}/learning-report.html?lang=sv`)
      .set(auth())
      .expect(200);
    const sv = visible(swedish.text);
    expect(sv).toContain('Hallituspilotti, Q2/2027');
    expect(sv).toContain('4 av 10 inbjudna svarade på retrospektiven, under 50 %.');
    expect(
      found(
        sv,
        englishPieces(
          'sv',
          learning.flags.map((f) => f.message),
        ),
      ),
    ).toEqual([]);
  });

  it('writes the readiness report in Swedish: gates, verdict and proposal, with no English label', async () => {
    const english = englishPieces(
      'sv',
      readiness.gates.map((g) => g.summary),
    );
    const page = await api.http
      .get(`/api/v1/readiness-reports/${readinessId}.html?lang=sv`)
      .set(auth())
      .expect(200);
    const text = visible(page.text);
    expect(page.text).toContain('<html lang="sv">');
    expect(text).toContain('Beredskapsrapport');
    expect(text).toContain(svReport.readiness.verdicts[readiness.verdict]);
    // 4 of 10 answered: the response-rate gate written from its numbers, in Swedish.
    expect(text).toMatch(
      /4 av 10 inbjudna svarade på de senaste retrospektiverna \(40,0\s%\), mot minst \d+,\d\s%\./,
    );
    expect(text).toContain(
      `${readiness.nextWave.startQuarter.replace(/^(\d{4})-Q(\d)$/, 'Q$2/$1')} startkvartal`,
    );
    expect(found(text, english)).toEqual([]);

    const pdf = (await bytes(`/api/v1/readiness-reports/${readinessId}.pdf?lang=sv`).expect(200))
      .body as Buffer;
    expect(found(pdfText(pdf).replace(/\s+/g, ' '), english)).toEqual([]);
    const csv = csvRecords(
      (await bytes(`/api/v1/readiness-reports/${readinessId}.csv?lang=sv`).expect(200)).body,
    );
    expect(csv[0]).toEqual(['avsnitt', 'föremål', 'grupp', 'mått', 'värde']);

    // Without `lang`, the organization's language.
    const finnish = await api.http
      .get(`/api/v1/readiness-reports/${readinessId}.html`)
      .set(auth())
      .expect(200);
    expect(visible(finnish.text)).toContain('Valmiusraportti');
    expect(
      found(
        visible(finnish.text),
        englishPieces(
          'fi',
          readiness.gates.map((g) => g.summary),
        ),
      ),
    ).toEqual([]);
  });

  it('follows the organization when its language changes, and a share link takes ?lang= too', async () => {
    await api.http
      .patch(`/api/v1/organizations/${organizationId}`)
      .set(auth())
      .send({ defaultLocale: 'sv' })
      .expect(200);
    const swedish = await api.http
      .get(`/api/v1/quarters/${quarter.id}/learning-report.csv`)
      .set(auth())
      .expect(200);
    expect(swedish.headers['content-language']).toBe('sv');

    const share = await api.http
      .post(`/api/v1/readiness-reports/${readinessId}/shares`)
      .set(auth())
      .send({ audience: 'sponsor' })
      .expect(201);
    const path = new URL(share.body.url as string).pathname;
    const byDefault = await api.http.get(path).expect(200);
    expect(byDefault.text).toContain('<html lang="sv">');
    const inEnglish = await api.http.get(`${path}?lang=en`).expect(200);
    expect(inEnglish.text).toContain('<html lang="en">');
    // Its links to the other formats keep the language.
    expect(inEnglish.text.replace(/&#x3D;/g, '=')).toContain(`href="${path.slice(3)}.pdf?lang=en"`);
    // A share link is read by people: a page that names the parameter and its values, in their language.
    const refused = await api.http.get(`${path}.pdf?lang=de`).set('Accept-Language', 'fi').expect(422);
    expect(refused.text.replace(/&#x3D;/g, '=')).toContain('lang=fi, sv tai en');
    const csv = await api.http.get(`${path}.csv?lang=fi`).expect(200);
    expect(csv.text.split('\r\n')[0]).toBe('\uFEFFosio,kohde,ryhmä,mittari,arvo');
    await api.http
      .patch(`/api/v1/organizations/${organizationId}`)
      .set(auth())
      .send({ defaultLocale: 'fi' })
      .expect(200);
  });

  it.each([
    ['the API page', () => `/api/v1/quarters/${quarter.id}/learning-report.html?lang=xx`],
    ['the API CSV', () => `/api/v1/readiness-reports/${readinessId}.csv?lang=de`],
    ['the API JSON', () => `/api/v1/readiness-reports/${readinessId}.json?lang=FI`],
  ])('refuses another language on %s with 422 naming lang', async (_name, path) => {
    const res = await api.http.get(path()).set(auth()).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'lang' })]);
  });
});

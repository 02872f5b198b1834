import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { Browser, Page } from 'playwright-core';
import type { Response as SuperResponse } from 'superagent';
import { redactUrl } from '@luotsi/config';
import {
  LearningReportContent,
  ManualClock,
  PdfUnavailableError,
  ReadinessReportContent,
  ReportBuilds,
  ReportPrinter,
} from '@luotsi/domain';
import { TestApi } from './support/api';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  PASSWORD,
  signUp,
  Workspace,
} from './support/fixtures';
import { waitFor } from './support/processes';
import { COUNTS, learningContent, readinessContent } from './support/report-content';
import { TestSmtpServer } from './support/smtp';

const DAY_MS = 24 * 3600 * 1000;

/** supertest reads these as raw bytes, so the BOM and the PDF stay as sent. */
const binary = (res: SuperResponse, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const csvRows = (bytes: Buffer) =>
  parse(bytes.toString('utf8'), { bom: true, columns: true }) as {
    section: string;
    subject: string;
    group: string;
    measure: string;
    value: string;
  }[];

/** Every chart: an inline SVG with an accessible name and a title. */
async function chartTitles(page: Page): Promise<string[]> {
  return page.$$eval('svg[role="img"]', (svgs) =>
    svgs.map((svg) => {
      const title = svg.querySelector('title')?.textContent ?? '';
      return svg.getAttribute('aria-label') === title ? title : `mismatch: ${title}`;
    }),
  );
}

/** A PDF: the magic bytes, and a page tree with at least one page. */
function expectPdf(bytes: Buffer) {
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const count = /\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/s.exec(
    bytes.toString('latin1'),
  );
  expect(count).not.toBeNull();
  expect(Number(count![1] ?? count![2])).toBeGreaterThan(0);
}

/** The small group of the privacy case: 4 of 9 board members answered, with k = 5. */
const SMALL = {
  of: 9,
  count: 4,
  rate: 0.4444,
  mean: 2.25,
  quote: 'Styrelsen lyssnade aldrig på oss',
  term: 'styrelsemöten',
};

/**
 * The managers: 5 of 8 answered, as many as k. Shown beside the staff, they would give the board away
 * (all 32 answers − 5 managers − 23 staff = the board's 4), so they must be hidden as well.
 */
const MANAGERS = { of: 8, count: 5, rate: 0.625, mean: 3.6 };

/**
 * A stored report whose builder let the small group through: the board's numbers unsuppressed, the
 * managers' numbers shown, and the Swedish theme (the board's 4 answers) with a quote. No format may
 * show any of the board's figures, nor the managers' that would let them be recomputed.
 */
function slippedContent(ids: Parameters<typeof learningContent>[0]): LearningReportContent {
  const content = learningContent(ids);
  content.response.byLevel[0] = { level: 'board', of: SMALL.of, count: SMALL.count, rate: SMALL.rate };
  content.response.byLevel[1] = {
    level: 'management',
    of: MANAGERS.of,
    count: MANAGERS.count,
    rate: MANAGERS.rate,
  };
  content.questions[0].byLevel[0] = { level: 'board', responses: SMALL.count, mean: SMALL.mean };
  content.questions[0].byLevel[1] = { level: 'management', responses: MANAGERS.count, mean: MANAGERS.mean };
  const languages = content.themes[0].languages;
  languages[1] = { ...languages[1], quotes: [SMALL.quote], suppressed: false };
  return content;
}

/**
 * Which levels of the slipped report may be shown, worked out here from its raw counts: a level under
 * k is hidden; while the hidden levels together hold 1 to k − 1 answers (total − the shown levels),
 * the smallest shown level is hidden too.
 */
function expectedShownLevels(levels: { level: string; n: number }[], total: number, k: number): string[] {
  const shown = levels.filter((l) => l.n >= k);
  const hiddenAnswers = () => total - shown.reduce((sum, l) => sum + l.n, 0);
  while (shown.length && hiddenAnswers() > 0 && hiddenAnswers() < k)
    shown.splice(shown.indexOf(shown.reduce((a, b) => (b.n < a.n ? b : a))), 1);
  return shown.map((l) => l.level);
}

/**
 * Nothing of the small group: no numbers, no quote (and for sponsors, not even its words); and none
 * of the managers' numbers, from which the board's could be worked out.
 */
function expectNoSmallGroup(text: string, audience: 'coach' | 'sponsor') {
  expect(text).not.toContain(SMALL.quote);
  expect(text).not.toMatch(/\b4 of 9\b|44\.4%|0\.4444|2\.25\b/);
  expect(text).not.toMatch(/\b5 of 8\b|62\.5%|0\.625\b/);
  if (audience === 'sponsor') expect(text).not.toContain(SMALL.term);
}

describe('report formats and share links', () => {
  let stack: BrowserStack;
  let smtp: TestSmtpServer;
  let api: TestApi;
  let browser: Browser;
  let base: string;
  const clock = new ManualClock(new Date('2027-04-05T09:00:00Z'));

  let owner: Workspace;
  let coach: { id: string; email: string; token: string };
  let sponsor: { id: string; email: string; token: string };
  let outsider: Workspace;
  let organizationId: string;
  let rolloutId: string;
  let pilotId: string;
  let quarterIds: string[];
  let learningId: string;
  let slippedId: string;
  let readinessId: string;

  /**
   * A learning report row as the builder stores it: the content without its build time, which is kept
   * in the row's built_at (and added back to the content when it is served).
   */
  async function seedLearning(quarterId: string, content: LearningReportContent, status = 'ready') {
    const { builtAt: _builtAt, ...stored } = content;
    const [row] = await api.db.query(
      `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, progress, content, requested_at, built_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'ready' THEN 100 ELSE 40 END, $6, $7, CASE WHEN $5 = 'ready' THEN $7::timestamptz END)
       RETURNING id`,
      [owner.id, organizationId, pilotId, quarterId, status, status === 'ready' ? stored : null, clock.now()],
    );
    return row.id as string;
  }

  async function seedReadiness(content: ReadinessReportContent) {
    const [row] = await api.db.query(
      `INSERT INTO readiness_report (workspace_id, organization_id, rollout_id, status, progress, verdict, content, built_at)
       VALUES ($1, $2, $3, 'ready', 100, $4, $5, $6) RETURNING id`,
      [owner.id, organizationId, rolloutId, content.verdict, content, clock.now()],
    );
    return row.id as string;
  }

  const get = (path: string, token: string) => api.http.get(path).set(bearer(token));
  const getBytes = (path: string, token?: string) => {
    const req = api.http.get(path).buffer(true).parse(binary);
    return token ? req.set(bearer(token)) : req;
  };

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    ({ smtp, api, browser, base } = stack);

    owner = await signUp(api.http);
    outsider = await signUp(api.http);
    coach = await addMember(api.http, owner, 'coach');
    const organization = await createOrganization(api.http, owner.token, { defaultLocale: 'fi' });
    organizationId = organization.id;
    sponsor = await addMember(api.http, owner, 'sponsor', [organizationId]);
    rolloutId = (await createRollout(api.http, owner.token, organizationId)).id;
    pilotId = (
      await createPilot(api.http, owner.token, rolloutId, {
        name: 'Hallituspilotti',
        levels: ['board', 'staff'],
        coachId: coach.id,
      })
    ).id;
    const quarters = await get(`/api/v1/pilots/${pilotId}/quarters`, owner.token).expect(200);
    quarterIds = quarters.body.map((q: { id: string }) => q.id);
    const ids = { organizationId, rolloutId, pilotId, quarterId: quarterIds[0] };
    learningId = await seedLearning(quarterIds[0], learningContent(ids));
    slippedId = await seedLearning(quarterIds[1], slippedContent({ ...ids, quarterId: quarterIds[1] }));
    readinessId = await seedReadiness(
      readinessContent({ organizationId, rolloutId, learningReportId: learningId, pilotId }),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves a learning report as a page, CSV, PDF and JSON to its coach', async () => {
    // In English (`?lang=en`): the organization's own language, Finnish, is the default.
    const html = await get(`/api/v1/learning-reports/${learningId}.html?lang=en`, coach.token)
      .expect(200)
      .expect('Content-Type', /^text\/html/)
      .expect('Cache-Control', 'private, no-store');
    expect(html.text).toContain('<h1>Hallituspilotti, Q1 2027</h1>');
    expect(html.text).toContain('<span lang="en">Our OKRs guided my weekly priorities.</span>');
    expect(html.text).toContain(`${((COUNTS.responded / COUNTS.invited) * 100).toFixed(1)}%`);
    expect(html.text).not.toMatch(/<script/i);

    // The CSV: UTF-8 with a BOM, every number of the report, computed here from the raw counts.
    const csv = await getBytes(`/api/v1/learning-reports/${learningId}.csv?lang=en`, coach.token)
      .expect(200)
      .expect('Content-Type', /^text\/csv; charset=utf-8/)
      .expect('Content-Disposition', /^attachment; filename="learning-report-hallituspilotti-2027-q1\.csv"$/);
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(bytes);
    const value = (section: string, subject: string, group: string, measure: string) =>
      rows.find(
        (r) => r.section === section && r.subject === subject && r.group === group && r.measure === measure,
      )?.value;
    expect(Number(value('response', '', 'all', 'rate'))).toBeCloseTo(COUNTS.responded / COUNTS.invited, 4);
    expect(Number(value('response', '', 'all', 'invited'))).toBe(COUNTS.invited);
    expect(Number(value('response', '', 'staff', 'rate'))).toBeCloseTo(
      COUNTS.staffResponded / COUNTS.staffInvited,
      4,
    );
    const distribution = [1, 2, 3, 4, 5].map((v) =>
      Number(value('question', 'process_priorities', `answer ${v}`, 'count')),
    );
    expect(distribution.reduce((a, b) => a + b, 0)).toBe(COUNTS.responded);
    const mean = distribution.reduce((sum, n, i) => sum + n * (i + 1), 0) / COUNTS.responded;
    // Publication policy: means of answers are published to one decimal (half away from zero).
    expect(Number(value('question', 'process_priorities', 'all', 'mean'))).toBe(Math.round(mean * 10) / 10);
    const nps = ['promoters', 'detractors', 'responses'].map((m) => Number(value('nps', '', 'all', m)));
    expect(Number(value('nps', '', 'all', 'score'))).toBeCloseTo(((nps[0] - nps[1]) / nps[2]) * 100, 1);
    expect(value('report', 'organization', '', 'text')).toBe('Pohjolan kaupunki');

    const pdf = await getBytes(`/api/v1/learning-reports/${learningId}.pdf`, coach.token)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    expectPdf(pdf.body as Buffer);

    const json = await get(`/api/v1/learning-reports/${learningId}.json`, coach.token).expect(200);
    expect(json.body.response).toEqual(learningContent().response);
    // The stored content has no build time: it is the row's built_at, added back when served.
    const [stored] = await api.db.query(
      `SELECT content ? 'builtAt' AS "hasBuiltAt", built_at AS "builtAt" FROM learning_report WHERE id = $1`,
      [learningId],
    );
    expect(stored.hasBuiltAt).toBe(false);
    expect(json.body.builtAt).toBe(stored.builtAt.toISOString());
    expect(value('report', 'built_at', '', 'text')).toBe(stored.builtAt.toISOString());

    // The path the design names: by quarter.
    await get(`/api/v1/quarters/${quarterIds[0]}/learning-report.html?lang=en`, coach.token)
      .expect(200)
      .expect((r) => expect(r.text).toContain('Hallituspilotti, Q1 2027'));
  });

  it('gives a sponsor the sponsor view, refuses others, and says when a report is still building', async () => {
    const json = await get(`/api/v1/learning-reports/${learningId}.json`, sponsor.token).expect(200);
    expect(
      json.body.themes.map((q: { key: string; languages: { locale: string }[] }) => [
        q.key,
        q.languages.map((t) => t.locale),
      ]),
    ).toEqual([['what_worked', ['fi']]]);
    const html = await get(`/api/v1/learning-reports/${learningId}.html?lang=en`, sponsor.token).expect(200);
    expect(html.text).toContain('Sponsor view');
    expect(html.text).not.toContain('styrelsemöten');
    await get(`/api/v1/readiness-reports/${readinessId}.html`, sponsor.token).expect(200);

    // Another workspace, a sponsor of another organization, an unknown format: not found.
    await get(`/api/v1/learning-reports/${learningId}.html`, outsider.token).expect(404);
    await get(`/api/v1/readiness-reports/${readinessId}.pdf`, outsider.token).expect(404);
    const other = await createOrganization(api.http, owner.token);
    const stranger = await addMember(api.http, owner, 'sponsor', [other.id]);
    await get(`/api/v1/learning-reports/${learningId}.html`, stranger.token).expect(404);
    await get(`/api/v1/learning-reports/${learningId}.xml`, coach.token).expect(404);
    await api.http.get(`/api/v1/learning-reports/${learningId}.html`).expect(401);

    const building = await seedLearning(quarterIds[2], learningContent(), 'building');
    const res = await get(`/api/v1/learning-reports/${building}.pdf`, coach.token).expect(409);
    expect(res.body).toMatchObject({ status: 409, reportStatus: 'building', progress: 40 });
  });

  it('serves the readiness report in every format', async () => {
    const html = await get(`/api/v1/readiness-reports/${readinessId}.html?lang=en`, coach.token).expect(200);
    expect(html.text).toContain('Ready with conditions');
    const rows = csvRows(
      (await getBytes(`/api/v1/readiness-reports/${readinessId}.csv?lang=en`, coach.token).expect(200)).body,
    );
    const gate = rows.filter((r) => r.section === 'gate' && r.subject === 'checkin_rhythm');
    const numbers = Object.fromEntries(gate.map((r) => [`${r.group}:${r.measure}`, r.value]));
    expect(numbers['all:passed']).toBe('false');
    expect(Number(numbers['all:rhythm'])).toBeCloseTo(
      Number(numbers['all:done']) / Number(numbers['all:due']),
      4,
    );
    expect(Number(numbers['threshold:checkinRhythmMin'])).toBe(0.75);
    expectPdf((await getBytes(`/api/v1/readiness-reports/${readinessId}.pdf`, coach.token).expect(200)).body);
    await get(`/api/v1/readiness-reports/${readinessId}.json`, coach.token)
      .expect(200)
      .expect((r) => expect(r.body.verdict).toBe('ready_with_conditions'));
  });

  it('answers 501 with a clear problem where PDF cannot be made', async () => {
    const printer = api.app.get(ReportPrinter);
    const spy = jest.spyOn(printer, 'print').mockRejectedValueOnce(new PdfUnavailableError('no Chromium'));
    // In Swedish, which nobody printed before: a PDF printed once is kept, and served without Chromium.
    const res = await get(`/api/v1/learning-reports/${learningId}.pdf?lang=sv`, coach.token).expect(501);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 501, detail: 'PDF export needs Chromium; set CHROMIUM_PATH.' });
    spy.mockRestore();
  });

  it('shows neither the breakdown nor any quote of a group of 4 when k = 5, nor a level it could be worked out from, in any format', async () => {
    // Publication policy, complementary suppression: the board (4) is under k; alone it would be
    // 32 − 5 − 23, so the smallest shown level (the managers, 5) is hidden with it; together they hold
    // 9 ≥ k, and the staff (23) stay.
    const slipped = slippedContent({});
    const k = slipped.retrospective!.minGroupSize;
    const shownLevels = expectedShownLevels(
      [
        { level: 'board', n: SMALL.count },
        { level: 'management', n: MANAGERS.count },
        { level: 'staff', n: COUNTS.staffResponded },
      ],
      COUNTS.responded,
      k,
    );
    expect(shownLevels).toEqual(['staff']);
    const hiddenLevel = (level: string) => ({ level, suppressed: true, reason: 'fewer than k responses' });
    const printer = api.app.get(ReportPrinter);
    const print = jest.spyOn(printer, 'print');
    const share = await api.http
      .post(`/api/v1/learning-reports/${slippedId}/shares`)
      .set(bearer(coach.token))
      .send({ audience: 'sponsor' })
      .expect(201);
    const coachShare = await api.http
      .post(`/api/v1/learning-reports/${slippedId}/shares`)
      .set(bearer(coach.token))
      .send({ audience: 'coach' })
      .expect(201);
    const sources: { audience: 'coach' | 'sponsor'; path: (format: string) => string; token?: string }[] = [
      // In English, where the numbers this test looks for are written as it writes them ("44.4%").
      {
        audience: 'coach',
        path: (f) => `/api/v1/learning-reports/${slippedId}.${f}?lang=en`,
        token: coach.token,
      },
      {
        audience: 'sponsor',
        path: (f) => `/api/v1/learning-reports/${slippedId}.${f}?lang=en`,
        token: sponsor.token,
      },
      { audience: 'sponsor', path: (f) => `${new URL(share.body.url).pathname}.${f}?lang=en` },
      { audience: 'coach', path: (f) => `${new URL(coachShare.body.url).pathname}.${f}?lang=en` },
    ];
    for (const source of sources) {
      const fetch = (format: string) => getBytes(source.path(format), source.token).expect(200);
      const json = JSON.parse((await fetch('json')).body.toString('utf8')) as LearningReportContent;
      expect(json.response.byLevel).toEqual([
        hiddenLevel('board'),
        hiddenLevel('management'),
        {
          level: 'staff',
          of: COUNTS.staffInvited,
          count: COUNTS.staffResponded,
          rate: Math.round((COUNTS.staffResponded / COUNTS.staffInvited) * 10_000) / 10_000,
        },
      ]);
      expect(json.questions[0].byLevel).toEqual([
        hiddenLevel('board'),
        hiddenLevel('management'),
        slipped.questions[0].byLevel[2],
      ]);
      expectNoSmallGroup(JSON.stringify(json), source.audience);

      const html = (await fetch('html')).body.toString('utf8');
      expect(html).toContain('Not shown: fewer than 5 responses');
      expectNoSmallGroup(html, source.audience);

      const csv = (await fetch('csv')).body as Buffer;
      for (const level of ['board', 'management'])
        expect(csvRows(csv).filter((r) => r.group === level)).toEqual([
          {
            section: 'response',
            subject: '',
            group: level,
            measure: 'suppressed',
            value: 'fewer than k responses',
          },
          {
            section: 'question',
            subject: 'process_priorities',
            group: level,
            measure: 'suppressed',
            value: 'fewer than k responses',
          },
        ]);
      expect(
        csvRows(csv).find((r) => r.section === 'response' && r.group === 'staff' && r.measure === 'responded')
          ?.value,
      ).toBe(String(COUNTS.staffResponded));
      expectNoSmallGroup(csv.toString('utf8'), source.audience);

      // PDF text is compressed: the page it was printed from is checked, and the bytes crudely.
      print.mockClear();
      const pdf = (await fetch('pdf')).body as Buffer;
      expectPdf(pdf);
      expect(print).toHaveBeenCalledTimes(1);
      // The printer is given the page to make once it has room: made again here, it is the same page.
      const page = print.mock.calls[0][0];
      expectNoSmallGroup(typeof page === 'string' ? page : await page(), source.audience);
      expect(pdf.toString('latin1')).not.toContain(SMALL.quote);
    }
    // The larger group's quote is there for both (7+ answers in Finnish).
    const sponsorPage = (await getBytes(`/api/v1/learning-reports/${slippedId}.html`, sponsor.token)).body;
    expect(sponsorPage.toString('utf8')).toContain('Viikkopalaverit toimivat ja auttoivat keskittymään.');
    print.mockRestore();

    // The JSON the learning report's own endpoint serves, as built (the builder suppresses): the same.
    for (const token of [coach.token, sponsor.token]) {
      const built = await get(`/api/v1/quarters/${quarterIds[0]}/learning-report`, token).expect(200);
      expect(built.body.content.response.byLevel[0]).toMatchObject({ level: 'board', suppressed: true });
      expect(Object.keys(built.body.content.questions[0].byLevel[0]).sort()).toEqual([
        'level',
        'reason',
        'suppressed',
      ]);
      expect(JSON.stringify(built.body)).not.toContain('Styrelsen');
      // The slipped report through the same endpoint: the policy applies on every read.
      const read = await get(`/api/v1/quarters/${quarterIds[1]}/learning-report`, token).expect(200);
      expect(read.body.content.response.byLevel.slice(0, 2)).toEqual([
        hiddenLevel('board'),
        hiddenLevel('management'),
      ]);
      expect(read.body.content.questions[0].byLevel.slice(0, 2)).toEqual([
        hiddenLevel('board'),
        hiddenLevel('management'),
      ]);
      expectNoSmallGroup(JSON.stringify(read.body), token === coach.token ? 'coach' : 'sponsor');
    }
  });

  it('shares a report by link: a page with charts that passes axe, PDF and CSV, and refuses when expired or revoked', async () => {
    const created = await api.http
      .post(`/api/v1/learning-reports/${learningId}/shares`)
      .set(bearer(coach.token))
      .send({ audience: 'sponsor' })
      .expect(201);
    expect(created.body).toMatchObject({ audience: 'sponsor', status: 'active', reportKind: 'learning' });
    expect(new Date(created.body.expiresAt).getTime() - clock.now().getTime()).toBe(14 * DAY_MS);
    const url = created.body.url as string;
    const token = new RegExp(`^${base.replace(/[.:/]/g, '\\$&')}/s/(s_[A-Za-z0-9_-]{43})$`).exec(url)![1];
    // Only the hash is stored, and the path is masked in the logs.
    const [stored] = await api.db.query(`SELECT token_hash FROM report_share WHERE id = $1`, [
      created.body.id,
    ]);
    expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(redactUrl(`/s/${token}.pdf`)).toBe('/s/[token]');

    const res = await api.http.get(`/s/${token}`).expect(200);
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex, nofollow, noarchive',
    });
    expect(res.text).toContain('<meta name="robots" content="noindex, nofollow">');

    // The page needs no script: read it with JavaScript off; axe (a script) runs in a second context.
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${url}?lang=en`);
    expect(await plain.title()).toBe('Learning report: Hallituspilotti, Q1 2027');
    expect(await chartTitles(plain)).toEqual(
      expect.arrayContaining([
        'Retrospective response rate by level',
        'Key results by score band',
        'Confidence by week for each key result',
        'Response rate and check-in rhythm of each pilot of the rollout',
      ]),
    );
    expect(await plain.getAttribute('nav.downloads a:first-child', 'href')).toBe(`${token}.pdf?lang=en`);
    await noScript.close();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    expect(await seriousViolations(page)).toEqual([]);

    // The signed-in page of the readiness report, in the same browser.
    const signedIn = await browser.newContext({ extraHTTPHeaders: bearer(coach.token) });
    const reportPage = await signedIn.newPage();
    await reportPage.goto(`${base}/api/v1/readiness-reports/${readinessId}.html?lang=en`);
    expect(await chartTitles(reportPage)).toEqual([
      'Readiness gates: passed and failed',
      'Measured shares of the readiness gates against their thresholds',
    ]);
    expect(await seriousViolations(reportPage)).toEqual([]);
    await reportPage.goto(`${base}/api/v1/learning-reports/${learningId}.html`);
    expect((await chartTitles(reportPage)).length).toBe(6);
    expect(await seriousViolations(reportPage)).toEqual([]);
    await signedIn.close();

    const pdf = await getBytes(`/s/${token}.pdf`).expect(200).expect('Content-Type', 'application/pdf');
    expectPdf(pdf.body);
    const csv = await getBytes(`/s/${token}.csv?lang=en`).expect(200);
    expect(csvRows(csv.body).find((r) => r.section === 'report' && r.subject === 'audience')?.value).toBe(
      'sponsor',
    );

    // Expired: a one-day link, a day and a minute later.
    const shortLived = await api.http
      .post(`/api/v1/learning-reports/${learningId}/shares`)
      .set(bearer(coach.token))
      .send({ audience: 'coach', expiresInDays: 1 })
      .expect(201);
    await page.goto(shortLived.body.url);
    // Without `lang`, in the organization's language: the quarter as Finnish writes it.
    expect(await page.locator('h1').textContent()).toBe('Hallituspilotti, Q1/2027');
    clock.advance(DAY_MS + 60_000);
    try {
      const expired = await page.goto(shortLived.body.url);
      expect(expired!.status()).toBe(410);
      expect(await page.locator('h1').textContent()).toBe('This link is no longer valid');
      expect(await seriousViolations(page)).toEqual([]);
      await api.http.get(`${new URL(shortLived.body.url).pathname}.pdf`).expect(410);
      // A day on, the coach signs in again (access tokens last hours).
      const login = await api.http
        .post('/api/v1/auth/login')
        .send({ email: coach.email, password: PASSWORD })
        .expect(200);
      const listed = await get(
        `/api/v1/learning-reports/${learningId}/shares`,
        login.body.accessToken,
      ).expect(200);
      expect(listed.body.find((s: { id: string }) => s.id === shortLived.body.id).status).toBe('expired');
      expect(JSON.stringify(listed.body)).not.toContain('s_');
    } finally {
      clock.advance(-(DAY_MS + 60_000));
    }

    // Revoked: at once, and revoking again changes nothing.
    const revoked = await api.http
      .delete(`/api/v1/report-shares/${created.body.id}`)
      .set(bearer(coach.token))
      .expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked' });
    await api.http.delete(`/api/v1/report-shares/${created.body.id}`).set(bearer(owner.token)).expect(200);
    const refused = await page.goto(url);
    expect(refused!.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('This link is no longer valid');
    await api.http.get(`/s/${token}.csv`).expect(410);

    // Unknown links, and links to the wrong workspace's share, say as little.
    const unknown = await page.goto(`${base}/s/s_${'A'.repeat(43)}`);
    expect(unknown!.status()).toBe(404);
    await api.http.get('/s/whatever.pdf').expect(404);
    // A link names nobody, so its refusals speak the reader's browser language.
    const finnish = await api.http
      .get(`/s/s_${'A'.repeat(43)}`)
      .set('Accept-Language', 'fi-FI,fi;q=0.9')
      .expect(404);
    expect(finnish.text).toContain('<h1>Linkki ei toimi</h1>');
    expect(finnish.text).toContain('lang="fi"');
    const swedish = await api.http
      .get(url.replace(/^https?:\/\/[^/]+/, ''))
      .set('Accept-Language', 'sv')
      .expect(410);
    expect(swedish.text).toContain('<h1>Länken gäller inte längre</h1>');
    await api.http
      .delete(`/api/v1/report-shares/${shortLived.body.id}`)
      .set(bearer(outsider.token))
      .expect(404);
    await context.close();

    const audit = await get(`/api/v1/audit-log?entityType=report_share`, owner.token).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['report_share.created', 'report_share.revoked']),
    );
  }, 180_000);

  it('lets only coaches and owners share, for 1 to 90 days, and only built reports', async () => {
    const share = (id: string, token: string, body: object) =>
      api.http.post(`/api/v1/learning-reports/${id}/shares`).set(bearer(token)).send(body);
    await share(learningId, sponsor.token, { audience: 'sponsor' }).expect(403);
    await share(learningId, coach.token, { audience: 'sponsor', expiresInDays: 91 }).expect(422);
    await share(learningId, coach.token, { audience: 'public' }).expect(422);
    await share(learningId, outsider.token, { audience: 'coach' }).expect(404);
    const queued = await seedLearning(quarterIds[3], learningContent(), 'queued');
    await share(queued, coach.token, { audience: 'coach' }).expect(409);
    const long = await share(learningId, owner.token, { audience: 'coach', expiresInDays: 90 }).expect(201);
    expect(new Date(long.body.expiresAt).getTime() - clock.now().getTime()).toBe(90 * DAY_MS);
    await api.http
      .post(`/api/v1/readiness-reports/${readinessId}/shares`)
      .set(bearer(coach.token))
      .send({ audience: 'sponsor' })
      .expect(201);
  });

  it('mails the coach a learning report and every granted sponsor a readiness report, each with its own link', async () => {
    const builds = api.app.get(ReportBuilds);
    const secondSponsor = await addMember(api.http, owner, 'sponsor', [organizationId]);
    await builds.built('learning', learningId);
    await builds.built('readiness', readinessId);
    await builds.built('learning', learningId); // a rebuild mails nobody twice
    // The rows are queued as they are written: no scheduler tick is needed.
    const sent = async () =>
      (
        await api.db.query(
          `SELECT count(*)::int AS n FROM outbox_message WHERE kind = 'report' AND status = 'sent'`,
        )
      )[0].n;
    await waitFor(
      async () => (await sent()) === 3 && smtp.received.length >= 3,
      20_000,
      () => `${smtp.received.length} mails`,
    );

    const rows = await api.db.query(
      `SELECT key, member_id AS "memberId", template, status FROM outbox_message WHERE kind = 'report' ORDER BY key`,
    );
    expect(rows.map((r: { key: string }) => r.key).sort()).toEqual(
      [
        `report.learning.${learningId}.m${coach.id}`,
        `report.readiness.${readinessId}.m${sponsor.id}`,
        `report.readiness.${readinessId}.m${secondSponsor.id}`,
      ].sort(),
    );
    expect(
      rows.every(
        (r: { status: string; template: string }) => r.status === 'sent' && r.template === 'report-ready',
      ),
    ).toBe(true);

    const link = (to: string) => {
      const mail = smtp.received.find((m) => m.to === to);
      expect(mail).toBeDefined();
      return new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/s/s_[A-Za-z0-9_-]{43}`).exec(mail!.text)![0];
    };
    const coachLink = link(coach.email);
    const coachPage = await api.http.get(`${new URL(coachLink).pathname}?lang=en`).expect(200);
    expect(coachPage.text).toContain('Coach view');
    expect(coachPage.text).toContain('Viikkopalaverit toimivat ja auttoivat keskittymään.');

    const sponsorLinks = [link(sponsor.email), link(secondSponsor.email)];
    expect(new Set(sponsorLinks).size).toBe(2);
    for (const l of sponsorLinks) {
      const page = await api.http.get(`${new URL(l).pathname}?lang=en`).expect(200);
      expect(page.text).toContain('Ready with conditions');
    }
    // The links were made by the mail (no member), and their tokens are nowhere in the database.
    const shares = await api.db.query(
      `SELECT report_kind AS kind, audience FROM report_share WHERE created_by_id IS NULL ORDER BY report_kind, audience`,
    );
    expect(shares).toEqual([
      { kind: 'learning', audience: 'coach' },
      { kind: 'readiness', audience: 'sponsor' },
      { kind: 'readiness', audience: 'sponsor' },
    ]);
    const token = coachLink.split('/s/')[1];
    const [leak] = await api.db.query(
      `SELECT count(*)::int AS n FROM outbox_message WHERE key LIKE $1 OR last_error LIKE $1`,
      [`%${token}%`],
    );
    expect(leak.n).toBe(0);
  });
});

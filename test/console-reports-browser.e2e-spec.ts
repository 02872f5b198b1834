import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { launchChromium, seriousViolations } from './support/browser';
import { CoachedQuarter, seedCoachedQuarter } from './support/coached-quarter';
import { signInInBrowser } from './support/console';
import { addMember, bearer, unique } from './support/fixtures';
import { freePort } from './support/processes';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const PEOPLE = [1, 2, 3, 4, 5].map((n) => ({
  name: `Person ${n}`,
  email: `person-${n}-${unique()}@example.fi`,
  text: 'Weekly check-ins helped the team focus on customers and priorities',
}));
const LANGUAGES = ['fi', 'sv', 'en'] as const;

/** How far the page reaches sideways; at 320 px nothing may make the reader scroll that way. */
const scrollWidth = (page: Page): Promise<number> => page.evaluate('document.documentElement.scrollWidth');

/** The innermost elements reaching past the viewport, to name what is too wide when something is. */
const tooWide = (page: Page): Promise<string[]> =>
  page.evaluate(`[...document.querySelectorAll('body *')]
    .filter((e) => (e.getBoundingClientRect().right > innerWidth + 0.5
      && ![...e.children].some((c) => c.getBoundingClientRect().right > innerWidth + 0.5))
      || (getComputedStyle(e).overflowX === 'visible' && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0))
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ': ' + (e.textContent || '').trim().slice(0, 40))`);

/**
 * The report pages in Chromium: the console's learning and readiness pages and a shared link fit a
 * 320 px screen and pass axe in each language; a sponsor records a decision with JavaScript off.
 */
describe('console report pages in Chromium', () => {
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  let browser: Browser;
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let base: string;
  let seeded: CoachedQuarter;
  let sponsor: { id: string; email: string };
  let sharePath: string;

  beforeAll(async () => {
    browser = await launchChromium();
    smtp = await startSmtpServer();
    // Mail links name luotsi.test (as the seeded quarter expects); the browser uses the real port.
    const env = { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test', MAIL_RETRY_BASE_MS: '10' };
    api = await startApi({ clock, env });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await api.app.listen(port, '127.0.0.1');
    worker = await startWorker({ ...api.env, ...env }, clock);
    seeded = await seedCoachedQuarter({ api, worker, smtp }, PEOPLE);
    sponsor = await addMember(api.http, seeded.owner, 'sponsor', [seeded.organizationId]);
    const share = await api.http
      .post(`/api/v1/learning-reports/${seeded.learningReportId}/shares`)
      .set(bearer(seeded.owner.token))
      .send({ audience: 'sponsor' })
      .expect(201);
    sharePath = new URL(share.body.url).pathname;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  const setLocale = (email: string, locale: string) =>
    api.db.query(`UPDATE member SET locale = $2 WHERE email = $1`, [email.toLowerCase(), locale]);

  it('fits 320 px and passes axe on the learning and readiness pages in fi, sv and en, and on a shared link', async () => {
    const pages: [string, string][] = [
      [seeded.owner.email, `/app/quarters/${seeded.quarterId}/report`],
      [seeded.owner.email, `/app/rollouts/${seeded.rolloutId}/readiness`],
      [sponsor.email, `/app/rollouts/${seeded.rolloutId}/readiness`],
    ];
    for (const [email, path] of pages) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInInBrowser(page, base, email);
      for (const language of LANGUAGES) {
        await setLocale(email, language);
        for (const width of [1280, 320]) {
          await page.setViewportSize({ width, height: 800 });
          await page.goto(`${base}${path}`);
          expect(await page.getAttribute('html', 'lang')).toBe(language);
          expect(await page.locator('.report-body h2').count()).toBeGreaterThan(3);
          expect([path, language, width, await seriousViolations(page)]).toEqual([path, language, width, []]);
          if (width === 320) {
            const width320 = await scrollWidth(page);
            // What is too wide is named only when something is (a diagnosis, not the assertion).
            const culprits = width320 > 320 ? await tooWide(page) : [];
            expect([path, language, width320, culprits]).toEqual([path, language, 320, []]);
          }
        }
      }
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}${sharePath}`);
    expect(await page.locator('h2#s-flags').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await context.close();
  }, 480_000);

  it('polls a building report every 3 s and swaps the report in when it is ready', async () => {
    await setLocale(seeded.owner.email, 'en');
    const setStatus = (status: string, progress: number) =>
      api.db.query(`UPDATE learning_report SET status = $2, progress = $3 WHERE id = $1`, [
        seeded.learningReportId,
        status,
        progress,
      ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signInInBrowser(page, base, seeded.owner.email);
      await setStatus('building', 60);
      await page.goto(`${base}/app/quarters/${seeded.quarterId}/report`);
      expect(await page.locator('#report-area').textContent()).toContain('60% done');
      expect(await page.locator('.report-body').count()).toBe(0);
      await setStatus('ready', 100);
      await page.locator('.report-body h2#s-flags').waitFor({ timeout: 10_000 });
      expect(await page.locator('#report-area').getAttribute('hx-trigger')).toBeNull();
      expect(await page.locator('h1').count()).toBe(1);
    } finally {
      await setStatus('ready', 100);
      await context.close();
    }
  }, 60_000);

  it('lets a sponsor record a decision with JavaScript off, checking it first', async () => {
    await setLocale(sponsor.email, 'en');
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 800 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInInBrowser(page, base, sponsor.email);
    await page.goto(`${base}/app/rollouts/${seeded.rolloutId}/readiness`);
    // Continuing without a reason shows the error summary, with the choice kept.
    await page.getByLabel('Extend: pilot for longer').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.locator('.error-summary').textContent()).toContain('Enter the reason for the decision');
    expect(await page.getByLabel('Extend: pilot for longer').isChecked()).toBe(true);
    await page.getByLabel('Reason').fill('Two more quarters for the sales pilot');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check the decision before recording it');
    expect(await page.locator('.summary-list').textContent()).toContain(
      'Two more quarters for the sales pilot',
    );
    // axe needs JavaScript: the same page is checked with it in the next test.
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.waitForURL(/notice=decided/);
    expect(await page.getByRole('status').first().textContent()).toContain('The decision was recorded.');
    expect(await page.locator('#decisions').textContent()).toContain('Two more quarters for the sales pilot');
    await context.close();

    const decisions = await api.http
      .get(`/api/v1/rollouts/${seeded.rolloutId}/decisions`)
      .set(bearer(seeded.owner.token))
      .expect(200);
    expect(decisions.body.items[0]).toEqual(
      expect.objectContaining({ decision: 'extend', reason: 'Two more quarters for the sales pilot' }),
    );
  }, 120_000);

  it('shows the check-your-answers page of a decision at 320 px in fi, sv and en without serious axe findings', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInInBrowser(page, base, sponsor.email);
    for (const language of LANGUAGES) {
      await setLocale(sponsor.email, language);
      await page.goto(`${base}/app/rollouts/${seeded.rolloutId}/readiness`);
      await page.locator('input[name="decision"][value="go"]').check();
      await page.locator('#field-reason').fill('Widen to the service units in Q3');
      await page.locator('#decide button[type="submit"]').click();
      await page.waitForSelector('.summary-list');
      expect([language, await seriousViolations(page)]).toEqual([language, []]);
      const width = await scrollWidth(page);
      expect([language, width, width > 320 ? await tooWide(page) : []]).toEqual([language, 320, []]);
    }
    await context.close();
  }, 120_000);
});

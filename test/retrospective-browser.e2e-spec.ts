import { Browser } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import { TestApi } from './support/api';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import { bearer, createOrganization, createPilot, createRollout, signUp } from './support/fixtures';
import { TestSmtpServer } from './support/smtp';
import { TestWorker } from './support/worker';

const LINK = (base: string) => new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/r/r_[A-Za-z0-9_-]{43}`);

/** A participant answers the retrospective in Finnish, in a real browser, on a phone-sized screen. */
describe('the retrospective form in Chromium', () => {
  let stack: BrowserStack;
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let browser: Browser;
  let base: string;
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    ({ smtp, api, worker, browser, base } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('opens from the mail with the tapped answer filled in, shows an error, and thanks', async () => {
    const owner = await signUp(api.http);
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { defaultLocale: 'fi' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['board'],
      name: 'Hallituspilotti',
    });
    await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants`)
      .set(auth)
      .send({ email: 'hilkka@example.fi', name: 'Hilkka Hämäläinen', level: 'board', locale: 'fi' })
      .expect(201);
    await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants`)
      .set(auth)
      .send({ email: 'ilkka@example.fi', name: 'Ilkka Öster', level: 'board', locale: 'fi' })
      .expect(201);
    const started = await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const run = await api.http
      .post(`/api/v1/quarters/${started.body.currentQuarter.id}/retrospectives`)
      .set(auth)
      .send({ anonymity: 'confidential' })
      .expect(201);
    await worker.tickAndDrain();

    // The link as the mail carries it: the first question's answer "4", tapped.
    const mail = smtp.received.find((m) => m.to === 'hilkka@example.fi')!;
    const tapped = new RegExp(
      `(${base.replace(/[.:/]/g, '\\$&')}/r/r_[A-Za-z0-9_-]{43}\\?q=([a-z_]+)&a=4)`,
    ).exec(mail.text);
    expect(tapped).not.toBeNull();
    const [, url, firstKey] = tapped!;

    // JavaScript off, a 320-px phone screen.
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
      locale: 'fi-FI',
    });
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await page.isChecked(`#q-${firstKey}-4`)).toBe(true);

    // Leave a required question unanswered: the form comes back with the error, in Finnish.
    const questions = run.body.questions as {
      key: string;
      type: string;
      required: boolean;
      text: { fi: string };
    }[];
    const required = questions.filter((q) => q.required && q.key !== firstKey);
    expect(required.length).toBeGreaterThan(0);
    await page.click('button[type=submit]');
    expect(await page.title()).toMatch(/^Tarkista nämä kohdat/);
    const summary = page.locator('.error-summary');
    expect(await summary.getAttribute('role')).toBe('alert');
    for (const q of required) expect(await summary.textContent()).toContain(q.text.fi);
    // The tapped answer survived the round trip.
    expect(await page.isChecked(`#q-${firstKey}-4`)).toBe(true);

    // Fix it by clicking the labels, as a person does; write a free-text answer.
    for (const q of required) {
      const value = q.type === 'likert5' ? '3' : '8';
      await page.click(`label[for="q-${q.key}-${value}"]`);
    }
    const text = questions.find((q) => q.type === 'free_text')!;
    await page.fill(`#q-${text.key}`, 'Viikkopalaverit <b>toimivat</b> & auttoivat.');
    await page.click('button[type=submit]');
    expect(await page.locator('h1').textContent()).toBe('Kiitos vastauksistasi!');

    const [stored] = await api.db.query(`SELECT answers, locale FROM retrospective_response`);
    expect(stored.locale).toBe('fi');
    expect(stored.answers[firstKey]).toBe(4);
    expect(stored.answers[text.key]).toBe('Viikkopalaverit <b>toimivat</b> & auttoivat.');

    // Coming back to the link shows the answers, escaped, ready to change until close; in Swedish on request.
    await page.goto(url.replace(/\?.*$/, '?lang=sv'));
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    expect(await page.inputValue(`#q-${text.key}`)).toBe('Viikkopalaverit <b>toimivat</b> & auttoivat.');
    expect(await page.locator('b').count()).toBe(0);
    await context.close();

    // axe-core runs in the page, so these checks use a context with JavaScript on: the form, the form
    // with errors, and the thank-you page (a confidential answer may be sent again until close).
    const ilkka = LINK(base).exec(smtp.received.find((m) => m.to === 'ilkka@example.fi')!.text)![0];
    const checked = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const phone = await checked.newPage();
    await phone.goto(ilkka);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.click('button[type=submit]');
    await phone.waitForSelector('.error-summary');
    expect(await seriousViolations(phone)).toEqual([]);
    for (const q of questions.filter((q) => q.required)) {
      await phone.click(`label[for="q-${q.key}-${q.type === 'likert5' ? '3' : '8'}"]`);
    }
    await phone.click('button[type=submit]');
    await phone.waitForSelector('h1:has-text("Kiitos")');
    expect(await seriousViolations(phone)).toEqual([]);
    await checked.close();
  }, 120_000);

  it('unsubscribes in one click from the link in the mail, accessibly', async () => {
    const mail = smtp.received.find((m) => m.to === 'ilkka@example.fi')!;
    const link = new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/u/u_[A-Za-z0-9_-]{43}`).exec(mail.text)![0];
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(link);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('button[type=submit]');
    expect(await page.locator('h1').textContent()).toBe('Viestit on lopetettu');
    expect(await seriousViolations(page)).toEqual([]);
    const [row] = await api.db.query(
      `SELECT unsubscribed_at FROM participant WHERE email = 'ilkka@example.fi'`,
    );
    expect(row.unsubscribed_at).not.toBeNull();
    await context.close();
  });
});

import { Browser } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import { TestApi } from './support/api';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import { bearer, createOrganization, createPilot, createRollout, signUp } from './support/fixtures';
import { TestSmtpServer } from './support/smtp';
import { TestWorker } from './support/worker';

const DAY = 24 * 3600 * 1000;
const LINK = (base: string) => new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/c/c_[A-Za-z0-9_-]{43}`);

/** A key-result owner checks in from the weekly mail, in a real browser, on a phone-sized screen. */
describe('the check-in form in Chromium', () => {
  let stack: BrowserStack;
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let browser: Browser;
  let base: string;
  const clock = new ManualClock(new Date('2027-01-01T12:00:00Z'));

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    ({ smtp, api, worker, browser, base } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('fills the form without JavaScript at 320 px, shows an error, then thanks; axe finds nothing serious', async () => {
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
    });
    const ids: Record<string, string> = {};
    for (const [email, name] of [
      ['hilkka@example.fi', 'Hilkka Hämäläinen'],
      ['ilkka@example.fi', 'Ilkka Öster'],
    ]) {
      ids[email] = (
        await api.http
          .post(`/api/v1/pilots/${pilot.id}/participants`)
          .set(auth)
          .send({ email, name, level: 'board', locale: 'fi' })
          .expect(201)
      ).body.id;
    }
    const started = await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const created = await api.http
      .post(`/api/v1/quarters/${started.body.currentQuarter.id}/objectives`)
      .set(auth)
      .send({
        title: 'Hallitus päättää nopeammin',
        keyResults: [
          {
            title: 'Päätösaika 30 päivästä 10 päivään',
            measure: 'metric',
            start: 30,
            target: 10,
            unit: 'päivää',
            ownerId: ids['hilkka@example.fi'],
          },
          { title: 'Sähköinen kokousalusta käytössä', measure: 'binary', ownerId: ids['hilkka@example.fi'] },
          { title: 'Esityslistat viikkoa ennen', measure: 'milestone', ownerId: ids['ilkka@example.fi'] },
        ],
      })
      .expect(201);
    const [time, platform] = created.body.keyResults as { id: string }[];

    await worker.tickAndDrain();
    clock.advance(7 * DAY);
    await worker.tickAndDrain();
    const linkOf = (email: string) =>
      LINK(base).exec([...smtp.received].reverse().find((m) => m.to === email)!.text)![0];
    const url = linkOf('hilkka@example.fi');

    // JavaScript off, a 320-px phone screen.
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
      locale: 'fi-FI',
    });
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await page.locator('fieldset.kr > legend').allTextContents()).toEqual([
      'Päätösaika 30 päivästä 10 päivään',
      'Sähköinen kokousalusta käytössä',
    ]);
    expect(await page.locator(`#kr-${time.id}-status`).textContent()).toMatch(/Edistyminen nyt: 0\s%/);

    // A value but no confidence for the first one: the form comes back with the errors, in Finnish.
    await page.fill(`#value-${time.id}`, '22,5');
    await page.click(`label[for="done-${platform.id}-yes"]`);
    await page.click(`label[for="confidence-${platform.id}-8"]`);
    await page.click('button[type=submit]');
    expect(await page.title()).toMatch(/^Tarkista nämä kohdat/);
    const summary = page.locator('.error-summary');
    expect(await summary.getAttribute('role')).toBe('alert');
    expect(await summary.textContent()).toContain('Päätösaika 30 päivästä 10 päivään – Luottamus 0–10');
    expect(await page.locator(`#confidence-${time.id}-error`).textContent()).toContain('0–10');
    // What was entered survived the round trip.
    expect(await page.inputValue(`#value-${time.id}`)).toBe('22,5');
    expect(await page.isChecked(`#done-${platform.id}-yes`)).toBe(true);
    expect(await page.isChecked(`#confidence-${platform.id}-8`)).toBe(true);

    await page.click(`label[for="confidence-${time.id}-6"]`);
    await page.fill(`#note-${time.id}`, 'Esityslistat <b>ajoissa</b> & nopeammin.');
    await page.click('button[type=submit]');
    expect(await page.locator('h1').textContent()).toBe('Kiitos, check-in on tallennettu!');
    await context.close();

    const stored = await api.db.query(
      `SELECT current_value::float AS value, done, confidence, note FROM check_in ORDER BY confidence`,
    );
    expect(stored).toEqual([
      { value: 22.5, done: null, confidence: 6, note: 'Esityslistat <b>ajoissa</b> & nopeammin.' },
      { value: null, done: true, confidence: 8, note: '' },
    ]);

    // axe-core runs in the page, so these checks use a context with JavaScript on: the form, the form
    // with errors, and the thank-you page.
    const checked = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const phone = await checked.newPage();
    await phone.goto(linkOf('ilkka@example.fi'));
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.click('button[type=submit]');
    await phone.waitForSelector('.error-summary');
    expect(await seriousViolations(phone)).toEqual([]);
    const milestone = created.body.keyResults[2].id as string;
    await phone.click(`label[for="done-${milestone}-no"]`);
    await phone.click(`label[for="confidence-${milestone}-5"]`);
    await phone.click('button[type=submit]');
    await phone.waitForSelector('h1:has-text("Kiitos")');
    expect(await seriousViolations(phone)).toEqual([]);

    // Week 11, among the quarter's last three: the form also asks for the final score, optional.
    for (let week = 3; week <= 11; week++) {
      clock.set(new Date(Date.UTC(2027, 0, 1, 12) + (week - 1) * 7 * DAY));
      await worker.tickAndDrain();
    }
    await phone.goto(linkOf('ilkka@example.fi'));
    expect(await phone.locator('h1').textContent()).toBe('Viikon check-in');
    expect(await phone.locator(`label[for="score-${milestone}"]`).textContent()).toContain(
      'Loppuarvio 0,0–1,0',
    );
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.click(`label[for="done-${milestone}-yes"]`);
    await phone.click(`label[for="confidence-${milestone}-9"]`);
    await phone.fill(`#score-${milestone}`, '1,3');
    await phone.click('button[type=submit]');
    await phone.waitForSelector('.error-summary');
    expect(await phone.locator('.error-summary').textContent()).toContain('Loppuarvio 0,0–1,0');
    expect(await phone.getAttribute(`#score-${milestone}`, 'aria-invalid')).toBe('true');
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.fill(`#score-${milestone}`, '0,7');
    await phone.click('button[type=submit]');
    await phone.waitForSelector('h1:has-text("Kiitos")');
    const [scored] = await api.db.query(`SELECT final_score, done FROM key_result WHERE id = $1`, [
      milestone,
    ]);
    expect(scored).toEqual({ final_score: 0.7, done: true });

    // Refused links are the participant error page, in HTML at 320 px: used (409, in the person's
    // language), unknown (404, in all three), and an expired link (410).
    const used = await phone.goto(linkOf('ilkka@example.fi'));
    expect(used!.status()).toBe(409);
    expect(used!.headers()['content-type']).toMatch(/^text\/html/);
    expect(await phone.getAttribute('html', 'lang')).toBe('fi');
    expect(await phone.locator('h1').textContent()).toBe('Check-in on jo tehty');
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await seriousViolations(phone)).toEqual([]);
    const unknown = await phone.goto(`${base}/c/c_${'A'.repeat(43)}`);
    expect(unknown!.status()).toBe(404);
    expect(await phone.locator('h1').textContent()).toBe(
      'This link does not work · Linkki ei toimi · Länken fungerar inte',
    );
    expect(await phone.locator('p[lang="sv"]').textContent()).toContain('Länken känns inte igen');
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await seriousViolations(phone)).toEqual([]);
    const hilkka = linkOf('hilkka@example.fi');
    clock.advance(14 * DAY); // past the end of week 11 and its three days of grace
    const expired = await phone.goto(hilkka);
    expect(expired!.status()).toBe(410);
    expect(await phone.locator('h1').textContent()).toBe('Linkki on vanhentunut');
    expect(await seriousViolations(phone)).toEqual([]);
    await checked.close();
  }, 120_000);
});

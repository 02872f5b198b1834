import type { BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import { BrowserStack, startBrowserStack } from './support/browser';
import { signInInBrowser } from './support/console';
import { bearer, participantCsv, PASSWORD } from './support/fixtures';
import { waitFor } from './support/processes';

/**
 * Issue #15's journey, in Chromium, with no API call by the people under test: a coach signs up,
 * sets up a client organization, rollout and pilot, imports 40 participants from a Finnish Excel file
 * (two bad lines first), previews the kickoff mail in Swedish and starts the pilot; as the clock moves,
 * the coach sees the sends on the timeline, a retrospective's response rate rise as people answer
 * through their mailed links, closes it, reads the learning report and shares it. A sponsor invited by
 * the owner sees only the granted organization and records a decision the audit log shows. The test
 * itself reads records through the API only to check what the pages did.
 */
const PEOPLE = 40;
const ANSWERING = 3;

/** 40 people as Finnish Excel saves them: UTF-8 with a BOM, `;`, CRLF. */
const goodFile = () => Buffer.from(participantCsv(PEOPLE, { delimiter: ';', bom: true }), 'utf8');
/** The same file with two bad lines: an address without @ on line 7, an unknown level on line 14. */
function badFile(): Buffer {
  const lines = participantCsv(PEOPLE, { delimiter: ';', bom: true }).split('\r\n');
  lines[6] = lines[6].replace('person5@example.fi', 'person5.example.fi');
  lines[13] = lines[13].replace(/;(staff|management);/, ';director;');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

describe('the console journey of issue #15', () => {
  const clock = new ManualClock(new Date('2026-12-14T09:00:00Z'));
  let stack: BrowserStack;
  let coachContext: BrowserContext;
  let coach: Page;
  const email = 'aino.virtanen@pilotti.example';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    coachContext = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    coach = await coachContext.newPage();
  }, 120_000);
  afterAll(async () => {
    await coachContext?.close();
    await stack?.close();
  });

  const url = (path: string) => `${stack.base}${path}`;
  const idAfter = (segment: string) => new RegExp(`/${segment}/([0-9a-f-]{36})`).exec(coach.url())![1];
  /** The API's view of a record, with a token of the test's own (not the coach's session). */
  const api = async (path: string) => {
    const token = (
      await stack.api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200)
    ).body.accessToken as string;
    return (await stack.api.http.get(`/api/v1${path}`).set(bearer(token)).expect(200)).body;
  };

  it('signs up with the keyboard alone and lands on the start page', async () => {
    await coach.goto(url('/app/sign-up'));
    // Skip link, brand: then the form's fields in order; typed, never clicked.
    await coach.locator('#field-workspaceName').focus();
    await coach.keyboard.type('Pilotti Consulting Oy');
    await coach.keyboard.press('Tab');
    await coach.keyboard.type('Aino Virtanen');
    await coach.keyboard.press('Tab');
    await coach.keyboard.type(email);
    await coach.keyboard.press('Tab');
    await coach.keyboard.type(PASSWORD);
    await coach.keyboard.press('Enter');
    // "Check your mail": the mailed link confirms the address and signs in, with one more key press.
    await coach.waitForURL(url('/app/check-mail'));
    await waitFor(() => stack.smtp.accountMail.some((m) => m.to === email), 15_000);
    const mailed = stack.smtp.accountMail.find((m) => m.to === email)!;
    const confirm = /https?:\/\/[^"\s]+\/app\/confirm\/lcf_[A-Za-z0-9_-]+/.exec(mailed.htmlPart ?? '')![0];
    await coach.goto(confirm.replace(/^https?:\/\/[^/]+/, stack.base));
    await coach.locator('main form button[type=submit]').focus();
    await coach.keyboard.press('Enter');
    await coach.waitForURL(url('/app'));
    expect(await coach.textContent('h1')).toBeTruthy();
    expect(await coach.textContent('footer')).toContain('Aino Virtanen');
  });

  it('creates an organization, a rollout and a pilot through the forms', async () => {
    await coach.goto(url('/app/organizations/new'));
    await coach.fill('[name=name]', 'Kela-testi');
    await coach.selectOption('[name=sector]', 'public');
    await coach.fill('[name=headcount]', '8000');
    await coach.selectOption('[name=defaultLocale]', 'fi');
    await coach.press('[name=headcount]', 'Enter');
    await coach.waitForURL(/\/app\/organizations\/[0-9a-f-]{36}$/);
    ids.organization = idAfter('organizations');

    await coach.goto(url(`/app/organizations/${ids.organization}/rollouts/new`));
    await coach.fill('[name=goal]', 'OKRs across the agency within two years');
    await coach.locator('main form[method=post] button[type=submit]').first().click();
    await coach.waitForURL(/\/app\/rollouts\/[0-9a-f-]{36}$/);
    ids.rollout = idAfter('rollouts');

    await coach.goto(url(`/app/rollouts/${ids.rollout}/pilots/new`));
    await coach.fill('[name=name]', 'Johdon pilotti');
    await coach.check('[name=levels][value=management]');
    await coach.check('[name=levels][value=staff]');
    await coach.fill('[name=quarterCount]', '2');
    await coach.press('[name=name]', 'Enter');
    await coach.waitForURL(/\/app\/pilots\/[0-9a-f-]{36}$/);
    ids.pilot = idAfter('pilots');
    const pilot = await api(`/pilots/${ids.pilot}`);
    expect(pilot).toMatchObject({ name: 'Johdon pilotti', state: 'planned', quarterCount: 2 });
    expect(pilot.levels.sort()).toEqual(['management', 'staff']);
  });

  it('imports 40 people from a Finnish Excel file after seeing both bad lines with their reasons', async () => {
    await coach.goto(url(`/app/pilots/${ids.pilot}/participants/import`));
    await coach.setInputFiles('[name=file]', {
      name: 'osallistujat.csv',
      mimeType: 'text/csv',
      buffer: badFile(),
    });
    await coach.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
    await coach.waitForSelector('.error-summary');
    const refused = await coach.textContent('main');
    expect(refused).toMatch(/\b7\b/);
    expect(refused).toMatch(/\b14\b/);
    expect(refused).toContain('director');
    expect((await api(`/pilots/${ids.pilot}/participants`)).total ?? 0).toBe(0);

    await coach.setInputFiles('[name=file]', {
      name: 'osallistujat.csv',
      mimeType: 'text/csv',
      buffer: goodFile(),
    });
    await coach.locator('form[enctype="multipart/form-data"] button[type=submit]').first().click();
    await coach.waitForSelector(`form[action$="/participants/import/confirm"]`);
    expect(await coach.textContent('main')).toContain('40');
    await coach.locator(`form[action$="/participants/import/confirm"] button[type=submit]`).click();
    await coach.waitForURL(new RegExp(`/app/pilots/${ids.pilot}/participants`));
    expect((await api(`/pilots/${ids.pilot}/participants?limit=100`)).total).toBe(PEOPLE);
  });

  it('previews the kickoff mail in Swedish on the cadence calendar', async () => {
    await coach.goto(url(`/app/rollouts/${ids.rollout}/cadence`));
    const preview = coach.locator('a[href*="/cadence/kickoff/preview"]').first();
    await preview.click();
    await coach.locator('a[href*="lang=sv"]').first().click();
    await coach.waitForURL(/lang=sv/);
    // The Swedish subject as the template catalogue holds it, the words between its variables.
    const swedish = (await api('/templates/prompt-kickoff/sv')).subject as string;
    const words = swedish.split(/\{\{[^}]+\}\}/).map((part) => part.replace(/^[,\s]+|[?\s]+$/g, ''));
    const shown = await coach.textContent('main');
    for (const part of words.filter(Boolean)) expect(shown).toContain(part);
    expect(shown).toContain('vad är viktigast');
  });

  it('starts the pilot after checking what will happen, and sees the kickoff sent on the timeline', async () => {
    await coach.goto(url(`/app/pilots/${ids.pilot}/start`));
    expect(await coach.textContent('main')).toContain(String(PEOPLE));
    await coach.locator(`form[action="/app/pilots/${ids.pilot}/start"] button[type=submit]`).click();
    await coach.waitForURL(new RegExp(`/app/pilots/${ids.pilot}(\\?|$)`));
    expect((await api(`/pilots/${ids.pilot}`)).state).toBe('running');

    clock.set(new Date('2027-01-04T12:00:00Z'));
    await stack.worker.tickAndDrain();
    expect(stack.smtp.received.length).toBeGreaterThanOrEqual(PEOPLE);
    // The session outlived by the moved clock: sign in again, as a person would.
    await signInInBrowser(coach, stack.base, email);
    await coach.goto(url(`/app/pilots/${ids.pilot}`));
    const kickoffRow = coach.locator('tr[data-step="kickoff"]');
    expect(await kickoffRow.textContent()).toMatch(new RegExp(`\\b${PEOPLE}\\b`));
  });

  it("sees a retrospective's response rate rise as people answer through their mailed links, then closes it", async () => {
    await coach.goto(url(`/app/pilots/${ids.pilot}`));
    const before = stack.smtp.received.length;
    await coach.check('input[name=anonymity][value=confidential]');
    await coach.locator('form[action$="/retrospectives"] button[type=submit]').click();
    await coach.waitForURL(new RegExp(`/app/pilots/${ids.pilot}`));
    await stack.worker.tickAndDrain();
    const links = stack.smtp.received
      .slice(before)
      .map(
        (mail) =>
          new RegExp(`${stack.base.replace(/[.:/]/g, '\\$&')}/r/r_[A-Za-z0-9_-]{43}`).exec(mail.text)?.[0],
      )
      .filter((link): link is string => !!link);
    expect(links.length).toBe(PEOPLE);
    const rate = async () => {
      await coach.reload();
      return coach.locator('[data-rate]').first().getAttribute('data-rate');
    };
    expect(await rate()).toBe(`0/${PEOPLE}`);

    const phone = await stack.browser.newContext({ viewport: { width: 320, height: 640 } });
    for (const [n, link] of links.slice(0, ANSWERING).entries()) {
      const page = await phone.newPage();
      await page.goto(link);
      // Every scale's first choice and a sentence for each free text: a complete answer.
      await page.evaluate(`(() => {
        for (const name of new Set([...document.querySelectorAll('input[type=radio]')].map((i) => i.name)))
          document.querySelector('input[type=radio][name="' + name + '"]').checked = true;
        for (const area of document.querySelectorAll('textarea')) area.value = 'Viikoittaiset check-init auttoivat.';
      })()`);
      await page.locator('button[type=submit]').click();
      await page.waitForSelector('h1');
      await page.close();
      expect(await rate()).toBe(`${n + 1}/${PEOPLE}`);
    }
    await phone.close();

    const close = coach.locator('a[href$="/close"]').first();
    await close.click();
    await coach.locator('form[action$="/close"] button[type=submit]').click();
    await coach.waitForURL(new RegExp(`/app/pilots/${ids.pilot}`));
    const quarter = (await api(`/pilots/${ids.pilot}`)).currentQuarter.id as string;
    ids.quarter = quarter;
    const runs = await api(`/quarters/${quarter}/retrospectives`);
    expect((runs.items ?? runs)[0].state).toBe('closed');
  });

  it('reads the learning report in the page and creates a share link that opens', async () => {
    await stack.worker.tickAndDrain();
    await coach.goto(url(`/app/quarters/${ids.quarter}/report`));
    if (!(await coach.locator('.report-body').count())) {
      const build = coach.locator('form[action$="/report/build"] button[type=submit]');
      if (await build.count()) await build.click();
      await stack.worker.tickAndDrain();
      await coach.goto(url(`/app/quarters/${ids.quarter}/report`));
    }
    expect(await coach.locator('.report-body').count()).toBe(1);
    expect(await coach.locator('.report-body svg').count()).toBeGreaterThan(0);
    await coach.locator('form[action$="/report/shares"] button[type=submit]').click();
    const link = await coach.locator('input[readonly]').first().inputValue();
    expect(link).toMatch(/\/s\/[A-Za-z0-9_-]+/);
    const shared = await fetch(link.replace(/^https?:\/\/[^/]+/, stack.base));
    expect(shared.status).toBe(200);
  });

  it('invites a sponsor who sees only the granted organization and records a decision the audit log shows', async () => {
    // A second client, not granted.
    await coach.goto(url('/app/organizations/new'));
    await coach.fill('[name=name]', 'Toinen asiakas');
    await coach.selectOption('[name=sector]', 'company');
    await coach.fill('[name=headcount]', '300');
    await coach.press('[name=headcount]', 'Enter');
    await coach.waitForURL(/\/app\/organizations\/[0-9a-f-]{36}$/);

    await coach.goto(url('/app/members/invite'));
    await coach.fill('[name=email]', 'sponsori@kela-testi.example');
    await coach.fill('[name=name]', 'Sirpa Sponsori');
    await coach.check('[name=role][value=sponsor]');
    await coach.check(`[name=organizationIds][value="${ids.organization}"]`);
    await coach.locator('form[action="/app/members/invite"] button[type=submit]').click();
    await coach.waitForLoadState();
    // The invitation goes by mail to the sponsor, not onto the coach's page.
    expect(await coach.locator('main').innerText()).toContain('sponsori@kela-testi.example');
    await waitFor(() => stack.smtp.accountMail.some((m) => m.to === 'sponsori@kela-testi.example'), 15_000);
    const invitation = /https?:\/\/[^"\s]+\/app\/invitations\/[A-Za-z0-9_%-]+/.exec(
      stack.smtp.accountMail.find((m) => m.to === 'sponsori@kela-testi.example')!.htmlPart ?? '',
    )![0];

    // The readiness report, built by the coach for the sponsor to read.
    await coach.goto(url(`/app/rollouts/${ids.rollout}/readiness`));
    const build = coach.locator('form[action$="/readiness/build"] button[type=submit]');
    if (await build.count()) await build.click();
    await stack.worker.tickAndDrain();

    const sponsorContext = await stack.browser.newContext({ viewport: { width: 320, height: 700 } });
    const sponsor = await sponsorContext.newPage();
    await sponsor.goto(invitation.replace(/^https?:\/\/[^/]+/, stack.base));
    await sponsor.fill('[name=password]', PASSWORD);
    await sponsor.press('[name=password]', 'Enter');
    await sponsor.waitForURL(url('/app'));
    const home = await sponsor.textContent('main');
    expect(home).toContain('Kela-testi');
    expect(home).not.toContain('Toinen asiakas');

    await sponsor.goto(url(`/app/rollouts/${ids.rollout}/readiness`));
    await sponsor.check('[name=decision][value=go]');
    await sponsor.fill('[name=reason]', 'Results within two quarters; widen to the staff.');
    await sponsor.locator('form[action$="/readiness/decision"] button[type=submit]').click();
    await sponsor.locator('form[action$="/readiness/decision/confirm"] button[type=submit]').click();
    await sponsor.waitForURL(new RegExp(`/app/rollouts/${ids.rollout}/readiness`));
    await sponsorContext.close();

    await coach.goto(url('/app/audit'));
    expect(await coach.textContent('main')).toContain('rollout.decided');
  });
});

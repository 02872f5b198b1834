import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import type { TestApi } from './support/api';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import { signInInBrowser } from './support/console';
import {
  addMember,
  bearer,
  createOrganization,
  PASSWORD,
  signUp,
  unique,
  type Workspace,
} from './support/fixtures';
import { waitFor } from './support/processes';

const LANGUAGE_BUTTON = { fi: 'Suomi', sv: 'Svenska', en: 'English' } as const;

/**
 * The owner's pages in Chromium: no serious axe findings and no sideways scrolling at 320 px, in every
 * language; and inviting a sponsor with JavaScript off, through to the sponsor's first page.
 */
describe('the owner pages in Chromium', () => {
  let stack: BrowserStack;
  let api: TestApi;
  let browser: Browser;
  let base: string;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-01-04T09:00:00Z'));

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    ({ api, browser, base } = stack);
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Visits `path` and returns what is wrong with it at this width: axe findings, sideways scrolling. */
  async function problemsOf(page: Page, path: string, width: number): Promise<string[]> {
    await page.setViewportSize({ width, height: 800 });
    const res = await page.goto(`${base}${path}`);
    const problems = res?.status() === 200 ? [] : [`${path}: status ${res?.status()}`];
    problems.push(...(await seriousViolations(page)).map((v) => `${path} at ${width}px: ${v}`));
    const scroll = Number(await page.evaluate('document.documentElement.scrollWidth'));
    if (width === 320 && scroll > 320) problems.push(`${path} at 320px scrolls sideways (${scroll}px)`);
    return problems;
  }

  it('has no serious axe findings and fits 320 px in fi, sv and en', async () => {
    const organization = await createOrganization(api.http, owner.token, { name: 'Helsingin kaupunki' });
    const coach = await addMember(api.http, owner, 'coach');
    await addMember(api.http, owner, 'sponsor', [organization.id]);
    await api.http
      .post('/api/v1/members')
      .set(bearer(owner.token))
      .send({ email: `${unique('pending-')}@example.fi`, name: 'Pertti Kutsuttu', role: 'coach' })
      .expect(201);
    const endpoint = (
      await api.http
        .post('/api/v1/webhooks')
        .set(bearer(owner.token))
        .send({ url: 'https://93.184.215.14/luotsi', events: ['report.ready'], description: 'CRM' })
        .expect(201)
    ).body as { id: string };
    const template = (
      await api.http.get('/api/v1/templates/checkin-request/sv').set(bearer(owner.token)).expect(200)
    ).body as { body: string };
    await api.http
      .put('/api/v1/templates/checkin-request/sv')
      .set(bearer(owner.token))
      .send({ subject: 'Veckans incheckning, {{recipient.firstName}}', body: template.body })
      .expect(200);

    const paths = [
      '/app/members',
      '/app/members/invite',
      `/app/members/${coach.id}`,
      `/app/members/${coach.id}/remove`,
      '/app/templates',
      '/app/templates/checkin-request/sv',
      '/app/templates/checkin-request/sv/reset',
      '/app/webhooks',
      '/app/webhooks/new',
      `/app/webhooks/${endpoint.id}`,
      `/app/webhooks/${endpoint.id}/delete`,
      '/app/audit',
      '/app/audit?action=member.invited',
      '/app/operator',
    ];
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, base, owner.email);
    const problems: string[] = [];
    for (const language of ['fi', 'sv', 'en'] as const) {
      await page.goto(`${base}/app/members`);
      await page.getByRole('button', { name: LANGUAGE_BUTTON[language] }).click();
      await page.waitForLoadState();
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      for (const path of paths)
        for (const width of [1280, 320]) problems.push(...(await problemsOf(page, path, width)));
      // A form with errors, too: the error summary and the fields marked.
      await page.goto(`${base}/app/members/invite`);
      await page.locator('form[action="/app/members/invite"] button[type=submit]').click();
      await page.waitForLoadState();
      expect(await page.locator('.error-summary').count()).toBe(1);
      problems.push(...(await seriousViolations(page)).map((v) => `invite errors (${language}): ${v}`));
      // The page that says where the invitation was mailed (the link itself is never shown).
      const invitee = `${unique(`${language}-`)}@example.fi`;
      await page.locator('#field-email').fill(invitee);
      await page.locator('#field-name').fill('Kim Kutsuttu');
      await page.locator('input[name=role][value=coach]').check();
      await page.locator('form[action="/app/members/invite"] button[type=submit]').click();
      await page.waitForLoadState();
      expect(await page.locator('main').innerText()).toContain(invitee);
      expect(await page.locator('main').innerHTML()).not.toMatch(/\/app\/invitations\//);
      for (const width of [1280, 320]) {
        await page.setViewportSize({ width, height: 800 });
        problems.push(
          ...(await seriousViolations(page)).map((v) => `invited (${language}, ${width}px): ${v}`),
        );
        const scroll = Number(await page.evaluate('document.documentElement.scrollWidth'));
        if (width === 320 && scroll > 320)
          problems.push(`invited (${language}) scrolls sideways (${scroll}px)`);
      }
    }
    await context.close();
    expect(problems).toEqual([]);
  }, 480_000);

  it('invites a sponsor with JavaScript off at 320 px; the sponsor accepts and sees the granted organization', async () => {
    const granted = await createOrganization(api.http, owner.token, { name: unique('Vantaan kaupunki ') });
    const other = await createOrganization(api.http, owner.token, { name: unique('Espoon kaupunki ') });
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    const page = await context.newPage();
    await signInInBrowser(page, base, owner.email);
    await page.goto(`${base}/app/members`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForURL(`${base}/app/members`);
    await page.getByRole('link', { name: 'Invite a member' }).click();

    // A mistake first: the summary links to the field, and what was chosen stays chosen.
    await page.getByLabel('Name', { exact: true }).fill('Sanna Sponsori');
    await page.getByLabel('Email address').fill('not an email');
    await page.getByRole('radio', { name: /^Sponsor/ }).check();
    await page.getByRole('checkbox', { name: granted.name }).check();
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.error-summary a[href="#field-email"]').count()).toBe(1);
    expect(await page.getByRole('radio', { name: /^Sponsor/ }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: granted.name }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: other.name }).isChecked()).toBe(false);

    const email = `${unique('sanna-')}@example.fi`;
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1, name: 'Invitation sent' }).count()).toBe(1);
    expect(await page.locator('main').innerText()).toContain(email);
    // The link went to the invited address only.
    await waitFor(() => stack.smtp.accountMail.some((m) => m.to === email), 15_000);
    const mailed = stack.smtp.accountMail.find((m) => m.to === email)!;
    const link = /http:\/\/[^"\s]+\/app\/invitations\/[A-Za-z0-9_%-]+/.exec(mailed.htmlPart ?? '')![0];
    expect(link).toMatch(new RegExp(`^${base.replace(/[.:/]/g, '\\$&')}/app/invitations/[A-Za-z0-9_%-]+$`));
    // axe needs JavaScript: the page with the link is checked in the test above.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(320);
    await context.close();

    const sponsorContext = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    const sponsor = await sponsorContext.newPage();
    await sponsor.goto(link);
    await sponsor.getByLabel(/^(Password|Salasana|Lösenord)$/).fill(PASSWORD);
    await sponsor.locator('form button[type=submit]').first().click();
    await sponsor.waitForURL(`${base}/app`);
    const home = await sponsor.locator('main').innerText();
    expect(home).toContain(granted.name);
    expect(home).not.toContain(other.name);
    await sponsorContext.close();
  }, 120_000);
});

import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import type { TestApi } from './support/api';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import { signInInBrowser } from './support/console';
import { addMember, bearer, signUp } from './support/fixtures';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A coach sets up a client in Chromium: without JavaScript, by the keyboard, readable at 320 px in fi, sv and en. */
describe('the set-up pages in Chromium', () => {
  let stack: BrowserStack;
  let api: TestApi;
  let browser: Browser;
  let base: string;
  const clock = new ManualClock(new Date('2027-02-10T10:00:00Z'));

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    ({ api, browser, base } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const idIn = (page: Page, prefix: string) => {
    const match = new RegExp(`${prefix}/(${UUID})$`).exec(new URL(page.url()).pathname);
    if (!match) throw new Error(`${page.url()} is not under ${prefix}`);
    return match[1];
  };

  it('takes a coach from organization to rollout to pilot without JavaScript; every page passes axe in three languages', async () => {
    const owner = await signUp(api.http);
    const coach = await addMember(api.http, owner, 'coach');
    const auth = bearer(coach.token);

    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await signInInBrowser(page, base, coach.email);
    await page.goto(`${base}/app/organizations`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForLoadState();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Organization: link, fill, choose, Enter.
    const main = page.locator('main');
    await page.getByRole('link', { name: 'Set up a client organization' }).click();
    await main.getByLabel('Name of the organization').fill('Espoon kaupunki');
    await main.getByLabel('Sector').selectOption('public');
    await main.getByLabel('Language', { exact: true }).selectOption('sv');
    await main.getByLabel('Time zone').selectOption('Europe/Helsinki');
    await main.getByLabel('Number of people').fill('14500');
    await main.getByLabel('Number of people').press('Enter');
    await page.waitForURL(new RegExp(`/app/organizations/${UUID}$`));
    const organizationId = idIn(page, '/app/organizations');
    expect(await page.locator('h1').textContent()).toBe('Espoon kaupunki');

    // Rollout.
    await page.getByRole('link', { name: 'New rollout' }).click();
    await main.getByLabel('Goal of the rollout').fill('Every unit plans its quarter with OKRs by 2028');
    await main.getByLabel('People to reach').fill('12000');
    await main.getByLabel('Planned waves').fill('3');
    await main.getByLabel('Planned waves').press('Enter');
    await page.waitForURL(new RegExp(`/app/rollouts/${UUID}$`));
    const rolloutId = idIn(page, '/app/rollouts');
    expect(await page.locator('.task-list li').count()).toBe(6);

    // Pilot: a first try without levels and with zero quarters comes back with the errors.
    await page.getByRole('link', { name: 'New pilot' }).click();
    await main.getByLabel('Name of the pilot').fill('Board pilot');
    await main.getByLabel('Number of quarters').fill('0');
    await page.getByRole('button', { name: 'Create the pilot' }).click();
    expect(
      await page.locator('.error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(['#field-levels', '#field-quarterCount']);
    expect(await page.locator('.error-summary').textContent()).toMatch(
      /Choose at least one level in the pilot[\s\S]*Number of quarters is too small/,
    );
    expect(await main.getByLabel('Name of the pilot').inputValue()).toBe('Board pilot');
    await main.getByLabel('Board', { exact: true }).check();
    await main.getByLabel('Management').check();
    await main.getByLabel('First quarter').selectOption({ label: 'Q3 2027' });
    await main.getByLabel('Number of quarters').fill('3');
    await main.getByLabel('Scope').fill('Strategy work of the board');
    await main.getByLabel('Number of quarters').press('Enter');
    await page.waitForURL(new RegExp(`/app/pilots/${UUID}$`));
    const pilotId = idIn(page, '/app/pilots');
    await context.close();

    const pilot = (await api.http.get(`/api/v1/pilots/${pilotId}`).set(auth).expect(200)).body;
    expect(pilot).toMatchObject({
      rolloutId,
      organizationId,
      name: 'Board pilot',
      levels: ['board', 'management'],
      startQuarter: '2027-Q3',
      quarterCount: 3,
      waveNumber: 1,
      coachId: coach.id,
      charter: { scope: 'Strategy work of the board' },
    });

    // axe runs in the page, so these checks have JavaScript on.
    const pages = [
      '/app/organizations',
      '/app/organizations/new',
      `/app/organizations/${organizationId}`,
      `/app/organizations/${organizationId}/edit`,
      `/app/organizations/${organizationId}/rollouts/new`,
      `/app/rollouts/${rolloutId}`,
      `/app/rollouts/${rolloutId}/pilots/new`,
    ];
    const checked = await browser.newContext();
    const view = await checked.newPage();
    await signInInBrowser(view, base, coach.email);
    const problems: string[] = [];
    for (const language of ['fi', 'sv', 'en'] as const) {
      await view.goto(`${base}/app/organizations`);
      await view.locator(`.language-switch button[value="${language}"]`).click();
      await view.waitForLoadState();
      for (const width of [1280, 320]) {
        await view.setViewportSize({ width, height: 800 });
        const visit = async (label: string) => {
          expect(await view.getAttribute('html', 'lang')).toBe(language);
          expect(await view.locator('h1').count()).toBe(1);
          for (const violation of await seriousViolations(view))
            problems.push(`${language} ${width} ${label}: ${violation}`);
          if (width === 320) {
            const scrollWidth = Number(await view.evaluate('document.documentElement.scrollWidth'));
            if (scrollWidth > 320) problems.push(`${language} ${label}: ${scrollWidth} px wide at 320 px`);
          }
        };
        for (const path of pages) {
          const res = await view.goto(`${base}${path}`);
          expect(res?.status()).toBe(200);
          await visit(path);
        }
        // The pilot form with its errors.
        await view.locator('main button[type=submit]').click();
        await view.waitForSelector('.error-summary');
        await visit('pilot form with errors');
      }
    }
    await checked.close();
    expect(problems).toEqual([]);
  }, 240_000);
});

import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { ManualClock } from '@luotsi/domain';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import { signInInBrowser } from './support/console';
import { signUp, type Workspace } from './support/fixtures';

const LANGUAGE_BUTTON = { fi: 'Suomi', sv: 'Svenska', en: 'English' } as const;

const codeAt = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/**
 * Two-step sign-in in Chromium, in fi, sv and en: the account's section, the set-up page with its QR
 * code, the recovery codes, and the code's page at sign-in, each without serious axe findings and
 * without sideways scrolling at 320 px, walked with the forms as a person would.
 */
describe('two-step sign-in in Chromium', () => {
  const clock = new ManualClock(new Date('2027-02-01T08:00:00Z'));
  let stack: BrowserStack;
  let owner: Workspace;

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    owner = await signUp(stack.api.http);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** What is wrong with the page as it stands, at 1280 and 320 px: axe findings, sideways scrolling. */
  async function problemsOf(page: Page, name: string): Promise<string[]> {
    const problems: string[] = [];
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 800 });
      problems.push(...(await seriousViolations(page)).map((v) => `${name} at ${width}px: ${v}`));
      const scroll = Number(await page.evaluate('document.documentElement.scrollWidth'));
      if (width === 320 && scroll > 320) problems.push(`${name} at 320px scrolls sideways (${scroll}px)`);
    }
    return problems;
  }

  it('sets up, signs in with and turns off two-step sign-in, every page accessible', async () => {
    const { browser, base } = stack;
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, base, owner.email);
    const problems: string[] = [];
    for (const language of ['fi', 'sv', 'en'] as const) {
      await page.goto(`${base}/app/account`);
      await page.getByRole('button', { name: LANGUAGE_BUTTON[language] }).click();
      await page.waitForLoadState();
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      problems.push(...(await problemsOf(page, `account (${language})`)));

      // Set up: the QR code is an image with a name, the key is text.
      await page.locator('form[action="/app/account/second-factor"] button[type=submit]').click();
      await page.waitForURL(`${base}/app/account/second-factor`);
      const qr = page.locator('.qr-code[role=img] svg');
      expect(await qr.count()).toBe(1);
      const box = (await qr.boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(150);
      problems.push(...(await problemsOf(page, `set-up (${language})`)));
      const secret = (await page.locator('code.secret').innerText()).trim();
      await page.locator('#field-code').fill(await codeAt(secret, clock.now()));
      await page.locator('form[action="/app/account/second-factor/confirm"] button[type=submit]').click();
      await page.waitForLoadState();
      expect(await page.locator('.recovery-codes li').count()).toBe(10);
      problems.push(...(await problemsOf(page, `recovery codes (${language})`)));

      // Sign out and in: the password, then the code's page.
      await page.locator('footer form[action="/app/sign-out"] button[type=submit]').click();
      await page.waitForURL(/\/app\/sign-in/);
      await page.locator('#field-email').fill(owner.email);
      await page.locator('#field-password').fill('correct horse battery staple');
      await page.locator('form[action="/app/sign-in"] button[type=submit]').click();
      await page.waitForURL(/\/app\/sign-in\/code/);
      problems.push(...(await problemsOf(page, `code (${language})`)));
      // A wrong code first: the error summary and the field marked.
      await page.locator('#field-code').fill('abcdef');
      await page.locator('form[action="/app/sign-in/code"] button[type=submit]').click();
      await page.waitForLoadState();
      expect(await page.locator('.error-summary').count()).toBe(1);
      expect(await page.getAttribute('#field-code', 'aria-invalid')).toBe('true');
      problems.push(...(await problemsOf(page, `code refused (${language})`)));
      clock.advance(30_000);
      await page.locator('#field-code').fill(await codeAt(secret, clock.now()));
      await page.locator('form[action="/app/sign-in/code"] button[type=submit]').click();
      await page.waitForURL(`${base}/app`);

      // Off again with a current code, for the next language.
      clock.advance(30_000);
      await page.goto(`${base}/app/account`);
      await page.locator('#field-code').fill(await codeAt(secret, clock.now()));
      await page.locator('form[action="/app/account/second-factor/disable"] button[type=submit]').click();
      await page.waitForURL(`${base}/app/account?secondFactorOff=1`);
      clock.advance(30_000);
    }
    await context.close();
    expect(problems).toEqual([]);
  }, 300_000);
});

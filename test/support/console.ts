import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { Page } from 'playwright-core';
import { WorkspaceService } from '@luotsi/domain';
import type { TestApi } from './api';
import { PASSWORD, unique } from './fixtures';

/** The CSRF token of the first console form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('The page has no CSRF token');
  return match[1];
}

/**
 * A browser-like client of the console: keeps its cookies, reads each form's token from the page the
 * way a browser would have it, and posts url-encoded forms.
 */
export class ConsoleClient {
  readonly agent: TestAgent;

  constructor(private readonly api: TestApi) {
    this.agent = request.agent(api.app.getHttpServer());
  }

  get(path: string) {
    return this.agent.get(path);
  }

  /** Opens `page` for its form token, then posts `fields` to `action` (the page itself by default). */
  async submit(page: string, fields: Record<string, string | string[]>, action = page) {
    const shown = await this.agent.get(page);
    if (shown.status !== 200) throw new Error(`${page} answered ${shown.status}`);
    return this.agent
      .post(action)
      .type('form')
      .send({ ...fields, _csrf: csrfOf(shown.text) });
  }

  /**
   * Signs up a new workspace through the console and confirms its address through the console's
   * confirmation page (the token made by the domain service, as the mailed link is not read here); the
   * client is then signed in as its owner.
   */
  async signUp(overrides: Partial<Record<'workspaceName' | 'name' | 'email' | 'password', string>> = {}) {
    const fields = {
      workspaceName: unique('Konsultointi '),
      name: 'Aino Virtanen',
      email: `${unique('coach-')}@example.fi`,
      password: PASSWORD,
      ...overrides,
    };
    const res = await this.submit('/app/sign-up', fields);
    if (res.status !== 303) throw new Error(`sign-up answered ${res.status}: ${res.text.slice(0, 500)}`);
    const token = await this.api.app.get(WorkspaceService).issueConfirmation(fields.email);
    if (!token) throw new Error(`no confirmation could be issued for ${fields.email}`);
    const confirmed = await this.submit(`/app/confirm/${token}`, {});
    if (confirmed.status !== 303)
      throw new Error(`confirmation answered ${confirmed.status}: ${confirmed.text.slice(0, 500)}`);
    return fields;
  }

  /** Signs in from the sign-in page (a signed-in client first signs out, as a person would). */
  async signIn(email: string, password = PASSWORD) {
    const shown = await this.agent.get('/app/sign-in');
    if (shown.status === 303) await this.submit('/app', {}, '/app/sign-out');
    return this.submit('/app/sign-in', { email, password });
  }
}

/** Fills and sends the console's sign-in form in a browser page. */
export async function signInInBrowser(page: Page, base: string, email: string, password = PASSWORD) {
  await page.goto(`${base}/app/sign-in`);
  await page.getByLabel(/Email|Sähköposti|E-post/).fill(email);
  await page.getByLabel(/^(Password|Salasana|Lösenord)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Kirjaudu|Logga in)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/app/sign-in'));
}

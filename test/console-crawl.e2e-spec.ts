import { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { launchChromium, seriousViolations } from './support/browser';
import { CoachedQuarter, seedCoachedQuarter } from './support/coached-quarter';
import { ConsoleClient, csrfOf, signInInBrowser } from './support/console';
import { addMember, bearer, signUp, Workspace } from './support/fixtures';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

/**
 * Every console page, found by following the links a member sees from /app (nothing listed by hand, so
 * a new page is walked as soon as it is linked): each passes axe at 1280 and 320 px in fi, sv and en
 * without sideways scrolling; a coach of another workspace gets 404 for every page and form of the
 * first; a sponsor gets 403 or 404 for every page and form a coach sees that the sponsor's own links do
 * not reach.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Not pages: files, downloads and the doors (signing in/out, invitations, the operator's form). */
const NOT_A_PAGE = /^\/app\/(assets|sign-|invitations|operator)|\.(pdf|csv|json)(\?|$)/;
const MAX_PAGES = 150;

const PEOPLE = ['Aino Aalto', 'Bertil Berg', 'Cecilia Carlsson', 'Daniel Dahl', 'Eeva Eskola'].map(
  (name) => ({
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}@crawl.example`,
    text: `${name.split(' ')[0]} found the weekly check-ins useful`,
  }),
);

interface Found {
  pages: string[];
  /** The first page found of each view (`<main data-view>`): what axe and the keyboard walk check. */
  views: string[];
  forms: { page: string; action: string }[];
}

/** Breadth-first over same-origin /app links and post forms, as the signed-in client sees them. */
async function crawl(client: ConsoleClient): Promise<Found> {
  const pages: string[] = [];
  const views = new Map<string, string>();
  const forms = new Map<string, string>();
  const queue = ['/app'];
  const seen = new Set(queue);
  while (queue.length && pages.length < MAX_PAGES) {
    const path = queue.shift()!;
    const res = await client.get(path);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status} to the member who was shown it`);
    pages.push(path);
    const view = /<main [^>]*data-view="([^"]+)"/.exec(res.text)?.[1] ?? path;
    if (!views.has(view)) views.set(view, path);
    for (const [, href] of res.text.matchAll(/<a [^>]*href="([^"#]+)/g)) {
      const url = href.replace(/&amp;/g, '&');
      if (url.startsWith('/app') && !NOT_A_PAGE.test(url) && !seen.has(url)) {
        seen.add(url);
        queue.push(url);
      }
    }
    for (const [, action] of res.text.matchAll(/<form [^>]*method="post" [^>]*action="([^"]+)"/g)) {
      const url = action.replace(/&amp;/g, '&');
      if (!forms.has(url)) forms.set(url, path);
    }
  }
  return { pages, views: [...views.values()], forms: [...forms].map(([action, page]) => ({ action, page })) };
}

describe('console pages, walked', () => {
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let browser: Browser;
  let base: string;
  let seeded: CoachedQuarter;
  let sponsor: { email: string };
  let other: Workspace;
  let asOwner: Found;
  let asSponsor: Found;

  beforeAll(async () => {
    browser = await launchChromium();
    smtp = await startSmtpServer();
    const env = {
      SMTP_URL: smtp.url,
      PUBLIC_BASE_URL: 'http://luotsi.test',
      MAIL_RETRY_BASE_MS: '10',
      PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
    };
    api = await startApi({ clock, env });
    worker = await startWorker({ ...api.env, ...env }, clock);
    seeded = await seedCoachedQuarter({ api, worker, smtp }, PEOPLE);
    const auth = bearer(seeded.owner.token);
    sponsor = await addMember(api.http, seeded.owner, 'sponsor', [seeded.organizationId]);
    await addMember(api.http, seeded.owner, 'coach');
    await api.http
      .post(`/api/v1/quarters/${seeded.quarterId}/learning-notes`)
      .set(auth)
      .send({ body: 'Fewer objectives next quarter' })
      .expect(201);
    await api.http
      .post('/api/v1/webhooks')
      .set(auth)
      .send({ url: 'https://hooks.example.fi/luotsi', events: ['delivery.failed'] })
      .expect(201);
    other = await signUp(api.http, 'Another consultancy');
    const server = api.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const owner = new ConsoleClient(api);
    expect((await owner.signIn(seeded.owner.email)).status).toBe(303);
    asOwner = await crawl(owner);
    const reader = new ConsoleClient(api);
    expect((await reader.signIn(sponsor.email)).status).toBe(303);
    asSponsor = await crawl(reader);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  it("finds the console's pages by following its links", () => {
    // The start page, the organization, its rollout and pilot at least; the owner's own pages.
    expect(asOwner.pages.length).toBeGreaterThanOrEqual(4);
    expect(asOwner.pages.some((page) => page.includes(seeded.pilotId))).toBe(true);
    expect(asSponsor.pages.length).toBeGreaterThanOrEqual(1);
  });

  it('passes axe at 1280 and 320 px in fi, sv and en, and nothing scrolls sideways on a phone', async () => {
    const problems: string[] = [];
    for (const [who, email, pages] of [
      ['owner', seeded.owner.email, asOwner.views],
      ['sponsor', sponsor.email, asSponsor.views],
    ] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signInInBrowser(page, base, email);
      for (const language of ['fi', 'sv', 'en']) {
        await page.goto(`${base}/app`);
        await page.locator(`form.language-switch button[value="${language}"]`).click();
        await page.waitForURL(`${base}/app`);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        for (const path of pages) {
          for (const width of [1280, 320]) {
            await page.setViewportSize({ width, height: 900 });
            const res = await page.goto(`${base}${path}`);
            if (res?.status() !== 200) problems.push(`${who} ${language} ${width} ${path}: ${res?.status()}`);
            for (const violation of await seriousViolations(page))
              problems.push(`${who} ${language} ${width} ${path}: ${violation}`);
            const overflow = Number(await page.evaluate('document.documentElement.scrollWidth'));
            if (width === 320 && overflow > 320)
              problems.push(`${who} ${language} 320 ${path}: ${overflow} px wide`);
          }
        }
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 1_500_000);

  it('reaches every control of every page with the Tab key, with a visible focus', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInInBrowser(page, base, seeded.owner.email);
    const problems: string[] = [];
    for (const path of asOwner.views) {
      await page.goto(`${base}${path}`);
      // A radio group is one stop of the Tab key (arrows move within it). Focus inside a framed mail
      // preview is the mail's own to show.
      const controls = Number(
        await page.evaluate(
          `(() => {
            const visible = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, iframe')].filter((el) => el.getClientRects().length && !el.disabled);
            const radios = new Set(visible.filter((el) => el.type === 'radio').map((el) => el.name));
            return visible.filter((el) => el.type !== 'radio').length + radios.size;
          })()`,
        ),
      );
      const reached = new Set<string>();
      const unmarked: string[] = [];
      for (let i = 0; i < controls + 3; i++) {
        await page.keyboard.press('Tab');
        const focused = (await page.evaluate(`(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          if (!el.dataset.walk) el.dataset.walk = String(Math.random());
          const style = getComputedStyle(el);
          const marked = el.tagName === 'IFRAME' || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
          return { id: el.dataset.walk, marked, name: el.tagName + ' ' + (el.textContent || el.getAttribute('name') || '').trim().slice(0, 30) };
        })()`)) as { id: string; marked: boolean; name: string } | null;
        if (!focused) continue;
        reached.add(focused.id);
        if (!focused.marked) unmarked.push(focused.name);
      }
      if (reached.size < controls)
        problems.push(`${path}: ${reached.size} of ${controls} controls reached by Tab`);
      if (unmarked.length) problems.push(`${path}: no visible focus on ${[...new Set(unmarked)].join(', ')}`);
    }
    await context.close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('gives a coach of another workspace 404 for every page and form of the first, and none of its data', async () => {
    const stranger = new ConsoleClient(api);
    expect((await stranger.signIn(other.email)).status).toBe(303);
    // Names, not ids: a page may repeat the address it was asked for (the language switch returns there).
    const secrets = [...PEOPLE.map((p) => p.name), ...PEOPLE.map((p) => p.email), seeded.owner.email];
    const seen: string[] = [];
    for (const path of asOwner.pages) {
      const res = await stranger.get(path);
      if (UUID.test(path)) seen.push(`GET ${path} → ${res.status}`);
      else expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect({ path, leaks: secrets.filter((secret) => res.text.includes(secret)) }).toEqual({
        path,
        leaks: [],
      });
    }
    const token = csrfOf((await stranger.get('/app')).text);
    for (const { action } of asOwner.forms.filter((form) => UUID.test(form.action))) {
      const res = await stranger.agent.post(action).type('form').send({ _csrf: token });
      seen.push(`POST ${action} → ${res.status}`);
    }
    const expected = seen.map((line) => line.replace(/→ \d+$/, '→ 404'));
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('gives a sponsor 403 or 404 for every coach page and form beyond its own links', async () => {
    const reader = new ConsoleClient(api);
    expect((await reader.signIn(sponsor.email)).status).toBe(303);
    const own = new Set(asSponsor.pages);
    // What the sponsor may read carries no participant's name or address (as in the API).
    const personal = PEOPLE.flatMap((person) => [person.name, person.email]);
    for (const path of own) {
      const text = (await reader.get(path)).text;
      expect({ path, personal: personal.filter((value) => text.includes(value)) }).toEqual({
        path,
        personal: [],
      });
    }
    const refused: string[] = [];
    for (const path of asOwner.pages.filter((page) => !own.has(page))) {
      const res = await reader.get(path);
      refused.push(`GET ${path} → ${[403, 404].includes(res.status) ? 'refused' : res.status}`);
    }
    const token = csrfOf((await reader.get('/app')).text);
    const sponsorForms = new Set(asSponsor.forms.map((form) => form.action));
    for (const { action } of asOwner.forms.filter((form) => !sponsorForms.has(form.action))) {
      const res = await reader.agent.post(action).type('form').send({ _csrf: token });
      refused.push(`POST ${action} → ${[403, 404].includes(res.status) ? 'refused' : res.status}`);
    }
    expect(refused).toEqual(refused.map((line) => line.replace(/→ .*$/, '→ refused')));
    expect(refused.length).toBeGreaterThanOrEqual(2);
  });
});

import { ManualClock } from '@luotsi/domain';
import type { Browser, Page } from 'playwright-core';
import type { TestApi } from './support/api';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import { ConsoleClient, csrfOf, signInInBrowser } from './support/console';
import { formAnswers } from './support/coached-quarter';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  unique,
  Workspace,
} from './support/fixtures';
import type { TestSmtpServer } from './support/smtp';
import type { TestWorker } from './support/worker';

const DAY = 24 * 3600 * 1000;

/**
 * The pilot page a coach works from during a quarter, against the real API, worker and SMTP server:
 * lifecycle actions through "check your answers" pages, the retrospective's live response rate, the
 * check-in grid, delivery problems and retry, and who may see and do what.
 */
describe('the console pilot page', () => {
  let stack: BrowserStack;
  let api: TestApi;
  let smtp: TestSmtpServer;
  let worker: TestWorker;
  let browser: Browser;
  let base: string;
  let owner: Workspace;
  let coach: { id: string; email: string; token: string };
  let console_: ConsoleClient;
  // Saturday 2 January 2027: the first quarter's kickoff (1 January) is still within its grace.
  const clock = new ManualClock(new Date('2027-01-02T10:00:00Z'));

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    ({ api, smtp, worker, browser, base } = stack);
    owner = await signUp(api.http);
    coach = await addMember(api.http, owner, 'coach');
    console_ = new ConsoleClient(api);
    expect((await console_.signIn(coach.email)).status).toBe(303);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const linkPattern = (prefix: 'r' | 'c') =>
    new RegExp(`${base.replace(/[.:/]/g, '\\$&')}(/${prefix}/${prefix}_[A-Za-z0-9_-]{43})`);

  /** A pilot of `names` (staff, English, UTC) in a new organization of the workspace; not started. */
  async function pilotOf(
    names: string[],
    options: { startQuarter?: string; domain?: string; quarterCount?: number } = {},
  ) {
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      startQuarter: options.startQuarter ?? '2027-Q1',
      ...(options.quarterCount ? { quarterCount: options.quarterCount } : {}),
    });
    const domain = options.domain ?? `${unique('d')}.example`;
    const people: { id: string; name: string; email: string }[] = [];
    for (const name of names) {
      const email = `${name
        .split(' ')[0]
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z]/g, '')}@${domain}`;
      const created = await api.http
        .post(`/api/v1/pilots/${pilot.id}/participants`)
        .set(bearer(owner.token))
        .send({ email, name, locale: 'en', level: 'staff', timeZone: 'UTC' })
        .expect(201);
      people.push({ id: created.body.id, name, email });
    }
    return { organization, rollout, pilot, people };
  }

  const startThroughApi = async (pilotId: string) =>
    (await api.http.post(`/api/v1/pilots/${pilotId}/start`).set(bearer(owner.token)).expect(200)).body
      .currentQuarter.id as string;
  const pilotState = async (pilotId: string) =>
    (await api.http.get(`/api/v1/pilots/${pilotId}`).set(bearer(owner.token)).expect(200)).body.state;
  const fragment = (client: ConsoleClient, url: string) =>
    client.get(url).set('HX-Request', 'true').set('HX-Target', 'div#run');

  /** The retrospective links the worker mailed since `before`, by address. */
  async function mailedLinks(before: number) {
    await worker.tickAndDrain();
    const links = new Map<string, string>();
    for (const mail of smtp.received.slice(before)) {
      const link = linkPattern('r').exec(mail.text)?.[1];
      if (link) links.set(mail.to, link);
    }
    return links;
  }
  async function answer(link: string, runId: string) {
    const run = await api.http.get(`/api/v1/retrospectives/${runId}`).set(bearer(owner.token)).expect(200);
    await api.http.post(link).type('form').send(formAnswers(run.body.questions, 'Clearer goals')).expect(200);
  }
  const runOf = async (quarterId: string) =>
    (await api.http.get(`/api/v1/quarters/${quarterId}/retrospectives`).set(bearer(owner.token)).expect(200))
      .body[0] as { id: string; state: string; responded: number };

  it('starts a pilot through its confirmation page, which says what will happen', async () => {
    const { pilot, rollout, organization } = await pilotOf(
      ['Aino Virtanen', 'Eero Korhonen', 'Sanna Mäkinen'],
      {
        startQuarter: '2027-Q2',
      },
    );
    const page = await console_.get(`/app/pilots/${pilot.id}`).expect(200);
    expect(page.text).toContain(`href="/app/organizations/${organization.id}"`);
    expect(page.text).toContain(`href="/app/rollouts/${rollout.id}/cadence"`);
    expect(page.text).toContain(`href="/app/pilots/${pilot.id}/participants"`);
    expect(page.text).toContain('3 people');
    expect(page.text).toContain('Planned');
    // A planned pilot can start or stop, nothing else.
    expect(page.text).toContain(`href="/app/pilots/${pilot.id}/start"`);
    expect(page.text).toContain(`href="/app/pilots/${pilot.id}/stop"`);
    expect(page.text).not.toContain(`href="/app/pilots/${pilot.id}/advance"`);
    expect(page.text).not.toContain(`href="/app/pilots/${pilot.id}/graduate"`);

    const confirm = await console_.get(`/app/pilots/${pilot.id}/start`).expect(200);
    expect(confirm.text).toContain('The first quarter, Q2 2027');
    expect(confirm.text).toMatch(/3 participants will get the kickoff mail on [^<]*2027 at 09:00/);
    expect(confirm.text).toContain(`action="/app/pilots/${pilot.id}/start"`);
    expect(await pilotState(pilot.id)).toBe('planned');

    const done = await console_.submit(`/app/pilots/${pilot.id}/start`, {});
    expect(done.status).toBe(303);
    expect(done.headers.location).toMatch(new RegExp(`^/app/pilots/${pilot.id}\\?done=start&quarter=`));
    expect(await pilotState(pilot.id)).toBe('running');
    const after = await console_.get(done.headers.location).expect(200);
    expect(after.text).toContain('The pilot has started. Quarter Q2 2027 is under way.');
    expect(after.text).toContain(`href="/app/pilots/${pilot.id}/advance"`);
    expect(after.text).not.toContain(`href="/app/pilots/${pilot.id}/start"`);

    // Starting again is refused with a page that says why and what can be done instead.
    const again = await console_.get(`/app/pilots/${pilot.id}/start`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('This cannot be done now');
    expect(again.text).toContain(`href="/app/pilots/${pilot.id}/review"`);
    const repost = await console_.agent
      .post(`/app/pilots/${pilot.id}/start`)
      .type('form')
      .send({ _csrf: csrfOf(after.text) });
    expect(repost.status).toBe(409);
    expect(repost.text).toContain('“Start the pilot” is not possible');
    expect(await pilotState(pilot.id)).toBe('running');
  });

  it('extends a pilot in review by the quarters asked for, and says why a last quarter cannot advance', async () => {
    const { pilot } = await pilotOf(['Aino Virtanen'], { quarterCount: 1 });
    await startThroughApi(pilot.id);
    const last = await console_.get(`/app/pilots/${pilot.id}/advance`);
    expect(last.status).toBe(409);
    expect(last.text).toContain('This is the pilot’s last quarter');
    expect((await console_.get(`/app/pilots/${pilot.id}`)).text).not.toContain(
      `/app/pilots/${pilot.id}/advance`,
    );
    await api.http.post(`/api/v1/pilots/${pilot.id}/review`).set(bearer(owner.token)).expect(200);

    const extend = `/app/pilots/${pilot.id}/extend`;
    const confirm = await console_.get(extend).expect(200);
    expect(confirm.text).toContain('the first of them Q2 2027');
    const wrong = await console_.submit(extend, { quarters: '9' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/class=['"]error-summary['"]/);
    expect(wrong.text).toMatch(/href=['"]#field-quarters['"]/);
    expect(wrong.text).toContain('aria-invalid="true"');
    expect(await pilotState(pilot.id)).toBe('in_review');

    const done = await console_.submit(extend, { quarters: '3' });
    expect(done.status).toBe(303);
    expect(await pilotState(pilot.id)).toBe('extended');
    const quarters = await api.http
      .get(`/api/v1/pilots/${pilot.id}/quarters`)
      .set(bearer(owner.token))
      .expect(200);
    expect(quarters.body.map((q: { label: string }) => q.label)).toEqual([
      '2027-Q1',
      '2027-Q2',
      '2027-Q3',
      '2027-Q4',
    ]);
    const page = await console_.get(done.headers.location).expect(200);
    expect(page.text).toContain('The pilot was extended.');
    expect(page.text).toContain(`href="/app/pilots/${pilot.id}/advance"`);
  });

  it('opens a confidential retrospective, shows the response rate rising and who has not answered, closes it', async () => {
    const { pilot, people } = await pilotOf(['Leena Nieminen', 'Olli Lindqvist', 'Ella Öhman']);
    const quarterId = await startThroughApi(pilot.id);
    const pilotPage = `/app/pilots/${pilot.id}`;
    expect((await console_.get(pilotPage)).text).toContain('The quarter has no retrospective yet');

    const before = smtp.received.length;
    const opened = await console_.submit(
      pilotPage,
      { anonymity: 'confidential' },
      `/app/pilots/${pilot.id}/quarters/${quarterId}/retrospectives`,
    );
    expect(opened.status).toBe(303);
    const run = await runOf(quarterId);
    expect(run.state).toBe('open');
    let page = await console_.get(pilotPage).expect(200);
    expect(page.text).toContain('0 of 3 answered');
    for (const person of people) expect(page.text).toContain(person.name);
    expect(page.text).toContain(`hx-get="/app/pilots/${pilot.id}/retrospectives/${run.id}"`);
    expect(page.text).toContain('hx-trigger="every 10s"');

    const links = await mailedLinks(before);
    await answer(links.get(people[0].email)!, run.id);
    page = await console_.get(pilotPage).expect(200);
    expect(page.text).toContain('1 of 3 answered');
    expect(page.text).not.toContain(people[0].name);
    expect(page.text).toContain(people[1].name);
    // The fragment htmx polls: only the run, with the new count, still polling.
    const live = await fragment(console_, `/app/pilots/${pilot.id}/retrospectives/${run.id}`).expect(200);
    expect(live.text).not.toContain('<html');
    expect(live.text).toContain('1 of 3 answered');
    expect(live.text).toContain('hx-trigger="every 10s"');
    // Without htmx the same address is a page of its own.
    expect((await console_.get(`/app/pilots/${pilot.id}/retrospectives/${run.id}`)).text).toContain('<html');

    const reminded = await console_.submit(
      pilotPage,
      {},
      `/app/pilots/${pilot.id}/retrospectives/${run.id}/remind`,
    );
    expect(reminded.status).toBe(303);
    expect(reminded.headers.location).toContain('done=reminded&n=2');

    await answer(links.get(people[1].email)!, run.id);
    expect((await fragment(console_, `/app/pilots/${pilot.id}/retrospectives/${run.id}`)).text).toContain(
      '2 of 3 answered',
    );

    const closePage = `/app/pilots/${pilot.id}/retrospectives/${run.id}/close`;
    const confirm = await console_.get(closePage).expect(200);
    expect(confirm.text).toContain('The answer links stop working');
    expect((await runOf(quarterId)).state).toBe('open');
    const closed = await console_.submit(closePage, {});
    expect(closed.status).toBe(303);
    expect((await runOf(quarterId)).state).toBe('closed');
    const final = await fragment(console_, `/app/pilots/${pilot.id}/retrospectives/${run.id}`).expect(200);
    expect(final.text).toContain('2 of 3 answered');
    expect(final.text).not.toContain('hx-trigger');
  });

  it('never names anyone in an anonymous run, answered or not', async () => {
    const { pilot, people } = await pilotOf(['Björn Söderström', 'Åsa Hämäläinen', 'Mikko Jääskeläinen']);
    const quarterId = await startThroughApi(pilot.id);
    const pilotPage = `/app/pilots/${pilot.id}`;
    const before = smtp.received.length;
    const opened = await console_.submit(
      pilotPage,
      { anonymity: 'anonymous' },
      `/app/pilots/${pilot.id}/quarters/${quarterId}/retrospectives`,
    );
    expect(opened.status).toBe(303);
    const run = await runOf(quarterId);
    const links = await mailedLinks(before);
    const check = async (responded: number) => {
      const page = await console_.get(pilotPage).expect(200);
      const live = await fragment(console_, `/app/pilots/${pilot.id}/retrospectives/${run.id}`).expect(200);
      for (const text of [page.text, live.text]) {
        expect(text).toContain(`${responded} of 3 answered`);
        expect(text).toContain('This retrospective is anonymous');
        for (const person of people) {
          expect(text).not.toContain(person.name);
          expect(text).not.toContain(person.email);
        }
      }
    };
    await check(0);
    await answer(links.get(people[2].email)!, run.id);
    await check(1);
  });

  it('shows failed deliveries with their reason and sends them again', async () => {
    smtp.setPolicy((address) =>
      address.endsWith('@reject.example') ? { code: 550, message: '5.1.1 No such user here' } : null,
    );
    try {
      const { pilot } = await pilotOf(['Aino Virtanen', 'Eero Korhonen'], { domain: 'reject.example' });
      await api.http
        .post(`/api/v1/pilots/${pilot.id}/participants`)
        .set(bearer(owner.token))
        .send({
          email: `${unique('sanna-')}@example.fi`,
          name: 'Sanna Mäkinen',
          locale: 'en',
          level: 'staff',
        })
        .expect(201);
      const quarterId = await startThroughApi(pilot.id);
      await worker.tickAndDrain();

      const pilotPage = `/app/pilots/${pilot.id}`;
      let page = await console_.get(pilotPage).expect(200);
      expect(page.text).toContain('2 messages could not be delivered.');
      expect(page.text).toContain('550');
      expect(page.text).toContain('No such user here');
      const kickoff = /<tr data-step="kickoff">([\s\S]*?)<\/tr>/.exec(page.text)![1];
      expect(kickoff).toContain('Failed');
      expect(kickoff).toContain('1 sent');
      expect(kickoff).toContain('2 failed');
      // Steps still to come are shown as scheduled.
      expect(/<tr data-step="checkin-w2">([\s\S]*?)<\/tr>/.exec(page.text)![1]).toContain('Scheduled');

      smtp.setPolicy(() => null);
      const messageId = /name="message" value="([0-9a-f-]{36})"/.exec(page.text)![1];
      const one = await console_.submit(
        pilotPage,
        { message: messageId },
        `/app/pilots/${pilot.id}/quarters/${quarterId}/deliveries/retry`,
      );
      expect(one.status).toBe(303);
      expect(one.headers.location).toContain('done=retried&n=1');
      await worker.tickAndDrain();
      page = await console_.get(pilotPage).expect(200);
      expect(page.text).toContain('1 message could not be delivered.');
      const all = await console_.submit(
        pilotPage,
        {},
        `/app/pilots/${pilot.id}/quarters/${quarterId}/deliveries/retry`,
      );
      expect(all.headers.location).toContain('done=retried&n=1');
      await worker.tickAndDrain();
      const report = await api.http
        .get(`/api/v1/quarters/${quarterId}/deliveries`)
        .set(bearer(owner.token))
        .expect(200);
      expect(report.body.counts).toMatchObject({ sent: 3, failed: 0 });
      expect((await console_.get(pilotPage)).text).toContain(
        'Every message of this quarter has been delivered',
      );
    } finally {
      smtp.setPolicy(() => null);
    }
  });

  it('refuses sponsors every change, and shows another workspace nothing at all', async () => {
    const { pilot, organization, people } = await pilotOf(['Leena Nieminen', 'Olli Lindqvist']);
    const running = await pilotOf(['Ella Öhman']);
    const quarterId = await startThroughApi(running.pilot.id);
    const run = (
      await api.http
        .post(`/api/v1/quarters/${quarterId}/retrospectives`)
        .set(bearer(owner.token))
        .send({ anonymity: 'named' })
        .expect(201)
    ).body;

    const sponsor = await addMember(api.http, owner, 'sponsor', [organization.id, running.organization.id]);
    const asSponsor = new ConsoleClient(api);
    expect((await asSponsor.signIn(sponsor.email)).status).toBe(303);
    const seen = await asSponsor.get(`/app/pilots/${pilot.id}`).expect(200);
    expect(seen.text).not.toContain(`href="/app/pilots/${pilot.id}/start"`);
    for (const person of people) expect(seen.text).not.toContain(person.name);
    const runPage = await asSponsor.get(`/app/pilots/${running.pilot.id}`).expect(200);
    expect(runPage.text).toContain('0 of 1 answered');
    expect(runPage.text).not.toContain('Ella Öhman');
    const token = csrfOf(seen.text);
    const posts = [
      `/app/pilots/${pilot.id}/start`,
      `/app/pilots/${pilot.id}/stop`,
      `/app/pilots/${running.pilot.id}/advance`,
      `/app/pilots/${running.pilot.id}/quarters/${quarterId}/retrospectives`,
      `/app/pilots/${running.pilot.id}/retrospectives/${run.id}/remind`,
      `/app/pilots/${running.pilot.id}/retrospectives/${run.id}/close`,
      `/app/pilots/${running.pilot.id}/quarters/${quarterId}/deliveries/retry`,
    ];
    for (const path of posts) {
      const res = await asSponsor.agent.post(path).type('form').send({ _csrf: token });
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect((await asSponsor.get(`/app/pilots/${pilot.id}/start`)).status).toBe(403);
    expect(await pilotState(pilot.id)).toBe('planned');
    expect((await runOf(quarterId)).state).toBe('open');

    // A coach of another workspace: every page and every form of these pilots is not found.
    const elsewhere = await signUp(api.http);
    const stranger = await addMember(api.http, elsewhere, 'coach');
    const asStranger = new ConsoleClient(api);
    expect((await asStranger.signIn(stranger.email)).status).toBe(303);
    const own = (await asStranger.get('/app').expect(200)).text;
    const gets = [
      `/app/pilots/${pilot.id}`,
      `/app/pilots/${running.pilot.id}`,
      `/app/pilots/${running.pilot.id}?quarter=${quarterId}`,
      ...['start', 'advance', 'review', 'extend', 'graduate', 'stop'].map(
        (a) => `/app/pilots/${running.pilot.id}/${a}`,
      ),
      `/app/pilots/${pilot.id}/start`,
      `/app/pilots/${running.pilot.id}/retrospectives/${run.id}`,
      `/app/pilots/${running.pilot.id}/retrospectives/${run.id}/close`,
    ];
    for (const path of gets) expect([path, (await asStranger.get(path)).status]).toEqual([path, 404]);
    for (const path of posts) {
      const res = await asStranger.agent
        .post(path)
        .type('form')
        .send({ _csrf: csrfOf(own) });
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect(await pilotState(pilot.id)).toBe('planned');
    expect(await pilotState(running.pilot.id)).toBe('running');
  });

  it('works in a browser: started with JavaScript off, the rate updates live with it on; accessible at 320 px in fi, sv and en', async () => {
    const { pilot, people } = await pilotOf(['Aino Virtanen', 'Eero Korhonen']);

    // JavaScript off: from the pilot page to its confirmation page and back, started.
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await signInInBrowser(plain, base, coach.email);
    await plain.goto(`${base}/app/pilots/${pilot.id}`);
    await plain.getByRole('link', { name: 'Start the pilot' }).click();
    await plain.waitForURL(`${base}/app/pilots/${pilot.id}/start`);
    await plain.getByRole('button', { name: 'Start the pilot' }).click();
    await plain.waitForURL(new RegExp(`/app/pilots/${pilot.id}\\?done=start`));
    expect(await plain.textContent('main')).toContain('The pilot has started');
    expect(await pilotState(pilot.id)).toBe('running');
    await noScript.close();

    // JavaScript on: the open run's rate changes on the page without a reload.
    const quarterId = (await api.http.get(`/api/v1/pilots/${pilot.id}`).set(bearer(owner.token))).body
      .currentQuarter.id;
    const before = smtp.received.length;
    const run = (
      await api.http
        .post(`/api/v1/quarters/${quarterId}/retrospectives`)
        .set(bearer(owner.token))
        .send({ anonymity: 'confidential' })
        .expect(201)
    ).body;
    const links = await mailedLinks(before);
    // OKRs, so the key-result table and the check-in grid are on the page the checks below visit.
    await api.http
      .post(`/api/v1/quarters/${quarterId}/objectives`)
      .set(bearer(owner.token))
      .send({
        title: 'Every unit plans its quarter with OKRs',
        keyResults: [
          {
            title: 'Units with a written plan 0 → 12',
            measure: 'metric',
            start: 0,
            target: 12,
            ownerId: people[1].id,
          },
        ],
      })
      .expect(201);
    const scripted = await browser.newContext();
    const page = await scripted.newPage();
    await signInInBrowser(page, base, coach.email);
    await page.goto(`${base}/app/pilots/${pilot.id}`);
    expect(await page.textContent(`#run-${run.id}`)).toContain('0 of 2 answered');
    // A mark on this document: gone if the page were loaded again.
    await page.evaluate('window.stayed = true');
    await answer(links.get(people[0].email)!, run.id);
    // htmx fetches the fragment every 10 s; the rate changes in place.
    await page.locator(`#run-${run.id}`).filter({ hasText: '1 of 2 answered' }).waitFor({ timeout: 25_000 });
    expect(await page.evaluate('window.stayed')).toBe(true);
    await scripted.close();

    // Every confirmation page needs a pilot in a state that allows it.
    const planned = (await pilotOf(['Leena Nieminen'])).pilot.id;
    const inReview = (await pilotOf(['Olli Lindqvist'])).pilot.id;
    await startThroughApi(inReview);
    await api.http.post(`/api/v1/pilots/${inReview}/review`).set(bearer(owner.token)).expect(200);
    const pages = [
      `/app/pilots/${pilot.id}`,
      `/app/pilots/${planned}/start`,
      `/app/pilots/${pilot.id}/advance`,
      `/app/pilots/${pilot.id}/review`,
      `/app/pilots/${pilot.id}/stop`,
      `/app/pilots/${inReview}/extend`,
      `/app/pilots/${inReview}/graduate`,
      `/app/pilots/${pilot.id}/retrospectives/${run.id}/close`,
    ];
    const context = await browser.newContext();
    const visit: Page = await context.newPage();
    await signInInBrowser(visit, base, coach.email);
    for (const locale of ['fi', 'sv', 'en'] as const) {
      await visit.goto(`${base}/app`);
      await visit.locator(`.language-switch button[value="${locale}"]`).click();
      await visit.waitForLoadState();
      for (const path of pages) {
        for (const width of [1280, 320]) {
          await visit.setViewportSize({ width, height: 800 });
          const res = await visit.goto(`${base}${path}`);
          expect([path, res!.status()]).toEqual([path, 200]);
          expect(await visit.getAttribute('html', 'lang')).toBe(locale);
          expect([locale, path, width, await seriousViolations(visit)]).toEqual([locale, path, width, []]);
          if (width === 320) {
            const scrollWidth = (await visit.evaluate('document.documentElement.scrollWidth')) as number;
            expect([locale, path, scrollWidth <= 320]).toEqual([locale, path, true]);
          }
        }
      }
    }
    await context.close();
  }, 300_000);

  // Last: it moves the clock a week on, past the API tokens the other tests hold.
  it('fills the check-in grid from a check-in made through the mailed link', async () => {
    const { pilot, people } = await pilotOf(['Aino Virtanen', 'Eero Korhonen']);
    const quarterId = await startThroughApi(pilot.id);
    const objective = await api.http
      .post(`/api/v1/quarters/${quarterId}/objectives`)
      .set(bearer(owner.token))
      .send({
        title: 'Customers hear back within a day',
        ownerId: people[0].id,
        keyResults: [
          { title: 'Reply time 4 → 1 days', measure: 'metric', start: 4, target: 1, ownerId: people[0].id },
          { title: 'Reply templates in use', measure: 'milestone', ownerId: people[1].id },
        ],
      })
      .expect(201);
    const [replyTime, templates] = objective.body.keyResults as { id: string }[];
    const pilotPage = `/app/pilots/${pilot.id}`;
    let page = await console_.get(pilotPage).expect(200);
    expect(page.text).toContain('Customers hear back within a day');
    expect(page.text).toContain('Owner: Aino Virtanen');
    const row = (html: string, id: string) =>
      new RegExp(`<tr data-key-result="${id}">([\\s\\S]*?)</tr>`).exec(html)![1];
    expect(row(page.text, replyTime.id)).not.toContain('checked in');

    // A week on: the check-in request of week 2 goes out with Aino's link.
    await worker.tickAndDrain();
    clock.advance(7 * DAY);
    const before = smtp.received.length;
    await worker.tickAndDrain();
    const mail = smtp.received.slice(before).find((m) => m.to === people[0].email)!;
    const link = linkPattern('c').exec(mail.text)![1];
    await api.http
      .post(link)
      .type('form')
      .send({
        [`value.${replyTime.id}`]: '3',
        [`confidence.${replyTime.id}`]: '7',
        [`note.${replyTime.id}`]: '',
      })
      .expect(200);

    // A week is longer than a console session: sign in again.
    expect((await console_.signIn(coach.email)).status).toBe(303);
    page = await console_.get(pilotPage).expect(200);
    const cells = row(page.text, replyTime.id);
    expect(cells).toMatch(
      /data-week="2"><span aria-hidden="true">✓ 7<\/span><span class="visually-hidden">checked in, confidence 7<\/span>/,
    );
    expect(cells).toMatch(/data-week="1"><span aria-hidden="true">–<\/span>/);
    expect(row(page.text, templates.id)).not.toContain('checked in,');
    expect(page.text).toContain('7/10');
  });
});

import type { Page } from 'playwright-core';
import { ManualClock } from '@luotsi/domain';
import type { TestApi } from './support/api';
import { BrowserStack, seriousViolations, startBrowserStack } from './support/browser';
import { ConsoleClient, csrfOf, signInInBrowser } from './support/console';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  signUp,
  Workspace,
} from './support/fixtures';

const SV_SUBJECT = 'Kvartalet börjar, {{recipient.firstName}}';
const SV_BODY = '<p>Hej {{recipient.firstName}}! Vad är viktigast i {{pilot.name}} nu?</p>';

/** The fields of the error summary's links, in order (`#field-offsetDays` → `offsetDays`). */
const summaryFields = (html: string) =>
  [...html.matchAll(/<a\s+href='#field-([A-Za-z]+)'/g)].map((m) => m[1]);

/**
 * A pilot's own plan, a client's and a rollout's own template texts, and bounced addresses, in the
 * console over a real API: forms checked as the API checks them (422 by field, nothing changed), the
 * coach's acts refused to a sponsor (403) and to another workspace (404), and in Chromium with
 * JavaScript on and off, axe-clean at 1280 and 320 px in fi, sv and en without sideways scrolling.
 */
describe("console: a pilot's own plan, template texts per client and rollout, bounces", () => {
  let stack: BrowserStack;
  let api: TestApi;
  const clock = new ManualClock(new Date('2027-01-12T10:00:00Z'));
  let owner: Workspace;
  let coach: { id: string; email: string; token: string };
  let organizationId: string;
  let rolloutId: string;
  let pilotId: string;
  /** person0 Aino (fi), person1 Eero (sv), person2 Sanna (en), as participantCsv writes them. */
  const people: Record<'aino' | 'eero' | 'sanna', string> = { aino: '', eero: '', sanna: '' };

  const pilotPlan = async (pilot = pilotId) =>
    (await api.http.get(`/api/v1/pilots/${pilot}/cadence`).set(bearer(owner.token)).expect(200)).body as {
      inherited: boolean;
      steps: {
        key: string;
        offsetDays: number;
        sendTime: string;
        audience: string;
        texts?: Record<string, { subject: string; body: string }> | null;
        retrospective?: { questionSetId: string; anonymity: string; minGroupSize: number } | null;
      }[];
    };
  const auditCount = async (action: string, entityId?: string) =>
    (
      await api.db.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND ($2::text IS NULL OR entity_id = $2)`,
        [action, entityId ?? null],
      )
    )[0].n as number;

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    api = stack.api;
    owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token, {
      name: 'Kaupunki Oy',
      defaultLocale: 'fi',
      timeZone: 'Europe/Helsinki',
    });
    organizationId = organization.id;
    coach = await addMember(api.http, owner, 'coach');
    rolloutId = (await createRollout(api.http, owner.token, organizationId)).id;
    pilotId = (await createPilot(api.http, owner.token, rolloutId, { name: 'Hallituspilotti' })).id;
    await api.http
      .post(`/api/v1/pilots/${pilotId}/participants/import`)
      .set(bearer(owner.token))
      .type('text/csv')
      .send(participantCsv(3))
      .expect(200);
    const listed = (
      await api.http.get(`/api/v1/pilots/${pilotId}/participants`).set(bearer(owner.token)).expect(200)
    ).body.items as { id: string; email: string }[];
    people.aino = listed.find((p) => p.email === 'person0@example.fi')!.id;
    people.eero = listed.find((p) => p.email === 'person1@example.fi')!.id;
    people.sanna = listed.find((p) => p.email === 'person2@example.fi')!.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function coachClient(locale = 'en') {
    const client = new ConsoleClient(api);
    expect((await client.signIn(coach.email)).status).toBe(303);
    await client
      .submit('/app', { locale, next: '/app' }, '/app/language')
      .then((r) => expect(r.status).toBe(303));
    return client;
  }

  it("switches a pilot to its own plan (seeded from the rollout's) and back; edits a step's day, audience and Swedish text with 422s by field", async () => {
    const client = await coachClient();
    const base = `/app/pilots/${pilotId}/cadence`;
    const pilotPage = await client.get(`/app/pilots/${pilotId}`).expect(200);
    expect(pilotPage.text).toContain(`href="${base}"`);
    expect(pilotPage.text).toContain('The rollout&#x27;s plan');

    // Inherited: said so, nothing to edit, the edit page leads back.
    const inherited = await client.get(base).expect(200);
    expect(inherited.text).toContain('data-plan="inherited"');
    expect(inherited.text).not.toContain(`${base}/kickoff/edit`);
    const early = await client.get(`${base}/kickoff/edit`).expect(303);
    expect(early.headers.location).toBe(base);
    const rolloutSteps = (
      await api.http.get(`/api/v1/rollouts/${rolloutId}/cadence`).set(bearer(owner.token)).expect(200)
    ).body.steps as { key: string }[];

    // Its own plan, seeded from the rollout's: the same steps, in the same order.
    const own = await client.submit(base, {}, `${base}/own`);
    expect(own.status).toBe(303);
    expect(own.headers.location).toBe(`${base}?done=own`);
    let plan = await pilotPlan();
    expect(plan.inherited).toBe(false);
    expect(plan.steps.map((s) => s.key)).toEqual(rolloutSteps.map((s) => s.key));
    expect(plan.steps[0]).toMatchObject({ key: 'kickoff', offsetDays: 0, sendTime: '09:00' });
    expect(await auditCount('cadence.updated', pilotId)).toBe(1);
    const ownPage = await client.get(`${base}?done=own`).expect(200);
    expect(ownPage.text).toContain('data-plan="own"');
    expect(ownPage.text).toContain(`href="${base}/kickoff/edit"`);
    expect(ownPage.text).toContain('The pilot has its own plan now, copied from the rollout&#x27;s.');

    // Every problem of the form at once, each by its field; nothing changed.
    const edit = `${base}/kickoff/edit`;
    const bad = await client.submit(edit, {
      offsetDays: 'viikko',
      sendTime: '25:00',
      audience: 'level',
      audienceLevel: '',
      svSubject: SV_SUBJECT,
      svBody: '',
    });
    expect(bad.status).toBe(422);
    expect(summaryFields(bad.text)).toEqual(['offsetDays', 'sendTime', 'svBody']);
    expect(bad.text).toContain('Days from the anchor must be a whole number');
    expect(bad.text).toMatch(/id="error-svBody">Enter Message \(Svenska\)/);
    // The posted values come back in the form.
    expect(bad.text).toContain('value="viikko"');
    expect(bad.text).toContain('Kvartalet börjar, {{recipient.firstName}}');
    // The audience "one level" without its level, once the form's own fields are right.
    const noLevel = await client.submit(edit, { offsetDays: '1', sendTime: '08:30', audience: 'level' });
    expect(noLevel.status).toBe(422);
    expect(summaryFields(noLevel.text)).toEqual(['audienceLevel']);
    // A variable the template does not know is refused like a template override's.
    const unknown = await client.submit(edit, {
      offsetDays: '1',
      sendTime: '08:30',
      audience: 'owners',
      svSubject: 'Hej {{secret.value}}',
      svBody: SV_BODY,
    });
    expect(unknown.status).toBe(422);
    expect(summaryFields(unknown.text)).toEqual(['svSubject']);
    expect(unknown.text).toContain('secret.value');
    plan = await pilotPlan();
    expect(plan.steps[0]).toMatchObject({ offsetDays: 0, sendTime: '09:00', audience: 'participants' });
    expect(plan.steps[0].texts ?? null).toBeNull();
    expect(await auditCount('cadence.updated', pilotId)).toBe(1);

    const saved = await client.submit(edit, {
      offsetDays: '1',
      sendTime: '08:30',
      audience: 'owners',
      svSubject: SV_SUBJECT,
      svBody: SV_BODY,
      fiSubject: '',
      fiBody: '',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${base}?done=saved&step=kickoff#step-kickoff`);
    plan = await pilotPlan();
    expect(plan.steps[0]).toMatchObject({
      key: 'kickoff',
      offsetDays: 1,
      sendTime: '08:30',
      audience: 'owners',
      texts: { sv: { subject: SV_SUBJECT, body: SV_BODY } },
    });
    // The other steps are as they were.
    expect(plan.steps.length).toBe(rolloutSteps.length);
    const listed = await client.get(`${base}?done=saved&step=kickoff`).expect(200);
    expect(listed.text).toContain('Step kickoff saved.');
    expect(listed.text).toMatch(/data-step="kickoff"[\s\S]*?Key result owners[\s\S]*?Svenska/);
    // The edit form shows the saved Swedish text, its language open.
    const form = await client.get(edit).expect(200);
    expect(form.text).toMatch(/<details open lang="sv">/);
    expect(form.text).toContain('&lt;p&gt;Hej {{recipient.firstName}}!');

    // The rollout's plan is untouched.
    const rollout = (
      await api.http.get(`/api/v1/rollouts/${rolloutId}/cadence`).set(bearer(owner.token)).expect(200)
    ).body;
    expect(rollout.custom).toBe(false);
    expect(rollout.steps[0]).toMatchObject({ key: 'kickoff', offsetDays: 0, audience: 'participants' });
  });

  it("sets the scheduled retrospective's question set, anonymity and k, and whether the pilot waits for review", async () => {
    const client = await coachClient();
    const base = `/app/pilots/${pilotId}/cadence`;
    const set = (
      await api.http
        .post('/api/v1/question-sets')
        .set(bearer(owner.token))
        .send({ name: 'Hallituksen kysymykset', copyOf: 'builtin:end-of-quarter' })
        .expect(201)
    ).body as { id: string };
    const edit = `${base}/retrospective-open/edit`;
    const form = await client.get(edit).expect(200);
    expect(form.text).toContain(`<option value="${set.id}">Hallituksen kysymykset</option>`);
    expect(form.text).toMatch(/name="anonymity" value="anonymous" checked/);
    expect(form.text).toContain('name="minGroupSize" type="text" value="5"');
    const step = (await pilotPlan()).steps.find((s) => s.key === 'retrospective-open')!;

    const tooSmall = await client.submit(edit, {
      offsetDays: String(step.offsetDays),
      sendTime: step.sendTime,
      questionSetId: set.id,
      anonymity: 'confidential',
      minGroupSize: '2',
    });
    expect(tooSmall.status).toBe(422);
    expect(summaryFields(tooSmall.text)).toEqual(['minGroupSize']);
    const noSet = await client.submit(edit, {
      offsetDays: String(step.offsetDays),
      sendTime: step.sendTime,
      questionSetId: 'no-such-set',
      anonymity: 'secret',
      minGroupSize: '7',
    });
    expect(noSet.status).toBe(422);
    expect(summaryFields(noSet.text)).toEqual(['anonymity']);
    expect((await pilotPlan()).steps.find((s) => s.key === 'retrospective-open')!.retrospective ?? null).toBe(
      null,
    );

    const saved = await client.submit(edit, {
      offsetDays: String(step.offsetDays),
      sendTime: step.sendTime,
      questionSetId: set.id,
      anonymity: 'confidential',
      minGroupSize: '7',
    });
    expect(saved.status).toBe(303);
    expect((await pilotPlan()).steps.find((s) => s.key === 'retrospective-open')!.retrospective).toEqual({
      questionSetId: set.id,
      anonymity: 'confidential',
      minGroupSize: 7,
    });
    const page = await client.get(base).expect(200);
    expect(page.text).toContain('Question set: Hallituksen kysymykset · Confidential · k &#x3D; 7');

    // Waiting for review, switched from this page, comes back to it.
    const wait = await client.submit(
      base,
      { wait: 'true', back: 'cadence' },
      `/app/pilots/${pilotId}/wait-for-review`,
    );
    expect(wait.status).toBe(303);
    expect(wait.headers.location).toBe(base);
    const pilot = await api.http.get(`/api/v1/pilots/${pilotId}`).set(bearer(owner.token)).expect(200);
    expect(pilot.body.waitForReview).toBe(true);
    expect((await client.get(base).expect(200)).text).toContain('Waits for your review');
  });

  it('shows where each template text comes from, per organization and rollout (most specific wins), saves and removes them, and previews a step for a participant', async () => {
    const client = await coachClient();
    const org = `/app/organizations/${organizationId}/templates`;
    const roll = `/app/rollouts/${rolloutId}/templates`;
    const sourceIn = (html: string, name: string, locale: string) =>
      new RegExp(`data-template="${name}"[\\s\\S]*?data-locale="${locale}" data-source="([a-z]+)"`).exec(
        html,
      )?.[1];
    expect((await client.get(`/app/organizations/${organizationId}`).expect(200)).text).toContain(
      `href="${org}"`,
    );
    expect((await client.get(`/app/rollouts/${rolloutId}`).expect(200)).text).toContain(`href="${roll}"`);
    expect(sourceIn((await client.get(org).expect(200)).text, 'prompt-midquarter', 'fi')).toBe('builtin');

    // A variable the template does not know: 422 on the body, nothing stored.
    const refused = await client.submit(`${org}/prompt-midquarter/fi`, {
      subject: 'Puolivälissä',
      body: '<p>{{secret.value}}</p>',
      intent: 'save',
    });
    expect(refused.status).toBe(422);
    expect(summaryFields(refused.text)).toEqual(['body']);
    const applies = async (scope: string) =>
      (
        await api.http
          .get(`/api/v1/templates/prompt-midquarter/fi?${scope}`)
          .set(bearer(owner.token))
          .expect(200)
      ).body as { source: string; overridden: boolean; subject: string };
    expect(await applies(`organizationId=${organizationId}`)).toMatchObject({
      overridden: false,
      source: 'builtin',
    });
    // A preview renders and stores nothing.
    const previewed = await client.submit(`${org}/prompt-midquarter/fi`, {
      subject: 'Puolivälissä, {{recipient.firstName}}',
      body: '<p>Hei {{recipient.firstName}}</p>',
      intent: 'preview',
    });
    expect(previewed.status).toBe(200);
    expect(previewed.text).toContain('Puolivälissä, Aino');
    expect((await applies(`organizationId=${organizationId}`)).overridden).toBe(false);

    const orgSaved = await client.submit(`${org}/prompt-midquarter/fi`, {
      subject: 'Kaupungin puoliväli, {{recipient.firstName}}',
      body: '<p>Hei {{recipient.firstName}}, kaupungin teksti.</p>',
      intent: 'save',
    });
    expect(orgSaved.status).toBe(303);
    expect(orgSaved.headers.location).toBe(`${org}/prompt-midquarter/fi?saved=1`);
    expect(sourceIn((await client.get(org).expect(200)).text, 'prompt-midquarter', 'fi')).toBe(
      'organization',
    );
    // The rollout inherits the organization's text until it has its own.
    expect(sourceIn((await client.get(roll).expect(200)).text, 'prompt-midquarter', 'fi')).toBe(
      'organization',
    );
    expect(sourceIn((await client.get(roll).expect(200)).text, 'prompt-midquarter', 'sv')).toBe('builtin');
    const rollSaved = await client.submit(`${roll}/prompt-midquarter/fi`, {
      subject: 'Käyttöönoton puoliväli, {{recipient.firstName}}',
      body: '<p>Hei {{recipient.firstName}}, käyttöönoton teksti.</p>',
      intent: 'save',
    });
    expect(rollSaved.status).toBe(303);
    expect(sourceIn((await client.get(roll).expect(200)).text, 'prompt-midquarter', 'fi')).toBe('rollout');
    expect(sourceIn((await client.get(org).expect(200)).text, 'prompt-midquarter', 'fi')).toBe(
      'organization',
    );
    expect(await auditCount('template.saved', 'prompt-midquarter/fi')).toBe(2);

    // The step previewed for Aino (fi) uses the rollout's text; for Eero (sv) the built-in.
    const preview = `/app/pilots/${pilotId}/cadence/midquarter/preview`;
    const forAino = await client.get(`${preview}?participant=${people.aino}`).expect(200);
    expect(forAino.text).toContain('data-source="rollout"');
    expect(forAino.text).toContain('<strong>Käyttöönoton puoliväli, Aino</strong>');
    const forEero = await client.get(`${preview}?participant=${people.eero}`).expect(200);
    expect(forEero.text).toContain('data-source="builtin"');
    // The kickoff's own Swedish text reaches Eero; Aino (fi) gets the template.
    const kickoffEero = await client.get(
      `/app/pilots/${pilotId}/cadence/kickoff/preview?participant=${people.eero}`,
    );
    expect(kickoffEero.text).toContain('data-source="step"');
    expect(kickoffEero.text).toContain('<strong>Kvartalet börjar, Eero</strong>');
    const kickoffAino = await client.get(
      `/app/pilots/${pilotId}/cadence/kickoff/preview?participant=${people.aino}`,
    );
    expect(kickoffAino.text).toContain('data-source="builtin"');

    // Removing the rollout's version: checked first, then the organization's applies again.
    const removePage = await client.get(`${roll}/prompt-midquarter/fi/remove`).expect(200);
    expect(removePage.text).toContain('This rollout&#x27;s own version is deleted');
    const removed = await client.submit(`${roll}/prompt-midquarter/fi/remove`, {});
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe(`${roll}?removed=1`);
    expect(await applies(`rolloutId=${rolloutId}`)).toMatchObject({
      overridden: false,
      source: 'organization',
      subject: 'Kaupungin puoliväli, {{recipient.firstName}}',
    });
    expect(await auditCount('template.reset', 'prompt-midquarter/fi')).toBe(1);
    expect((await client.get(`${preview}?participant=${people.aino}`).expect(200)).text).toContain(
      'data-source="organization"',
    );
  });

  it('shows a bounced address on the start page and the people list with reason and date; clearing it is audited', async () => {
    await api.db.query(
      `UPDATE participant SET bounced_at = '2027-01-11T08:00:00Z', bounce_reason = '5.1.1 User unknown' WHERE id = $1`,
      [people.sanna],
    );
    // The start page lists the pilots of the workspace for its owner (a coach sees the pilots they coach).
    const client = new ConsoleClient(api);
    expect((await client.signIn(owner.email)).status).toBe(303);
    await client.submit('/app', { locale: 'en', next: '/app' }, '/app/language');
    const home = await client.get('/app').expect(200);
    expect(home.text).toContain('data-bounced="1"');
    expect(home.text).toMatch(/Sanna [^<]*\(person2@example\.fi\): 5\.1\.1 User unknown · since 11 Jan 2027/);
    const clear = `/app/pilots/${pilotId}/participants/${people.sanna}/bounce`;
    expect(home.text).toContain(`href="${clear}"`);
    const list = await client.get(`/app/pilots/${pilotId}/participants`).expect(200);
    expect(list.text).toContain('5.1.1 User unknown');
    expect(list.text).toContain('Marked on 11 Jan 2027.');

    const before = await auditCount('participant.bounce_cleared', people.sanna);
    const cleared = await client.submit(clear, {});
    expect(cleared.status).toBe(303);
    expect(await auditCount('participant.bounce_cleared', people.sanna)).toBe(before + 1);
    const person = await api.http
      .get(`/api/v1/participants/${people.sanna}`)
      .set(bearer(owner.token))
      .expect(200);
    expect(person.body.bouncedAt).toBeNull();
    expect((await client.get('/app').expect(200)).text).not.toContain('data-bounced=');
  });

  it('refuses every new page and form to a sponsor (403) and to another workspace (404), changing nothing', async () => {
    const sponsor = await addMember(api.http, owner, 'sponsor', [organizationId]);
    const asSponsor = new ConsoleClient(api);
    expect((await asSponsor.signIn(sponsor.email)).status).toBe(303);
    const token = csrfOf((await asSponsor.get('/app').expect(200)).text);
    const other = await signUp(api.http);
    const strangerCoach = await addMember(api.http, other, 'coach');
    const stranger = new ConsoleClient(api);
    expect((await stranger.signIn(strangerCoach.email)).status).toBe(303);
    const strangerToken = csrfOf((await stranger.get('/app').expect(200)).text);
    const planBefore = await pilotPlan();
    const pages = [
      `/app/pilots/${pilotId}/cadence`,
      `/app/pilots/${pilotId}/cadence/inherit`,
      `/app/pilots/${pilotId}/cadence/kickoff/edit`,
      `/app/pilots/${pilotId}/cadence/kickoff/preview`,
      `/app/organizations/${organizationId}/templates`,
      `/app/organizations/${organizationId}/templates/prompt-midquarter/fi`,
      `/app/organizations/${organizationId}/templates/prompt-midquarter/fi/remove`,
      `/app/rollouts/${rolloutId}/templates`,
      `/app/rollouts/${rolloutId}/templates/prompt-kickoff/sv`,
    ];
    const forms: [string, Record<string, string>][] = [
      [`/app/pilots/${pilotId}/cadence/own`, {}],
      [`/app/pilots/${pilotId}/cadence/inherit`, {}],
      [
        `/app/pilots/${pilotId}/cadence/kickoff/edit`,
        { offsetDays: '3', sendTime: '07:00', audience: 'participants' },
      ],
      [
        `/app/organizations/${organizationId}/templates/prompt-midquarter/fi`,
        { subject: 'x', body: '<p>x</p>', intent: 'save' },
      ],
      [`/app/organizations/${organizationId}/templates/prompt-midquarter/fi/remove`, {}],
      [
        `/app/rollouts/${rolloutId}/templates/prompt-kickoff/sv`,
        { subject: 'x', body: '<p>x</p>', intent: 'save' },
      ],
    ];
    for (const path of pages) {
      expect([path, (await asSponsor.get(path)).status]).toEqual([path, 403]);
      expect([path, (await stranger.get(path)).status]).toEqual([path, 404]);
    }
    for (const [path, fields] of forms) {
      const bySponsor = await asSponsor.agent
        .post(path)
        .type('form')
        .send({ ...fields, _csrf: token });
      expect([path, bySponsor.status]).toEqual([path, 403]);
      const byStranger = await stranger.agent
        .post(path)
        .type('form')
        .send({ ...fields, _csrf: strangerToken });
      expect([path, byStranger.status]).toEqual([path, 404]);
    }
    expect(await pilotPlan()).toEqual(planBefore);
    const org = await api.http
      .get(`/api/v1/templates/prompt-midquarter/fi?organizationId=${organizationId}`)
      .set(bearer(owner.token))
      .expect(200);
    expect(org.body.subject).toBe('Kaupungin puoliväli, {{recipient.firstName}}');
  });

  it("goes back to the rollout's plan after checking", async () => {
    const client = await coachClient();
    const base = `/app/pilots/${pilotId}/cadence`;
    const check = await client.get(`${base}/inherit`).expect(200);
    expect(check.text).toMatch(/own plan \(\d+ steps/);
    const back = await client.submit(`${base}/inherit`, {});
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(`${base}?done=inherited`);
    const plan = await pilotPlan();
    expect(plan.inherited).toBe(true);
    expect(plan.steps[0]).toMatchObject({ key: 'kickoff', offsetDays: 0, audience: 'participants' });
    expect(await auditCount('cadence.reset', pilotId)).toBe(1);
  });

  it('works in Chromium with JavaScript on and off; every page passes axe at 1280 and 320 px in fi, sv and en', async () => {
    const { browser, base } = stack;
    const pilot = (await createPilot(api.http, owner.token, rolloutId, { name: 'Selainpilotti' })).id;
    await api.http
      .post(`/api/v1/pilots/${pilot}/participants/import`)
      .set(bearer(owner.token))
      .type('text/csv')
      .send(participantCsv(2, { domain: 'selain.example.fi' }))
      .expect(200);

    // The coach's journey, the same with and without JavaScript.
    const journey = async (page: Page, subject: string, javaScript: boolean) => {
      await signInInBrowser(page, base, coach.email);
      await page.goto(`${base}/app`);
      await page.locator('.language-switch button[value=en]').click();
      await page.waitForURL(`${base}/app`);
      await page.goto(`${base}/app/pilots/${pilot}`);
      await page.locator(`main a[href="/app/pilots/${pilot}/cadence"]`).click();
      await page.waitForURL(`${base}/app/pilots/${pilot}/cadence`);
      if ((await page.locator('[data-plan=own]').count()) === 0) {
        await page.getByRole('button', { name: 'Give this pilot its own plan' }).click();
        await page.waitForURL(/\?done=own$/);
      }
      await page.locator('a[href$="/cadence/midquarter/edit"]').click();
      await page.waitForURL(/midquarter\/edit$/);
      if ((await page.locator('details[lang=sv][open]').count()) === 0)
        await page.locator('details[lang=sv] summary').click();
      await page.getByLabel('Subject (Svenska)').fill(subject);
      await page.getByLabel('Message (Svenska)').fill('');
      await page.getByRole('button', { name: 'Save the step' }).click();
      await page.waitForSelector('.error-summary');
      expect(
        await page
          .locator('.error-summary a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ).toEqual(['#field-svBody']);
      await page.getByLabel('Message (Svenska)').fill('<p>Hej {{recipient.firstName}}</p>');
      await page.getByRole('button', { name: 'Save the step' }).click();
      await page.waitForURL(/done=saved&step=midquarter/);
      expect(await page.locator('main').innerText()).toContain('Step midquarter saved.');
      const plan = await pilotPlan(pilot);
      expect(plan.steps.find((s) => s.key === 'midquarter')!.texts).toEqual({
        sv: { subject, body: '<p>Hej {{recipient.firstName}}</p>' },
      });
      // The step previewed for each person: Aino (fi) first, then Eero (sv), who gets the step's Swedish text;
      // with JavaScript the choice alone swaps the preview in, without it the button shows it.
      await page.locator('a[href$="/cadence/midquarter/preview"]').click();
      await page.waitForURL(/midquarter\/preview$/);
      // Aino's is the Finnish text that applies to her (the organization's, once an earlier test saved one).
      expect(await page.locator('[data-source]').getAttribute('data-source')).not.toBe('step');
      await page
        .getByLabel('Participant')
        .selectOption({ label: 'Eero Korhonen (person1@selain.example.fi)' });
      expect(await page.evaluate("'htmx' in window")).toBe(javaScript);
      const before = page.url();
      if (!javaScript) await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForSelector('[data-source="step"]');
      expect(await page.locator('.mail-subject').innerText()).toBe(subject);
      expect(new URL(page.url()).searchParams.get('participant')).toMatch(/^[0-9a-f-]{36}$/);
      expect(page.url()).not.toBe(before);
    };
    for (const javaScriptEnabled of [false, true]) {
      const context = await browser.newContext({ javaScriptEnabled });
      await journey(
        await context.newPage(),
        `Halvvägs ${javaScriptEnabled ? 'med' : 'utan'} skript`,
        javaScriptEnabled,
      );
      await context.close();
    }

    const context = await browser.newContext();
    const tab = await context.newPage();
    await signInInBrowser(tab, base, coach.email);
    const check = async (label: string) => {
      expect([label, await seriousViolations(tab)]).toEqual([label, []]);
      const scrollWidth = Number(await tab.evaluate('document.documentElement.scrollWidth'));
      if (scrollWidth > tab.viewportSize()!.width) throw new Error(`${label}: ${scrollWidth} px wide`);
      expect(await tab.locator('h1').count()).toBe(1);
    };
    const [first] = (
      await api.http.get(`/api/v1/pilots/${pilot}/participants`).set(bearer(owner.token)).expect(200)
    ).body.items as { id: string }[];
    for (const locale of ['fi', 'sv', 'en']) {
      await tab.goto(`${base}/app`);
      await tab.locator(`.language-switch button[value=${locale}]`).click();
      await tab.waitForURL(`${base}/app`);
      for (const width of [1280, 320]) {
        await tab.setViewportSize({ width, height: 900 });
        for (const path of [
          `/app/pilots/${pilot}/cadence`,
          `/app/pilots/${pilot}/cadence/inherit`,
          `/app/pilots/${pilot}/cadence/kickoff/edit`,
          `/app/pilots/${pilot}/cadence/retrospective-open/edit`,
          `/app/pilots/${pilot}/cadence/kickoff/preview?participant=${first.id}`,
          `/app/organizations/${organizationId}/templates`,
          `/app/organizations/${organizationId}/templates/prompt-midquarter/fi`,
          `/app/organizations/${organizationId}/templates/prompt-midquarter/fi/remove`,
          `/app/rollouts/${rolloutId}/templates`,
        ]) {
          await tab.goto(`${base}${path}`);
          expect(await tab.locator('html').getAttribute('lang')).toBe(locale);
          await check(`${locale} ${width} ${path}`);
        }
        // A form with its errors shown.
        await tab.goto(`${base}/app/pilots/${pilot}/cadence/kickoff/edit`);
        await tab.locator('#field-offsetDays').fill('x');
        await tab.locator('main button[type=submit]').click();
        await tab.waitForSelector('.error-summary');
        await check(`${locale} ${width} kickoff errors`);
      }
    }
    await context.close();
  }, 600_000);
});

import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const PLANNING_LINK = /http:\/\/luotsi\.test(\/p\/p_[A-Za-z0-9_-]{43})/;
/** What a page says, without its tags (and with its entities as the browser shows them). */
const textOf = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/**
 * The owner of an objective adds and edits its draft key results through their planning link, under the
 * rules of the coach's API: what the API refuses the page refuses too (422, at the form's field, in the
 * person's language); someone who does not own the objective cannot; and nothing changes once the
 * quarter has started.
 */
describe('an objective’s owner writes its draft key results on the planning page', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-03-10T12:00:00Z'));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const env = { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' };
    api = await startApi({ clock, env });
    worker = await startWorker({ ...api.env, ...env }, clock);
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  /** A fresh token: the test clock runs past a token's lifetime. */
  const login = async () =>
    bearer(
      (
        await api.http
          .post('/api/v1/auth/login')
          .send({ email: owner.email, password: 'correct horse battery staple' })
          .expect(200)
      ).body.accessToken,
    );

  it('adds and edits with the API’s validation, only for the owner, only while the planning is open', async () => {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      startQuarter: '2027-Q1',
      quarterCount: 2,
    });
    const person = async (email: string, name: string, locale: string) =>
      (
        await api.http
          .post(`/api/v1/pilots/${pilot.id}/participants`)
          .set(auth)
          .send({ email, name, locale, level: 'staff', timeZone: 'UTC' })
          .expect(201)
      ).body.id as string;
    const aino = await person('aino@example.fi', 'Aino Väänänen', 'fi');
    await person('emma@example.co.uk', "Emma O'Brien", 'en');
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const [, q2] = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth).expect(200)).body;
    const owned = (
      await api.http
        .post(`/api/v1/quarters/${q2.id}/objectives`)
        .set(auth)
        .send({
          title: 'Members get answers quickly',
          ownerId: aino,
          keyResults: [
            {
              title: 'Answer emails faster',
              kind: 'committed',
              measure: 'metric',
              start: 40,
              target: 80,
              unit: '%',
            },
          ],
        })
        .expect(201)
    ).body;
    const other = (
      await api.http
        .post(`/api/v1/quarters/${q2.id}/objectives`)
        .set(auth)
        .send({ title: 'Volunteers stay', keyResults: [] })
        .expect(201)
    ).body;
    const kr1: string = owned.keyResults[0].id;

    clock.set(new Date('2027-03-18T10:00:00Z'));
    await worker.tickAndDrain();
    const linkOf = (email: string) =>
      PLANNING_LINK.exec(
        smtp.received.find(
          (m) => m.to === email && m.header('x-luotsi-message')!.includes('.planning-open.'),
        )!.html,
      )![1];
    const ainoLink = linkOf('aino@example.fi');
    const emmaLink = linkOf('emma@example.co.uk');

    // Aino's page has the forms on her objective only; Emma's has none.
    const ainoPage = (await api.http.get(ainoLink).expect(200)).text;
    expect(ainoPage).toContain(`id="ka-${owned.id}-krTitle"`);
    expect(ainoPage).toContain(`id="ke-${kr1}-krTitle"`);
    expect(ainoPage).not.toContain(`id="ka-${other.id}-krTitle"`);
    expect(textOf(ainoPage)).toContain('Vastaat tästä tavoitteesta');
    expect((await api.http.get(emmaLink).expect(200)).text).not.toContain('name="krTitle"');

    const post = (link: string, values: Record<string, string>) =>
      api.http.post(link).type('form').send(values);
    const keyResultsOf = async (objectiveId: string) =>
      (
        await api.http
          .get(`/api/v1/objectives/${objectiveId}`)
          .set(await login())
          .expect(200)
      ).body.keyResults as {
        id: string;
        title: string;
        kind: string;
        measure: string;
        start: number | null;
        target: number | null;
        unit: string;
      }[];

    // She adds a key result; a decimal comma is a decimal.
    const added = await post(ainoLink, {
      lang: 'fi',
      action: 'add_key_result',
      target: `o:${owned.id}`,
      krTitle: 'Reply within 2 days <b>always</b>',
      krKind: 'aspirational',
      krMeasure: 'metric',
      krStart: '5,5',
      krTarget: '2',
      krUnit: 'days',
    }).expect(303);
    let krs = await keyResultsOf(owned.id);
    expect(krs).toHaveLength(2);
    expect(krs[1]).toMatchObject({
      title: 'Reply within 2 days <b>always</b>',
      kind: 'aspirational',
      measure: 'metric',
      start: 5.5,
      target: 2,
      unit: 'days',
    });
    expect(added.headers.location).toBe(`${ainoLink}?lang=fi&saved=1#k-${krs[1].id}-heading`);
    // Shown escaped, as everything people write.
    const shown = (await api.http.get(`${ainoLink}?saved=1`).expect(200)).text;
    expect(shown).toContain('Reply within 2 days &lt;b&gt;always&lt;/b&gt;');
    expect(shown).not.toContain('<b>always</b>');

    // What the coach's API refuses, the page refuses: a metric without a target, a title the objective
    // has already. The API names `target` and `title`; the page the form's fields, in Finnish.
    const noTarget = { title: 'Calls answered', kind: 'committed', measure: 'metric', start: 10 };
    const apiNoTarget = await api.http
      .post(`/api/v1/objectives/${owned.id}/key-results`)
      .set(await login())
      .send(noTarget)
      .expect(422);
    expect(apiNoTarget.body.errors.map((e: { field: string }) => e.field)).toEqual(['target']);
    const pageNoTarget = await post(ainoLink, {
      lang: 'fi',
      action: 'add_key_result',
      target: `o:${owned.id}`,
      krTitle: 'Calls answered',
      krKind: 'committed',
      krMeasure: 'metric',
      krStart: '10',
      krTarget: '',
      krUnit: '',
    }).expect(422);
    expect(pageNoTarget.text).toContain(`href="#ka-${owned.id}-krTarget"`);
    expect(textOf(pageNoTarget.text)).toContain('Luvulla on lähtö- ja tavoitearvo');
    // What she wrote is still in the form.
    expect(pageNoTarget.text).toContain('value="Calls answered"');
    const duplicate = { title: 'Answer emails faster', kind: 'committed', measure: 'binary' };
    const apiDuplicate = await api.http
      .post(`/api/v1/objectives/${owned.id}/key-results`)
      .set(await login())
      .send(duplicate)
      .expect(422);
    expect(apiDuplicate.body.errors.map((e: { field: string }) => e.field)).toEqual(['title']);
    const pageDuplicate = await post(ainoLink, {
      lang: 'fi',
      action: 'add_key_result',
      target: `o:${owned.id}`,
      krTitle: 'Answer emails faster',
      krKind: 'committed',
      krMeasure: 'binary',
    }).expect(422);
    expect(pageDuplicate.text).toContain(`href="#ka-${owned.id}-krTitle"`);
    expect(await keyResultsOf(owned.id)).toHaveLength(2);

    // She edits the first: a new title and target, now a number from 40 to 90.
    await post(ainoLink, {
      lang: 'fi',
      action: 'edit_key_result',
      target: `k:${kr1}`,
      krTitle: 'Answer 90 % of emails within two days',
      krKind: 'committed',
      krMeasure: 'metric',
      krStart: '40',
      krTarget: '90',
      krUnit: '%',
    }).expect(303);
    krs = await keyResultsOf(owned.id);
    expect(krs[0]).toMatchObject({ id: kr1, title: 'Answer 90 % of emails within two days', target: 90 });
    const audit = await api.db.query(
      `SELECT action, details->>'participantId' AS "participantId" FROM audit_event
       WHERE action LIKE 'planning.key_result_%' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'planning.key_result_added', participantId: aino },
      { action: 'planning.key_result_edited', participantId: aino },
    ]);

    // Emma does not own the objective; Aino does not own the other one.
    const notEmmas = await post(emmaLink, {
      lang: 'en',
      action: 'add_key_result',
      target: `o:${owned.id}`,
      krTitle: 'Mine now',
      krKind: 'committed',
      krMeasure: 'binary',
    }).expect(422);
    expect(textOf(notEmmas.text)).toContain("Only the objective's owner can add or edit its key results.");
    await post(ainoLink, {
      lang: 'fi',
      action: 'add_key_result',
      target: `o:${other.id}`,
      krTitle: 'Not hers',
      krKind: 'committed',
      krMeasure: 'binary',
    }).expect(422);
    await post(ainoLink, {
      lang: 'fi',
      action: 'edit_key_result',
      target: `o:${owned.id}`,
      krTitle: 'An objective is not a key result',
      krKind: 'committed',
      krMeasure: 'binary',
    }).expect(422);
    expect(await keyResultsOf(owned.id)).toHaveLength(2);
    expect(await keyResultsOf(other.id)).toHaveLength(0);

    // Once the quarter has started, nothing more through the link.
    for (const day of ['2027-03-25', '2027-04-01']) {
      clock.set(new Date(`${day}T12:00:00Z`));
      await worker.tickAndDrain();
    }
    const late = await post(ainoLink, {
      lang: 'fi',
      action: 'add_key_result',
      target: `o:${owned.id}`,
      krTitle: 'Too late',
      krKind: 'committed',
      krMeasure: 'binary',
    }).expect(410);
    expect(textOf(late.text)).toContain('Suunnittelu on päättynyt');
    expect((await api.http.get(ainoLink).expect(200)).text).not.toContain('name="krTitle"');
    expect(await keyResultsOf(owned.id)).toHaveLength(2);
  });
});

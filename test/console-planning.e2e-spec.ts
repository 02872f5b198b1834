import { ManualClock } from '@luotsi/domain';
import { launchChromium, seriousViolations } from './support/browser';
import { startApi, TestApi } from './support/api';
import { ConsoleClient, signInInBrowser } from './support/console';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  PASSWORD,
  signUp,
  Workspace,
} from './support/fixtures';
import { freePort } from './support/processes';

/** What a page says, without its tags (and with its entities as the browser shows them). */
const textOf = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/**
 * The planning dialogue in the console: the coach sees the next quarter's drafts with what participants
 * said (names shown: a dialogue), adds drafts by form (refused by field, nothing stored), accepts a
 * rewording and an offer to own, resolves a comment; a sponsor gets 403; a started quarter is a record.
 */
describe('console: the planning dialogue', () => {
  let api: TestApi;
  let owner: Workspace;
  let coach: ConsoleClient;
  let pilotId: string;
  let q1: { id: string };
  let q2: { id: string; label: string };
  let objectiveId: string;
  let keyResultId: string;
  const entries: Record<'comment' | 'rewording' | 'volunteer', string> = {} as never;
  let aino: string;
  let base: string;
  // 18 March 2027: 2027-Q1 is active, 2027-Q2 is being planned.
  const clock = new ManualClock(new Date('2027-03-18T12:00:00Z'));

  const page = () => `/app/pilots/${pilotId}/planning`;
  const keyResultsOf = async () => {
    const res = await api.http
      .get(`/api/v1/quarters/${q2.id}/objectives`)
      .set(bearer(owner.token))
      .expect(200);
    return (res.body.items ?? res.body)[0].keyResults as {
      id: string;
      title: string;
      ownerId: string | null;
      target: number | null;
    }[];
  };
  const statusOf = async (id: string) =>
    (await api.db.query(`SELECT status FROM planning_entry WHERE id = $1`, [id]))[0].status as string;

  beforeAll(async () => {
    api = await startApi({ clock });
    // Listening before the first request, so the test's clients and the browser share one server.
    const port = await freePort();
    await api.app.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    owner = await signUp(api.http);
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'fi',
      timeZone: 'UTC',
    });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      name: 'Hallituspilotti',
      levels: ['board'],
      startQuarter: '2027-Q1',
      quarterCount: 2,
    });
    pilotId = pilot.id;
    const people: string[] = [];
    for (const [email, name] of [
      ['aino@example.fi', 'Aino Väänänen'],
      ['oliver@example.co.uk', "Oliver O'Brien"],
    ])
      people.push(
        (
          await api.http
            .post(`/api/v1/pilots/${pilotId}/participants`)
            .set(auth)
            .send({ email, name, level: 'board', timeZone: 'UTC' })
            .expect(201)
        ).body.id,
      );
    [aino] = people;
    await api.http.post(`/api/v1/pilots/${pilotId}/start`).set(auth).expect(200);
    [q1, q2] = (await api.http.get(`/api/v1/pilots/${pilotId}/quarters`).set(auth).expect(200)).body;
    const draft = await api.http
      .post(`/api/v1/quarters/${q2.id}/objectives`)
      .set(auth)
      .send({
        title: 'Hallitus päättää nopeammin',
        keyResults: [
          { title: 'Päätösaika 30 päivästä 10 päivään', measure: 'metric', start: 30, target: 10 },
        ],
      })
      .expect(201);
    objectiveId = draft.body.id;
    keyResultId = draft.body.keyResults[0].id;
    // What the participants said through their planning links (the page itself is tested elsewhere).
    const say = async (
      kind: string,
      participantId: string,
      keyResult: string | null,
      body: string,
      title: string | null,
    ) =>
      (
        await api.db.query(
          `INSERT INTO planning_entry (workspace_id, quarter_id, pilot_id, objective_id, key_result_id, participant_id, kind, body, proposed_title)
           SELECT o.workspace_id, o.quarter_id, o.pilot_id, o.id, $2, $3, $4, $5, $6 FROM objective o WHERE o.id = $1
           RETURNING id`,
          [objectiveId, keyResult, participantId, kind, body, title],
        )
      )[0].id as string;
    entries.comment = await say('comment', people[1], null, 'Is "faster" the outcome <we> want?', null);
    entries.rewording = await say(
      'rewording',
      people[1],
      keyResultId,
      '',
      'Päätösaika 30 päivästä 7 päivään',
    );
    entries.volunteer = await say('volunteer', aino, keyResultId, 'Minä seuraan tätä.', null);
    coach = new ConsoleClient(api);
    expect((await coach.signIn(owner.email, PASSWORD)).status).toBe(303);
  }, 120_000);
  afterAll(() => api?.close());

  it('shows the next quarter’s drafts with names, hints and what waits for the coach', async () => {
    const res = await coach.get(page()).expect(200);
    const text = textOf(res.text);
    expect(text).toContain('Planning dialogue · Q2 2027');
    expect(text).toContain('Hallitus päättää nopeammin');
    expect(text).toContain('3 entries wait for you.');
    // Names show (a dialogue, not a survey), and what they wrote is shown escaped.
    expect(text).toContain("Oliver O'Brien commented");
    expect(res.text).toContain('Is &quot;faster&quot; the outcome &lt;we&gt; want?');
    expect(text).toContain('Aino Väänänen');
    // The OKR rules' hint: one key result is fewer than three to five.
    expect(text).toContain('Fewer key results than describe an outcome well (three to five).');
    // Accept for a rewording and an offer to own; a comment is only resolved.
    for (const id of [entries.rewording, entries.volunteer])
      expect(res.text).toContain(`/entries/${id}/accept`);
    expect(res.text).not.toContain(`/entries/${entries.comment}/accept`);
    expect(res.text).toContain(`/entries/${entries.comment}/resolve`);
    // The pilot page links to it from the upcoming quarter.
    const pilotPage = await coach.get(`/app/pilots/${pilotId}?quarter=${q2.id}`).expect(200);
    expect(pilotPage.text).toContain(`/app/pilots/${pilotId}/planning?quarter=${q2.id}`);
  });

  it('reads at 320 px with JavaScript off and on, and at 1280 px, and passes axe', async () => {
    const browser = await launchChromium();
    try {
      // axe runs as a script: it checks the pages with JavaScript on (the markup is the same without).
      for (const [javaScriptEnabled, width] of [
        [false, 320],
        [true, 320],
        [true, 1280],
      ] as const) {
        const context = await browser.newContext({ javaScriptEnabled, viewport: { width, height: 800 } });
        const tab = await context.newPage();
        await signInInBrowser(tab, base, owner.email);
        await tab.goto(`${base}${page()}`);
        expect(await tab.locator('h1').textContent()).toBe('Planning dialogue · Q2 2027');
        expect(await tab.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        if (javaScriptEnabled) expect(await seriousViolations(tab)).toEqual([]);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('refuses a key result by field and stores nothing, then adds one with a Finnish decimal', async () => {
    const action = `/app/pilots/${pilotId}/planning/${q2.id}/key-results`;
    const notANumber = await coach.submit(
      page(),
      {
        objectiveId,
        title: 'Esityslistat valmiina',
        kind: 'committed',
        measure: 'metric',
        start: 'kolme',
        target: '5',
      },
      action,
    );
    expect(notANumber.status).toBe(422);
    expect(textOf(notANumber.text)).toContain('Start must be a number.');
    expect(notANumber.text).toContain("href='#field-start'");
    // Typed values stay in the form.
    expect(notANumber.text).toContain('value="Esityslistat valmiina"');
    const untitled = await coach.submit(
      page(),
      { objectiveId, title: ' ', measure: 'metric', start: '1', target: '5' },
      action,
    );
    expect(untitled.status).toBe(422);
    expect(untitled.text).toContain("href='#field-title'");
    const noObjective = await coach.submit(
      page(),
      { objectiveId: 'x', title: 'Jotain', measure: 'binary' },
      action,
    );
    expect(noObjective.status).toBe(422);
    expect(textOf(noObjective.text)).toContain('Choose the objective.');
    expect(await keyResultsOf()).toHaveLength(1);

    const added = await coach.submit(
      page(),
      {
        objectiveId,
        title: 'Esityslistat valmiina viikkoa ennen',
        kind: 'aspirational',
        measure: 'metric',
        start: '0',
        target: '2,5',
        unit: 'päivää',
      },
      action,
    );
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe(`${page()}?quarter=${q2.id}&done=keyResult#o-${objectiveId}`);
    const krs = await keyResultsOf();
    expect(krs.map((k) => [k.title, k.target])).toEqual([
      ['Päätösaika 30 päivästä 10 päivään', 10],
      ['Esityslistat valmiina viikkoa ennen', 2.5],
    ]);
  });

  it('adds a draft objective, refusing an empty one by field', async () => {
    const action = `/app/pilots/${pilotId}/planning/${q2.id}/objectives`;
    const empty = await coach.submit(page(), { title: '' }, action);
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("href='#field-title'");
    const added = await coach.submit(page(), { title: 'Jäsenet tietävät, mitä hallitus päätti' }, action);
    expect(added.status).toBe(303);
    const res = await api.http
      .get(`/api/v1/quarters/${q2.id}/objectives`)
      .set(bearer(owner.token))
      .expect(200);
    expect((res.body.items ?? res.body).map((o: { title: string }) => o.title)).toEqual([
      'Hallitus päättää nopeammin',
      'Jäsenet tietävät, mitä hallitus päätti',
    ]);
  });

  it('keeps sponsors out', async () => {
    const granted = await addMember(api.http, owner, 'sponsor');
    const sponsor = new ConsoleClient(api);
    expect((await sponsor.signIn(granted.email, PASSWORD)).status).toBe(303);
    await sponsor.get(page()).expect(403);
    const shown = await coach.get(page()).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(shown.text)![1];
    await sponsor.agent
      .post(`/app/pilots/${pilotId}/planning/${q2.id}/entries/${entries.rewording}/accept`)
      .type('form')
      .send({ _csrf: csrf })
      .expect((r) => expect([403]).toContain(r.status));
    expect(await statusOf(entries.rewording)).toBe('open');
  });

  it('accepts a rewording and an offer to own, resolves a comment, and refuses to accept a comment', async () => {
    const entry = (id: string, verb: string) =>
      `/app/pilots/${pilotId}/planning/${q2.id}/entries/${id}/${verb}`;
    const comment = await coach.submit(page(), {}, entry(entries.comment, 'accept'));
    expect(comment.status).toBe(422);
    expect(await statusOf(entries.comment)).toBe('open');

    expect((await coach.submit(page(), {}, entry(entries.rewording, 'accept'))).status).toBe(303);
    expect((await coach.submit(page(), {}, entry(entries.volunteer, 'accept'))).status).toBe(303);
    expect((await coach.submit(page(), {}, entry(entries.comment, 'resolve'))).status).toBe(303);
    const [first] = await keyResultsOf();
    expect(first).toMatchObject({
      id: keyResultId,
      title: 'Päätösaika 30 päivästä 7 päivään',
      ownerId: aino,
    });
    expect(await Promise.all(Object.values(entries).map(statusOf))).toEqual([
      'resolved',
      'accepted',
      'accepted',
    ]);

    const res = await coach.get(page()).expect(200);
    const text = textOf(res.text);
    expect(text).toContain('Earlier wording: Päätösaika 30 päivästä 10 päivään');
    expect(text).toContain('Owner: Aino Väänänen');
    expect(text).toContain('0 entries wait for you.');
    expect(res.text).not.toContain('/accept"');
    // Settled entries cannot be settled again.
    expect((await coach.submit(page(), {}, entry(entries.comment, 'resolve'))).status).toBe(409);
  });

  it('shows a started quarter as a record, without forms', async () => {
    const res = await coach.get(`${page()}?quarter=${q1.id}`).expect(200);
    expect(textOf(res.text)).toContain(
      'The quarter has started: these drafts are its OKRs, and the dialogue is closed.',
    );
    expect(res.text).not.toContain('/objectives"');
    expect(res.text).not.toContain('/key-results"');
    await coach.get(`${page()}?quarter=${objectiveId}`).expect(404);
  });
});

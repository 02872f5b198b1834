import { ManualClock } from '@luotsi/domain';
import { TestApi } from './support/api';
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
import { fortyPeople, peopleWorkbook, windows1252Csv } from './support/people-files';

const DAY = 24 * 3600 * 1000;

/** 40 people as Finnish Excel saves them: UTF-8 with a BOM, `;`, CRLF, names with ä and ö. */
const fixedFile = () => Buffer.from(participantCsv(40, { delimiter: ';', bom: true }), 'utf8');

/** The same file with two bad lines: person 5 (line 7) has no valid email, person 12 (line 14) an unknown level. */
function brokenFile(): Buffer {
  const lines = participantCsv(40, { delimiter: ';', bom: true }).split('\r\n');
  lines[6] = lines[6].replace('person5@example.fi', 'person5.example.fi');
  lines[13] = lines[13].replace(/;(staff|management);/, ';director;');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** A hidden field of a form on the page, as a browser would post it (entities decoded). */
const hidden = (html: string, name: string) =>
  (new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const dayAfter = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/**
 * The participants and cadence pages of the console over a real API: a Finnish Excel import checked
 * line by line before anything is stored, the quarter's calendar on the scheduler's days, each step's
 * mail previewed in three languages, roles and workspaces kept apart; and the import in Chromium with
 * JavaScript off, every page checked by axe at 1280 and 320 px in fi, sv and en.
 */
describe('console: participants and cadence', () => {
  let stack: BrowserStack;
  let api: TestApi;
  const clock = new ManualClock(new Date('2027-01-12T10:00:00Z'));
  let owner: Workspace;
  let organizationId: string;
  let rolloutId: string;
  let pilotId: string;

  const stored = async (pilot = pilotId) =>
    Number(
      (await api.db.query(`SELECT count(*) FROM pilot_membership WHERE pilot_id = $1`, [pilot]))[0].count,
    );

  /** Posts a file to the import page as the browser would (multipart, the form's token). */
  async function upload(
    client: ConsoleClient,
    pilot: string,
    bytes: Buffer,
    status: number,
    token?: string,
    filename = 'osallistujat.csv',
    contentType = 'text/csv',
  ) {
    const csrf = token ?? csrfOf((await client.get(`/app/pilots/${pilot}/participants/import`)).text);
    return client.agent
      .post(`/app/pilots/${pilot}/participants/import`)
      .field('_csrf', csrf)
      .attach('file', bytes, { filename, contentType })
      .expect(status);
  }

  beforeAll(async () => {
    stack = await startBrowserStack(clock);
    api = stack.api;
    owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'fi',
      timeZone: 'Europe/Helsinki',
    });
    organizationId = organization.id;
    rolloutId = (await createRollout(api.http, owner.token, organization.id)).id;
    pilotId = (await createPilot(api.http, owner.token, rolloutId, { name: 'Hallintopilotti' })).id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function ownerClient(locale = 'en') {
    const client = new ConsoleClient(api);
    expect((await client.signIn(owner.email)).status).toBe(303);
    await client
      .submit('/app', { locale, next: '/app' }, '/app/language')
      .then((r) => expect(r.status).toBe(303));
    return client;
  }

  it('previews a Finnish Excel file with two bad lines: both reasons by line, nothing stored; the fixed file imports 40', async () => {
    const client = await ownerClient('en');
    const form = await client.get(`/app/pilots/${pilotId}/participants/import`).expect(200);
    expect(form.text).toContain('enctype="multipart/form-data"');
    expect(form.text).toContain('name="file"');
    expect(form.text).toMatch(/semicolons/);

    const refused = await upload(client, pilotId, brokenFile(), 422);
    expect(refused.text).toContain('2 lines need fixing');
    const rows = [
      ...refused.text.matchAll(
        /<tr>\s*<td data-label="Line">(\d+)<\/td>[\s\S]*?<span lang="en">([^<]*)<\/span>/g,
      ),
    ].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual([
      [7, expect.stringContaining('not an email address: &quot;person5.example.fi&quot;')],
      [14, expect.stringContaining('&quot;director&quot; is not one of')],
    ]);
    expect(refused.text).not.toMatch(/Import \d+ participants/);
    expect(await stored()).toBe(0);
    const nobody = await api.http.get(`/api/v1/pilots/${pilotId}/participants`).set(bearer(owner.token));
    expect(nobody.body.total).toBe(0);

    const preview = await upload(client, pilotId, fixedFile(), 200);
    expect(preview.text).toContain('40 participants will be imported into this pilot.');
    expect(preview.text).toContain('Import 40 participants');
    // The first rows as they will be stored: the BOM is gone, the Nordic letters are intact.
    expect(preview.text).toContain('<td data-label="Email">person0@example.fi</td>');
    expect(preview.text).toContain('Jääskeläinen Söderström');
    expect(preview.text).toContain('Åsa Hämäläinen');
    expect(await stored()).toBe(0);

    const imported = await client.agent
      .post(`/app/pilots/${pilotId}/participants/import/confirm`)
      .field('_csrf', csrfOf(preview.text))
      .field('sha256', hidden(preview.text, 'sha256'))
      .field('fileName', hidden(preview.text, 'fileName'))
      .field('content', hidden(preview.text, 'content'))
      .expect(303);
    expect(imported.headers.location).toBe(`/app/pilots/${pilotId}/participants?imported=40`);
    expect(await stored()).toBe(40);
    const names = await api.db.query(`SELECT name FROM participant WHERE email = 'person7@example.fi'`);
    expect(names).toEqual([{ name: 'Jääskeläinen Söderström' }]);

    const list = await client.get(imported.headers.location).expect(200);
    expect(list.text).toContain('40 participants imported.');
    expect(list.text).toContain('40 participants in this pilot.');
    for (let i = 0; i < 40; i++) expect(list.text).toContain(`person${i}@example.fi`);
    expect(list.text).toContain('Björn Söderström');
  });

  it('imports only the file that was checked: a changed file is checked again, not stored', async () => {
    const client = await ownerClient('en');
    const pilot = (await createPilot(api.http, owner.token, rolloutId)).id;
    const preview = await upload(client, pilot, fixedFile(), 200);
    const swapped = await client.agent
      .post(`/app/pilots/${pilot}/participants/import/confirm`)
      .field('_csrf', csrfOf(preview.text))
      .field('sha256', hidden(preview.text, 'sha256'))
      .field('content', brokenFile().toString('base64'))
      .expect(422);
    expect(swapped.text).toContain('2 lines need fixing');
    expect(await stored(pilot)).toBe(0);
  });

  it('answers a file it cannot read (not even Windows-1252, not CSV, a broken workbook) with a clear 422 page and stores nothing', async () => {
    const client = await ownerClient('en');
    const pilot = (await createPilot(api.http, owner.token, rolloutId)).id;
    // 0x81 is no character in Windows-1252, the encoding a file that is not UTF-8 is read in.
    const neither = Buffer.concat([
      Buffer.from('email;name;level\r\nilkka@example.fi;Ilkka J', 'latin1'),
      Buffer.from([0xe4, 0x81]),
      Buffer.from('skel\xe4inen;staff\r\n', 'latin1'),
    ]);
    const unreadable = await upload(client, pilot, neither, 422);
    expect(unreadable.text).toContain('The file cannot be imported');
    expect(unreadable.text).toContain('save the file as &quot;CSV UTF-8&quot;');
    expect(unreadable.text).toMatch(/<td data-label="Line">2<\/td>/);

    const quote = Buffer.from(
      'email,name,level\nilkka@example.fi,"Ilkka Öster,staff\nx@example.fi,X,staff\n',
    );
    const notCsv = await upload(client, pilot, quote, 422);
    expect(notCsv.text).toContain('the quote opened on line 2 is never closed');

    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await upload(client, pilot, png, 422);

    const workbook = await peopleWorkbook(fortyPeople('example.org'));
    const cut = await upload(client, pilot, workbook.subarray(0, 2000), 422, undefined, 'osallistujat.xlsx');
    expect(cut.text).toContain('a damaged XLSX workbook: the ZIP archive is incomplete');

    const empty = await client.agent
      .post(`/app/pilots/${pilot}/participants/import`)
      .field('_csrf', csrfOf((await client.get(`/app/pilots/${pilot}/participants/import`)).text))
      .expect(422);
    expect(empty.text).toContain('Choose a file to check');
    expect(await stored(pilot)).toBe(0);
  });

  it('checks and imports a Windows-1252 file and an XLSX workbook, the preview saying how each was read', async () => {
    const form = await (
      await ownerClient('en')
    )
      .get(`/app/pilots/${pilotId}/participants/import`)
      .expect(200);
    expect(form.text).toContain('accept=".csv,.txt,.xlsx"');

    const cases = [
      {
        locale: 'fi',
        people: fortyPeople('kunta.example.fi'),
        file: windows1252Csv,
        name: 'osallistujat.csv',
        type: 'text/csv',
        note: 'Tiedosto ei ole UTF-8-muodossa, joten se luettiin Windows-1252-merkistönä',
      },
      {
        locale: 'sv',
        people: fortyPeople('kommun.example.se'),
        file: peopleWorkbook,
        name: 'deltagare.xlsx',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        note: 'Arbetsbokens första blad, &quot;Osallistujat&quot;, lästes; radnumren är bladets radnummer.',
      },
    ];
    for (const { locale, people, file, name, type, note } of cases) {
      const client = await ownerClient(locale);
      const pilot = (await createPilot(api.http, owner.token, rolloutId)).id;
      const preview = await upload(client, pilot, await file(people), 200, undefined, name, type);
      expect(preview.text).toContain(note);
      // The first rows as they will be stored, Nordic letters intact.
      expect(preview.text).toContain('Aino Mäkelä');
      expect(preview.text).toContain('Jääskeläinen Pekka');
      expect(preview.text).toMatch(
        /<td data-label="[^"]+">2<\/td>\s*<td data-label="[^"]+">Aino Mäkelä<\/td>/,
      );
      expect(await stored(pilot)).toBe(0);

      const imported = await client.agent
        .post(`/app/pilots/${pilot}/participants/import/confirm`)
        .field('_csrf', csrfOf(preview.text))
        .field('sha256', hidden(preview.text, 'sha256'))
        .field('fileName', hidden(preview.text, 'fileName'))
        .field('content', hidden(preview.text, 'content'))
        .expect(303);
      expect(imported.headers.location).toBe(`/app/pilots/${pilot}/participants?imported=40`);
      const rows = await api.db.query(
        `SELECT p.email, p.name, p.locale, p.level, p.time_zone AS "timeZone"
           FROM participant p JOIN pilot_membership m ON m.participant_id = p.id
          WHERE m.pilot_id = $1 ORDER BY p.email`,
        [pilot],
      );
      expect(rows).toEqual(people);
    }
  });

  it('lists every step of the plan on the day the scheduler gives it, grouped by week', async () => {
    const client = await ownerClient('en');
    const auth = bearer(owner.token);
    const plan = (await api.http.get(`/api/v1/rollouts/${rolloutId}/cadence`).set(auth).expect(200)).body;
    const [quarter] = (await api.http.get(`/api/v1/pilots/${pilotId}/quarters`).set(auth).expect(200)).body;
    const page = await client.get(`/app/rollouts/${rolloutId}/cadence?quarter=${quarter.id}`).expect(200);
    const dayOf = (key: string) =>
      new RegExp(`<tr id="step-${key}">\\s*<td[^>]*><time datetime="([0-9-]+)"`).exec(page.text)?.[1];
    for (const step of plan.steps as { key: string }[]) expect(dayOf(step.key)).toBeDefined();
    // Counted here from the plan's offsets and the quarter's own days, not by the scheduler's code.
    const midquarter = plan.steps.find((s: { key: string }) => s.key === 'midquarter');
    expect(dayOf('midquarter')).toBe(dayAfter(quarter.startsOn, midquarter.offsetDays));
    expect(dayOf('midquarter')).toBe('2027-02-07');
    const retro = plan.steps.find((s: { key: string }) => s.key === 'retrospective-open');
    expect(dayOf('retrospective-open')).toBe(dayAfter(quarter.endsOn, retro.offsetDays));
    expect(page.text).toMatch(/<h3 id="week-2027-02-01">Week 5 /);
    expect(page.text).toContain(`/app/rollouts/${rolloutId}/cadence/kickoff/preview?lang=en`);

    // Changing a step's day and time through the console moves it on the calendar.
    const edit = `/app/rollouts/${rolloutId}/cadence/midquarter/edit`;
    const bad = await client.submit(edit, { offsetDays: 'viikko', sendTime: '25:00' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/href='#field-offsetDays'\s*>Days from the anchor must be a whole number</);
    expect(bad.text).toMatch(/href='#field-sendTime'/);
    const tooFar = await client.submit(edit, { offsetDays: '200', sendTime: '10:30' });
    expect(tooFar.status).toBe(422);
    expect(tooFar.text).toContain('Days from the anchor is too large');
    expect((await api.http.get(`/api/v1/rollouts/${rolloutId}/cadence`).set(auth)).body.custom).toBe(false);
    const saved = await client.submit(edit, { offsetDays: '40', sendTime: '10:30' });
    expect(saved.status).toBe(303);
    const savedPlan = (await api.http.get(`/api/v1/rollouts/${rolloutId}/cadence`).set(auth)).body;
    expect(savedPlan.steps.find((s: { key: string }) => s.key === 'midquarter')).toMatchObject({
      offsetDays: 40,
      sendTime: '10:30',
    });
    expect(savedPlan.steps).toHaveLength(plan.steps.length);
    const moved = await client.get(saved.headers.location).expect(200);
    expect(moved.text).toContain('Step midquarter saved.');
    expect(moved.text).toMatch(
      /<tr id="step-midquarter">\s*<td[^>]*><time datetime="2027-02-10">[^<]*<\/time><\/td>\s*<td[^>]*>10:30</,
    );

    // Who gets a check-in request: key-result owners, or one level (which must then be named).
    const checkIn = `/app/rollouts/${rolloutId}/cadence/checkin-w2/edit`;
    const form = await client.get(checkIn).expect(200);
    expect(form.text).toMatch(/<input type="radio" name="audience" value="participants"[^>]* checked/);
    expect(form.text).toContain('value="non_responders"');
    const noLevel = await client.submit(checkIn, { offsetDays: '7', sendTime: '09:00', audience: 'level' });
    expect(noLevel.status).toBe(422);
    expect(noLevel.text).toMatch(/href='#field-audienceLevel'/);
    const stepOf = async (key: string) =>
      (await api.http.get(`/api/v1/rollouts/${rolloutId}/cadence`).set(auth)).body.steps.find(
        (s: { key: string }) => s.key === key,
      );
    expect(await stepOf('checkin-w2')).toMatchObject({ audience: 'participants', audienceLevel: null });
    const owners = await client.submit(checkIn, { offsetDays: '7', sendTime: '09:00', audience: 'owners' });
    expect(owners.status).toBe(303);
    expect(await stepOf('checkin-w2')).toMatchObject({ audience: 'owners', audienceLevel: null });
    const shown = await client.get(owners.headers.location).expect(200);
    expect(shown.text).toMatch(/<tr id="step-checkin-w2">[\s\S]*?Key result owners<\/td>/);
    const board = await client.submit(checkIn, {
      offsetDays: '7',
      sendTime: '09:00',
      audience: 'level',
      audienceLevel: 'board',
    });
    expect(board.status).toBe(303);
    expect(await stepOf('checkin-w2')).toMatchObject({ audience: 'level', audienceLevel: 'board' });
    // A step that mails the coach (the learning report) offers no choice of audience.
    expect(
      (await client.get(`/app/rollouts/${rolloutId}/cadence/learning-report/edit`).expect(200)).text,
    ).not.toContain('name="audience"');
    await api.http.delete(`/api/v1/rollouts/${rolloutId}/cadence`).set(auth).expect(200);
  });

  it('previews the kickoff mail in Swedish with its Swedish subject, and in fi and en', async () => {
    const client = await ownerClient('fi');
    const auth = bearer(owner.token);
    const subject = async (locale: string) =>
      (
        await api.http
          .post('/api/v1/templates/preview')
          .set(auth)
          .send({ name: 'prompt-kickoff', locale })
          .expect(200)
      ).body.subject as string;
    const sv = await subject('sv');
    expect(sv).not.toBe(await subject('fi'));
    const escape = (text: string) =>
      text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#x27;')
        .replace(/=/g, '&#x3D;')
        .replace(/`/g, '&#x60;');
    const page = await client.get(`/app/rollouts/${rolloutId}/cadence/kickoff/preview?lang=sv`).expect(200);
    expect(page.text).toContain(`<strong>${escape(sv)}</strong>`);
    expect(page.text).toContain('<iframe sandbox=""');
    expect(page.text).toMatch(/<div class="mail-preview" lang="sv">/);
    expect(page.text).toContain('aria-current="page">Svenska');
    const fi = await client.get(`/app/rollouts/${rolloutId}/cadence/kickoff/preview?lang=fi`).expect(200);
    expect(fi.text).toContain(`<strong>${escape(await subject('fi'))}</strong>`);
    await client.get(`/app/rollouts/${rolloutId}/cadence/no-such-step/preview`).expect(404);
  });

  it('refuses the import to a sponsor (403) and every page to another workspace (404)', async () => {
    const sponsor = await addMember(api.http, owner, 'sponsor', [organizationId]);
    const asSponsor = new ConsoleClient(api);
    expect((await asSponsor.signIn(sponsor.email)).status).toBe(303);
    const token = csrfOf((await asSponsor.get('/app').expect(200)).text);
    const before = await stored();
    await upload(asSponsor, pilotId, fixedFile(), 403, token);
    await asSponsor.get(`/app/pilots/${pilotId}/participants`).expect(403);
    // The calendar is the coach's planning page: a sponsor (who has no link to it) is refused it too.
    await asSponsor.get(`/app/rollouts/${rolloutId}/cadence`).expect(403);
    await asSponsor.get(`/app/rollouts/${rolloutId}/cadence/kickoff/preview?lang=sv`).expect(403);
    await asSponsor.get(`/app/rollouts/${rolloutId}/cadence/kickoff/edit`).expect(403);
    const sponsorEdit = await asSponsor.agent
      .post(`/app/rollouts/${rolloutId}/cadence/kickoff/edit`)
      .type('form')
      .send({ offsetDays: '3', sendTime: '09:00', _csrf: token });
    expect(sponsorEdit.status).toBe(403);
    expect(
      (await api.http.get(`/api/v1/rollouts/${rolloutId}/cadence`).set(bearer(owner.token))).body.custom,
    ).toBe(false);
    expect(await stored()).toBe(before);

    const other = await signUp(api.http);
    const coach = await addMember(api.http, other, 'coach');
    const stranger = new ConsoleClient(api);
    expect((await stranger.signIn(coach.email)).status).toBe(303);
    const strangerToken = csrfOf((await stranger.get('/app').expect(200)).text);
    for (const path of [
      `/app/pilots/${pilotId}/participants`,
      `/app/pilots/${pilotId}/participants/import`,
      `/app/rollouts/${rolloutId}/cadence`,
      `/app/rollouts/${rolloutId}/cadence/kickoff/preview?lang=sv`,
      `/app/rollouts/${rolloutId}/cadence/kickoff/edit`,
    ])
      expect([path, (await stranger.get(path)).status]).toEqual([path, 404]);
    await upload(stranger, pilotId, fixedFile(), 404, strangerToken);
    await stranger.agent
      .post(`/app/pilots/${pilotId}/participants/import/confirm`)
      .field('_csrf', strangerToken)
      .field('content', fixedFile().toString('base64'))
      .expect(404);
    expect(await stored()).toBe(before);
  });

  it('imports with JavaScript off in Chromium; every page passes axe at 1280 and 320 px in fi, sv and en', async () => {
    const { browser, base } = stack;
    const pilot = (await createPilot(api.http, owner.token, rolloutId, { name: 'Selainpilotti' })).id;
    const file = (name: string, buffer: Buffer) => ({ name, mimeType: 'text/csv', buffer });

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await signInInBrowser(page, base, owner.email);
    await page.goto(`${base}/app/pilots/${pilot}/participants/import`);
    await page.locator('input[type=file]').setInputFiles(file('osallistujat.csv', brokenFile()));
    await page.locator('main button[type=submit]').click();
    await page.waitForLoadState();
    const refused = await page.locator('main').innerText();
    expect(refused).toMatch(/\b7\b[\s\S]*not an email address/);
    expect(refused).toMatch(/\b14\b[\s\S]*"director"/);
    expect(await stored(pilot)).toBe(0);
    await page.locator('main input[type=file]').setInputFiles(file('osallistujat.csv', fixedFile()));
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForLoadState();
    const button = page.getByRole('button', { name: /^(Import|Tuo|Importera) 40 / });
    await expect(button.count()).resolves.toBe(1);
    await button.click();
    await page.waitForURL(/\/participants\?imported=40$/);
    expect(await stored(pilot)).toBe(40);
    const listed = await page.locator('main').innerText();
    expect(listed).toContain('person39@example.fi');
    expect(listed).toContain('Jääskeläinen Söderström');
    await noScript.close();

    const context = await browser.newContext();
    const tab = await context.newPage();
    await signInInBrowser(tab, base, owner.email);
    const [quarter] = (
      await api.http.get(`/api/v1/pilots/${pilot}/quarters`).set(bearer(owner.token)).expect(200)
    ).body;
    const check = async (label: string) => {
      expect([label, await seriousViolations(tab)]).toEqual([label, []]);
      const scrollWidth = Number(await tab.evaluate('document.documentElement.scrollWidth'));
      if (scrollWidth > tab.viewportSize()!.width) throw new Error(`${label}: ${scrollWidth} px wide`);
      expect(await tab.locator('h1').count()).toBe(1);
    };
    const uploadIn = async (buffer: Buffer) => {
      await tab.goto(`${base}/app/pilots/${pilot}/participants/import`);
      await tab.locator('input[type=file]').setInputFiles(file('osallistujat.csv', buffer));
      await Promise.all([tab.waitForLoadState(), tab.locator('main button[type=submit]').click()]);
      await tab.waitForSelector('h1');
    };
    for (const locale of ['fi', 'sv', 'en']) {
      await tab.goto(`${base}/app`);
      await tab.locator(`.language-switch button[value=${locale}]`).click();
      await tab.waitForURL(`${base}/app`);
      for (const width of [1280, 320]) {
        await tab.setViewportSize({ width, height: 900 });
        for (const path of [
          `/app/pilots/${pilot}/participants`,
          `/app/pilots/${pilot}/participants/import`,
          `/app/rollouts/${rolloutId}/cadence?quarter=${quarter.id}`,
          `/app/rollouts/${rolloutId}/cadence/kickoff/preview?lang=${locale}`,
          `/app/rollouts/${rolloutId}/cadence/retrospective-open/edit`,
        ]) {
          await tab.goto(`${base}${path}`);
          expect(await tab.locator('html').getAttribute('lang')).toBe(locale);
          await check(`${locale} ${width} ${path}`);
        }
        await uploadIn(brokenFile());
        await check(`${locale} ${width} refused`);
        await uploadIn(fixedFile());
        await check(`${locale} ${width} preview`);
      }
    }
    await context.close();
  }, 600_000);
});

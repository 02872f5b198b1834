import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { CoachedQuarter, seedCoachedQuarter } from './support/coached-quarter';
import { ConsoleClient, csrfOf } from './support/console';
import { addMember, bearer, createOrganization, PASSWORD, signUp, unique } from './support/fixtures';
import { waitFor } from './support/processes';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const PEOPLE = [1, 2, 3, 4, 5].map((n) => ({
  name: `Person ${n}`,
  email: `person-${n}-${unique()}@example.fi`,
  text: 'Weekly check-ins helped the team focus on customers',
}));

const SHARE_LINK = /http:\/\/luotsi\.test(\/s\/s_[A-Za-z0-9_-]{43})/;

describe('console: learning and readiness reports', () => {
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let seeded: CoachedQuarter;
  let owner: ConsoleClient;
  let sponsor: ConsoleClient;
  let coach: ConsoleClient;
  let otherSponsor: ConsoleClient;
  let stranger: ConsoleClient;
  let sponsorId: string;
  let sponsorEmail: string;

  const env = () => ({
    SMTP_URL: smtp.url,
    PUBLIC_BASE_URL: 'http://luotsi.test',
    MAIL_RETRY_BASE_MS: '10',
    PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
  });
  const auth = () => bearer(seeded.owner.token);
  const learningPage = () => `/app/quarters/${seeded.quarterId}/report`;
  const readinessPage = () => `/app/rollouts/${seeded.rolloutId}/readiness`;

  const signedIn = async (email: string) => {
    const client = new ConsoleClient(api);
    const res = await client.signIn(email, PASSWORD);
    expect(res.status).toBe(303);
    return client;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({ clock, env: env() });
    worker = await startWorker({ ...api.env, ...env() }, clock);
    seeded = await seedCoachedQuarter({ api, worker, smtp }, PEOPLE);
    owner = await signedIn(seeded.owner.email);
    const granted = await addMember(api.http, seeded.owner, 'sponsor', [seeded.organizationId]);
    sponsorId = granted.id;
    sponsorEmail = granted.email;
    sponsor = await signedIn(granted.email);
    coach = await signedIn((await addMember(api.http, seeded.owner, 'coach')).email);
    const elsewhere = await createOrganization(api.http, seeded.owner.token);
    otherSponsor = await signedIn((await addMember(api.http, seeded.owner, 'sponsor', [elsewhere.id])).email);
    const other = await signUp(api.http);
    stranger = await signedIn(other.email);
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  it("shows a quarter's ready learning report with the report's own sections, charts and carry-over", async () => {
    const page = await owner.get(learningPage()).expect(200);
    for (const section of ['Flags', 'Response', 'Questions', 'OKR practice', 'Themes from free text'])
      expect(page.text).toContain(`>${section}</h2>`);
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
    expect(page.text).toContain('class="report-body" lang="en"');
    expect(page.text).not.toContain('hx-trigger="every 3s"');
    expect(page.text).toContain('Customers hear back within a day');
    // Themes per free-text question: the built-in set's three, each with the five English answers,
    // words and two-word phrases counted per question.
    const themes = page.text.slice(page.text.indexOf('<h2 id="s-themes">'));
    expect(themes.match(/<h3 id="t-\d">/g)).toHaveLength(3);
    expect(themes.match(/<h4>English: 5 answers<\/h4>/g)).toHaveLength(3);
    expect(themes).toContain('check-ins helped (5), team focus (5), weekly check-ins (5)');
    // The report reads in the member's console language, and its formats are asked for in the same.
    expect(page.text).toContain(`href="${learningPage()}.pdf?lang=en"`);
    const csv = await owner.get(`${learningPage()}.csv?lang=en`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const html = await owner.get(`${learningPage()}.html?lang=en`).expect(200);
    expect(html.text).toContain('<h2 id="s-flags">Flags</h2>');
    // Without `lang`, the organization's language (Finnish); another language is refused, naming `lang`.
    const finnish = await owner.get(`${learningPage()}.html`).expect(200);
    expect(finnish.text).toContain('<h2 id="s-flags">Huomiot</h2>');
    expect((await owner.get(`${learningPage()}.csv`).expect(200)).text.split('\r\n')[0]).toBe(
      '\uFEFFosio,kohde,ryhmä,mittari,arvo',
    );
    await owner.get(`${learningPage()}.pdf?lang=xx`).expect(422);
    // The page itself in Swedish when asked, its format links with it.
    const swedish = await owner.get(`${learningPage()}?lang=sv`).expect(200);
    expect(swedish.text).toContain('class="report-body" lang="sv"');
    expect(swedish.text).toContain('<h2 id="s-flags">Varningsflaggor</h2>');
    expect(swedish.text).toContain(`href="${learningPage()}.csv?lang=sv"`);
  });

  it('polls a report while it builds, and swaps in only the report area for htmx', async () => {
    await api.db.query(`UPDATE learning_report SET status = 'building', progress = 40 WHERE id = $1`, [
      seeded.learningReportId,
    ]);
    try {
      const page = await owner.get(learningPage()).expect(200);
      expect(page.text).toContain('hx-trigger="every 3s"');
      expect(page.text).toContain('40% done');
      const fragment = await owner
        .get(learningPage())
        .set('HX-Request', 'true')
        .set('HX-Target', 'div#report-area')
        .expect(200);
      expect(fragment.text).not.toContain('<html');
      expect(fragment.text).toContain('id="report-area"');
    } finally {
      await api.db.query(`UPDATE learning_report SET status = 'ready', progress = 100 WHERE id = $1`, [
        seeded.learningReportId,
      ]);
    }
  });

  it('adds a lesson through the learning-notes service, and refuses a blank one with the error summary', async () => {
    const added = await owner.submit(
      learningPage(),
      { body: 'Fewer objectives, weekly check-ins' },
      `${learningPage()}/notes`,
    );
    expect(added.status).toBe(303);
    const notes = await api.http
      .get(`/api/v1/quarters/${seeded.quarterId}/learning-notes`)
      .set(auth())
      .expect(200);
    expect(notes.body.map((n: { body: string }) => n.body)).toContain('Fewer objectives, weekly check-ins');
    expect((await owner.get(learningPage())).text).toContain('Fewer objectives, weekly check-ins');
    const blank = await owner.submit(learningPage(), { body: '   ' }, `${learningPage()}/notes`);
    expect(blank.status).toBe(422);
    expect(blank.text).toMatch(/class=['"]error-summary['"]/);
    expect(blank.text).toMatch(/href=['"]#field-body['"]/);
  });

  it('creates a share link from the page, shows it once, opens it at /s/…, and revokes it', async () => {
    const created = await owner.submit(
      learningPage(),
      { audience: 'sponsor', expiresInDays: '7' },
      `${learningPage()}/shares`,
    );
    expect(created.status).toBe(201);
    const path = SHARE_LINK.exec(created.text)?.[1];
    expect(path).toBeDefined();
    const shared = await api.http.get(`${path!}?lang=en`).expect(200);
    expect(shared.text).toContain('<h2 id="s-flags">Flags</h2>');
    expect(shared.text).toContain('Sponsor view');
    // Without `lang`, in the organization's language.
    expect((await api.http.get(path!).expect(200)).text).toContain('Sponsorin näkymä');
    // Shown once: the page afterwards lists the link but no longer holds it.
    const listed = await owner.get(learningPage()).expect(200);
    expect(listed.text).not.toMatch(SHARE_LINK);
    const shares = await api.http
      .get(`/api/v1/learning-reports/${seeded.learningReportId}/shares`)
      .set(auth())
      .expect(200);
    const share = shares.body.find((s: { status: string; audience: string }) => s.status === 'active');
    expect(share.audience).toBe('sponsor');
    const revoke = `${learningPage()}/shares/${share.id}/revoke`;
    expect(listed.text).toContain(`action="${revoke}"`);
    const revoked = await owner.agent
      .post(revoke)
      .type('form')
      .send({ _csrf: csrfOf(listed.text) });
    expect(revoked.status).toBe(303);
    expect((await api.http.get(path!)).status).not.toBe(200);
  });

  it('refuses a share link with a lifetime out of range, naming the field', async () => {
    const res = await owner.submit(
      learningPage(),
      { audience: 'coach', expiresInDays: '365' },
      `${learningPage()}/shares`,
    );
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/href=['"]#field-expiresInDays['"]/);
  });

  it('lets a sponsor granted the organization read the readiness report and decide after checking the answers', async () => {
    const page = await sponsor.get(readinessPage()).expect(200);
    expect(page.text).toContain('<h2 id="s-gates">Gates</h2>');
    expect(page.text).toContain('<h2 id="s-wave">The proposed next wave</h2>');
    expect(page.text).toContain('name="decision"');
    const reportId = /name="reportId" value="([^"]+)"/.exec(page.text)![1];

    const check = await sponsor.submit(
      readinessPage(),
      { reportId, decision: 'adjust', reason: 'Widen to the service units in Q3' },
      `${readinessPage()}/decision`,
    );
    expect(check.status).toBe(200);
    expect(check.text).toContain('Check the decision before recording it');
    expect(check.text).toContain('Widen to the service units in Q3');
    // Nothing is recorded before the confirmation.
    const before = await api.http
      .get(`/api/v1/rollouts/${seeded.rolloutId}/decisions`)
      .set(auth())
      .expect(200);
    expect(before.body.items).toHaveLength(0);

    const recorded = await sponsor.agent
      .post(`${readinessPage()}/decision/confirm`)
      .type('form')
      .send({
        _csrf: csrfOf(check.text),
        reportId,
        decision: 'adjust',
        reason: 'Widen to the service units in Q3',
      });
    expect(recorded.status).toBe(303);
    expect(recorded.headers.location).toBe(`${readinessPage()}?notice=decided#decisions`);
    const after = await sponsor.get(recorded.headers.location.replace(/#.*/, '')).expect(200);
    expect(after.text).toContain('The decision was recorded.');
    expect(after.text).toContain('Adjust: change the plan, then go on');

    const decisions = await api.http
      .get(`/api/v1/rollouts/${seeded.rolloutId}/decisions`)
      .set(auth())
      .expect(200);
    expect(decisions.body.items).toEqual([
      expect.objectContaining({
        decision: 'adjust',
        reason: 'Widen to the service units in Q3',
        decidedBy: expect.objectContaining({ id: sponsorId }),
      }),
    ]);
    const audit = await api.http
      .get('/api/v1/audit-log')
      .query({ action: 'rollout.decided', entityId: seeded.rolloutId })
      .set(auth())
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'rollout.decided',
        details: expect.objectContaining({ decision: 'adjust' }),
      }),
    ]);
  });

  it('refuses a decision without a reason with 422 and the error summary, recording nothing', async () => {
    const page = await sponsor.get(readinessPage()).expect(200);
    const reportId = /name="reportId" value="([^"]+)"/.exec(page.text)![1];
    const before = (await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}/decisions`).set(auth())).body
      .total;
    for (const action of [`${readinessPage()}/decision`, `${readinessPage()}/decision/confirm`]) {
      const res = await sponsor.agent
        .post(action)
        .type('form')
        .send({ _csrf: csrfOf(page.text), reportId, decision: 'go', reason: '  ' });
      expect(res.status).toBe(422);
      expect(res.text).toContain("class='error-summary'");
      expect(res.text).toContain("href='#field-reason'");
      expect(res.text).toContain('Enter the reason for the decision');
    }
    const none = await sponsor.submit(
      readinessPage(),
      { reportId, reason: 'No choice made' },
      `${readinessPage()}/decision`,
    );
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose a decision');
    expect(none.text).toContain('No choice made');
    const after = (await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}/decisions`).set(auth())).body
      .total;
    expect(after).toBe(before);
  });

  it('shows a coach the readiness report without the decision, which the API does not allow them', async () => {
    const page = await coach.get(readinessPage()).expect(200);
    expect(page.text).toContain('<h2 id="s-gates">Gates</h2>');
    expect(page.text).not.toContain('name="decision"');
    const reportId = seeded.readinessReportId;
    const res = await coach.agent
      .post(`${readinessPage()}/decision/confirm`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), reportId, decision: 'go', reason: 'Looks fine' });
    expect(res.status).toBe(403);
  });

  it('lets a sponsor read the learning report but not write to it', async () => {
    const page = await sponsor.get(learningPage()).expect(200);
    expect(page.text).toContain('<h2 id="s-flags">Flags</h2>');
    expect(page.text).not.toContain(`${learningPage()}/notes`);
    expect(page.text).not.toContain(`${learningPage()}/shares`);
    const res = await sponsor.agent
      .post(`${learningPage()}/notes`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), body: 'x' });
    expect(res.status).toBe(403);
  });

  it("gives the sponsor of another organization 404 on this organization's report pages", async () => {
    for (const path of [readinessPage(), `${readinessPage()}.html`, learningPage(), `${learningPage()}.csv`])
      expect((await otherSponsor.get(path)).status).toBe(404);
    const home = await otherSponsor.get('/app').expect(200);
    const res = await otherSponsor.agent
      .post(`${readinessPage()}/decision/confirm`)
      .type('form')
      .send({
        _csrf: csrfOf(home.text),
        reportId: seeded.readinessReportId,
        decision: 'go',
        reason: 'Not mine',
      });
    expect(res.status).toBe(404);
  });

  it('gives a member of another workspace 404 on every report page and form', async () => {
    for (const path of [
      learningPage(),
      `${learningPage()}.html`,
      `${learningPage()}.csv`,
      readinessPage(),
      `${readinessPage()}.html`,
      `${readinessPage()}.csv`,
    ])
      expect([path, (await stranger.get(path)).status]).toEqual([path, 404]);
    const home = await stranger.get('/app').expect(200);
    const csrf = csrfOf(home.text);
    const shares = await api.http
      .get(`/api/v1/learning-reports/${seeded.learningReportId}/shares`)
      .set(auth());
    const posts: [string, Record<string, string>][] = [
      [`${learningPage()}/build`, {}],
      [`${learningPage()}/notes`, { body: 'Not mine' }],
      [`${learningPage()}/shares`, { audience: 'coach' }],
      [`${learningPage()}/shares/${shares.body[0].id}/revoke`, {}],
      [`${readinessPage()}/build`, {}],
      [`${readinessPage()}/decision`, { reportId: seeded.readinessReportId, decision: 'go', reason: 'x' }],
      [
        `${readinessPage()}/decision/confirm`,
        { reportId: seeded.readinessReportId, decision: 'go', reason: 'x' },
      ],
      [`${readinessPage()}/next-wave`, { reportId: seeded.readinessReportId, size: '5' }],
    ];
    for (const [path, fields] of posts) {
      const res = await stranger.agent
        .post(path)
        .type('form')
        .send({ ...fields, _csrf: csrf });
      expect([path, res.status]).toEqual([path, 404]);
    }
  });

  it("lets a coach create the next wave's pilot from the proposal once a go is recorded, once", async () => {
    const pilotsOfRollout = async () =>
      (await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}/pilots`).set(auth()).expect(200)).body
        .items as { id: string; name: string; waveNumber: number; plannedSize: number | null }[];
    const before = await pilotsOfRollout();
    const report = (
      await api.http.get(`/api/v1/readiness-reports/${seeded.readinessReportId}`).set(auth()).expect(200)
    ).body;
    const proposal = report.content.nextWave;
    expect(proposal.levels.length).toBeGreaterThan(0);

    // The latest decision is not a go: the proposal shows, the form does not.
    const waiting = await coach.get(readinessPage()).expect(200);
    expect(waiting.text).toContain('<h2 id="next-wave-heading">Next wave</h2>');
    expect(waiting.text).toContain(
      `a next wave of ${proposal.size} people, starting ${proposal.startQuarter}`,
    );
    expect(waiting.text).toContain('once a go decision is recorded');
    expect(waiting.text).not.toContain(`action="${readinessPage()}/next-wave"`);

    await api.http
      .post(`/api/v1/readiness-reports/${seeded.readinessReportId}/decision`)
      .set(auth())
      .send({ decision: 'go', reason: 'The gates hold; widen to the service units' })
      .expect(201);
    const page = await coach.get(readinessPage()).expect(200);
    expect(page.text).toContain(`action="${readinessPage()}/next-wave"`);
    expect(page.text).toMatch(new RegExp(`name="size" type="number" value="${proposal.size}"`));
    expect(page.text).toMatch(new RegExp(`name="startQuarter" type="text" value="${proposal.startQuarter}"`));

    // A size of 0 and a quarter not written as one: 422, each field named, nothing created.
    const refused = await coach.submit(
      readinessPage(),
      {
        reportId: seeded.readinessReportId,
        name: 'Wave 2: service units',
        size: '0',
        startQuarter: 'Q3 2027',
      },
      `${readinessPage()}/next-wave`,
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("href='#field-size'");
    expect(refused.text).toContain("href='#field-startQuarter'");
    expect(refused.text).toContain('value="Wave 2: service units"');
    expect(await pilotsOfRollout()).toHaveLength(before.length);

    const created = await coach.submit(
      readinessPage(),
      { reportId: seeded.readinessReportId, name: 'Wave 2: service units', size: '12', startQuarter: '' },
      `${readinessPage()}/next-wave`,
    );
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe(`${readinessPage()}?notice=waveCreated#next-wave`);
    const after = await pilotsOfRollout();
    expect(after).toHaveLength(before.length + 1);
    const wave = after.find((pilot) => !before.some((old) => old.id === pilot.id))!;
    expect(wave).toEqual(
      expect.objectContaining({
        name: 'Wave 2: service units',
        plannedSize: 12,
        waveNumber: Math.max(...before.map((p) => p.waveNumber)) + 1,
      }),
    );
    const shown = await coach.get(created.headers.location.replace(/#.*/, '')).expect(200);
    expect(shown.text).toContain('The next wave&#x27;s pilot was created.');
    expect(shown.text).toContain(`<a href="/app/pilots/${wave.id}">Wave 2: service units</a>`);
    expect(shown.text).not.toContain(`action="${readinessPage()}/next-wave"`);

    // A second post (a double click, a back button) creates nothing more.
    const again = await coach.agent
      .post(`${readinessPage()}/next-wave`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), reportId: seeded.readinessReportId, size: '12' });
    expect(again.status).toBe(303);
    expect(await pilotsOfRollout()).toHaveLength(before.length + 1);
    // A sponsor decides but does not create pilots.
    const sponsorPost = await sponsor.agent
      .post(`${readinessPage()}/next-wave`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), reportId: seeded.readinessReportId });
    expect(sponsorPost.status).toBe(403);
  });

  it('mails a sponsor with an account the console link, and one without an account how to get one', async () => {
    const invitedEmail = `${unique('sponsor-')}@example.fi`;
    await api.http
      .post('/api/v1/members')
      .set(auth())
      .send({
        email: invitedEmail,
        name: 'Invited Sponsor',
        role: 'sponsor',
        organizationIds: [seeded.organizationId],
      })
      .expect(201);
    const before = smtp.received.length;
    await api.http.post(`/api/v1/rollouts/${seeded.rolloutId}/readiness-report`).set(auth()).expect(202);
    const mailTo = (email: string) =>
      smtp.received
        .slice(before)
        .find((m) => m.to === email.toLowerCase() && /readiness|valmius|beredskap/i.test(m.subject));
    await waitFor(
      async () => {
        await worker.tickAndDrain();
        return Boolean(mailTo(sponsorEmail) && mailTo(invitedEmail));
      },
      30_000,
      () => 'the readiness mails did not arrive',
    );
    const withAccount = mailTo(sponsorEmail)!;
    expect(withAccount.html).toContain(`http://luotsi.test${readinessPage()}`);
    expect(withAccount.text).not.toMatch(
      /ask your coach for an invitation|pyydä valmentajalta kutsu|be coachen om en inbjudan/,
    );
    const withoutAccount = mailTo(invitedEmail)!;
    expect(withoutAccount.html).not.toContain('/app/');
    expect(withoutAccount.text).toMatch(
      /ask your coach for an invitation|pyydä valmentajalta kutsu|be coachen om en inbjudan/,
    );
    expect(withoutAccount.html).toMatch(SHARE_LINK);
  });
});

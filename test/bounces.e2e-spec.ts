import { createHmac } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { launchChromium, seriousViolations } from './support/browser';
import { ConsoleClient, signInInBrowser } from './support/console';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const INBOUND_TOKEN = 'inbound-token-for-bounces-0123456789';
const BOUNCE_DOMAIN = 'bounces.luotsi.test';
const PEOPLE = {
  aino: 'aino@example.fi',
  eero: 'eero@example.fi',
  bjorn: 'bjorn@example.se',
  asa: 'asa@example.se',
} as const;
type Person = keyof typeof PEOPLE;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const VERP = new RegExp(`^bounces\\+(${UUID})-([0-9a-f]{16})@bounces\\.luotsi\\.test$`);

/** A message's header block, as sent. */
const headerBlock = (raw: string) => raw.slice(0, /\r?\n\r?\n/.exec(raw)!.index);

/**
 * A delivery status notification as a mail server writes one (RFC 3464): a multipart/report with a
 * human-readable part, the message/delivery-status part and what came back of the original.
 */
function dsn(options: {
  to: string;
  recipient: string;
  action: 'failed' | 'delayed';
  status: string;
  diagnostic: string;
  returned: { type: 'text/rfc822-headers' | 'message/rfc822'; content: string };
}): string {
  const boundary = '=_report_7f3a';
  return [
    'Return-Path: <>',
    `Delivered-To: ${options.to}`,
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.fi>',
    `To: ${options.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Fri, 8 Jan 2027 05:01:02 +0000',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `I'm sorry to have to inform you that your message could not be delivered to ${options.recipient}.`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.fi',
    'Arrival-Date: Fri, 8 Jan 2027 05:01:01 +0000',
    '',
    `Final-Recipient: rfc822; ${options.recipient}`,
    `Original-Recipient: rfc822;${options.recipient}`,
    `Action: ${options.action}`,
    `Status: ${options.status}`,
    'Remote-MTA: dns; mx2.example.fi',
    `Diagnostic-Code: smtp; ${options.diagnostic}`,
    '',
    `--${boundary}`,
    `Content-Type: ${options.returned.type}`,
    '',
    options.returned.content,
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/**
 * Bounces over the real parts: the worker sends a pilot's mail through a real SMTP server, a DSN built
 * from one received mail is posted to the inbound endpoint, and the next steps skip that address (and
 * only it) until a coach clears it; the delivery report and the portfolio say why.
 */
describe('bounces', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-01-01T12:00:00Z'));
  const ids = {} as Record<Person, string>;
  let pilotId: string;
  let quarterId: string;

  const inbound = () =>
    api.http.post('/api/v1/inbound/bounces').set({ Authorization: `Bearer ${INBOUND_TOKEN}` });
  const postReport = async (raw: string) =>
    (await inbound().type('message/rfc822').send(raw).expect(202)).body as Record<string, string>;
  const mailsOf = (since: number) => smtp.received.slice(since).map((m) => m.to);
  const participant = async (who: Person) =>
    (await api.http.get(`/api/v1/participants/${ids[who]}`).set(bearer(owner.token)).expect(200)).body;
  const auditCount = async (action: string) =>
    (await api.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = $1`, [action]))[0].n;
  const rowsOf = async (step: string) =>
    (await api.db.query(
      `SELECT participant_id AS "participantId", status, last_error AS "lastError" FROM outbox_message
       WHERE quarter_id = $1 AND step_key = $2`,
      [quarterId, step],
    )) as { participantId: string; status: string; lastError: string | null }[];
  const byPerson = <T extends { participantId: string }>(rows: T[]) =>
    Object.fromEntries(
      (Object.keys(ids) as Person[]).map((who) => [who, rows.find((r) => r.participantId === ids[who])]),
    ) as Record<Person, T | undefined>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const env = {
      SMTP_URL: smtp.url,
      INBOUND_TOKEN,
      BOUNCE_DOMAIN,
      PUBLIC_BASE_URL: 'http://luotsi.test',
      // The test clock moves weeks; the owner's token must outlive it.
      ACCESS_TOKEN_TTL_HOURS: String(24 * 90),
    };
    api = await startApi({ clock, env });
    worker = await startWorker({ ...api.env, ...env }, clock);
    owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'fi',
      timeZone: 'Europe/Helsinki',
    });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    pilotId = (await createPilot(api.http, owner.token, rollout.id, { levels: ['staff'] })).id;
    for (const [who, email] of Object.entries(PEOPLE)) {
      const res = await api.http
        .post(`/api/v1/pilots/${pilotId}/participants`)
        .set(bearer(owner.token))
        .send({ email, name: who, level: 'staff', timeZone: 'Europe/Helsinki' })
        .expect(201);
      ids[who as Person] = res.body.id;
    }
    await api.http.post(`/api/v1/pilots/${pilotId}/start`).set(bearer(owner.token)).expect(200);
    quarterId = (await api.http.get(`/api/v1/pilots/${pilotId}`).set(bearer(owner.token)).expect(200)).body
      .currentQuarter.id;
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.close();
  });

  it('marks a bounced address, skips it at the next steps, reports why, and mails it again once cleared', async () => {
    // Day 0, noon: the kickoff goes to all four.
    await worker.tickAndDrain();
    expect(mailsOf(0).sort()).toEqual(Object.values(PEOPLE).sort());
    const kickoff = Object.fromEntries(
      (Object.keys(PEOPLE) as Person[]).map((who) => [who, smtp.received.find((m) => m.to === PEOPLE[who])!]),
    ) as Record<Person, ReceivedMail>;

    // Each mail names its outbox row twice, with the same tag: the VERP envelope sender and the header.
    // The tag is the documented HMAC, computed here from the webhook secret key.
    const key = createHmac('sha256', Buffer.from(api.env.WEBHOOK_SECRET_KEY, 'base64'))
      .update('luotsi bounce reference')
      .digest();
    for (const who of Object.keys(PEOPLE) as Person[]) {
      const [row] = await api.db.query(`SELECT id FROM outbox_message WHERE key = $1`, [
        `${quarterId}.kickoff.p${ids[who]}`,
      ]);
      const tag = createHmac('sha256', key).update(row.id).digest('hex').slice(0, 16);
      expect(kickoff[who].from).toBe(`bounces+${row.id}-${tag}@${BOUNCE_DOMAIN}`);
      expect(kickoff[who].header('x-luotsi-mail')).toBe(`${row.id}.${tag}`);
    }

    // The endpoint wants the inbound token.
    const raw = dsn({
      to: kickoff.aino.from,
      recipient: PEOPLE.aino,
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <aino@example.fi>: Recipient address rejected: User unknown',
      // The returned headers without our header: this one is matched by its VERP address alone.
      returned: {
        type: 'text/rfc822-headers',
        content: headerBlock(kickoff.aino.raw)
          .split(/\r?\n/)
          .filter((line) => !/^x-luotsi-mail:/i.test(line))
          .join('\r\n'),
      },
    });
    await api.http.post('/api/v1/inbound/bounces').type('message/rfc822').send(raw).expect(401);
    await api.http
      .post('/api/v1/inbound/bounces')
      .set({ Authorization: `Bearer ${INBOUND_TOKEN}x` })
      .type('message/rfc822')
      .send(raw)
      .expect(401);
    await api.http
      .post('/api/v1/inbound/bounces')
      .set(bearer(owner.token))
      .type('message/rfc822')
      .send(raw)
      .expect(401);
    // The body is read only after the token is checked: 3 MB (over the route's 2 MB) unauthenticated is
    // refused as unauthenticated, not as too large; with the token it is 413.
    const large = 'x'.repeat(3 * 1024 * 1024);
    await api.http.post('/api/v1/inbound/bounces').type('message/rfc822').send(large).expect(401);
    await api.http
      .post('/api/v1/inbound/bounces')
      .set({ Authorization: `Bearer ${INBOUND_TOKEN}` })
      .type('message/rfc822')
      .send(large)
      .expect(413);

    // Day 7, 05:00 UTC (07:00 in Helsinki): the week-2 check-in is dispatched, due at 09:00 local.
    clock.set(new Date('2027-01-08T05:00:00Z'));
    await worker.tickAndDrain();
    expect(mailsOf(4)).toEqual([]);
    expect(Object.values(byPerson(await rowsOf('checkin-w2'))).map((r) => r?.status)).toEqual(
      Array(4).fill('pending'),
    );

    // Åsa's reference with a made-up tag, in the envelope and in a JSON notice: nothing happens.
    const [, asaOutbox] = VERP.exec(kickoff.asa.from)!;
    const forged = raw
      .split(kickoff.aino.from)
      .join(`bounces+${asaOutbox}-0123456789abcdef@${BOUNCE_DOMAIN}`)
      .split(PEOPLE.aino)
      .join(PEOPLE.asa);
    expect(await postReport(forged)).toEqual({ outcome: 'ignored', reason: 'forged' });
    expect(
      (
        await inbound()
          .send({ mail: `${asaOutbox}.0123456789abcdef`, recipient: PEOPLE.asa, status: '5.1.1' })
          .expect(202)
      ).body,
    ).toEqual({ outcome: 'ignored', reason: 'forged' });
    // Her real reference, but a delay (4.4.7): the server is still trying, so nothing happens either.
    const delayed = dsn({
      to: kickoff.asa.from,
      recipient: PEOPLE.asa,
      action: 'delayed',
      status: '4.4.7',
      diagnostic: '421 4.4.7 Delivery time expired so far',
      returned: { type: 'text/rfc822-headers', content: headerBlock(kickoff.asa.raw) },
    });
    expect(await postReport(delayed)).toEqual({ outcome: 'ignored', reason: 'not a permanent failure' });
    expect((await participant('asa')).bouncedAt).toBeNull();

    // Aino's mail bounced for good: marked once, however often the bounce arrives.
    const [, ainoOutbox] = VERP.exec(kickoff.aino.from)!;
    expect(await postReport(raw)).toEqual({ outcome: 'bounced', outboxId: ainoOutbox });
    expect(await postReport(raw)).toEqual({ outcome: 'duplicate', outboxId: ainoOutbox });
    // Eero's through a provider's JSON webhook, with the header's value.
    const eeroRef = kickoff.eero.header('x-luotsi-mail')!;
    expect(
      (
        await inbound()
          .send({
            mail: eeroRef,
            recipient: PEOPLE.eero,
            status: '5.2.1',
            diagnostic: '550 5.2.1 Mailbox disabled',
          })
          .expect(202)
      ).body,
    ).toEqual({ outcome: 'bounced', outboxId: eeroRef.split('.')[0] });
    // Björn's DSN goes to the plain sender and returns the whole message: matched by our header.
    const bjornRaw = dsn({
      to: 'luotsi@localhost',
      recipient: PEOPLE.bjorn,
      action: 'failed',
      status: '5.1.10',
      diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      returned: { type: 'message/rfc822', content: kickoff.bjorn.raw.trimEnd() },
    });
    expect(await postReport(bjornRaw)).toEqual({
      outcome: 'bounced',
      outboxId: kickoff.bjorn.header('x-luotsi-mail')!.split('.')[0],
    });

    // The participants API shows the marks and the reasons.
    const aino = await participant('aino');
    expect(aino.bounceReason).toBe(
      '5.1.1 smtp; 550 5.1.1 <aino@example.fi>: Recipient address rejected: User unknown',
    );
    expect(aino.bouncedAt).toBe('2027-01-08T05:00:00.000Z');
    expect(aino.bouncedMail).toBe(ainoOutbox);
    expect((await participant('eero')).bounceReason).toBe('5.2.1 550 5.2.1 Mailbox disabled');
    expect((await participant('bjorn')).bounceReason).toMatch(/^5\.1\.10 smtp; 550 5\.1\.10 RESOLVER/);
    expect((await participant('asa')).bouncedAt).toBeNull();
    expect(await auditCount('participant.bounced')).toBe(3);
    // The kickoff rows that bounced record it.
    const kickoffRows = (await api.db.query(
      `SELECT participant_id AS "participantId", status, bounce_reason AS "bounceReason" FROM outbox_message
       WHERE quarter_id = $1 AND step_key = 'kickoff'`,
      [quarterId],
    )) as { participantId: string; status: string; bounceReason: string | null }[];
    const kicked = byPerson(kickoffRows);
    expect(kicked.aino).toMatchObject({ status: 'sent', bounceReason: aino.bounceReason });
    expect(kicked.asa).toMatchObject({ status: 'sent', bounceReason: null });

    // The week-2 rows already waiting for them will not go; Åsa's still will.
    const week2 = byPerson(await rowsOf('checkin-w2'));
    expect(week2.aino).toMatchObject({ status: 'suppressed', lastError: `bounced: ${aino.bounceReason}` });
    expect(week2.eero).toMatchObject({
      status: 'suppressed',
      lastError: 'bounced: 5.2.1 550 5.2.1 Mailbox disabled',
    });
    expect(week2.bjorn?.status).toBe('suppressed');
    expect(week2.asa).toMatchObject({ status: 'pending', lastError: null });
    clock.set(new Date('2027-01-08T12:00:00Z'));
    const beforeWeek2 = smtp.received.length;
    await worker.tickAndDrain();
    expect(mailsOf(beforeWeek2)).toEqual([PEOPLE.asa]);

    // The delivery report: per step, how many bounced and how many were skipped for it, and who and why.
    const report = (
      await api.http.get(`/api/v1/quarters/${quarterId}/deliveries`).set(bearer(owner.token)).expect(200)
    ).body;
    const step = (key: string) => report.steps.find((s: { stepKey: string }) => s.stepKey === key);
    expect(step('kickoff')).toMatchObject({ bounced: 3, skippedBounced: 0, counts: { sent: 4 } });
    expect(step('checkin-w2')).toMatchObject({
      bounced: 0,
      skippedBounced: 3,
      counts: { sent: 1, suppressed: 3 },
    });
    const said = (report.bounces as { kind: string; stepKey: string; email: string; reason: string }[])
      .map(({ kind, stepKey, email, reason }) => `${stepKey} ${kind} ${email}: ${reason}`)
      .sort();
    expect(said).toEqual(
      [
        `checkin-w2 suppressed ${PEOPLE.aino}: ${aino.bounceReason}`,
        `checkin-w2 suppressed ${PEOPLE.bjorn}: ${(await participant('bjorn')).bounceReason}`,
        `checkin-w2 suppressed ${PEOPLE.eero}: 5.2.1 550 5.2.1 Mailbox disabled`,
        `kickoff bounced ${PEOPLE.aino}: ${aino.bounceReason}`,
        `kickoff bounced ${PEOPLE.bjorn}: ${(await participant('bjorn')).bounceReason}`,
        `kickoff bounced ${PEOPLE.eero}: 5.2.1 550 5.2.1 Mailbox disabled`,
      ].sort(),
    );

    // The portfolio lists the pilot's bounced addresses with the reasons, and so does its page.
    const portfolio = (await api.http.get('/api/v1/portfolio').set(bearer(owner.token)).expect(200)).body;
    const item = portfolio.items.find((i: { pilot: { id: string } }) => i.pilot.id === pilotId);
    expect(item.bounced.map((b: { email: string; reason: string }) => `${b.email}: ${b.reason}`)).toEqual([
      `${PEOPLE.aino}: ${aino.bounceReason}`,
      `${PEOPLE.bjorn}: ${(await participant('bjorn')).bounceReason}`,
      `${PEOPLE.eero}: 5.2.1 550 5.2.1 Mailbox disabled`,
    ]);

    // The coach clears Aino's mark (the address was fixed); clearing again changes nothing.
    const cleared = await api.http
      .post(`/api/v1/participants/${ids.aino}/bounce/clear`)
      .set(bearer(owner.token))
      .expect(200);
    expect(cleared.body).toMatchObject({ id: ids.aino, bouncedAt: null, bounceReason: null });
    await api.http.post(`/api/v1/participants/${ids.aino}/bounce/clear`).set(bearer(owner.token)).expect(200);
    expect(await auditCount('participant.bounce_cleared')).toBe(1);

    // Day 14, 05:00 UTC: the week-3 check-in is dispatched. Eero's and Björn's rows are written
    // suppressed, with the reason; Aino's (cleared) and Åsa's wait for 09:00 local.
    clock.set(new Date('2027-01-15T05:00:00Z'));
    await worker.tickAndDrain();
    const dispatched = byPerson(await rowsOf('checkin-w3'));
    expect(dispatched.eero).toMatchObject({
      status: 'suppressed',
      lastError: 'bounced: 5.2.1 550 5.2.1 Mailbox disabled',
    });
    expect(dispatched.bjorn).toMatchObject({
      status: 'suppressed',
      lastError: `bounced: ${(await participant('bjorn')).bounceReason}`,
    });
    expect([dispatched.aino?.status, dispatched.asa?.status]).toEqual(['pending', 'pending']);
    // At noon it reaches Aino again, and Åsa.
    clock.set(new Date('2027-01-15T12:00:00Z'));
    const beforeWeek3 = smtp.received.length;
    await worker.tickAndDrain();
    expect(mailsOf(beforeWeek3).sort()).toEqual([PEOPLE.aino, PEOPLE.asa].sort());
    const week3 = byPerson(await rowsOf('checkin-w3'));
    expect(week3.aino?.status).toBe('sent');
    const after = (
      await api.http.get(`/api/v1/quarters/${quarterId}/deliveries`).set(bearer(owner.token)).expect(200)
    ).body;
    expect(after.steps.find((s: { stepKey: string }) => s.stepKey === 'checkin-w3')).toMatchObject({
      skippedBounced: 2,
      counts: { sent: 2, suppressed: 2 },
    });
  });

  it('refuses a notice without its fields, and a sponsor cannot clear a mark', async () => {
    const refused = await inbound().send({ mail: 'x', status: 'soon' }).expect(422);
    expect(refused.body.errors).toEqual([{ field: 'status', reason: 'an enhanced status code, e.g. 5.1.1' }]);
    const missing = await inbound().send({}).expect(422);
    expect([...new Set(missing.body.errors.map((e: { field: string }) => e.field))]).toEqual([
      'mail',
      'status',
    ]);
    expect((await inbound().send({ mail: 'not a reference', status: '5.1.1' }).expect(202)).body).toEqual({
      outcome: 'ignored',
      reason: 'unmatched',
    });
    // Participants are coaches' and owners' business: a sponsor cannot clear a mark.
    const sponsor = await addMember(api.http, owner, 'sponsor');
    await api.http
      .post(`/api/v1/participants/${ids.eero}/bounce/clear`)
      .set(bearer(sponsor.token))
      .expect(403);
    expect((await participant('eero')).bouncedAt).not.toBeNull();
    // A returned message that is no DSN at all is accepted and ignored, never a server error.
    expect(await postReport('Subject: hello\r\n\r\njust text')).toEqual({
      outcome: 'ignored',
      reason: 'unmatched',
    });
  });

  it('shows the mark in the console (axe-clean in three languages), whose button (with its form token) clears it', async () => {
    const client = new ConsoleClient(api);
    expect((await client.signIn(owner.email)).status).toBe(303);
    const list = await client.get(`/app/pilots/${pilotId}/participants`).expect(200);
    const link = `/app/pilots/${pilotId}/participants/${ids.eero}/bounce`;
    expect(list.text).toContain('5.2.1 550 5.2.1 Mailbox disabled');
    expect(list.text).toContain(`href="${link}"`);
    // Åsa, never bounced, has no such link.
    expect(list.text).not.toContain(`participants/${ids.asa}/bounce`);

    // Both pages in Chromium: axe finds nothing serious at 1280 and 320 px in fi, sv and en, and
    // nothing scrolls sideways on a phone.
    const server = api.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await launchChromium();
    const problems: string[] = [];
    try {
      const tab = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signInInBrowser(tab, base, owner.email);
      for (const language of ['fi', 'sv', 'en']) {
        await tab.goto(`${base}/app`);
        await tab.locator(`form.language-switch button[value="${language}"]`).click();
        await tab.waitForURL(`${base}/app`);
        for (const path of [`/app/pilots/${pilotId}/participants`, link]) {
          for (const width of [1280, 320]) {
            await tab.setViewportSize({ width, height: 900 });
            const res = await tab.goto(`${base}${path}`);
            if (res?.status() !== 200) problems.push(`${language} ${width} ${path}: ${res?.status()}`);
            for (const violation of await seriousViolations(tab))
              problems.push(`${language} ${width} ${path}: ${violation}`);
            const wide = Number(await tab.evaluate('document.documentElement.scrollWidth'));
            if (width === 320 && wide > 320) problems.push(`${language} 320 ${path}: ${wide} px wide`);
          }
        }
      }
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);

    const page = await client.get(link).expect(200);
    expect(page.text).toContain(PEOPLE.eero);
    expect(page.text).toContain('5.2.1 550 5.2.1 Mailbox disabled');
    // Without the form token the post is refused and nothing changes.
    const forged = await client.agent.post(link).type('form').send({});
    expect(forged.status).toBe(403);
    expect((await participant('eero')).bouncedAt).not.toBeNull();

    const done = await client.submit(link, {});
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/app/pilots/${pilotId}/participants?cleared=${ids.eero}`);
    expect((await participant('eero')).bouncedAt).toBeNull();
    const after = await client.get(done.headers.location).expect(200);
    expect(after.text).not.toContain(`href="${link}"`);
    expect(after.text).toContain('eero');
  }, 240_000);

  it('is closed (404) where INBOUND_TOKEN is not set', async () => {
    const closed = await startApi();
    try {
      await closed.http
        .post('/api/v1/inbound/bounces')
        .set({ Authorization: `Bearer ${INBOUND_TOKEN}` })
        .send({ mail: 'x', status: '5.1.1' })
        .expect(404);
    } finally {
      await closed.close();
    }
  });
});

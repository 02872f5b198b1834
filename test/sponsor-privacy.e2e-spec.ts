import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { CoachedQuarter, seedCoachedQuarter } from './support/coached-quarter';
import { addMember, bearer } from './support/fixtures';
import { fillPath, operations, WalkIds } from './support/openapi-walk';
import { searchableText } from './support/pdf-text';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

/** People with names and addresses found nowhere else, so a hit in a body can only be them. */
const PEOPLE = [
  {
    name: 'Zephyrine Quillfeather',
    email: 'zephyrine.quillfeather@kestrel.example',
    text: 'Weekly check-ins helped the team focus on customers and priorities every week',
  },
  {
    name: 'Bartholomew Ashcombe',
    email: 'b.ashcombe@merlin.example',
    text: 'Weekly check-ins helped the team focus, although the dashboard came late',
  },
  {
    name: 'Ingrid Vesterholm',
    email: 'ingrid.vesterholm@osprey.example',
    text: 'The team focus improved with weekly check-ins and shorter meetings',
  },
  {
    name: 'Cornelius Thistlewood',
    email: 'cthistlewood@harrier.example',
    text: 'Weekly check-ins helped us focus; customers noticed the faster replies',
  },
  {
    name: 'Philippa Marchbank',
    email: 'philippa@marchbank.example',
    text: 'Check-ins helped the team, but priorities changed weekly',
  },
  {
    name: 'Leopold Fairweather',
    email: 'leopold.fairweather@kite.example',
    text: 'Focus on customers helped the team; weekly check-ins kept the rhythm',
  },
];

/** The formats of a report route (`.{format}`): each one is walked, a PDF read back to text. */
const FORMATS = ['json', 'html', 'csv', 'pdf'];

describe('sponsors read no personal data from any route', () => {
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let seeded: CoachedQuarter;
  let sponsor: { id: string; token: string };
  const ids: WalkIds = {};
  let needles: string[] = [];

  const env = () => ({
    SMTP_URL: smtp.url,
    PUBLIC_BASE_URL: 'http://luotsi.test',
    MAIL_RETRY_BASE_MS: '10',
    PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
  });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({ clock, env: env() });
    worker = await startWorker({ ...api.env, ...env() }, clock);
    seeded = await seedCoachedQuarter({ api, worker, smtp }, PEOPLE);
    const { owner } = seeded;
    const auth = bearer(owner.token);
    sponsor = await addMember(api.http, owner, 'sponsor', [seeded.organizationId]);
    const coach = await addMember(api.http, owner, 'coach');
    const beat = await api.http.post('/api/v1/heartbeats').set(auth).expect(202);
    const questionSet = await api.http
      .post('/api/v1/question-sets')
      .set(auth)
      .send({ name: 'Our set', copyOf: 'builtin:end-of-quarter' })
      .expect(201);
    const note = await api.http
      .post(`/api/v1/quarters/${seeded.quarterId}/learning-notes`)
      .set(auth)
      .send({ body: 'Fewer objectives next quarter' })
      .expect(201);
    const share = await api.http
      .post(`/api/v1/learning-reports/${seeded.learningReportId}/shares`)
      .set(auth)
      .send({ audience: 'sponsor' })
      .expect(201);
    const webhook = await api.http
      .post('/api/v1/webhooks')
      .set(auth)
      .send({ url: 'https://hooks.example.fi/luotsi', events: ['delivery.failed'] })
      .expect(201);
    Object.assign(ids, {
      member: coach.id,
      organization: seeded.organizationId,
      rollout: seeded.rolloutId,
      pilot: seeded.pilotId,
      quarter: seeded.quarterId,
      participant: seeded.people[0].id,
      heartbeat: beat.body.key,
      questionSet: questionSet.body.id,
      objective: seeded.objectiveId,
      keyResult: seeded.keyResultIds[0],
      learningNote: note.body.id,
      reportShare: share.body.id,
      webhook: webhook.body.id,
      learningReport: seeded.learningReportId,
      readinessReport: seeded.readinessReportId,
      retrospective: seeded.retrospectiveId,
    } satisfies WalkIds);
    // Each person's id, address, full name and each part of it.
    needles = seeded.people.flatMap((p) => [p.id, p.email, p.name, ...p.name.split(' ')]);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  /** Every concrete GET request of the document: one per format where the path has `.{format}`. */
  async function reads(): Promise<{ route: string; url: string }[]> {
    const gets = (await operations(api)).filter((op) => op.method === 'GET' && !op.public);
    return gets.flatMap((op) =>
      (op.path.includes('.{format}') ? FORMATS : [undefined]).map((format) => ({
        route: format ? `GET ${op.path.replace('{format}', format)}` : `GET ${op.path}`,
        url: fillPath(op.path, ids, format),
      })),
    );
  }

  const hitsIn = (text: string) =>
    needles.filter((needle) => text.toLowerCase().includes(needle.toLowerCase()));

  async function fetchAs(token: string, url: string) {
    const res = await api.http
      .get(url)
      .set(bearer(token))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    // A PDF is read back to its text; the rest as sent.
    const text = searchableText(res.body as Buffer);
    // A problem's `instance` repeats the caller's own URL (ids the caller sent): not the app's data.
    if (/application\/problem\+json/.test(String(res.headers['content-type']))) {
      const { instance: _, ...problem } = JSON.parse(text);
      return { status: res.status, text: JSON.stringify(problem) };
    }
    return { status: res.status, text };
  }

  it('finds the people where a coach looks, so the search below can see them', async () => {
    // The report as built holds each owner's check-in rhythm by participant id, and the quotes.
    const [report] = await api.db.query(`SELECT content::text AS text FROM learning_report WHERE id = $1`, [
      seeded.learningReportId,
    ]);
    expect(report.text).toContain(seeded.people[0].id);
    expect(report.text).toContain(seeded.people[1].id);
    // What the owner reads of the same routes does name them.
    const owner = seeded.owner.token;
    const coachReads = [
      `/api/v1/pilots/${ids.pilot}/participants`,
      `/api/v1/quarters/${ids.quarter}/learning-report`,
      `/api/v1/quarters/${ids.quarter}/objectives`,
    ];
    for (const url of coachReads) {
      const { status, text } = await fetchAs(owner, url);
      expect({ url, status }).toEqual({ url, status: 200 });
      expect({ url, found: hitsIn(text).length > 0 }).toEqual({ url, found: true });
    }
  });

  it('walks every GET of the OpenAPI document with real ids: no participant id, name or address in any body', async () => {
    const walk = await reads();
    expect(walk.filter((r) => /[{}]/.test(r.url))).toEqual([]);
    const seen: { route: string; status: number }[] = [];
    const leaks: { route: string; hits: string[] }[] = [];
    for (const { route, url } of walk) {
      const { status, text } = await fetchAs(sponsor.token, url);
      seen.push({ route, status });
      const hits = hitsIn(text);
      if (hits.length) leaks.push({ route, hits });
    }
    expect(leaks).toEqual([]);
    expect(seen.filter((s) => s.status >= 500 && !(s.route.endsWith('.pdf') && s.status === 501))).toEqual(
      [],
    );

    // The people's own routes are closed to sponsors; what hangs off the granted organization is open.
    const status = (route: string) => seen.find((s) => s.route === route)?.status;
    expect(status('GET /api/v1/pilots/{id}/participants')).toBe(403);
    expect(status('GET /api/v1/participants/{id}')).toBe(403);
    expect(status('GET /api/v1/participants')).toBe(403);
    for (const route of [
      'GET /api/v1/quarters/{id}/practice-signals',
      'GET /api/v1/quarters/{id}/objectives',
      'GET /api/v1/objectives/{id}',
      'GET /api/v1/key-results/{id}',
      'GET /api/v1/quarters/{id}/learning-report',
      'GET /api/v1/learning-reports/{id}.json',
      'GET /api/v1/learning-reports/{id}.html',
      'GET /api/v1/learning-reports/{id}.csv',
      'GET /api/v1/rollouts/{id}/readiness-report',
      'GET /api/v1/readiness-reports/{id}.json',
      'GET /api/v1/retrospectives/{id}',
    ])
      expect({ route, status: status(route) }).toEqual({ route, status: 200 });
    expect(seen.length).toBeGreaterThanOrEqual(40);
    process.stdout.write(
      `sponsor walk: ${seen.length} GET requests over ${new Set(seen.map((s) => s.route.replace(/\.(json|html|csv|pdf)$/, ''))).size} documented GET routes; ` +
        `${seen.filter((s) => s.status === 200).length} answered 200; the others: ` +
        `${seen
          .filter((s) => s.status !== 200)
          .map((s) => `${s.route} ${s.status}`)
          .join(', ')}\n`,
    );
  });

  it('gives sponsors the practice aggregates only: no one-by-one check-in record', async () => {
    const signals = (
      await api.http
        .get(`/api/v1/quarters/${ids.quarter}/practice-signals`)
        .set(bearer(sponsor.token))
        .expect(200)
    ).body;
    expect(signals.rhythm).toEqual({
      due: expect.any(Number),
      done: expect.any(Number),
      share: expect.any(Number),
      people: [],
    });
    expect(signals.rhythm.done).toBeGreaterThan(0);
    // Key results and objectives come without their owners (each owner is a person).
    const objectives = (
      await api.http.get(`/api/v1/quarters/${ids.quarter}/objectives`).set(bearer(sponsor.token)).expect(200)
    ).body.items;
    expect(objectives).toHaveLength(1);
    expect(objectives[0].ownerId).toBeNull();
    expect(objectives[0].keyResults.map((kr: { ownerId: string | null }) => kr.ownerId)).toEqual([
      null,
      null,
    ]);
    // The coach still sees each owner's rhythm.
    const coach = (
      await api.http
        .get(`/api/v1/quarters/${ids.quarter}/practice-signals`)
        .set(bearer(seeded.owner.token))
        .expect(200)
    ).body;
    expect(coach.rhythm.people.map((p: { participantId: string }) => p.participantId).sort()).toEqual(
      [seeded.people[0].id, seeded.people[1].id].sort(),
    );
    expect({ ...coach.rhythm, people: [] }).toEqual(signals.rhythm);
  });

  it("shows a sponsor's share link without the people", async () => {
    const share = await api.http
      .post(`/api/v1/learning-reports/${seeded.learningReportId}/shares`)
      .set(bearer(seeded.owner.token))
      .send({ audience: 'sponsor' })
      .expect(201);
    const path = new URL(share.body.url).pathname;
    for (const suffix of ['', '.json', '.csv']) {
      const res = await api.http.get(`${path}${suffix}`).buffer(true);
      expect({ suffix, status: res.status }).toEqual({ suffix, status: 200 });
      expect({ suffix, hits: hitsIn(res.text) }).toEqual({ suffix, hits: [] });
    }
  });
});

import { Workbook } from 'exceljs';
import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';

/** Progress as a coach would work it out on paper: the share of the way from start to target, 0..1. */
const share = (start: number, target: number, current: number) =>
  Math.min(1, Math.max(0, (current - start) / (target - start)));
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * A coach sets a running pilot's OKRs for its quarter, records values and confidence through the
 * quarter, and scores them at its end. Bad input names the field and stores nothing; the CSV import is
 * atomic and idempotent; another workspace sees nothing; a sponsor reads but does not write.
 */
describe('OKRs per pilot quarter', () => {
  let api: TestApi;
  let owner: Workspace;
  let coach: string;
  let sponsor: string;
  let pilotId: string;
  let quarters: { id: string; label: string; state: string }[];
  const people: Record<string, string> = {};
  let outsider: string;

  const counts = async () => {
    const [row] = await api.db.query(
      `SELECT (SELECT count(*)::int FROM objective) AS objectives, (SELECT count(*)::int FROM key_result) AS "keyResults"`,
    );
    return row as { objectives: number; keyResults: number };
  };

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
    coach = (await addMember(api.http, owner, 'coach')).token;
    const organization = await createOrganization(api.http, coach, { name: 'Kela', defaultLocale: 'fi' });
    sponsor = (await addMember(api.http, owner, 'sponsor', [organization.id])).token;
    const rollout = await createRollout(api.http, coach, organization.id);
    pilotId = (await createPilot(api.http, coach, rollout.id, { levels: ['staff', 'management'] })).id;
    for (const [key, email, name] of [
      ['aino', 'aino.virtanen@kela.example', 'Aino Virtanen'],
      ['bjorn', 'bjorn.soderstrom@kela.example', 'Björn Söderström'],
    ]) {
      const res = await api.http
        .post(`/api/v1/pilots/${pilotId}/participants`)
        .set(bearer(coach))
        .send({ email, name, level: 'staff' })
        .expect(201);
      people[key] = res.body.id;
    }
    // A person of the workspace who is in another pilot, not this one.
    const other = await createPilot(api.http, coach, rollout.id, { levels: ['staff'] });
    outsider = (
      await api.http
        .post(`/api/v1/pilots/${other.id}/participants`)
        .set(bearer(coach))
        .send({ email: 'outsider@kela.example', name: 'Olli Outsider', level: 'staff' })
        .expect(201)
    ).body.id;
    await api.http.post(`/api/v1/pilots/${pilotId}/start`).set(bearer(coach)).expect(200);
    quarters = (await api.http.get(`/api/v1/pilots/${pilotId}/quarters`).set(bearer(coach)).expect(200)).body;
    expect(quarters[0].state).toBe('active');
  });
  afterAll(() => api.close());

  it('sets OKRs, records values and confidence, and scores them at the end of the quarter', async () => {
    const { http } = api;
    const q1 = quarters[0].id;
    const created = await http
      .post(`/api/v1/quarters/${q1}/objectives`)
      .set(bearer(coach))
      .send({
        title: 'Asiakkaat huomaavat, että vastaamme nopeammin',
        level: 'staff',
        keyResults: [
          {
            title: 'Median answer time from 12 to 4 days',
            measure: 'metric',
            start: 12,
            target: 4,
            unit: 'days',
            ownerId: people.aino,
          },
          {
            title: 'Customer satisfaction from 62 to 75',
            kind: 'aspirational',
            measure: 'metric',
            start: 62,
            target: 75,
            unit: 'points',
            ownerId: people.bjorn,
          },
          { title: 'New answer templates in use', measure: 'milestone' },
        ],
      })
      .expect(201);
    const objective = created.body;
    expect(objective).toMatchObject({
      quarterId: q1,
      pilotId,
      level: 'staff',
      ownerId: null,
      position: 0,
      progress: 0,
      finalScore: null,
      band: 'red',
      hints: [],
    });
    const [answerTime, satisfaction, templates] = objective.keyResults;
    expect(answerTime).toMatchObject({ kind: 'committed', start: 12, target: 4, current: null, progress: 0 });
    expect(satisfaction).toMatchObject({ kind: 'aspirational', ownerId: people.bjorn });
    expect(templates).toMatchObject({ measure: 'milestone', start: null, target: null, done: false });

    // A weak objective saves, with warnings.
    const weak = await http
      .post(`/api/v1/quarters/${q1}/objectives`)
      .set(bearer(coach))
      .send({ title: 'More coaches', keyResults: [{ title: 'Hire 2 coaches', measure: 'binary' }] })
      .expect(201);
    expect(weak.body.hints.map((h: { code: string }) => h.code)).toEqual([
      'too_few_key_results',
      'no_measurable_key_result',
      'binary_could_be_metric',
    ]);
    expect(weak.body.hints[2].keyResultId).toBe(weak.body.keyResults[0].id);
    expect(weak.body.position).toBe(1);

    // Mid-quarter: values and confidence.
    const week6 = await http
      .patch(`/api/v1/key-results/${answerTime.id}`)
      .set(bearer(coach))
      .send({ current: 8, confidence: 7 })
      .expect(200);
    expect(week6.body).toMatchObject({
      current: 8,
      confidence: 7,
      progress: share(12, 4, 8),
      band: 'yellow',
      objectiveScore: null,
      hints: [],
    });
    expect(share(12, 4, 8)).toBe(0.5);
    expect(week6.body.recordedAt).toEqual(expect.any(String));
    await http
      .patch(`/api/v1/key-results/${satisfaction.id}`)
      .set(bearer(coach))
      .send({ current: 70, confidence: 5 })
      .expect(200)
      .expect((res) => expect(res.body.progress).toBe(round4(share(62, 75, 70))));
    await http
      .patch(`/api/v1/key-results/${templates.id}`)
      .set(bearer(coach))
      .send({ done: true, confidence: 9 })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ progress: 1, band: 'green', done: true }));

    const midway = await http.get(`/api/v1/objectives/${objective.id}`).set(bearer(coach)).expect(200);
    const expectedProgress = round4(mean([share(12, 4, 8), round4(share(62, 75, 70)), 1]));
    expect(midway.body.progress).toBe(expectedProgress);
    expect(midway.body.band).toBe(expectedProgress >= 0.7 ? 'green' : 'yellow');

    // The answer time overshoots its target: progress caps at 1.
    await http
      .patch(`/api/v1/key-results/${answerTime.id}`)
      .set(bearer(coach))
      .send({ current: 3, confidence: 10 })
      .expect(200)
      .expect((res) => expect(res.body.progress).toBe(1));

    // End of quarter: final scores, and the objective's mean.
    const s1 = await http
      .post(`/api/v1/key-results/${answerTime.id}/score`)
      .set(bearer(coach))
      .send({ score: 1 })
      .expect(200);
    expect(s1.body).toMatchObject({ finalScore: 1, band: 'green', objectiveScore: 1 });
    const s2 = await http
      .post(`/api/v1/key-results/${satisfaction.id}/score`)
      .set(bearer(coach))
      .send({ score: 0.6 })
      .expect(200);
    expect(s2.body).toMatchObject({ finalScore: 0.6, band: 'yellow', objectiveScore: mean([1, 0.6]) });
    const s3 = await http
      .post(`/api/v1/key-results/${templates.id}/score`)
      .set(bearer(coach))
      .send({ score: 1 })
      .expect(200);
    expect(s3.body.objectiveScore).toBe(round4(mean([1, 0.6, 1])));

    // The quarter closes: OKRs are frozen, scores may still be recorded.
    await http.post(`/api/v1/pilots/${pilotId}/advance`).set(bearer(coach)).expect(200);
    const frozen = await http
      .patch(`/api/v1/key-results/${answerTime.id}`)
      .set(bearer(coach))
      .send({ confidence: 3 })
      .expect(409);
    expect(frozen.body.detail).toMatch(/closed/);
    await http
      .post(`/api/v1/quarters/${q1}/objectives`)
      .set(bearer(coach))
      .send({ title: 'Late' })
      .expect(409);
    await http.delete(`/api/v1/objectives/${objective.id}`).set(bearer(coach)).expect(409);
    const rescored = await http
      .post(`/api/v1/key-results/${satisfaction.id}/score`)
      .set(bearer(coach))
      .send({ score: 0.7 })
      .expect(200);
    expect(rescored.body.objectiveScore).toBe(round4(mean([1, 0.7, 1])));

    const list = await http.get(`/api/v1/quarters/${q1}/objectives`).set(bearer(coach)).expect(200);
    expect(list.body).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(list.body.items[0]).toMatchObject({ id: objective.id, finalScore: 0.9, band: 'green' });
    expect(list.body.items[0].keyResults.map((kr: { finalScore: number }) => kr.finalScore)).toEqual([
      1, 0.7, 1,
    ]);
    // The weak objective was never scored.
    expect(list.body.items[1]).toMatchObject({ finalScore: null, progress: 0, band: 'red' });

    const audit = await http
      .get('/api/v1/audit-log')
      .query({ entityType: 'key_result', entityId: satisfaction.id })
      .set(bearer(owner.token))
      .expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'key_result.scored',
      'key_result.scored',
      'key_result.updated',
    ]);
  });

  it('refuses bad input with the field named, and stores nothing', async () => {
    const { http } = api;
    const q2 = quarters[1].id;
    const objective = (
      await http
        .post(`/api/v1/quarters/${q2}/objectives`)
        .set(bearer(coach))
        .send({
          title: 'Volunteers stay',
          keyResults: [
            { title: 'Retention from 70% to 85%', measure: 'metric', start: 70, target: 85, unit: '%' },
            { title: 'Exit interviews in place', measure: 'milestone' },
          ],
        })
        .expect(201)
    ).body;
    const metric = objective.keyResults[0];
    const before = await counts();
    const stored = async () =>
      (await http.get(`/api/v1/objectives/${objective.id}`).set(bearer(coach)).expect(200)).body;
    const snapshot = await stored();

    const fields = async (req: Promise<{ status: number; body: { errors?: { field: string }[] } }>) => {
      const res = await req;
      expect(res.status).toBe(422);
      return res.body.errors!.map((e) => e.field);
    };

    // A target equal to the start.
    const equal = await http
      .post(`/api/v1/objectives/${objective.id}/key-results`)
      .set(bearer(coach))
      .send({ title: 'Flat', measure: 'metric', start: 5, target: 5 });
    expect(equal.status).toBe(422);
    expect(equal.body.errors).toEqual([{ field: 'target', reason: 'must differ from start' }]);
    expect(
      await fields(http.patch(`/api/v1/key-results/${metric.id}`).set(bearer(coach)).send({ target: 70 })),
    ).toEqual(['target']);
    expect(
      await fields(
        http
          .post(`/api/v1/quarters/${q2}/objectives`)
          .set(bearer(coach))
          .send({
            title: 'Another',
            keyResults: [
              { title: 'Fine', measure: 'binary' },
              { title: 'Flat', measure: 'metric', start: 1, target: 1 },
            ],
          }),
      ),
    ).toEqual(['keyResults[1].target']);
    // A score of 1.3.
    expect(
      await fields(
        http.post(`/api/v1/key-results/${metric.id}/score`).set(bearer(coach)).send({ score: 1.3 }),
      ),
    ).toEqual(['score']);
    // A negative confidence.
    expect(
      await fields(
        http.patch(`/api/v1/key-results/${metric.id}`).set(bearer(coach)).send({ confidence: -1 }),
      ),
    ).toEqual(['confidence']);
    // A milestone with a target value.
    expect(
      await fields(
        http
          .post(`/api/v1/objectives/${objective.id}/key-results`)
          .set(bearer(coach))
          .send({ title: 'Handbook', measure: 'milestone', target: 1 }),
      ),
    ).toEqual(['target']);
    expect(
      await fields(
        http
          .patch(`/api/v1/key-results/${objective.keyResults[1].id}`)
          .set(bearer(coach))
          .send({ target: 3 }),
      ),
    ).toEqual(['target']);
    // An owner from outside the pilot, a missing title, a title too long, an unknown field.
    expect(
      await fields(
        http
          .post(`/api/v1/objectives/${objective.id}/key-results`)
          .set(bearer(coach))
          .send({ title: 'Owned', measure: 'binary', ownerId: outsider }),
      ),
    ).toEqual(['ownerId']);
    expect(
      await fields(http.post(`/api/v1/quarters/${q2}/objectives`).set(bearer(coach)).send({ title: '  ' })),
    ).toEqual(['title']);
    expect(
      await fields(
        http
          .post(`/api/v1/quarters/${q2}/objectives`)
          .set(bearer(coach))
          .send({ title: 'x'.repeat(301) }),
      ),
    ).toEqual(['title']);
    expect(
      await fields(
        http.patch(`/api/v1/objectives/${objective.id}`).set(bearer(coach)).send({ level: 'board' }),
      ),
    ).toEqual(['level']);
    expect(
      await fields(
        http.post(`/api/v1/quarters/${q2}/objectives`).set(bearer(coach)).send({ title: 'Volunteers stay' }),
      ),
    ).toEqual(['title']);

    expect(await counts()).toEqual(before);
    expect(await stored()).toEqual(snapshot);
  });

  it('imports OKRs from CSV atomically, and the same file twice changes nothing', async () => {
    const { http } = api;
    const q2 = quarters[1].id;
    const importCsv = (csv: string) =>
      http
        .post(`/api/v1/quarters/${q2}/objectives/import`)
        .set(bearer(coach))
        .set('Content-Type', 'text/csv')
        .send(Buffer.from(csv, 'utf8'));
    const header = 'objective,key_result,kind,measure,start,target,unit,owner_email';
    const good = [
      header,
      'Palvelu sujuu,Käsittelyaika 30 → 10 päivää,committed,metric,30,10,päivää,aino.virtanen@kela.example',
      'Palvelu sujuu,Asiakastyytyväisyys 3.5 → 4.2,aspirational,metric,3.5,4.2,,BJORN.SODERSTROM@kela.example',
      'Palvelu sujuu,Uusi ohje julkaistu,committed,milestone,,,,',
      'Volunteers stay,Buddy programme running,,binary,,,,',
      'Osaaminen kasvaa,,,,,,,',
    ].join('\r\n');

    const before = await counts();
    const bad = await importCsv(
      [
        header,
        'Palvelu sujuu,Käsittelyaika 30 → 10 päivää,committed,metric,30,10,päivää,aino.virtanen@kela.example',
        'Palvelu sujuu,Flat,committed,metric,7,7,,',
        'Palvelu sujuu,Stranger,committed,binary,,,,outsider@kela.example',
        'Palvelu sujuu,Milestone with target,committed,milestone,,5,,',
        'Palvelu sujuu,Odd kind,stretch,binary,,,,',
      ].join('\n'),
    ).expect(422);
    expect(bad.body.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`)).toEqual([
      '3:target',
      '5:target',
      '6:kind',
    ]);
    // The owner check runs once the file itself is sound.
    const stranger = await importCsv(
      [header, 'Palvelu sujuu,Stranger,committed,binary,,,,outsider@kela.example'].join('\n'),
    ).expect(422);
    expect(stranger.body.errors).toEqual([expect.objectContaining({ line: 2, field: 'owner_email' })]);
    expect(await counts()).toEqual(before);

    const first = await importCsv(good).expect(200);
    expect(first.body).toEqual({
      rows: 5,
      objectivesCreated: 2,
      objectivesUnchanged: 1,
      keyResultsCreated: 4,
      keyResultsUpdated: 0,
      keyResultsUnchanged: 0,
    });
    const after = await counts();
    expect(after).toEqual({ objectives: before.objectives + 2, keyResults: before.keyResults + 4 });
    const list = async () =>
      (await http.get(`/api/v1/quarters/${q2}/objectives`).set(bearer(coach)).expect(200)).body.items;
    const imported = await list();
    const palvelu = imported.find((o: { title: string }) => o.title === 'Palvelu sujuu');
    expect(palvelu.keyResults).toEqual([
      expect.objectContaining({
        title: 'Käsittelyaika 30 → 10 päivää',
        start: 30,
        target: 10,
        unit: 'päivää',
        ownerId: people.aino,
      }),
      expect.objectContaining({ kind: 'aspirational', start: 3.5, target: 4.2, ownerId: people.bjorn }),
      expect.objectContaining({ measure: 'milestone', start: null, target: null }),
    ]);
    expect(palvelu.hints).toEqual([]);

    const again = await importCsv(good).expect(200);
    expect(again.body).toEqual({
      rows: 5,
      objectivesCreated: 0,
      objectivesUnchanged: 3,
      keyResultsCreated: 0,
      keyResultsUpdated: 0,
      keyResultsUnchanged: 4,
    });
    expect(await counts()).toEqual(after);
    expect(await list()).toEqual(imported);

    // A changed target updates that key result only; a semicolon file with a decimal comma reads the same.
    const changed = await importCsv(
      [
        header.replaceAll(',', ';'),
        'Palvelu sujuu;Asiakastyytyväisyys 3.5 → 4.2;aspirational;metric;3,5;4,5;;bjorn.soderstrom@kela.example',
      ].join('\n'),
    ).expect(200);
    expect(changed.body).toMatchObject({ keyResultsUpdated: 1, keyResultsCreated: 0, objectivesCreated: 0 });
    expect(await counts()).toEqual(after);

    // The same OKRs kept in a workbook (numbers as numbers, owners as mail links) are what is stored.
    const book = new Workbook();
    const sheet = book.addWorksheet('Tavoitteet');
    sheet.addRow(header.split(','));
    const owner = (email: string) => ({ text: email, hyperlink: `mailto:${email}` });
    sheet.addRow([
      'Palvelu sujuu',
      'Käsittelyaika 30 → 10 päivää',
      'committed',
      'metric',
      30,
      10,
      'päivää',
      owner('aino.virtanen@kela.example'),
    ]);
    sheet.addRow([
      'Palvelu sujuu',
      'Asiakastyytyväisyys 3.5 → 4.2',
      'aspirational',
      'metric',
      3.5,
      4.5,
      null,
      owner('bjorn.soderstrom@kela.example'),
    ]);
    sheet.addRow(['Palvelu sujuu', 'Uusi ohje julkaistu', 'committed', 'milestone']);
    sheet.addRow(['Volunteers stay', 'Buddy programme running', null, 'binary']);
    sheet.addRow(['Osaaminen kasvaa']);
    const fromWorkbook = await http
      .post(`/api/v1/quarters/${q2}/objectives/import`)
      .set(bearer(coach))
      .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(Buffer.from(await book.xlsx.writeBuffer()))
      .expect(200);
    expect(fromWorkbook.body).toEqual({
      rows: 5,
      objectivesCreated: 0,
      objectivesUnchanged: 3,
      keyResultsCreated: 0,
      keyResultsUpdated: 0,
      keyResultsUnchanged: 4,
      readAs: {
        format: 'xlsx',
        sheet: 'Tavoitteet',
        note: 'Read the first sheet of the workbook, "Tavoitteet".',
      },
    });
    expect(await counts()).toEqual(after);
  });

  it('shows another workspace nothing, and lets a sponsor read but not write', async () => {
    const { http } = api;
    const q2 = quarters[1].id;
    const [objective] = (await http.get(`/api/v1/quarters/${q2}/objectives`).set(bearer(coach)).expect(200))
      .body.items;
    const kr = objective.keyResults[0];

    const other = await signUp(http);
    await http.get(`/api/v1/quarters/${q2}/objectives`).set(bearer(other.token)).expect(404);
    await http.get(`/api/v1/objectives/${objective.id}`).set(bearer(other.token)).expect(404);
    await http.get(`/api/v1/key-results/${kr.id}`).set(bearer(other.token)).expect(404);
    await http
      .patch(`/api/v1/key-results/${kr.id}`)
      .set(bearer(other.token))
      .send({ confidence: 1 })
      .expect(404);
    await http
      .post(`/api/v1/key-results/${kr.id}/score`)
      .set(bearer(other.token))
      .send({ score: 0.1 })
      .expect(404);
    await http.delete(`/api/v1/objectives/${objective.id}`).set(bearer(other.token)).expect(404);

    const read = await http.get(`/api/v1/quarters/${q2}/objectives`).set(bearer(sponsor)).expect(200);
    expect(read.body.total).toBeGreaterThan(0);
    await http.get(`/api/v1/objectives/${objective.id}`).set(bearer(sponsor)).expect(200);
    await http.get(`/api/v1/key-results/${kr.id}`).set(bearer(sponsor)).expect(200);
    await http
      .post(`/api/v1/quarters/${q2}/objectives`)
      .set(bearer(sponsor))
      .send({ title: 'Sponsor goal' })
      .expect(403);
    await http.patch(`/api/v1/key-results/${kr.id}`).set(bearer(sponsor)).send({ confidence: 1 }).expect(403);
    await http
      .post(`/api/v1/key-results/${kr.id}/score`)
      .set(bearer(sponsor))
      .send({ score: 0.1 })
      .expect(403);
    await http.delete(`/api/v1/objectives/${objective.id}`).set(bearer(sponsor)).expect(403);

    // A sponsor of another organization sees none of it.
    const elsewhere = await createOrganization(http, coach);
    const stranger = (await addMember(http, owner, 'sponsor', [elsewhere.id])).token;
    await http.get(`/api/v1/objectives/${objective.id}`).set(bearer(stranger)).expect(404);
    await http.get(`/api/v1/key-results/${kr.id}`).set(bearer(stranger)).expect(404);
    await http.get(`/api/v1/quarters/${q2}/objectives`).set(bearer(stranger)).expect(404);

    const unchanged = await http.get(`/api/v1/key-results/${kr.id}`).set(bearer(coach)).expect(200);
    expect(unchanged.body).toMatchObject({ confidence: kr.confidence, finalScore: null });
  });

  it('keeps the key results of an erased participant, without an owner', async () => {
    const { http } = api;
    const q2 = quarters[1].id;
    const created = await http
      .post(`/api/v1/quarters/${q2}/objectives`)
      .set(bearer(coach))
      .send({
        title: 'Owned by someone who leaves',
        ownerId: people.aino,
        keyResults: [{ title: 'Owned', measure: 'binary', ownerId: people.aino }],
      })
      .expect(201);
    await http.delete(`/api/v1/participants/${people.aino}`).set(bearer(coach)).expect(204);
    const after = await http.get(`/api/v1/objectives/${created.body.id}`).set(bearer(coach)).expect(200);
    expect(after.body.ownerId).toBeNull();
    expect(after.body.keyResults[0].ownerId).toBeNull();
  });
});

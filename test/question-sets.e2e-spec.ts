import { startApi, TestApi } from './support/api';
import { addMember, bearer, createOrganization, signUp, Workspace } from './support/fixtures';

const BUILTIN = 'builtin:end-of-quarter';

type Question = {
  key: string;
  type: string;
  section: string;
  text: Record<string, string>;
  required: boolean;
  options?: { key: string; text: Record<string, string> }[];
  adkar?: string;
};

describe('question sets', () => {
  let api: TestApi;
  let a: Workspace;
  let b: Workspace;
  let sponsorToken: string;
  let coachToken: string;
  let copyId: string;

  beforeAll(async () => {
    api = await startApi();
    a = await signUp(api.http, 'Question Workspace A');
    b = await signUp(api.http, 'Question Workspace B');
    const organization = await createOrganization(api.http, a.token);
    sponsorToken = (await addMember(api.http, a, 'sponsor', [organization.id])).token;
    coachToken = (await addMember(api.http, a, 'coach')).token;
  });
  afterAll(() => api.close());

  it('lists the built-in set first, in Finnish, Swedish and English', async () => {
    const res = await api.http.get('/api/v1/question-sets').set(bearer(a.token)).expect(200);
    expect(res.body).toHaveLength(1);
    const [builtIn] = res.body;
    expect(builtIn).toMatchObject({ id: BUILTIN, builtIn: true, name: expect.any(String), basedOn: null });
    expect(builtIn.questions.length).toBeGreaterThanOrEqual(15);
    for (const question of builtIn.questions as Question[]) {
      for (const locale of ['fi', 'sv', 'en']) expect(question.text[locale]).toMatch(/\S/);
      for (const option of question.options ?? [])
        for (const locale of ['fi', 'sv', 'en']) expect(option.text[locale]).toMatch(/\S/);
    }
    expect(builtIn.questions[0]).toMatchObject({ type: 'likert5', required: true });
    const one = await api.http.get(`/api/v1/question-sets/${BUILTIN}`).set(bearer(a.token)).expect(200);
    expect(one.body).toEqual(builtIn);
  });

  it('copies the built-in set into an editable set of the workspace', async () => {
    const builtIn = (await api.http.get(`/api/v1/question-sets/${BUILTIN}`).set(bearer(a.token))).body;
    const created = await api.http
      .post('/api/v1/question-sets')
      .set(bearer(a.token))
      .send({ name: '  Hallitus, Q1  ', copyOf: BUILTIN })
      .expect(201);
    copyId = created.body.id;
    expect(copyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body).toMatchObject({
      builtIn: false,
      name: 'Hallitus, Q1',
      description: '',
      basedOn: BUILTIN,
      questions: builtIn.questions,
    });

    // Shorter: no free text, and the first statement reworded.
    const questions: Question[] = builtIn.questions.filter((q: Question) => q.type !== 'free_text');
    questions[0] = { ...questions[0], text: { ...questions[0].text, en: 'Our OKRs guided the board.' } };
    const updated = await api.http
      .put(`/api/v1/question-sets/${copyId}`)
      .set(bearer(coachToken))
      .send({ name: 'Board, Q1', description: 'For the board pilot', questions })
      .expect(200);
    expect(updated.body).toMatchObject({ id: copyId, name: 'Board, Q1', description: 'For the board pilot' });
    expect(updated.body.questions).toEqual(questions);

    const list = await api.http.get('/api/v1/question-sets').set(bearer(a.token)).expect(200);
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([BUILTIN, copyId]);
    // The built-in set is as it was.
    const again = await api.http.get(`/api/v1/question-sets/${BUILTIN}`).set(bearer(a.token)).expect(200);
    expect(again.body).toEqual(builtIn);
  });

  it('refuses an invalid edit with every field named, and changes nothing', async () => {
    const before = (await api.http.get(`/api/v1/question-sets/${copyId}`).set(bearer(a.token))).body;
    const text = { fi: 'Väite', sv: 'Påstående', en: 'Statement' };
    const res = await api.http
      .put(`/api/v1/question-sets/${copyId}`)
      .set(bearer(a.token))
      .send({
        name: 'Broken',
        questions: [
          { key: 'ok', type: 'likert5', section: 'process', text, required: true },
          {
            key: 'no_sv',
            type: 'likert5',
            section: 'process',
            text: { fi: 'Väite', en: 'Statement' },
            required: false,
          },
          { key: 'pick', type: 'single_choice', section: 'choice', text, required: false },
          { key: 'adkar_x', type: 'likert5', section: 'adkar', text, required: false },
          { key: 'rank', type: 'ranking', section: 'process', text, required: false },
        ],
      })
      .expect(422)
      .expect('Content-Type', /application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'questions[1].text.sv',
      'questions[2].options',
      'questions[3].adkar',
      'questions[4].type',
    ]);
    const after = await api.http.get(`/api/v1/question-sets/${copyId}`).set(bearer(a.token)).expect(200);
    expect(after.body).toEqual(before);
  });

  it('needs questions or a set to copy, and checks the body', async () => {
    const res = await api.http
      .post('/api/v1/question-sets')
      .set(bearer(a.token))
      .send({ name: 'Empty' })
      .expect(422);
    expect(res.body.errors).toEqual([{ field: 'questions', reason: expect.any(String) }]);
    const bad = await api.http
      .post('/api/v1/question-sets')
      .set(bearer(a.token))
      .send({ name: '', questions: 'all of them', colour: 'red' })
      .expect(422);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(
      new Set(['colour', 'name', 'questions']),
    );
    await api.http
      .post('/api/v1/question-sets')
      .set(bearer(a.token))
      .send({ name: 'Empty', questions: [] })
      .expect(422)
      .expect((r) =>
        expect(r.body.errors).toEqual([{ field: 'questions', reason: 'at least one question' }]),
      );
    const list = await api.http.get('/api/v1/question-sets').set(bearer(a.token)).expect(200);
    expect(list.body).toHaveLength(2);
  });

  it('keeps the built-in set read-only', async () => {
    const put = await api.http
      .put(`/api/v1/question-sets/${BUILTIN}`)
      .set(bearer(a.token))
      .send({ name: 'Mine now' })
      .expect(409);
    expect(put.body.detail).toMatch(/read-only; copy it/);
    await api.http.delete(`/api/v1/question-sets/${BUILTIN}`).set(bearer(a.token)).expect(409);
    const builtIn = await api.http.get(`/api/v1/question-sets/${BUILTIN}`).set(bearer(a.token)).expect(200);
    expect(builtIn.body.name).not.toBe('Mine now');
  });

  it('answers 404 for ids that are neither a uuid nor the built-in ref', async () => {
    for (const id of ['builtin:other', 'end-of-quarter', '42', '00000000-0000-0000-0000-000000000000'])
      await api.http.get(`/api/v1/question-sets/${id}`).set(bearer(a.token)).expect(404);
    await api.http
      .post('/api/v1/question-sets')
      .set(bearer(a.token))
      .send({ name: 'Copy', copyOf: 'builtin:other' })
      .expect(404);
  });

  it("hides a workspace's sets from another workspace", async () => {
    await api.http.get(`/api/v1/question-sets/${copyId}`).set(bearer(b.token)).expect(404);
    await api.http
      .put(`/api/v1/question-sets/${copyId}`)
      .set(bearer(b.token))
      .send({ name: 'Taken' })
      .expect(404);
    await api.http.delete(`/api/v1/question-sets/${copyId}`).set(bearer(b.token)).expect(404);
    await api.http
      .post('/api/v1/question-sets')
      .set(bearer(b.token))
      .send({ name: 'Copy of theirs', copyOf: copyId })
      .expect(404);
    const list = await api.http.get('/api/v1/question-sets').set(bearer(b.token)).expect(200);
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([BUILTIN]);
    expect(JSON.stringify(list.body)).not.toContain('Board, Q1');
    // B can copy the built-in set for itself.
    await api.http
      .post('/api/v1/question-sets')
      .set(bearer(b.token))
      .send({ name: 'B set', copyOf: BUILTIN })
      .expect(201);
    const mine = await api.http.get(`/api/v1/question-sets/${copyId}`).set(bearer(a.token)).expect(200);
    expect(mine.body.name).toBe('Board, Q1');
  });

  it('is for owners and coaches: a sponsor gets 403', async () => {
    await api.http.get('/api/v1/question-sets').set(bearer(sponsorToken)).expect(403);
    await api.http.get(`/api/v1/question-sets/${copyId}`).set(bearer(sponsorToken)).expect(403);
    await api.http
      .post('/api/v1/question-sets')
      .set(bearer(sponsorToken))
      .send({ name: 'Sponsor set', copyOf: BUILTIN })
      .expect(403);
    await api.http
      .put(`/api/v1/question-sets/${copyId}`)
      .set(bearer(sponsorToken))
      .send({ name: 'Sponsored' })
      .expect(403);
    await api.http.delete(`/api/v1/question-sets/${copyId}`).set(bearer(sponsorToken)).expect(403);
  });

  it('deletes a set and records the changes in the audit log', async () => {
    await api.http.delete(`/api/v1/question-sets/${copyId}`).set(bearer(coachToken)).expect(204);
    await api.http.get(`/api/v1/question-sets/${copyId}`).set(bearer(a.token)).expect(404);
    const audit = await api.http
      .get('/api/v1/audit-log')
      .query({ entityType: 'question_set', entityId: copyId })
      .set(bearer(a.token))
      .expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'question_set.deleted',
      'question_set.updated',
      'question_set.created',
    ]);
  });
});

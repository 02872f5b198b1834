import type { Response } from 'supertest';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  invitationToken,
  signUp,
  Workspace,
} from './support/fixtures';
import { fillPath } from './support/openapi-walk';
import { Doc, Field, fieldsOf, MEGABYTE, Schema, variantsFor, withValue } from './support/input-variants';
import { learningContent, readinessContent } from './support/report-content';

type Op = { method: string; path: string; requestBody?: { content: Record<string, { schema: Schema }> } };
type Param = { name: string; in: string; schema?: Schema };

/** Tables whose rows a request may touch without changing anything: a token's last use. */
const VOLATILE = ['credential_token', 'typeorm_migrations'];

/**
 * Odd input on every route of the OpenAPI document: NUL bytes, nulls, white space only, wrong types,
 * arrays for objects and objects for arrays, a 1 MB text, in every body field and query parameter and
 * path parameter. No answer is a 5xx; every refusal is problem+json naming the field; a refused request
 * changes no row of any table; and nothing stored is blank.
 */
/** The bounce endpoint's own bearer token (it takes no member's). */
const INBOUND_TOKEN = 'input-edges-inbound-token-0123456789';
/** The operator's token, for the operator's own routes. */
const OPERATOR_TOKEN = 'input-edges-operator-token-0123456789';

describe('input edges: odd input is refused by name and changes nothing', () => {
  let api: TestApi;
  let a: Workspace;
  let doc: Doc & { paths: Record<string, Record<string, Op & { parameters?: Param[] }>> };
  const ids: Record<string, string> = {};
  let fingerprintSql = '';
  const failures: string[] = [];
  const tally = { requests: 0, refused: 0, accepted: [] as string[], routes: new Set<string>(), fields: 0 };

  beforeAll(async () => {
    api = await startApi({ env: { INBOUND_TOKEN, OPERATOR_TOKEN } });
    a = await signUp(api.http, 'Edges');
    const organization = await createOrganization(api.http, a.token, { name: 'Edge Org' });
    const rollout = await createRollout(api.http, a.token, organization.id);
    const pilot = await createPilot(api.http, a.token, rollout.id, { name: 'Edge Pilot', levels: ['staff'] });
    const participant = await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants`)
      .set(bearer(a.token))
      .send({ email: 'edge.person@a.example', name: 'Edge Person', level: 'staff' })
      .expect(201);
    const started = await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(bearer(a.token)).expect(200);
    const quarter = started.body.currentQuarter.id;
    const retrospective = await api.http
      .post(`/api/v1/quarters/${quarter}/retrospectives`)
      .set(bearer(a.token))
      .send({ anonymity: 'named' })
      .expect(201);
    const invited = await api.http
      .post('/api/v1/members')
      .set(bearer(a.token))
      .send({ email: 'edge.coach@a.example', name: 'Edge Coach', role: 'coach' })
      .expect(201);
    const questionSet = await api.http
      .post('/api/v1/question-sets')
      .set(bearer(a.token))
      .send({ name: 'Edge Set', copyOf: 'builtin:end-of-quarter' })
      .expect(201);
    const objective = await api.http
      .post(`/api/v1/quarters/${quarter}/objectives`)
      .set(bearer(a.token))
      .send({
        title: 'Edge Objective',
        keyResults: [{ title: 'Edge KR', measure: 'metric', start: 1, target: 9 }],
      })
      .expect(201);
    const beat = await api.http.post('/api/v1/heartbeats').set(bearer(a.token)).expect(202);
    const webhook = await api.http
      .post('/api/v1/webhooks')
      .set(bearer(a.token))
      .send({ url: 'https://hooks.a.example/edge', events: ['report.ready'] })
      .expect(201);
    const note = await api.http
      .post(`/api/v1/quarters/${quarter}/learning-notes`)
      .set(bearer(a.token))
      .send({ body: 'Edge note' })
      .expect(201);
    const [learning] = await api.db.query(
      `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, progress, content, requested_at, built_at)
       VALUES ($1, $2, $3, $4, 'ready', 100, $5, now(), now()) RETURNING id`,
      [
        a.id,
        organization.id,
        pilot.id,
        quarter,
        learningContent(
          { organizationId: organization.id, rolloutId: rollout.id, pilotId: pilot.id, quarterId: quarter },
          { organization: 'Edge Org', pilot: 'Edge Pilot' },
        ),
      ],
    );
    const readinessBody = readinessContent(
      {
        organizationId: organization.id,
        rolloutId: rollout.id,
        learningReportId: learning.id,
        pilotId: pilot.id,
      },
      { organization: 'Edge Org' },
    );
    const [readiness] = await api.db.query(
      `INSERT INTO readiness_report (workspace_id, organization_id, rollout_id, status, progress, verdict, content, built_at)
       VALUES ($1, $2, $3, 'ready', 100, $4, $5, now()) RETURNING id`,
      [a.id, organization.id, rollout.id, readinessBody.verdict, readinessBody],
    );
    // A go on the report, so that the next wave's body is judged by its fields, not refused for want of one.
    await api.http
      .post(`/api/v1/readiness-reports/${readiness.id}/decision`)
      .set(bearer(a.token))
      .send({ decision: 'go', reason: 'Edge go' })
      .expect(201);
    const share = await api.http
      .post(`/api/v1/learning-reports/${learning.id}/shares`)
      .set(bearer(a.token))
      .send({ audience: 'coach' })
      .expect(201);
    Object.assign(ids, {
      member: invited.body.member.id,
      invitationToken: await invitationToken(api.http, invited.body.member.id),
      organization: organization.id,
      rollout: rollout.id,
      pilot: pilot.id,
      quarter,
      participant: participant.body.id,
      heartbeat: beat.body.key,
      questionSet: questionSet.body.id,
      objective: objective.body.id,
      keyResult: objective.body.keyResults[0].id,
      learningNote: note.body.id,
      reportShare: share.body.id,
      webhook: webhook.body.id,
      learningReport: learning.id,
      readinessReport: readiness.id,
      retrospective: retrospective.body.id,
    });
    doc = (await api.http.get('/docs-json').expect(200)).body;
    const tables: { name: string }[] = await api.db.query(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($1)) ORDER BY 1`,
      [VOLATILE],
    );
    fingerprintSql = tables
      .map(
        ({ name }) =>
          `SELECT '${name}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${name}" x`,
      )
      .join(' UNION ALL ');
    emptyBefore = (await blankAndEmpty()).empty;
  }, 60_000);
  afterAll(() => api.close());

  /**
   * Text columns holding white space alone, and empty texts per column, except in the optional columns
   * whose default is the empty text (an omitted or cleared description, unit or charter line).
   */
  async function blankAndEmpty(): Promise<{ blank: string[]; empty: string[] }> {
    const columns: { table_name: string; column_name: string; optional: boolean }[] = await api.db.query(
      `SELECT table_name, column_name, coalesce(column_default LIKE '''''::%', false) AS optional
         FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('text', 'character varying') ORDER BY 1, 2`,
    );
    const pattern = `'^[[:space:]\u1680\u180E\u200B-\u200D\u2060\uFEFF\u00A0\u3000]+$'`;
    const blank: string[] = [];
    const empty: string[] = [];
    for (const { table_name: t, column_name: c, optional } of columns) {
      const [row] = await api.db.query(
        `SELECT count(*) FILTER (WHERE "${c}" ~ ${pattern})::int AS blank,
                count(*) FILTER (WHERE "${c}" = '')::int AS empty FROM "${t}"`,
      );
      if (row.blank) blank.push(`${t}.${c}: ${row.blank}`);
      if (row.empty && !optional) empty.push(`${t}.${c}: ${row.empty}`);
    }
    return { blank, empty };
  }
  let emptyBefore: string[] = [];

  /** Every table's content, so that a refused request can be shown to have changed nothing. */
  const fingerprint = async () =>
    JSON.stringify(await api.db.query(`SELECT t, h FROM (${fingerprintSql}) f ORDER BY t`));

  /** A valid body per write route, so that each variant is wrong in exactly the field it pokes. */
  let n = 0;
  const bases = (): Record<string, unknown> => ({
    'POST /api/v1/workspaces': {
      workspaceName: `Edge ${++n}`,
      email: `edge.${n}@a.example`,
      name: 'Edge Two',
      password: 'correct horse battery staple',
    },
    'POST /api/v1/auth/login': { email: a.email, password: 'correct horse battery staple' },
    // Valid in shape, refused for what they name (no such link, a wrong password): nothing may change.
    'POST /api/v1/auth/confirmations': { token: `lcf_${'x'.repeat(43)}` },
    'POST /api/v1/auth/confirmations/resend': { email: 'nobody.edge@a.example', locale: 'fi' },
    'POST /api/v1/auth/password/forgot': { email: 'nobody.edge@a.example', locale: 'fi' },
    'POST /api/v1/auth/password/reset': { token: `lrs_${'x'.repeat(43)}`, password: 'correct horse battery' },
    'POST /api/v1/auth/password': {
      currentPassword: 'not the password',
      newPassword: 'correct horse battery',
    },
    'POST /api/v1/auth/invitations/accept': { token: ids.invitationToken, password: 'correct horse battery' },
    // No such sign-in waiting for a code, no second factor being set up or on: refused, nothing changes.
    'POST /api/v1/auth/login/second-factor': { challengeToken: `l2f_${'x'.repeat(43)}`, code: '123456' },
    'POST /api/v1/auth/second-factor/enrolment/confirm': { code: '123456' },
    'POST /api/v1/auth/second-factor/disable': { code: '123456' },
    'POST /api/v1/members': { email: `edge.new${++n}@a.example`, name: 'New', role: 'coach' },
    'PATCH /api/v1/members/{id}': { name: 'Renamed' },
    'PUT /api/v1/members/{id}/organizations': { organizationIds: [] },
    'POST /api/v1/organizations': { name: `Org ${++n}`, sector: 'company', headcount: 10 },
    'PATCH /api/v1/organizations/{id}': { name: 'Edge Org' },
    'POST /api/v1/rollouts': {
      organizationId: ids.organization,
      goal: 'G',
      targetHeadcount: 10,
      plannedWaves: 1,
    },
    'PATCH /api/v1/rollouts/{id}': { goal: 'Goal' },
    'POST /api/v1/rollouts/{id}/pilots': {
      name: `P ${++n}`,
      waveNumber: 1,
      levels: ['staff'],
      startQuarter: '2027-Q1',
    },
    'PATCH /api/v1/pilots/{id}': { name: 'Edge Pilot', charter: { scope: 'S' } },
    'POST /api/v1/pilots/{id}/extend': { quarters: 1 },
    'POST /api/v1/pilots/{id}/participants': { email: `x${++n}@a.example`, name: 'X', level: 'staff' },
    'PATCH /api/v1/participants/{id}': { name: 'Edge Person' },
    'PUT /api/v1/rollouts/{id}/cadence': {
      steps: [
        {
          key: 'kickoff',
          kind: 'prompt',
          anchor: 'start',
          offsetDays: 0,
          sendTime: '09:00',
          template: 'prompt-kickoff',
          audience: 'participants',
        },
      ],
      quietHours: { start: '20:00', end: '07:00' },
    },
    'PUT /api/v1/pilots/{id}/cadence': {
      steps: [
        {
          key: 'retrospective-open',
          kind: 'retrospective_open',
          anchor: 'end',
          offsetDays: -14,
          sendTime: '09:00',
          template: 'retrospective-invitation',
          audience: 'participants',
          retrospective: { questionSetId: 'builtin:end-of-quarter', anonymity: 'named', minGroupSize: 5 },
        },
      ],
    },
    'POST /api/v1/quarters/{id}/deliveries/retry': { ids: [] },
    'PUT /api/v1/templates/{name}/{locale}': { subject: 'Hei', body: '<p>Hei</p>' },
    'POST /api/v1/templates/preview': { name: 'prompt-kickoff', locale: 'fi' },
    'POST /api/v1/question-sets': { name: `Set ${++n}`, questions: [question] },
    'PUT /api/v1/question-sets/{id}': { name: 'Edge Set', questions: [question] },
    'POST /api/v1/quarters/{id}/retrospectives': { anonymity: 'anonymous' },
    'POST /api/v1/retrospectives/{id}/remind': { participantIds: [ids.participant] },
    'POST /api/v1/quarters/{id}/objectives': {
      title: `Objective ${++n}`,
      keyResults: [{ title: 'KR', measure: 'binary' }],
    },
    'PATCH /api/v1/objectives/{id}': { title: 'Edge Objective' },
    'POST /api/v1/objectives/{id}/key-results': { title: `KR ${++n}`, measure: 'binary' },
    'PATCH /api/v1/key-results/{id}': { current: 5 },
    'POST /api/v1/key-results/{id}/score': { score: 0.5 },
    'POST /api/v1/quarters/{id}/carry-over': { decisions: [{ objectiveId: ids.objective, action: 'keep' }] },
    'POST /api/v1/learning-reports/{id}/shares': { audience: 'coach' },
    'POST /api/v1/readiness-reports/{id}/shares': { audience: 'coach' },
    'POST /api/v1/quarters/{id}/learning-notes': { body: 'Note' },
    'PATCH /api/v1/learning-notes/{id}': { forNextWave: true },
    'POST /api/v1/readiness-reports/{id}/next-wave': {
      pilots: [{ name: 'Edge wave', size: 5, levels: ['staff'], startQuarter: '2027-Q3', coachId: null }],
    },
    'PUT /api/v1/rollouts/{id}/readiness-thresholds': { participationMin: 0.6 },
    'POST /api/v1/readiness-reports/{id}/decision': { decision: 'go', reason: 'Because' },
    'POST /api/v1/webhooks': { url: 'https://hooks.a.example/x', events: ['report.ready'] },
    'POST /api/v1/webhooks/{id}/rotate-secret': { overlapHours: 1 },
    // Accepted and ignored (no such mail): each poke at a field is the only fault.
    'POST /api/v1/inbound/bounces': { mail: 'not a reference', status: '5.1.1' },
    'PUT /api/v1/operator/send-quota': { workspaceId: a.id, daily: 1000 },
  });

  const text = (words: string) => ({ fi: words, sv: words, en: words });
  /** A valid single-choice question, so that each poke at one of its fields is the only fault. */
  const question = {
    key: 'pick',
    type: 'single_choice',
    section: 'choice',
    text: text('Pick one'),
    required: true,
    options: [
      { key: 'a', text: text('A') },
      { key: 'b', text: text('B') },
    ],
  };

  const url = (path: string) => fillPath(path, ids as never, 'csv');

  function call(method: string, target: string) {
    // The bounce endpoint is a mail server's, with its own token; the send quota the operator's.
    const token =
      target === '/api/v1/inbound/bounces'
        ? INBOUND_TOKEN
        : target === '/api/v1/operator/send-quota'
          ? OPERATOR_TOKEN
          : a.token;
    return api.http[method.toLowerCase() as 'get'](target).set(bearer(token));
  }

  /** Checks one answer: never 5xx, a refusal is problem+json naming `field`, and a refusal changed nothing. */
  async function judge(
    key: string,
    label: string,
    field: string,
    res: Response,
    mustRefuse: boolean,
    before: string,
  ): Promise<string> {
    tally.requests++;
    const what = `${key} ${field} ← ${label}: ${res.status}`;
    if (res.status >= 500) {
      failures.push(`${what} (5xx) ${res.text.slice(0, 200)}`);
      return fingerprint();
    }
    if (res.status < 400) {
      tally.accepted.push(`${key} ${field} ← ${label}`);
      if (mustRefuse) failures.push(`${what} (accepted)`);
      return fingerprint();
    }
    tally.refused++;
    if (!/application\/problem\+json/.test(res.headers['content-type'] ?? ''))
      failures.push(`${what} (not problem+json)`);
    const named = (res.body.errors ?? []).some(
      (issue: { field: string }) =>
        issue.field === field || issue.field.startsWith(`${field}.`) || issue.field.startsWith(`${field}[`),
    );
    if (!named)
      failures.push(`${what} (field not named: ${JSON.stringify(res.body.errors ?? res.body.detail)})`);
    const after = await fingerprint();
    if (after !== before) failures.push(`${what} (a refused request changed rows)`);
    return after;
  }

  it('walks every field of every JSON write route with odd values', async () => {
    const base = bases();
    let state = await fingerprint();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const schema = op.requestBody?.content['application/json']?.schema;
        if (!schema) continue;
        const key = `${method.toUpperCase()} ${path}`;
        expect({ key, base: key in base }).toEqual({ key, base: true });
        tally.routes.add(key);
        const fields: Field[] = fieldsOf(doc, schema);
        tally.fields += fields.length;
        for (const [index, field] of fields.entries()) {
          for (const variant of variantsFor(field, index)) {
            const body = withValue(bases()[key], field.path, variant.value);
            const res = await call(method, url(path)).send(body as object);
            state = await judge(key, variant.label, field.name, res, variant.mustRefuse, state);
          }
        }
        // The whole body of the wrong shape: an array, or a bare string.
        for (const body of [[base[key]], '"text"']) {
          const res = await call(method, url(path))
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          state = await judge(key, `body ${JSON.stringify(body).slice(0, 20)}`, 'body', res, true, state);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tally.routes.size).toBeGreaterThanOrEqual(35);
  }, 600_000);

  it('walks every query parameter and path parameter with odd values', async () => {
    let state = await fingerprint();
    const values: [string, string][] = [
      ['NUL', '%00'],
      ['NUL inside', 'a%00b'],
      ['space', '%20'],
      ['U+1680', '%E1%9A%80'],
      ['U+FEFF', '%EF%BB%BF'],
      ['U+200B', '%E2%80%8B'],
    ];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (key === 'POST /api/v1/auth/logout') continue; // revokes the token of the walk; it takes no input
        const parameters = op.parameters ?? [];
        for (const param of parameters.filter((p) => p.in === 'query')) {
          tally.routes.add(key);
          const numeric = ['number', 'integer'].includes(param.schema?.type ?? '');
          const odd = [...values, ...(numeric ? [['text', 'abc']] : []), ['two values', `x&${param.name}=y`]];
          for (const [label, raw] of odd) {
            const res = await call(method, `${url(path)}?${param.name}=${raw}`);
            state = await judge(key, label, param.name, res, label !== 'two values' || numeric, state);
          }
        }
        for (const param of parameters.filter((p) => p.in === 'path')) {
          for (const [label, raw] of values.slice(0, 4)) {
            const target = url(path.replace(`{${param.name}}`, raw));
            const res = await call(method, target);
            tally.requests++;
            // An id that names nothing is a 404 like any unknown id; other parameters are named.
            if (res.status >= 500 || res.status < 400)
              failures.push(`${key} ${param.name} ← ${label}: ${res.status}`);
            else if (!/problem\+json|text\/html/.test(res.headers['content-type'] ?? ''))
              failures.push(`${key} ${param.name} ← ${label}: not problem+json`);
            const after = await fingerprint();
            if (after !== state) failures.push(`${key} ${param.name} ← ${label}: changed rows`);
            state = after;
          }
        }
      }
    }
    // A query string of 1 MB never reaches the application (Node refuses a request line and headers
    // over 16 KB), yet the answer is problem+json naming the parameter, and nothing changes.
    const huge = await call('GET', `/api/v1/participants?search=${MEGABYTE}`);
    expect(huge.status).toBe(431);
    expect(huge.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.parse(huge.text)).toMatchObject({ status: 431, errors: [{ field: 'search' }] });
    expect(await fingerprint()).toBe(state);
    expect(failures).toEqual([]);
  }, 600_000);

  it("refuses the issue's own examples by name, and clears a nullable field with null", async () => {
    const problemOf = (res: Response) => ({ status: res.status, errors: res.body.errors });
    const nul = await call('POST', '/api/v1/organizations').send({
      name: 'a\u0000b',
      sector: 'company',
      headcount: 1,
    });
    expect(problemOf(nul)).toEqual({
      status: 422,
      errors: [{ field: 'name', reason: 'must not contain NUL bytes' }],
    });
    const search = await call('GET', '/api/v1/participants?search=%00');
    expect(problemOf(search)).toEqual({
      status: 422,
      errors: [{ field: 'search', reason: 'must not contain NUL bytes' }],
    });
    const pilot = `/api/v1/pilots/${ids.pilot}`;
    const before = (await call('GET', pilot).expect(200)).body;
    for (const [body, field] of [
      [{ levels: null }, 'levels'],
      [{ name: null }, 'name'],
      [{ name: '\u1680' }, 'name'],
      [{ name: '\uFEFF' }, 'name'],
      [{ charter: [] }, 'charter'],
    ] as const) {
      const res = await call('PATCH', pilot).send(body);
      expect({
        body,
        status: res.status,
        fields: res.body.errors?.map((e: { field: string }) => e.field),
      }).toEqual({
        body,
        status: 422,
        fields: [field],
      });
    }
    expect((await call('GET', pilot).expect(200)).body).toEqual(before);
    // A field the DTO marks nullable is cleared by null.
    const keyResult = `/api/v1/key-results/${ids.keyResult}`;
    await call('PATCH', keyResult).send({ confidence: 7 }).expect(200);
    await call('PATCH', keyResult).send({ confidence: null }).expect(200);
    expect((await call('GET', keyResult).expect(200)).body.confidence).toBeNull();
  });

  it('refuses odd CSV cells by line and column, and stores nothing blank anywhere', async () => {
    let state = await fingerprint();
    const csvs: [string, string][] = [
      ['NUL', 'email,name,level\nnul@a.example,A\u0000B,staff\n'],
      ['U+1680 name', 'email,name,level\nblank@a.example,\u1680,staff\n'],
      ['1 MB name', `email,name,level\nlong@a.example,${MEGABYTE},staff\n`],
    ];
    const key = 'POST /api/v1/pilots/{id}/participants/import';
    for (const [label, csv] of csvs) {
      const res = await call('POST', url('/api/v1/pilots/{id}/participants/import'))
        .set('Content-Type', 'text/csv')
        .send(csv);
      state = await judge(key, label, 'name', res, true, state);
    }
    const objectives = 'objective,key_result,measure\n\uFEFF\u200B,KR,binary\nA\u0000,KR,binary\n';
    const res = await call('POST', url('/api/v1/quarters/{id}/objectives/import'))
      .set('Content-Type', 'text/csv')
      .send(objectives);
    await judge(
      'POST /api/v1/quarters/{id}/objectives/import',
      'blank and NUL',
      'objective',
      res,
      true,
      state,
    );
    expect(failures).toEqual([]);

    // Nothing blank was stored by the whole walk: no text column holds white space alone, and no column
    // that must have text holds more empty texts than before it.
    const after = await blankAndEmpty();
    expect(after.blank).toEqual([]);
    expect(after.empty).toEqual(emptyBefore);
    // The walk really walked: its size, for the record.
    expect(tally.requests).toBeGreaterThan(500);
    process.stdout.write(
      `input edges: ${tally.requests} requests over ${tally.routes.size} routes and ${tally.fields} body fields; ` +
        `${tally.refused} refused, ${tally.accepted.length} accepted:\n  ${tally.accepted.join('\n  ')}\n`,
    );
  }, 120_000);
});

import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  signUp,
  Workspace,
} from './support/fixtures';

/** Every table an import touches, counted, so "nothing changed" is a measurement. */
async function snapshot(api: TestApi) {
  const [row] = await api.db.query(
    `SELECT (SELECT count(*) FROM participant)::int AS participants,
            (SELECT count(*) FROM pilot_membership)::int AS memberships,
            (SELECT count(*) FROM audit_event)::int AS "auditEvents",
            (SELECT coalesce(max(updated_at), 'epoch') FROM participant) AS "lastUpdate"`,
  );
  return row;
}

describe('participant CSV import', () => {
  let api: TestApi;
  let owner: Workspace;
  let pilotId: string;

  const upload = (body: string | Buffer, contentType = 'text/csv; charset=utf-8') =>
    api.http
      .post(`/api/v1/pilots/${pilotId}/participants/import`)
      .set(bearer(owner.token))
      .set('Content-Type', contentType)
      .send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'sv',
      timeZone: 'Europe/Stockholm',
    });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    pilotId = (await createPilot(api.http, owner.token, rollout.id, { levels: ['board'] })).id;
    // A first, good import, so the refused ones have something to leave unchanged.
    await upload('email,name\nstina@example.se,Stina Ek\n').expect(200);
  });
  afterAll(() => api.close());

  const header = 'email,name,locale,level,time_zone\n';
  const cases: [string, string | Buffer, { line: number; field: string; reason: RegExp }[]][] = [
    [
      'a bad email',
      header +
        'ok@example.fi,Ok,fi,board,Europe/Helsinki\nnot-an-email,Bad,fi,board,Europe/Helsinki\nalso@bad,Bad,fi,board,\n',
      [
        { line: 3, field: 'email', reason: /not an email address: "not-an-email"/ },
        { line: 4, field: 'email', reason: /not an email address/ },
      ],
    ],
    [
      'an unknown locale',
      header + 'a@example.fi,A,de,board,Europe/Helsinki\n',
      [{ line: 2, field: 'locale', reason: /"de" is not one of fi, sv, en/ }],
    ],
    [
      'a duplicate row',
      header + 'a@example.fi,A,fi,board,\nb@example.fi,B,fi,board,\nA@Example.fi,A again,fi,board,\n',
      [{ line: 4, field: 'email', reason: /duplicate of line 2/ }],
    ],
    [
      'a wrong header',
      'mail,name,locale\nx@example.fi,X,fi\n',
      [
        { line: 1, field: 'header', reason: /unknown column "mail"/ },
        { line: 1, field: 'header', reason: /missing column "email"/ },
      ],
    ],
    [
      // 0x81 is no character of Windows-1252, the encoding a file that is not UTF-8 is read in.
      'a file that is neither UTF-8 nor Windows-1252',
      Buffer.concat([
        Buffer.from(header + 'a@example.fi,Aino,fi,board,\nb@example.fi,'),
        Buffer.from([0x4a, 0xe4, 0x81, 0x73, 0x6b]),
        Buffer.from(',fi,board,\n'),
      ]),
      [{ line: 3, field: 'file', reason: /not valid Windows-1252/ }],
    ],
    [
      'a level outside the pilot',
      header + 'a@example.fi,A,fi,staff,\n',
      [{ line: 2, field: 'level', reason: /"staff" is not a level of this pilot \(board\)/ }],
    ],
    [
      'an unknown time zone and a missing name',
      header + 'a@example.fi,,fi,board,Mars/Olympus\n',
      [
        { line: 2, field: 'name', reason: /missing/ },
        { line: 2, field: 'time_zone', reason: /"Mars\/Olympus" is not an IANA time zone/ },
      ],
    ],
    [
      'a row with too many fields',
      header + 'a@example.fi,A,fi,board,Europe/Helsinki,extra\n',
      [{ line: 2, field: 'row', reason: /expected 5 fields, found 6/ }],
    ],
    [
      'a wrong header: columns reordered but "name" missing',
      'level,email,locale\nboard,x@example.fi,fi\n',
      [{ line: 1, field: 'header', reason: /missing column "name"/ }],
    ],
    [
      // The quote opens on line 3; the report must name that line, not the last line of the file.
      'an unclosed quote',
      header +
        'b@example.fi,B,fi,board,\na@example.fi,"A,fi,board,\nc@example.fi,C,fi,board,\nd@example.fi,D,fi,board,\n',
      [{ line: 3, field: 'file', reason: /quote/i }],
    ],
    ['an empty file', '', [{ line: 1, field: 'file', reason: /no header row/ }]],
  ];

  it.each(cases)('refuses %s with 422, every bad line, and no change', async (_, body, expected) => {
    const before = await snapshot(api);
    const res = await upload(body).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.status).toBe(422);
    expect(res.body.errors).toHaveLength(expected.length);
    for (const [i, issue] of expected.entries()) {
      expect(res.body.errors[i].field).toBe(issue.field);
      expect(res.body.errors[i].line).toBe(issue.line);
      expect(res.body.errors[i].reason).toMatch(issue.reason);
    }
    expect(await snapshot(api)).toEqual(before);
  });

  it('refuses a whole file for one bad row among 800', async () => {
    const before = await snapshot(api);
    const lines = participantCsv(800, { domain: 'example.se' })
      .replace(/\r\n/g, '\n')
      .split('\n')
      .map((l) => l.replace(',staff,', ',board,').replace(',management,', ',board,'));
    lines[500] = 'broken@,Broken,fi,board,Europe/Helsinki';
    const res = await upload(lines.join('\n')).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ line: 501, field: 'email' })]);
    expect(await snapshot(api)).toEqual(before);
  });

  it("accepts Excel's CSV: a BOM, semicolons, CRLF, blank optional columns falling back to the organization", async () => {
    const body =
      '\uFEFFEmail;Name;Locale;Level;Time zone\r\nmarja@example.fi;Marja Hämäläinen;;;\r\nsune@example.se;Sune Åkesson;sv;board;Europe/Helsinki\r\n';
    const res = await upload(body).expect(200);
    expect(res.body).toMatchObject({ rows: 2, created: 2, addedToPilot: 2 });
    const rows = await api.db.query(
      `SELECT email, name, locale, level, time_zone FROM participant WHERE email IN ('marja@example.fi', 'sune@example.se') ORDER BY email`,
    );
    expect(rows).toEqual([
      {
        email: 'marja@example.fi',
        name: 'Marja Hämäläinen',
        locale: 'sv',
        level: 'board',
        time_zone: 'Europe/Stockholm',
      },
      {
        email: 'sune@example.se',
        name: 'Sune Åkesson',
        locale: 'sv',
        level: 'board',
        time_zone: 'Europe/Helsinki',
      },
    ]);
  });

  it('reads a file that is not UTF-8 as Windows-1252, and says so', async () => {
    const body = Buffer.concat([
      Buffer.from(header + 'jaana@example.fi,'),
      // "Jääskeläinen Öhman" in Windows-1252: one byte per letter.
      Buffer.from([0x4a, 0xe4, 0xe4, 0x73, 0x6b, 0x65, 0x6c, 0xe4, 0x69, 0x6e, 0x65, 0x6e, 0x20, 0xd6]),
      Buffer.from('hman,fi,board,\n'),
    ]);
    const res = await upload(body).expect(200);
    expect(res.body).toMatchObject({
      rows: 1,
      created: 1,
      readAs: { format: 'csv', encoding: 'windows-1252', note: expect.stringContaining('Windows-1252') },
    });
    const [row] = await api.db.query(`SELECT name FROM participant WHERE email = 'jaana@example.fi'`);
    expect(row).toEqual({ name: 'Jääskeläinen Öhman' });
  });

  it('updates a person whose details changed, and counts it', async () => {
    const res = await upload('email,name,locale\nstina@example.se,Stina Ekström,en\n').expect(200);
    expect(res.body).toEqual({
      rows: 1,
      created: 0,
      updated: 1,
      unchanged: 0,
      addedToPilot: 0,
      alreadyInPilot: 1,
    });
    const [row] = await api.db.query(`SELECT name, locale FROM participant WHERE email = 'stina@example.se'`);
    expect(row).toEqual({ name: 'Stina Ekström', locale: 'en' });
  });

  it('asks for text/csv when the body is something else', async () => {
    const res = await api.http
      .post(`/api/v1/pilots/${pilotId}/participants/import`)
      .set(bearer(owner.token))
      .send({ email: 'x@example.fi' })
      .expect(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'file' });
  });
});

import { Workbook } from 'exceljs';
import { startApi, TestApi } from './support/api';
import { bearer, createOrganization, createPilot, createRollout, signUp } from './support/fixtures';
import {
  FilePerson,
  fortyPeople,
  peopleWorkbook,
  utf16Text,
  utf8Csv,
  windows1252Csv,
} from './support/people-files';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The same 40 people, as each file a coach may save them in. */
const PEOPLE = fortyPeople('example.fi');

/** Every table an import touches, counted, so "nothing imported" is a measurement. */
async function snapshot(api: TestApi) {
  const [row] = await api.db.query(
    `SELECT (SELECT count(*) FROM participant)::int AS participants,
            (SELECT count(*) FROM pilot_membership)::int AS memberships,
            (SELECT count(*) FROM audit_event WHERE action = 'participants.imported')::int AS imports`,
  );
  return row;
}

/**
 * Participant files as coaches save them, over the real API: UTF-8, Windows-1252 with semicolons,
 * UTF-16 "Unicode text" with tabs, and XLSX all import the same 40 people identically; a broken
 * workbook is refused whole, and a workbook's bad rows are named by their sheet row numbers.
 */
describe('participant import from the files spreadsheets save', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** A pilot in a workspace of its own, so each file creates its people afresh. */
  async function freshPilot() {
    const owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'fi',
      timeZone: 'Europe/Helsinki',
    });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, { levels: ['staff', 'management'] });
    return { token: owner.token, pilotId: pilot.id };
  }

  const upload = (target: { token: string; pilotId: string }, bytes: Buffer, contentType: string) =>
    api.http
      .post(`/api/v1/pilots/${target.pilotId}/participants/import`)
      .set(bearer(target.token))
      .set('Content-Type', contentType)
      .send(bytes);

  async function stored(target: { token: string; pilotId: string }): Promise<FilePerson[]> {
    const res = await api.http
      .get(`/api/v1/pilots/${target.pilotId}/participants?limit=100`)
      .set(bearer(target.token))
      .expect(200);
    return (res.body.items as FilePerson[])
      .map(({ email, name, locale, level, timeZone }) => ({ email, name, locale, level, timeZone }))
      .sort((a, b) => a.email.localeCompare(b.email));
  }

  it('has a fixture worth the test: Nordic letters, three languages, and a Windows-1252 file that is not UTF-8', () => {
    const names = PEOPLE.map((p) => p.name).join(' ');
    for (const letter of ['ä', 'ö', 'å', 'Å', 'Ö']) expect(names).toContain(letter);
    expect(new Set(PEOPLE.map((p) => p.locale))).toEqual(new Set(['fi', 'sv', 'en']));
    expect(PEOPLE.find((p) => p.name === 'Åsa Öhman')?.locale).toBe('sv');
    expect(PEOPLE).toHaveLength(40);
    const windows = windows1252Csv(PEOPLE);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(windows)).toThrow();
    // "ä" is the one byte 0xE4 in Windows-1252 (two bytes, C3 A4, in UTF-8).
    expect(windows.includes(Buffer.from('M\xe4kel\xe4', 'latin1'))).toBe(true);
  });

  const files: [string, () => Buffer | Promise<Buffer>, string, Record<string, unknown> | undefined][] = [
    ['UTF-8 CSV', () => utf8Csv(PEOPLE), 'text/csv; charset=utf-8', undefined],
    [
      'Windows-1252 CSV with semicolons',
      () => windows1252Csv(PEOPLE),
      'text/csv',
      { format: 'csv', encoding: 'windows-1252', note: expect.stringContaining('read as Windows-1252') },
    ],
    [
      'UTF-16LE "Unicode text" with tabs',
      () => utf16Text(PEOPLE),
      'text/plain',
      { format: 'csv', encoding: 'utf-16le', note: expect.stringContaining('UTF-16') },
    ],
    [
      'XLSX',
      () => peopleWorkbook(PEOPLE),
      XLSX,
      {
        format: 'xlsx',
        sheet: 'Osallistujat',
        note: 'Read the first sheet of the workbook, "Osallistujat".',
      },
    ],
    [
      'XLSX sent as application/octet-stream',
      () => peopleWorkbook(PEOPLE, 'Henkilöt'),
      'application/octet-stream',
      { format: 'xlsx', sheet: 'Henkilöt', note: expect.stringContaining('"Henkilöt"') },
    ],
  ];

  it.each(files)(
    'imports the 40 people from %s exactly as the fixture states them',
    async (_, file, type, readAs) => {
      const target = await freshPilot();
      const res = await upload(target, await file(), type).expect(200);
      expect(res.body).toEqual({
        rows: 40,
        created: 40,
        updated: 0,
        unchanged: 0,
        addedToPilot: 40,
        alreadyInPilot: 0,
        ...(readAs ? { readAs } : {}),
      });
      expect(await stored(target)).toEqual(PEOPLE);
      // The same file again changes nothing, whatever its format.
      const again = await upload(target, await file(), type).expect(200);
      expect(again.body).toMatchObject({
        rows: 40,
        created: 0,
        updated: 0,
        unchanged: 40,
        alreadyInPilot: 40,
      });
    },
  );

  describe('a workbook that cannot be read is refused whole: 422 naming the file and why, nothing stored', () => {
    let target: { token: string; pilotId: string };
    let good: Buffer;
    beforeAll(async () => {
      target = await freshPilot();
      good = await peopleWorkbook(PEOPLE);
    });

    const cases: [string, () => Buffer, string, RegExp][] = [
      [
        'cut short',
        () => good.subarray(0, Math.floor(good.length * 0.6)),
        XLSX,
        /^a damaged XLSX workbook: the ZIP archive is incomplete/,
      ],
      [
        'a ZIP archive of something else',
        () => Buffer.from(good.toString('latin1').replaceAll('xl/workbook.xml', 'xl/notebook.xml'), 'latin1'),
        'application/octet-stream',
        /^a ZIP archive, but not an Excel workbook/,
      ],
      ['text sent as XLSX', () => utf8Csv(PEOPLE), XLSX, /sent as an XLSX workbook, but it is not one/],
    ];

    it.each(cases)('%s', async (_, bytes, type, reason) => {
      const before = await snapshot(api);
      const res = await upload(target, bytes(), type).expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'file', reason: expect.stringMatching(reason) }]);
      expect(await snapshot(api)).toEqual(before);
      expect(await stored(target)).toEqual([]);
    });

    it('a body over the size limit, text or workbook alike (413)', async () => {
      const before = await snapshot(api);
      const huge = Buffer.concat([good, Buffer.alloc(21 * 1024 * 1024)]);
      for (const type of [XLSX, 'application/octet-stream', 'text/csv']) {
        const res = await upload(target, huge, type);
        expect([type, res.status, res.body.errors?.[0]?.field]).toEqual([type, 413, 'body']);
      }
      expect(await snapshot(api)).toEqual(before);
    });

    it('reads no file before the sender is signed in, nor on any route that takes no file', async () => {
      const huge = Buffer.concat([good, Buffer.alloc(21 * 1024 * 1024)]);
      // Without a token: refused as unauthenticated, not as too large (the body was never read).
      const anonymous = await api.http
        .post(`/api/v1/pilots/${target.pilotId}/participants/import`)
        .set('Content-Type', 'text/csv')
        .send(huge);
      expect(anonymous.status).toBe(401);
      // Signed in, on a route that takes JSON: the file is not read either, so it is not "too large".
      const elsewhere = await api.http
        .post('/api/v1/organizations')
        .set(bearer(target.token))
        .set('Content-Type', 'text/csv')
        .send(huge);
      expect(elsewhere.status).toBe(422);
    });
  });

  it("names a workbook's bad rows by their sheet row numbers, blank rows counted", async () => {
    const target = await freshPilot();
    const book = new Workbook();
    const sheet = book.addWorksheet('Osallistujat');
    sheet.getRow(1).values = ['Email', 'Name', 'Level'];
    sheet.getRow(2).values = ['aino@example.fi', 'Aino Mäkelä', 'staff'];
    // Rows 3 and 4 are blank, as a coach leaves them between groups.
    sheet.getRow(5).values = [
      { text: 'not-an-email', hyperlink: 'mailto:not-an-email' },
      'Åsa Öhman',
      'staff',
    ];
    sheet.getRow(6).values = ['bo@example.se', 'Bo Öhman', 'director'];
    sheet.getRow(7).values = ['eero@example.fi', '', 'management'];
    const before = await snapshot(api);
    const res = await upload(target, Buffer.from(await book.xlsx.writeBuffer()), XLSX).expect(422);
    expect(res.body.errors).toEqual([
      { field: 'email', line: 5, reason: 'not an email address: "not-an-email"' },
      { field: 'level', line: 6, reason: '"director" is not one of board, management, staff, volunteers' },
      { field: 'name', line: 7, reason: 'missing' },
    ]);
    expect(res.body.detail).toBe('3 line(s) of the file are invalid; nothing was imported.');
    expect(await snapshot(api)).toEqual(before);
  });

  it('names a header below blank rows by its sheet row', async () => {
    const target = await freshPilot();
    const header = new Workbook();
    header.addWorksheet('Osallistujat').getRow(2).values = ['mail', 'name'];
    const wrong = await upload(target, Buffer.from(await header.xlsx.writeBuffer()), XLSX).expect(422);
    expect(wrong.body.errors).toEqual([
      { field: 'header', line: 2, reason: expect.stringContaining('unknown column "mail"') },
      { field: 'header', line: 2, reason: 'missing column "email"' },
    ]);
  });
});

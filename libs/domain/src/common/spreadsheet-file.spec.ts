import iconv from 'iconv-lite';
import { Workbook } from 'exceljs';
import { InvalidInputError } from './errors';
import { decodeText, readAsOf, readSpreadsheetFile, XLSX_CONTENT_TYPE } from './spreadsheet-file';

const TEXT = 'email;name\r\nasa@example.se;Åsa Söderström\r\nilkka@example.fi;Ilkka Jääskeläinen €\r\n';

/** The issues of the refusal `run` must end in. */
async function refusal(run: () => unknown) {
  try {
    await run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.issues;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

async function workbook(fill: (sheet: ReturnType<Workbook['addWorksheet']>) => void, name = 'Osallistujat') {
  const book = new Workbook();
  fill(book.addWorksheet(name));
  book.addWorksheet('Muistiinpanot').addRow(['not read']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('decodeText', () => {
  const cases: [string, Buffer, string][] = [
    ['plain ASCII as UTF-8', Buffer.from('email,name\r\nx@example.fi,X\r\n', 'ascii'), 'utf-8'],
    ['UTF-8 without a BOM', Buffer.from(TEXT, 'utf8'), 'utf-8'],
    [
      'UTF-8 with a BOM',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]),
      'utf-8',
    ],
    ['Windows-1252 (not UTF-8)', iconv.encode(TEXT, 'windows-1252'), 'windows-1252'],
    [
      'UTF-16LE with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]),
      'utf-16le',
    ],
    [
      'UTF-16BE with a BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(TEXT, 'utf-16be')]),
      'utf-16be',
    ],
    ['UTF-16LE without a BOM, by its NUL bytes', Buffer.from(TEXT, 'utf16le'), 'utf-16le'],
  ];

  it.each(cases)('reads %s', (label, bytes, encoding) => {
    const expected = label === 'plain ASCII as UTF-8' ? 'email,name\r\nx@example.fi,X\r\n' : TEXT;
    expect(decodeText(bytes)).toEqual({ text: expected, encoding });
  });

  it('reads the euro sign and ä ö å of Windows-1252 by the code page, not as Latin-1', () => {
    // 0x80 is € in Windows-1252 and a control character in ISO-8859-1.
    const bytes = Buffer.from([0x80, 0x20, 0xe4, 0xf6, 0xe5, 0xc5, 0xd6]);
    expect(decodeText(bytes)).toEqual({ text: '€ äöåÅÖ', encoding: 'windows-1252' });
  });

  it('refuses, with its line, a byte that is not even Windows-1252', async () => {
    const bytes = Buffer.concat([
      Buffer.from('email;name\r\na@example.fi;\xe4\r\n', 'latin1'),
      Buffer.from([0x81]),
    ]);
    expect(await refusal(() => decodeText(bytes))).toEqual([
      { field: 'file', line: 3, reason: expect.stringContaining('not valid Windows-1252') },
    ]);
  });

  it('refuses, with its line, a file that starts as UTF-8 and is not', async () => {
    const bytes = Buffer.concat([
      Buffer.from('\uFEFFemail;name\na@example.fi;A\n', 'utf8'),
      Buffer.from([0xe4]),
    ]);
    expect(await refusal(() => decodeText(bytes))).toEqual([
      { field: 'file', line: 3, reason: expect.stringContaining('not valid UTF-8') },
    ]);
  });
});

describe('readSpreadsheetFile', () => {
  it('reads a Windows-1252 semicolon file by its lines, and says how it read it', async () => {
    const file = await readSpreadsheetFile(iconv.encode(TEXT, 'windows-1252'));
    expect(file.records).toEqual([
      { values: ['email', 'name'], line: 1 },
      { values: ['asa@example.se', 'Åsa Söderström'], line: 2 },
      { values: ['ilkka@example.fi', 'Ilkka Jääskeläinen €'], line: 3 },
    ]);
    expect(readAsOf(file.reading)).toEqual({
      format: 'csv',
      encoding: 'windows-1252',
      note: expect.stringContaining('Windows-1252'),
    });
    expect(readAsOf((await readSpreadsheetFile(Buffer.from(TEXT))).reading)).toBeUndefined();
  });

  it('reads a tab-separated UTF-16 "Unicode text" export', async () => {
    const text = TEXT.replace(/;/g, '\t');
    const file = await readSpreadsheetFile(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    expect(file.records[2]).toEqual({ values: ['ilkka@example.fi', 'Ilkka Jääskeläinen €'], line: 3 });
    expect(file.reading).toEqual({ format: 'csv', encoding: 'utf-16le' });
  });

  it("reads a workbook's first sheet as a coach sees it, rows numbered as the sheet numbers them", async () => {
    const bytes = await workbook((sheet) => {
      // Rows 1 and 2 are blank: the header is the first row with anything in it.
      sheet.getRow(3).values = ['email', 'name', 'locale', 'level', 'time_zone', 'start'];
      sheet.getRow(4).values = [
        { text: 'aino@example.fi', hyperlink: 'mailto:aino@example.fi' },
        { richText: [{ text: 'Aino ' }, { text: 'Äijälä', font: { bold: true } }] },
        { formula: 'LOWER("FI")', result: 'fi' },
        '  staff ',
        null,
        new Date(Date.UTC(2027, 0, 15)),
      ];
      // Row 5 is blank; row 6 stops after two cells; row 7 has a number, a time and a formula error.
      sheet.getRow(6).values = ['bo@example.se', 'Bo Öhman'];
      sheet.getRow(7).values = [
        'x@example.fi',
        0.1 + 0.2,
        true,
        { formula: '1/0', result: { error: '#DIV/0!' } },
        42,
        new Date(Date.UTC(2027, 0, 15, 9, 30)),
      ];
    });
    const file = await readSpreadsheetFile(bytes);
    expect(file.reading).toEqual({ format: 'xlsx', sheet: 'Osallistujat' });
    expect(file.records).toEqual([
      { values: ['email', 'name', 'locale', 'level', 'time_zone', 'start'], line: 3 },
      { values: ['aino@example.fi', 'Aino Äijälä', 'fi', 'staff', '', '2027-01-15'], line: 4 },
      { values: ['bo@example.se', 'Bo Öhman', '', '', '', ''], line: 6 },
      { values: ['x@example.fi', '0.3', 'TRUE', '#DIV/0!', '42', '2027-01-15 09:30'], line: 7 },
    ]);
    expect(readAsOf(file.reading)?.note).toBe('Read the first sheet of the workbook, "Osallistujat".');
  });

  it('reads a merged range once, in its first cell', async () => {
    const bytes = await workbook((sheet) => {
      sheet.getRow(1).values = ['email', 'name', 'level'];
      sheet.getRow(2).values = ['a@example.fi', 'A', 'staff'];
      sheet.mergeCells('C2:C3');
      sheet.getCell('A3').value = 'b@example.fi';
      sheet.getCell('B3').value = 'B';
    });
    const { records } = await readSpreadsheetFile(bytes);
    expect(records.slice(1)).toEqual([
      { values: ['a@example.fi', 'A', 'staff'], line: 2 },
      { values: ['b@example.fi', 'B', ''], line: 3 },
    ]);
  });

  describe('refuses a file that is no workbook it can read, naming the file and why', () => {
    let good: Buffer;
    beforeAll(async () => {
      good = await workbook((sheet) => sheet.addRow(['email', 'name']));
    });

    it('a workbook cut short', async () => {
      expect(await refusal(() => readSpreadsheetFile(good.subarray(0, Math.floor(good.length / 2))))).toEqual(
        [
          {
            field: 'file',
            reason: expect.stringMatching(/damaged XLSX workbook: the ZIP archive is incomplete/),
          },
        ],
      );
    });

    it('a ZIP archive that is not a workbook', async () => {
      // The same archive with its workbook part renamed: a ZIP of something else.
      const renamed = Buffer.from(
        good.toString('latin1').replaceAll('xl/workbook.xml', 'xl/notebook.xml'),
        'latin1',
      );
      expect(await refusal(() => readSpreadsheetFile(renamed))).toEqual([
        { field: 'file', reason: 'a ZIP archive, but not an Excel workbook (it has no xl/workbook.xml)' },
      ]);
    });

    it('a workbook whose contents are damaged', async () => {
      const damaged = Buffer.from(good);
      damaged.fill(0x41, 40, Math.min(damaged.length - 200, 2000));
      expect(await refusal(() => readSpreadsheetFile(damaged))).toEqual([
        {
          field: 'file',
          reason: expect.stringMatching(
            /^a damaged XLSX workbook \(.+\); open it in Excel and save it again$/,
          ),
        },
      ]);
    });

    it('a file sent as XLSX that is text, and an old .xls workbook', async () => {
      expect(
        await refusal(() => readSpreadsheetFile(Buffer.from(TEXT), { contentType: XLSX_CONTENT_TYPE })),
      ).toEqual([
        { field: 'file', reason: expect.stringContaining('sent as an XLSX workbook, but it is not one') },
      ]);
      const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
      expect(await refusal(() => readSpreadsheetFile(xls, { fileName: 'old.xls' }))).toEqual([
        { field: 'file', reason: expect.stringContaining('Excel 97-2003 workbook (.xls)') },
      ]);
    });
  });
});

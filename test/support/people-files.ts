import { Workbook } from 'exceljs';
import iconv from 'iconv-lite';

/** One person of an import file, as the file states them (so also as they must be stored). */
export interface FilePerson {
  email: string;
  name: string;
  locale: 'fi' | 'sv' | 'en';
  level: 'staff' | 'management';
  timeZone: string;
}

const FINNISH = [
  'Aino Mäkelä',
  'Jääskeläinen Pekka',
  'Sanna Hämäläinen',
  'Öljymäki Ville',
  'Päivi Kärkkäinen',
  'Tuomas Sääski',
  'Hilkka Ylönen',
  'Eero Närhi',
  'Mörkö Tiina',
  'Kyösti Väänänen',
  'Leena Ärölä',
  'Olli Pöyhönen',
  'Marjatta Kivelä',
  'Jyrki Lähde',
  'Sisko Höglund',
  'Antti Ylä-Öhman',
];
const SWEDISH = [
  'Åsa Öhman',
  'Björn Åkerlund',
  'Örjan Sjöström',
  'Märta Ekström',
  'Åke Lindgrén',
  'Gunnel Östergård',
  'Sune Åström',
  'Ingrid Söderholm',
  'Östen Bäckström',
  'Kristina Nyqvist',
  'Göran Ålander',
  'Lovisa Grönqvist',
];
const ENGLISH = [
  'Oliver Smith',
  "Siobhán O'Neill",
  'Chloë Brontë',
  'James Wright',
  'Zoë Adams',
  'Renée Clarke',
  'Noah Evans',
  'Amélie Turner',
  'Mia Jones',
  'Liam Patel',
  'Ella Brooks',
  'Harry Cole',
];

/**
 * 40 people written out by hand: Finnish names with ä and ö, Swedish ones with å, Å and Ö (in Swedish),
 * English ones (in English), both levels, three time zones.
 */
export function fortyPeople(domain: string): FilePerson[] {
  const named = [
    ...FINNISH.map((name) => ({ name, locale: 'fi' as const, timeZone: 'Europe/Helsinki' })),
    ...SWEDISH.map((name) => ({ name, locale: 'sv' as const, timeZone: 'Europe/Stockholm' })),
    ...ENGLISH.map((name) => ({ name, locale: 'en' as const, timeZone: 'Europe/London' })),
  ];
  return named.map((person, i) => ({
    email: `person${String(i + 1).padStart(2, '0')}@${domain}`,
    ...person,
    level: i % 4 === 0 ? 'management' : 'staff',
  }));
}

const HEADER = ['email', 'name', 'locale', 'level', 'time_zone'];
const cells = (p: FilePerson) => [p.email, p.name, p.locale, p.level, p.timeZone];

/** The people as delimited text, with CRLF line ends as Excel writes them. */
export const peopleText = (people: FilePerson[], delimiter: string) =>
  [HEADER, ...people.map(cells)].map((row) => row.join(delimiter)).join('\r\n') + '\r\n';

/** A UTF-8 CSV, comma-separated, no BOM. */
export const utf8Csv = (people: FilePerson[]) => Buffer.from(peopleText(people, ','), 'utf8');

/** What Finnish Excel's "CSV (semicolon delimited)" writes: Windows-1252, semicolons. */
export const windows1252Csv = (people: FilePerson[]) => iconv.encode(peopleText(people, ';'), 'windows-1252');

/** What Excel's "Unicode text" writes: UTF-16LE with a BOM, tab-separated. */
export const utf16Text = (people: FilePerson[]) =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(peopleText(people, '\t'), 'utf16le')]);

/**
 * An XLSX workbook as a coach's spreadsheet holds the people: emails as mailto links, some names in
 * rich text (a bold surname), some levels computed by a formula; a second sheet that is not read.
 */
export async function peopleWorkbook(people: FilePerson[], sheetName = 'Osallistujat'): Promise<Buffer> {
  const book = new Workbook();
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow(HEADER);
  people.forEach((p, i) => {
    const [first, ...rest] = p.name.split(' ');
    sheet.addRow([
      { text: p.email, hyperlink: `mailto:${p.email}` },
      i % 3 === 0
        ? { richText: [{ text: `${first} ` }, { text: rest.join(' '), font: { bold: true } }] }
        : p.name,
      p.locale,
      i % 5 === 0 ? { formula: `LOWER("${p.level.toUpperCase()}")`, result: p.level } : p.level,
      p.timeZone,
    ]);
  });
  book.addWorksheet('Muistiinpanot').addRow(['email', 'not read']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

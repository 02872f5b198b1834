import { InvalidInputError } from '../common/errors';
import { readTextFile } from '../common/spreadsheet-file';
import { parseOkrCsv as parseRecords } from './okr-csv';

const parseOkrCsv = (bytes: Buffer) => parseRecords(readTextFile(bytes).records);

const csv = (...lines: string[]) => Buffer.from(lines.join('\n'), 'utf8');
const header = 'objective,key_result,kind,measure,start,target,unit,owner_email';

function issuesOf(bytes: Buffer) {
  try {
    parseOkrCsv(bytes);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.issues;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parseOkrCsv', () => {
  it('reads objectives and key results, with defaults for kind and measure', () => {
    const rows = parseOkrCsv(
      csv(
        header,
        'Palvelu sujuu,Käsittelyaika 30 → 10,,,30,10,päivää,Aino@Example.fi',
        'Palvelu sujuu,Ohje julkaistu,aspirational,,,,,',
        'Osaaminen kasvaa,,,,,,,',
      ),
    );
    expect(rows).toEqual([
      {
        line: 2,
        objective: 'Palvelu sujuu',
        keyResult: {
          title: 'Käsittelyaika 30 → 10',
          kind: 'committed',
          measure: 'metric',
          start: 30,
          target: 10,
          unit: 'päivää',
          ownerEmail: 'aino@example.fi',
        },
      },
      {
        line: 3,
        objective: 'Palvelu sujuu',
        keyResult: expect.objectContaining({ kind: 'aspirational', measure: 'binary', start: null }),
      },
      { line: 4, objective: 'Osaaminen kasvaa', keyResult: null },
    ]);
  });

  it('takes semicolons, a BOM and the decimal comma', () => {
    const rows = parseOkrCsv(
      Buffer.from('\uFEFFobjective;key_result;measure;start;target\nO;NPS;metric;3,5;4,25\n', 'utf8'),
    );
    expect(rows[0].keyResult).toMatchObject({ start: 3.5, target: 4.25 });
  });

  it('reports every bad line with its number and field', () => {
    const issues = issuesOf(
      csv(
        header,
        'O,Flat,committed,metric,5,5,,',
        'O,Fine,committed,binary,,,,',
        ',Orphan,committed,binary,,,,',
        'O,Milestone,committed,milestone,,3,,',
        'O,Fine,committed,binary,,,,',
        'O,Abc,committed,metric,x,3,,',
        'O,,committed,,,,,',
        'O,Mail,committed,binary,,,,not-an-email',
      ),
    );
    expect(issues.map((i) => `${i.line}:${i.field}`)).toEqual([
      '2:target',
      '4:objective',
      '5:target',
      '6:key_result',
      '7:start',
      '8:kind',
      '9:owner_email',
    ]);
    expect(issues[0].reason).toBe('must differ from start');
    expect(issues[3].reason).toBe('duplicate of line 3');
  });

  it('refuses a wrong header and a file that is not even Windows-1252; reads one that is', () => {
    expect(issuesOf(csv('objective,colour', 'O,red'))).toEqual([
      expect.objectContaining({ field: 'header', line: 1 }),
    ]);
    expect(issuesOf(csv('key_result', 'KR'))).toEqual([
      expect.objectContaining({ field: 'header', reason: 'missing column "objective"' }),
    ]);
    const latin1 = Buffer.concat([Buffer.from('objective\nOK\n'), Buffer.from([0x4b, 0xe4, 0x0a])]);
    expect(parseOkrCsv(latin1).map((row) => row.objective)).toEqual(['OK', 'Kä']);
    // 0x81 is no character in Windows-1252 either.
    const neither = Buffer.concat([Buffer.from('objective\nOK\n'), Buffer.from([0x4b, 0x81, 0x0a])]);
    expect(issuesOf(neither)).toEqual([expect.objectContaining({ field: 'file', line: 3 })]);
    expect(issuesOf(csv(header))).toEqual([expect.objectContaining({ field: 'file' })]);
  });
});

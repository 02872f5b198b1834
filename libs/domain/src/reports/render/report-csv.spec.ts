import { parse } from 'csv-parse/sync';
import { COUNTS, learningContent, readinessContent } from '../../../../../test/support/report-content';
import { storedLearning } from '../learning/stored-learning';
import { csvField, learningCsv, readinessCsv, toCsv } from './report-csv';

const read = (csv: string) => parse(csv, { bom: true, columns: true }) as Record<string, string>[];

describe('report CSV', () => {
  it('quotes by RFC 4180, ends lines with CRLF, starts with a BOM and defuses formulas', () => {
    const csv = toCsv([
      ['a', 'b'],
      ['x, "y"', 'line\nbreak'],
      ['=HYPERLINK("x")', -0.5],
    ]);
    expect(csv.startsWith('\uFEFFa,b\r\n')).toBe(true);
    expect(csv).toContain('"x, ""y""","line\nbreak"\r\n');
    expect(csv).toContain(`"'=HYPERLINK(""x"")",-0.5\r\n`);
    expect(csvField(null)).toBe('');
    expect(csvField(0.123456789)).toBe('0.123457');
  });

  it('has the learning report numbers in long format, and a suppressed level without numbers', () => {
    const rows = read(learningCsv(learningContent(), 'coach'));
    expect(Object.keys(rows[0])).toEqual(['section', 'subject', 'group', 'measure', 'value']);
    const value = (section: string, subject: string, group: string, measure: string) =>
      rows.find((r) => r.section === section && r.subject === subject && r.group === group && r.measure === measure)
        ?.value;
    expect(value('response', '', 'all', 'rate')).toBe(String(Math.round((COUNTS.responded / COUNTS.invited) * 10_000) / 10_000));
    expect(value('response', '', 'staff', 'responded')).toBe('23');
    expect(value('response', '', 'board', 'suppressed')).toBe('fewer than k responses');
    expect(rows.filter((r) => r.group === 'board').map((r) => r.measure)).toEqual(['suppressed', 'suppressed']);
    expect(value('question', 'process_priorities', 'answer 4', 'count')).toBe('14');
    expect(value('nps', '', 'all', 'score')).toBe('15');
    expect(value('practice', 'score_bands', 'red', 'count')).toBe('1');
    expect(value('confidence', 'Asiakastyytyväisyys 4,2 → 4,5', 'week 3', 'confidence')).toBe('3');
    // Themes per question and language: the words and phrases counted, a language under k suppressed.
    expect(value('theme', 'what_worked', 'all', 'responses')).toBe('31');
    expect(value('theme', 'what_worked', 'fi', 'responses')).toBe('22');
    expect(value('theme', 'what_worked', 'fi term: viikkopalaverit', 'count')).toBe('9');
    expect(value('theme', 'what_worked', 'fi phrase: yhteinen suunta', 'count')).toBe('4');
    expect(value('theme', 'what_worked', 'sv', 'suppressed')).toBe('fewer than k responses');
    expect(rows.filter((r) => r.section === 'theme' && r.group.startsWith('sv'))).toHaveLength(1);
    // Quotes are words, not numbers: they stay in the page.
    expect(rows.some((r) => r.value.includes('Viikkopalaverit toimivat'))).toBe(false);
  });

  it('has the pooled themes of a report stored before themes were per question', () => {
    const { themes, ...rest } = learningContent();
    const old = { ...rest, version: 1 as const, themes: themes[0].languages };
    const rows = read(learningCsv(storedLearning({ content: old, builtAt: null }), 'coach'));
    expect(rows.filter((r) => r.section === 'theme').map((r) => [r.subject, r.group, r.measure, r.value])).toEqual([
      ['all', 'all', 'responses', '22'],
      ['all', 'fi', 'responses', '22'],
      ['all', 'fi term: viikkopalaverit', 'count', '9'],
      ['all', 'fi term: tavoitteet', 'count', '7'],
      ['all', 'fi phrase: yhteinen suunta', 'count', '4'],
      ['all', 'sv', 'suppressed', 'fewer than k responses'],
      ['all', 'en', 'suppressed', 'fewer than k responses'],
    ]);
  });

  it('has every gate with its numbers and thresholds', () => {
    const rows = read(readinessCsv(readinessContent(), 'sponsor'));
    expect(rows.filter((r) => r.section === 'gate' && r.measure === 'passed')).toHaveLength(7);
    expect(rows).toContainEqual({ section: 'gate', subject: 'checkin_rhythm', group: 'all', measure: 'passed', value: 'false' });
    expect(rows).toContainEqual({
      section: 'gate',
      subject: 'checkin_rhythm',
      group: 'threshold',
      measure: 'checkinRhythmMin',
      value: '0.75',
    });
    expect(rows).toContainEqual({ section: 'verdict', subject: '', group: '', measure: 'verdict', value: 'ready_with_conditions' });
    expect(rows).toContainEqual({ section: 'next_wave', subject: '', group: '', measure: 'size', value: '120' });
  });
});

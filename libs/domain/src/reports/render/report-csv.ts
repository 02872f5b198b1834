import type { ShareAudience } from '@luotsi/database';
import { textsFor, type Language } from '@luotsi/texts';
import type { LearningReportContent, ReadinessReportContent } from '../report-content';
import { kOfReport } from '../publication/publication-policy';

/**
 * The numbers of a report as one long ("tidy") CSV table, so a spreadsheet can pivot it:
 *
 *   section,subject,group,measure,value
 *
 * - `section`: the part of the report (report, response, question, nps, adkar, practice, confidence,
 *   dialogue, comparison, theme, flag; gate, verdict, next_wave, rollout for readiness);
 * - `subject`: what is measured within it (a question key, a key result, a pilot, a gate);
 * - `group`: the breakdown (a level, a quarter, a week, an answer value, a language, `all` for everyone;
 *   for a theme's counts the language and the word or phrase, e.g. `fi term: tavoitteet`);
 * - `measure`: the name of the number (responses, rate, mean, count, …);
 * - `value`: the number, with a dot for decimals; text for a few descriptive rows.
 *
 * The header row is in the reader's language (`section,subject,group,measure,value` in English,
 * `osio,kohde,ryhmä,mittari,arvo` in Finnish), and so is the reason of a suppressed row; the cells
 * themselves are codes and numbers, the same in every language, so a sheet built on one language's
 * export reads another's (a pivot keys on `response`/`rate`, not on a translation).
 *
 * A group under k appears as one row with measure `suppressed` and no number. RFC 4180: CRLF line
 * ends, fields quoted when they hold a comma, quote or line break; UTF-8 with a BOM so Excel reads the
 * letters right. Text that a spreadsheet would run as a formula is prefixed with an apostrophe.
 */
export type CsvValue = string | number | boolean | null | undefined;
export type CsvRow = [section: string, subject: string, group: string, measure: string, value: CsvValue];

export const CSV_HEADER = ['section', 'subject', 'group', 'measure', 'value'];

/** The header row in a language: `report:csv.section` and so on. */
export const csvHeader = (language: Language): string[] =>
  CSV_HEADER.map((column) => textsFor(language)(`report:csv.${column}`));

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? String(Number(value.toFixed(6))) : String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: CsvValue[][]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function learningCsv(content: LearningReportContent, audience: ShareAudience, language: Language = 'en'): string {
  const SUPPRESSED = textsFor(language)('report:csv.suppressed');
  const k = kOfReport(content);
  const rows: CsvRow[] = [
    ['report', 'kind', '', 'text', 'learning'],
    ['report', 'audience', '', 'text', audience],
    ['report', 'organization', '', 'text', content.organization.name],
    ['report', 'pilot', '', 'text', content.pilot.name],
    ['report', 'wave', '', 'number', content.pilot.waveNumber],
    ['report', 'quarter', '', 'text', content.quarter.label],
    ['report', 'built_at', '', 'text', content.builtAt],
    ['report', 'k', '', 'min_group_size', k],
    ['response', '', 'all', 'invited', content.response.of],
    ['response', '', 'all', 'responded', content.response.count],
    ['response', '', 'all', 'rate', content.response.rate],
  ];
  for (const level of content.response.byLevel) {
    if ('suppressed' in level) rows.push(['response', '', level.level, 'suppressed', SUPPRESSED]);
    else
      rows.push(
        ['response', '', level.level, 'invited', level.of],
        ['response', '', level.level, 'responded', level.count],
        ['response', '', level.level, 'rate', level.rate],
      );
  }
  for (const q of content.questions) {
    rows.push(['question', q.key, 'all', 'responses', q.responses]);
    if (q.suppressed) rows.push(['question', q.key, 'all', 'suppressed', SUPPRESSED]);
    else rows.push(['question', q.key, 'all', 'mean', q.mean], ['question', q.key, 'all', 'median', q.median]);
    for (const d of q.distribution) rows.push(['question', q.key, `answer ${d.value}`, 'count', d.count]);
    for (const t of q.trend)
      rows.push(
        ['question', q.key, t.quarterLabel, 'trend_responses', t.responses],
        ['question', q.key, t.quarterLabel, 'trend_mean', t.mean],
      );
    for (const l of q.byLevel) {
      if ('suppressed' in l) rows.push(['question', q.key, l.level, 'suppressed', SUPPRESSED]);
      else rows.push(['question', q.key, l.level, 'responses', l.responses], ['question', q.key, l.level, 'mean', l.mean]);
    }
  }
  if (content.nps)
    for (const measure of ['responses', 'promoters', 'passives', 'detractors', 'score'] as const)
      rows.push(['nps', '', 'all', measure, content.nps[measure]]);
  for (const a of content.adkar)
    rows.push(
      ['adkar', a.element, 'all', 'responses', a.responses],
      ['adkar', a.element, 'all', 'mean', a.mean],
      ['adkar', a.element, 'all', 'barrier', a.barrier],
    );
  const p = content.practice;
  rows.push(
    ['practice', 'rhythm', 'all', 'due', p.rhythm.due],
    ['practice', 'rhythm', 'all', 'done', p.rhythm.done],
    ['practice', 'rhythm', 'all', 'share', p.rhythm.share],
    ['practice', 'committed', 'all', 'total', p.committed.total],
    ['practice', 'committed', 'all', 'met', p.committed.met],
    ['practice', 'committed', 'all', 'share', p.committed.share],
    ['practice', 'aspirational', 'all', 'scored', p.aspirational.scored],
    ['practice', 'aspirational', 'all', 'average', p.aspirational.average],
    ['practice', 'aspirational', 'all', 'spread', p.aspirational.spread],
    ['practice', 'aspirational', 'all', 'reading', p.aspirationalReading],
  );
  for (const band of ['green', 'yellow', 'red', 'unscored'] as const)
    rows.push(['practice', 'score_bands', band, 'count', p.scoreBands[band]]);
  for (const t of p.confidence)
    for (const w of t.weeks) rows.push(['confidence', t.title, `week ${w.week}`, 'confidence', w.confidence]);
  const dialogue = content.dialogue;
  if (dialogue) {
    for (const measure of [
      'participants',
      'tookPart',
      'entries',
      'comments',
      'rewordings',
      'offers',
      'keyResultsChanged',
      'ownersVolunteered',
    ] as const)
      rows.push(['dialogue', '', 'all', snake(measure), dialogue[measure]]);
    for (const o of dialogue.objectives)
      rows.push(['dialogue', o.title, 'objective', 'entries', o.entries], ['dialogue', o.title, 'objective', 'comments', o.comments]);
    const comparison = dialogue.comparison;
    if (comparison.withheld)
      rows.push(['dialogue', 'comparison', 'all', 'suppressed', textsFor(language)('report:csv.dialogueWithheld')]);
    else
      for (const [group, figures] of [
        ['discussed', comparison.discussed],
        ['not_discussed', comparison.notDiscussed],
      ] as const)
        rows.push(
          ['dialogue', 'comparison', group, 'key_results', figures.keyResults],
          ['dialogue', 'comparison', group, 'scored', figures.scored],
          ['dialogue', 'comparison', group, 'average_score', figures.averageScore],
          ['dialogue', 'comparison', group, 'check_ins_per_key_result', figures.checkInsPerKeyResult],
        );
  }
  for (const c of content.comparison) {
    const subject = c.self ? textsFor(language)('report:learning.thisPilot', { pilot: c.pilotName }) : c.pilotName;
    rows.push(
      ['comparison', subject, c.quarterLabel ?? '', 'participants', c.participants],
      ['comparison', subject, c.quarterLabel ?? '', 'response_rate', c.responseRate],
      ['comparison', subject, c.quarterLabel ?? '', 'checkin_rhythm', c.checkInRhythm],
      ['comparison', subject, c.quarterLabel ?? '', 'nps', c.nps],
      ['comparison', subject, c.quarterLabel ?? '', 'committed_met', c.committedMet],
      ['comparison', subject, c.quarterLabel ?? '', 'aspirational_average', c.aspirationalAverage],
    );
  }
  // Theme words and phrases are counts, per question (`all` for a report built before version 2) and
  // language; the quotes themselves are not numbers and stay in the page.
  for (const q of content.themes) {
    const subject = q.key ?? 'all';
    if (q.suppressed) {
      rows.push(['theme', subject, 'all', 'suppressed', SUPPRESSED]);
      continue;
    }
    rows.push(['theme', subject, 'all', 'responses', q.responses]);
    for (const t of q.languages) {
      if (t.suppressed) {
        rows.push(['theme', subject, t.locale, 'suppressed', SUPPRESSED]);
        continue;
      }
      rows.push(['theme', subject, t.locale, 'responses', t.responses]);
      for (const term of t.terms) rows.push(['theme', subject, `${t.locale} term: ${term.term}`, 'count', term.count]);
      for (const phrase of t.phrases)
        rows.push(['theme', subject, `${t.locale} phrase: ${phrase.phrase}`, 'count', phrase.count]);
    }
  }
  for (const f of content.flags) {
    rows.push(['flag', f.code, '', 'raised', true]);
    for (const [name, value] of Object.entries(f.numbers)) rows.push(['flag', f.code, '', name, value]);
  }
  return toCsv([csvHeader(language), ...rows]);
}

export function readinessCsv(
  content: ReadinessReportContent,
  audience: ShareAudience,
  language: Language = 'en',
): string {
  const rows: CsvRow[] = [
    ['report', 'kind', '', 'text', 'readiness'],
    ['report', 'audience', '', 'text', audience],
    ['report', 'organization', '', 'text', content.organization.name],
    ['report', 'built_at', '', 'text', content.builtAt],
    ['rollout', 'goal', '', 'text', content.rollout.goal],
    ['rollout', 'target_headcount', '', 'number', content.rollout.targetHeadcount],
    ['rollout', 'planned_waves', '', 'number', content.rollout.plannedWaves],
    ['verdict', '', '', 'verdict', content.verdict],
  ];
  for (const condition of content.conditions) rows.push(['verdict', condition, '', 'condition', true]);
  for (const g of content.gates) {
    rows.push(['gate', g.key, 'all', 'passed', g.passed]);
    for (const [name, value] of Object.entries(g.numbers)) rows.push(['gate', g.key, 'all', name, value]);
    for (const [name, value] of Object.entries(g.thresholds))
      rows.push(['gate', g.key, 'threshold', name, value]);
    for (const pilot of g.byPilot ?? [])
      for (const [name, value] of Object.entries(pilot.numbers))
        rows.push(['gate', g.key, `${pilot.pilotName} (${pilot.quarterLabel})`, name, value]);
  }
  const wave = content.nextWave;
  rows.push(
    ['next_wave', '', '', 'size', wave.size],
    ['next_wave', '', '', 'coaches_needed', wave.coachesNeeded],
    ['next_wave', '', '', 'start_quarter', wave.startQuarter],
    ['next_wave', '', '', 'levels', wave.levels.join(' ')],
  );
  for (const [name, value] of Object.entries(wave.basis ?? {}))
    rows.push(['next_wave', 'basis', '', name, value as number]);
  return toCsv([csvHeader(language), ...rows]);
}

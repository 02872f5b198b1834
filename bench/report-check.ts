import type { LearningReportContent } from '@luotsi/domain';
import type { RawReport } from './report-raw';

/**
 * Where the built report's numbers differ from the raw aggregate's: response and rate, each question's
 * count, mean, median and distribution, its breakdown by level where shown, and its trend. Empty when
 * they agree. `quarterOfRun` maps the raw trend's runs to the report's quarters.
 */
export function differences(
  content: LearningReportContent,
  raw: RawReport,
  quarterOfRun: Record<string, string>,
): string[] {
  const found: string[] = [];
  const expect = (what: string, ours: unknown, theirs: unknown) => {
    if (ours !== theirs) found.push(`${what}: report ${String(ours)}, raw ${String(theirs)}`);
  };
  expect('invited', content.response.of, raw.response.of);
  expect('responded', content.response.count, raw.response.count);
  expect('response rate', content.response.rate, raw.response.rate);
  for (const entry of content.response.byLevel) {
    if ('suppressed' in entry) continue;
    expect(`invited ${entry.level}`, entry.of, raw.response.byLevel[entry.level]?.of);
    expect(`responded ${entry.level}`, entry.count, raw.response.byLevel[entry.level]?.count);
  }
  for (const question of content.questions) {
    const theirs = raw.questions[question.key];
    if (!theirs) {
      found.push(`${question.key}: missing from the raw aggregate`);
      continue;
    }
    expect(`${question.key} responses`, question.responses, theirs.responses);
    expect(`${question.key} mean`, question.mean, theirs.mean);
    expect(`${question.key} median`, question.median, theirs.median);
    for (const { value, count } of question.distribution)
      expect(`${question.key} = ${value}`, count, theirs.distribution[String(value)] ?? 0);
    for (const entry of question.byLevel) {
      if ('suppressed' in entry) continue;
      expect(
        `${question.key} responses ${entry.level}`,
        entry.responses,
        theirs.byLevel[entry.level]?.responses,
      );
      expect(`${question.key} mean ${entry.level}`, entry.mean, theirs.byLevel[entry.level]?.mean);
    }
    const trend = Object.entries(theirs.trend).map(([run, point]) => ({
      quarterId: quarterOfRun[run],
      ...point,
    }));
    expect(`${question.key} trend quarters`, question.trend.length, trend.length);
    for (const point of question.trend) {
      const other = trend.find((t) => t.quarterId === point.quarterId);
      expect(`${question.key} responses in ${point.quarterLabel}`, point.responses, other?.responses);
      expect(`${question.key} mean in ${point.quarterLabel}`, point.mean, other?.mean);
    }
  }
  return found;
}

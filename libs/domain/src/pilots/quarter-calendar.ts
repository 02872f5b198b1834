import { DateTime } from 'luxon';

/**
 * A quarter of an organization's year, e.g. `2027-Q1`. With a fiscal year that starts in another month
 * than January, the year is the fiscal year, named after the calendar year it ends in: with a year
 * starting in July, `2027-Q1` is July to September 2026, `2027-Q4` April to June 2027.
 */
export interface CalendarQuarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

export interface QuarterDates {
  label: string;
  startsOn: string;
  endsOn: string;
  startsAt: Date;
  endsAt: Date;
}

const LABEL = /^(\d{4})-Q([1-4])$/;

export function parseQuarterLabel(label: string): CalendarQuarter | null {
  const match = LABEL.exec(label);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return null;
  return { year, quarter: Number(match[2]) as CalendarQuarter['quarter'] };
}

export function formatQuarterLabel({ year, quarter }: CalendarQuarter): string {
  return `${year}-Q${quarter}`;
}

export function nextQuarter({ year, quarter }: CalendarQuarter, steps = 1): CalendarQuarter {
  const index = year * 4 + (quarter - 1) + steps;
  return { year: Math.floor(index / 4), quarter: ((index % 4) + 1) as CalendarQuarter['quarter'] };
}

/**
 * The dates of a quarter in a time zone: its first and last day, and the instants of local midnight at
 * its start and at the start of the following quarter. `fiscalYearStartMonth` (1–12, 1 = the calendar
 * year) is the month the organization's year starts in.
 */
export function quarterDates(q: CalendarQuarter, timeZone: string, fiscalYearStartMonth = 1): QuarterDates {
  // A fiscal year that does not start in January began in the calendar year before the one it is named after.
  const start = DateTime.fromObject(
    { year: q.year - (fiscalYearStartMonth > 1 ? 1 : 0), month: fiscalYearStartMonth, day: 1 },
    { zone: timeZone },
  ).plus({ months: (q.quarter - 1) * 3 });
  const end = start.plus({ months: 3 });
  return {
    label: formatQuarterLabel(q),
    startsOn: start.toISODate()!,
    endsOn: end.minus({ days: 1 }).toISODate()!,
    startsAt: start.toJSDate(),
    endsAt: end.toJSDate(),
  };
}

/** `count` consecutive quarters from `first`. */
export function quarterSeries(
  first: CalendarQuarter,
  count: number,
  timeZone: string,
  fiscalYearStartMonth = 1,
): QuarterDates[] {
  return Array.from({ length: count }, (_, i) =>
    quarterDates(nextQuarter(first, i), timeZone, fiscalYearStartMonth),
  );
}

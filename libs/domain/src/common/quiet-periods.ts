import { DateTime } from 'luxon';
import type { QuietPeriod } from '@luotsi/database';

/**
 * An organization's quiet periods (e.g. the July holiday), every year: the day math that the cadence
 * (steps move out of them) and the delivery (mail already written waits) share.
 */

/** The day after `day` (`YYYY-MM-DD`). */
const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3600 * 1000).toISOString().slice(0, 10);

/**
 * The last day (`YYYY-MM-DD`) of the quiet period that `day` falls in; null when it falls in none. A
 * period runs from `start` to `end` every year, both inclusive; one whose end comes before its start
 * runs over the new year. A period ending on 02-29 ends on 02-28 in other years.
 */
function quietUntil(day: string, period: QuietPeriod): string | null {
  const year = Number(day.slice(0, 4));
  const monthDay = day.slice(5);
  const endIn = (y: number) => {
    const end = `${y}-${period.end}`;
    return period.end === '02-29' && new Date(`${end}T00:00:00Z`).getUTCDate() !== 29 ? `${y}-02-28` : end;
  };
  if (period.start <= period.end)
    return monthDay >= period.start && monthDay <= period.end ? endIn(year) : null;
  if (monthDay >= period.start) return endIn(year + 1);
  if (monthDay <= period.end) return endIn(year);
  return null;
}

/**
 * The day a step dated `day` goes out in an organization with these quiet periods: the day itself, or
 * the first day after the quiet period it falls in (and after any period that day falls in again).
 */
export function dayOutsideQuietPeriods(day: string, periods: readonly QuietPeriod[]): string {
  let current = day;
  // Periods may touch or overlap; each pass leaves one, and there are only so many.
  for (let pass = 0; pass <= periods.length; pass++) {
    const ends = periods.map((period) => quietUntil(current, period)).filter((end) => end !== null);
    if (!ends.length) return current;
    current = nextDay(ends.sort().at(-1)!);
  }
  return current;
}

/**
 * When mail due at `at` may go instead, if `at` falls in a quiet period in `timeZone`: local midnight of
 * the first day after it. Null when it falls in none.
 */
export function quietPeriodEndsAt(at: Date, timeZone: string, periods: readonly QuietPeriod[]): Date | null {
  if (!periods.length) return null;
  const day = DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
  const after = dayOutsideQuietPeriods(day, periods);
  return after === day ? null : DateTime.fromISO(after, { zone: timeZone }).toJSDate();
}

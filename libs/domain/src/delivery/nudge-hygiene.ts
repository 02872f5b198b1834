import { DateTime } from 'luxon';

/**
 * When a send must wait because the recipient's local time is inside the quiet hours, returns the end
 * of the quiet hours (the next moment sending is fine); otherwise null. The window may wrap midnight.
 */
export function quietUntil(now: Date, timeZone: string, start: string, end: string): Date | null {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const minutes = local.hour * 60 + local.minute;
  const [startMin, endMin] = [start, end].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  if (startMin === endMin) return null;
  const inside =
    startMin < endMin ? minutes >= startMin && minutes < endMin : minutes >= startMin || minutes < endMin;
  if (!inside) return null;
  let until = local.set({ hour: Math.floor(endMin / 60), minute: endMin % 60, second: 0, millisecond: 0 });
  if (until <= local) until = until.plus({ days: 1 });
  return until.toJSDate();
}

export const WEEK_MS = 7 * 24 * 3600 * 1000;

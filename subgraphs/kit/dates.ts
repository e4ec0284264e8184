/**
 * The register's calendar is Kazakhstan's: one time zone, UTC+5, no daylight
 * saving since 1 March 2024. "Today" (no future dates, defaults) is that day,
 * not UTC's: at 00:30 in Astana staff record today's work, not tomorrow's.
 */
export const REGISTER_UTC_OFFSET_HOURS = 5;

/** The register's calendar day `offsetDays` from today, 'YYYY-MM-DD'. */
export function calendarDay(offsetDays = 0, now: Date = new Date()): string {
  return new Date(now.getTime() + REGISTER_UTC_OFFSET_HOURS * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Today in the register's calendar (Kazakhstan, UTC+5). */
export function today(now: Date = new Date()): string {
  return calendarDay(0, now);
}

/** Calendar arithmetic on 'YYYY-MM-DD' days. */
function toDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function addDays(day: string, days: number): string {
  const date = toDate(day);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The last day of a period of `years` years starting on `start` (2026-01-01 + 1 year ends 2026-12-31). */
export function lastDayOfYears(start: string, years: number): string {
  const date = toDate(start);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return addDays(date.toISOString().slice(0, 10), -1);
}

/** Days from one calendar day to another (both 'YYYY-MM-DD'); negative when `to` is earlier. */
export function daysFrom(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);
}

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

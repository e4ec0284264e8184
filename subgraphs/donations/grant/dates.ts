/** Calendar arithmetic on 'YYYY-MM-DD' days, in UTC. */
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

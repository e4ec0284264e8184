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

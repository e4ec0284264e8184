import { today } from '../../kit/index.ts';

/**
 * The status rule, documented in README.md:
 * - the part of a target due by today (`expectedShare`) is 0 before the year
 *   begins, 1 once it is over, and in between the share of the year's days
 *   elapsed in Kazakhstan's calendar (today included);
 * - ACHIEVED when actual ≥ target; ON_TRACK when actual ≥ target × expectedShare;
 *   BEHIND otherwise; NO_TARGET when no target is set.
 * A year that is over therefore ends ACHIEVED or BEHIND.
 */
export type ProgressStatus = 'ACHIEVED' | 'ON_TRACK' | 'BEHIND' | 'NO_TARGET';

const dayNumber = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;

export function expectedShare(year: number, now: Date = new Date()): number {
  const day = today(now);
  const current = Number(day.slice(0, 4));
  if (year < current) return 1;
  if (year > current) return 0;
  const elapsed = dayNumber(day) - dayNumber(`${year}-01-01`) + 1;
  const days = dayNumber(`${year + 1}-01-01`) - dayNumber(`${year}-01-01`);
  return elapsed / days;
}

export function progressStatus(target: number | null, actual: number, expected: number): ProgressStatus {
  if (target === null) return 'NO_TARGET';
  if (actual >= target) return 'ACHIEVED';
  return actual >= target * expected ? 'ON_TRACK' : 'BEHIND';
}

import { DomainError, money, type Money } from '../../kit/index.ts';
import type { ReplacementRate, WorkByYearAndType } from './totals.repository.ts';

/** What `ApprovedHours` shows: sums from the rollups and their replacement value. */
export interface ApprovedHours {
  /** Exact sums (BigInt): a national total over years is not bounded by a JS number. */
  minutes: bigint;
  iloMinutes: bigint;
  records: number;
  replacementValueMinor: bigint;
}

/** Minutes to hours rounded half up to two decimals, computed in BigInt (the Float shows the exact decimal). */
export const toHours = (minutes: number | bigint): number => {
  const hundredths = (BigInt(minutes) * 100n + 30n) / 60n;
  return Number(`${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`);
};

/**
 * GraphQL's `Int` is 32-bit: a sum of minutes past 2^31 − 1 (35.8 million hours)
 * cannot be shown as `minutes`. The exact hours stay in `hours`; the field is an
 * error (not a rounded or wrapped number).
 */
export function minutesAsInt(minutes: bigint, field: string): number {
  if (minutes > 2_147_483_647n)
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field} is ${minutes}, more than a GraphQL Int holds: read hours instead, or ask for a shorter period`,
      { argumentName: field },
    );
  return Number(minutes);
}

export const NO_HOURS: ApprovedHours = { minutes: 0n, iloMinutes: 0n, records: 0, replacementValueMinor: 0n };

/**
 * The hourly rate for work of a year and type: that year's rate, else the
 * latest earlier year's, else the earliest known; an unknown type is valued as
 * OTHER. Rates are KZT minor units per hour.
 */
export function rateFor(rates: readonly ReplacementRate[], year: number, activityType: string): bigint {
  const ofType = rates.filter((r) => r.activityType === activityType);
  const candidates = ofType.length ? ofType : rates.filter((r) => r.activityType === 'OTHER');
  if (candidates.length === 0) return 0n;
  const sorted = [...candidates].sort((a, b) => a.year - b.year);
  const atOrBefore = sorted.filter((r) => r.year <= year).at(-1);
  return BigInt((atOrBefore ?? sorted[0]!).hourlyRateMinor);
}

/** Sums rows by year and type; money in BigInt minor units, rounded half up once at the end. */
export function summarizeApprovedHours(rows: readonly WorkByYearAndType[], rates: readonly ReplacementRate[]): ApprovedHours {
  let minutes = 0n;
  let iloMinutes = 0n;
  let records = 0;
  let minuteValue = 0n; // minutes × rate per hour
  for (const row of rows) {
    minutes += row.minutes;
    iloMinutes += row.iloMinutes;
    records += row.records;
    minuteValue += row.iloMinutes * rateFor(rates, row.year, row.activityType);
  }
  return { minutes, iloMinutes, records, replacementValueMinor: (minuteValue + 30n) / 60n };
}

export const approvedHoursResolvers = {
  ApprovedHours: {
    minutes: (h: ApprovedHours) => minutesAsInt(h.minutes, 'minutes'),
    iloMinutes: (h: ApprovedHours) => minutesAsInt(h.iloMinutes, 'iloMinutes'),
    hours: (h: ApprovedHours) => toHours(h.minutes),
    iloHours: (h: ApprovedHours) => toHours(h.iloMinutes),
    replacementValue: (h: ApprovedHours): Money => money(h.replacementValueMinor, 'KZT'),
  },
};

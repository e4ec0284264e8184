import { money, type Money } from '../../kit/index.ts';
import type { ReplacementRate, WorkByYearAndType } from './totals.repository.ts';

/** What `ApprovedHours` shows: sums from the rollups and their replacement value. */
export interface ApprovedHours {
  minutes: number;
  iloMinutes: number;
  records: number;
  replacementValueMinor: bigint;
}

export const toHours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

export const NO_HOURS: ApprovedHours = { minutes: 0, iloMinutes: 0, records: 0, replacementValueMinor: 0n };

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
  let minutes = 0;
  let iloMinutes = 0;
  let records = 0;
  let minuteValue = 0n; // minutes × rate per hour
  for (const row of rows) {
    minutes += row.minutes;
    iloMinutes += row.iloMinutes;
    records += row.records;
    minuteValue += BigInt(row.iloMinutes) * rateFor(rates, row.year, row.activityType);
  }
  return { minutes, iloMinutes, records, replacementValueMinor: (minuteValue + 30n) / 60n };
}

export const approvedHoursResolvers = {
  ApprovedHours: {
    hours: (h: ApprovedHours) => toHours(h.minutes),
    iloHours: (h: ApprovedHours) => toHours(h.iloMinutes),
    replacementValue: (h: ApprovedHours): Money => money(h.replacementValueMinor, 'KZT'),
  },
};

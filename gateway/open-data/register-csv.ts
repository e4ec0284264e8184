/**
 * The aggregate register per region as CSV (RFC 4180): organizations,
 * volunteers, approved hours and donations of a year. Counts and totals only.
 */
import type { OpenRegion } from './queries.ts';

export const REGISTER_COLUMNS = [
  'year',
  'region_code',
  'region_iso',
  'region_name_en',
  'region_name_kk',
  'organizations',
  'volunteers',
  'approved_hours',
  'approved_hour_records',
  'donations_amount',
  'donations_currency',
] as const;

export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function registerCsv(year: number, regions: readonly OpenRegion[]): string {
  const rows = [...regions]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((r) => [
      year,
      r.code,
      r.iso,
      r.nameEn,
      r.nameKk,
      r.organizationCount,
      r.volunteerCount,
      r.approvedHours.hours,
      r.approvedHours.records,
      r.donationsTotal.amount,
      r.donationsTotal.currency,
    ]);
  return [REGISTER_COLUMNS, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

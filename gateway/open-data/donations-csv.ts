/**
 * Donations of a year as open data, CSV (RFC 4180): per recipient region, month,
 * currency and donor type, the number of donations and their gross amount (in the
 * currency given and in KZT at each donation's own official rate). Aggregates
 * only: no donor, no recipient, no receipt; the donations subgraph leaves out any
 * cell of fewer than its minimum count (5) and says how many it left out.
 */
import { csvField } from './register-csv.ts';

export interface OpenDonationCell {
  regionCode: string;
  month: number;
  currency: string;
  donorType: string;
  donations: number;
  amount: { amount: string };
  amountKzt: { amount: string };
}

export interface OpenDonationAggregates {
  year: number;
  minimumCount: number;
  cells: OpenDonationCell[];
  suppressedCells: number;
  suppressedDonations: number;
}

export const DONATIONS_QUERY = `query OpenDataDonations($year: Int!) {
  donationAggregates(year: $year) {
    year minimumCount suppressedCells suppressedDonations
    cells { regionCode month currency donorType donations amount { amount } amountKzt { amount } }
  }
}`;

export const DONATIONS_COLUMNS = ['year', 'month', 'region_code', 'currency', 'donor_type', 'donations', 'amount', 'amount_kzt'] as const;

export function donationsCsv(data: OpenDonationAggregates): string {
  const rows = data.cells.map((c) => [
    data.year,
    c.month,
    c.regionCode,
    c.currency,
    c.donorType,
    c.donations,
    c.amount.amount,
    c.amountKzt.amount,
  ]);
  return [DONATIONS_COLUMNS, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

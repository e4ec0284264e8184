import { sql, type Kysely } from 'kysely';
import type { DonationsDB } from '../migrations/tables.ts';
import { bigintOf } from '../money/money.ts';

/**
 * The fewest donations a published cell may count: a cell of fewer could point
 * at a donor (a region's only company giving in a month). Cells under it are
 * left out and counted in `suppressedCells` / `suppressedDonations`.
 */
export const OPEN_DATA_MIN_COUNT = 5;

export interface AggregateCell {
  regionCode: string;
  month: number;
  currency: string;
  donorType: string;
  donations: number;
  amountMinor: bigint;
  amountKzt: bigint;
}

export interface DonationAggregates {
  year: number;
  minimumCount: number;
  cells: AggregateCell[];
  suppressedCells: number;
  suppressedDonations: number;
}

/**
 * Donations of a year per recipient region, month, currency and donor type
 * (gross: refunds are not deducted), in one grouped statement; no donor, no
 * recipient, no receipt. Cells under OPEN_DATA_MIN_COUNT are suppressed.
 */
export async function donationAggregates(db: Kysely<DonationsDB>, year: number): Promise<DonationAggregates> {
  const { rows } = await sql<{
    region_code: string;
    month: number;
    currency: string;
    donor_type: string;
    donations: number;
    amount_minor: string;
    amount_kzt: string;
  }>`
    select recipient_region_code as region_code, extract(month from donated_on)::int as month, currency, donor_type,
           count(*)::int as donations, sum(amount_minor)::text as amount_minor, sum(amount_kzt)::text as amount_kzt
    from donations
    where donated_on >= ${`${year}-01-01`} and donated_on <= ${`${year}-12-31`}
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4`.execute(db);
  const cells: AggregateCell[] = [];
  let suppressedCells = 0;
  let suppressedDonations = 0;
  for (const r of rows) {
    if (r.donations < OPEN_DATA_MIN_COUNT) {
      suppressedCells++;
      suppressedDonations += r.donations;
      continue;
    }
    cells.push({
      regionCode: r.region_code,
      month: r.month,
      currency: r.currency,
      donorType: r.donor_type,
      donations: r.donations,
      amountMinor: bigintOf(r.amount_minor),
      amountKzt: bigintOf(r.amount_kzt),
    });
  }
  return { year, minimumCount: OPEN_DATA_MIN_COUNT, cells, suppressedCells, suppressedDonations };
}

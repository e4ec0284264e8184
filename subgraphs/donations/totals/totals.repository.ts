import { sql, type Kysely } from 'kysely';
import type { DonationKind } from '../donation/donation.repository.ts';
import type { DonorType, Residency } from '../donor/donor.repository.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { bigintOf, sqlMinor } from '../money/money.ts';

/**
 * Rollups of the donation ledger, moved in the same transaction as each
 * donation (+amount, +1) and refund (−amount, +0). A refund counts on its own
 * date, with the recipient, region, donor type, residency and kind of the
 * donation it reverses. Reads sum at most a few hundred rollup rows, whatever
 * the number of donations.
 */
export interface RollupEntry {
  organizationId: string;
  regionCode: string;
  day: string;
  donorType: DonorType;
  residency: Residency;
  kind: DonationKind;
  foreignSource: boolean;
  amountKzt: bigint;
  donations: number;
}

export async function addToRollups(db: Kysely<DonationsDB>, e: RollupEntry): Promise<void> {
  const amount = sqlMinor(e.amountKzt);
  await db
    .insertInto('donation_daily_totals')
    .values({ organization_id: e.organizationId, day: e.day, amount_kzt: amount, donation_count: e.donations })
    .onConflict((oc) =>
      oc.columns(['organization_id', 'day']).doUpdateSet({
        amount_kzt: sql`donation_daily_totals.amount_kzt + excluded.amount_kzt`,
        donation_count: sql`donation_daily_totals.donation_count + excluded.donation_count`,
      }),
    )
    .execute();
  await db
    .insertInto('donation_region_totals')
    .values({
      region_code: e.regionCode,
      year: Number(e.day.slice(0, 4)),
      donor_type: e.donorType,
      residency: e.residency,
      kind: e.kind,
      foreign_source: e.foreignSource,
      amount_kzt: amount,
      donation_count: e.donations,
    })
    .onConflict((oc) =>
      oc.columns(['year', 'region_code', 'donor_type', 'residency', 'kind', 'foreign_source']).doUpdateSet({
        amount_kzt: sql`donation_region_totals.amount_kzt + excluded.amount_kzt`,
        donation_count: sql`donation_region_totals.donation_count + excluded.donation_count`,
      }),
    )
    .execute();
}

export interface ReceivedRange {
  organizationId: string;
  from: string | null;
  to: string | null;
}

/** Net KZT received by each organization between two days (inclusive), for keys sharing one range. */
export async function sumReceived(
  db: Kysely<DonationsDB>,
  organizationIds: readonly string[],
  from: string | null,
  to: string | null,
): Promise<{ organizationId: string; amountKzt: bigint }[]> {
  if (organizationIds.length === 0) return [];
  let query = db
    .selectFrom('donation_daily_totals')
    .select(['organization_id', sql<string>`sum(amount_kzt)::text`.as('amount_kzt')])
    .where('organization_id', 'in', organizationIds);
  if (from) query = query.where('day', '>=', from);
  if (to) query = query.where('day', '<=', to);
  const rows = await query.groupBy('organization_id').execute();
  return rows.map((r) => ({ organizationId: r.organization_id, amountKzt: bigintOf(r.amount_kzt) }));
}

export interface RegionTotalRow {
  regionCode: string;
  year: number;
  donorType: string;
  residency: string;
  kind: string;
  foreignSource: boolean;
  amountKzt: bigint;
  donationCount: number;
}

/** Rollup rows of a year, for some regions or (null) all of them. */
export async function findRegionTotals(
  db: Kysely<DonationsDB>,
  year: number,
  regionCodes: readonly string[] | null,
): Promise<RegionTotalRow[]> {
  if (regionCodes && regionCodes.length === 0) return [];
  let query = db.selectFrom('donation_region_totals').selectAll().where('year', '=', year);
  if (regionCodes) query = query.where('region_code', 'in', regionCodes);
  const rows = await query.execute();
  return rows.map((r) => ({
    regionCode: r.region_code,
    year: r.year,
    donorType: r.donor_type,
    residency: r.residency,
    kind: r.kind,
    foreignSource: r.foreign_source,
    amountKzt: bigintOf(r.amount_kzt),
    donationCount: r.donation_count,
  }));
}

import { sql, type Kysely } from 'kysely';
import { invariant, NATIONAL, type RegionYearRow } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { bigintOf, KZT, toKzt } from '../money/money.ts';

/** What the donations subgraph contributes to RegionYear, in tiyn. */
export interface DonationFigures extends Record<string, bigint> {
  donationsKzt: bigint;
  grantsDisbursedKzt: bigint;
}

export const noDonationFigures = (): DonationFigures => ({ donationsKzt: 0n, grantsDisbursedKzt: 0n });

/**
 * The figures of every region in some years, in two statements: donations
 * received by the region's organizations (net KZT, the rollup Region.donationsTotal
 * reads), and grant instalments paid in the year to applicants of the region,
 * each currency at the official rate of its payment day (or the last before).
 * Instalments of grants whose application predates the applicant's region
 * count nationally only.
 */
export async function regionYearFigures(db: Kysely<DonationsDB>, years: readonly number[]): Promise<RegionYearRow<DonationFigures>[]> {
  if (years.length === 0) return [];
  const donations = await db
    .selectFrom('donation_region_totals')
    .select(['region_code', 'year', sql<string>`sum(amount_kzt)::text`.as('amount_kzt')])
    .where('year', 'in', years)
    .groupBy(['region_code', 'year'])
    .execute();
  const { rows: paid } = await sql<{
    region_code: string | null;
    year: number;
    currency: string;
    rate_micro: string | null;
    amount_minor: string;
  }>`
    select a.applicant_region_code as region_code, extract(year from d.paid_on)::int as year, g.currency, r.rate_micro::text as rate_micro,
           sum(d.amount_minor)::text as amount_minor
    from disbursements d
    join grants g on g.id = d.grant_id
    join grant_applications a on a.id = g.application_id
    left join lateral (
      select rate_micro from exchange_rates x where x.currency = g.currency and x.rate_date <= d.paid_on order by x.rate_date desc limit 1
    ) r on g.currency <> ${KZT}
    where extract(year from d.paid_on)::int in (${sql.join(years)})
    group by 1, 2, 3, 4
  `.execute(db);
  const rows: RegionYearRow<DonationFigures>[] = donations.map((r) => ({
    regionCode: r.region_code,
    year: r.year,
    figures: { donationsKzt: bigintOf(r.amount_kzt) },
  }));
  const unplaced = new Map<number, bigint>();
  for (const p of paid) {
    let kzt = bigintOf(p.amount_minor);
    if (p.currency !== KZT) {
      invariant(p.rate_micro !== null, `an official ${p.currency} rate on or before a grant payment of ${p.year}`);
      kzt = toKzt(kzt, p.currency, bigintOf(p.rate_micro));
    }
    if (p.region_code) rows.push({ regionCode: p.region_code, year: p.year, figures: { grantsDisbursedKzt: kzt } });
    else unplaced.set(p.year, (unplaced.get(p.year) ?? 0n) + kzt);
  }
  // The nation: the regions' sum plus what no region can be named for.
  for (const [year, kzt] of unplaced) {
    const placed = rows.filter((r) => r.year === year).reduce((n, r) => n + (r.figures.grantsDisbursedKzt ?? 0n), 0n);
    rows.push({ regionCode: NATIONAL, year, figures: { grantsDisbursedKzt: placed + kzt } });
  }
  return rows;
}

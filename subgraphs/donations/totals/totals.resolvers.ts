import { donationAggregates, type AggregateCell } from './open-aggregates.ts';
import {
  BadUserInput,
  isId,
  isRegionCode,
  money,
  parseDay,
  parseRegionCode,
  parseYear,
  toConnection,
  type PageArgs,
} from '../../kit/index.ts';
import { campaignsOfOrganization } from '../campaign/campaign.resolvers.ts';
import type { DonationsContext } from '../context.ts';
import { parseGrantPage } from '../grant/grant.resolvers.ts';
import { grantCursor, listGrants } from '../grant/grant.repository.ts';
import { KZT } from '../money/money.ts';
import { findRegionTotals, type RegionTotalRow } from './totals.repository.ts';

const DONOR_TYPES = ['INDIVIDUAL', 'CORPORATE', 'STATE', 'FOREIGN_STATE', 'INTERNATIONAL_ORG', 'FOUNDATION', 'ANONYMOUS'] as const;
const RESIDENCIES = ['RESIDENT', 'NON_RESIDENT'] as const;

function sum(rows: readonly RegionTotalRow[], where: (r: RegionTotalRow) => boolean = () => true) {
  let amount = 0n;
  let count = 0;
  for (const r of rows) {
    if (!where(r)) continue;
    amount += r.amountKzt;
    count += r.donationCount;
  }
  return { total: money(amount, KZT), donationCount: count };
}

/** A year's totals (KZT, net of refunds) from rollup rows, with every donor type and residency listed. */
export function summarizeTotals(year: number, rows: readonly RegionTotalRow[]) {
  const all = sum(rows);
  return {
    year,
    total: all.total,
    donationCount: all.donationCount,
    monetary: sum(rows, (r) => r.kind === 'MONETARY').total,
    inKind: sum(rows, (r) => r.kind === 'IN_KIND').total,
    foreignSource: sum(rows, (r) => r.foreignSource).total,
    byDonorType: DONOR_TYPES.map((donorType) => ({ donorType, ...sum(rows, (r) => r.donorType === donorType) })),
    byResidency: RESIDENCIES.map((residency) => ({ residency, ...sum(rows, (r) => r.residency === residency) })),
  };
}

export const totalsResolvers = {
  Query: {
    donationAggregates: async (_: unknown, args: { year: number }, { db }: DonationsContext) =>
      donationAggregates(db, parseYear(args.year, 'year')),
    donationTotals: async (_: unknown, args: { year: number; regionCode?: string | null }, { db }: DonationsContext) => {
      const year = parseYear(args.year, 'year');
      const regionCode = args.regionCode ? parseRegionCode(args.regionCode, 'regionCode') : null;
      return summarizeTotals(year, await findRegionTotals(db, year, regionCode ? [regionCode] : null));
    },
  },
  Region: {
    __resolveReference: (ref: { code: string }) => (isRegionCode(ref.code) ? { code: ref.code } : null),
    donationsTotal: async (region: { code: string }, args: { year: number }, { loaders }: DonationsContext) => {
      const year = parseYear(args.year, 'year');
      return sum(await loaders.regionTotals.load({ regionCode: region.code, year })).total;
    },
    donationTotals: async (region: { code: string }, args: { year: number }, { loaders }: DonationsContext) => {
      const year = parseYear(args.year, 'year');
      return summarizeTotals(year, await loaders.regionTotals.load({ regionCode: region.code, year }));
    },
  },
  Organization: {
    __resolveReference: (ref: { id: string }) => (isId(ref.id) ? { id: ref.id.toLowerCase() } : null),
    donationsReceived: async (
      organization: { id: string },
      args: { from?: string | null; to?: string | null },
      { loaders }: DonationsContext,
    ) => {
      const from = args.from ? parseDay(args.from, 'from') : null;
      const to = args.to ? parseDay(args.to, 'to') : null;
      if (from && to && to < from) throw new BadUserInput('to', 'before from');
      const row = await loaders.receivedByOrganization.load({ organizationId: organization.id, from, to });
      return money(row?.amountKzt ?? 0n, KZT);
    },
    campaigns: (organization: { id: string }, args: PageArgs, context: DonationsContext) =>
      campaignsOfOrganization(organization.id, args, context),
    grants: async (organization: { id: string }, args: PageArgs, { db, loaders }: DonationsContext) => {
      const page = parseGrantPage(args);
      const rows = page.after
        ? await listGrants(db, { recipientId: organization.id }, page)
        : (await loaders.firstGrantsOfRecipient.load({ id: organization.id, limit: page.limit })).map((e) => e.row);
      return toConnection(rows, page, grantCursor);
    },
  },
  DonationAggregateCell: {
    amount: (c: AggregateCell) => money(c.amountMinor, c.currency),
    amountKzt: (c: AggregateCell) => money(c.amountKzt, KZT),
  },
};

import { BadUserInput, isId, isRegionCode, money, parseDay, parseInteger, parseYear } from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import { summarizeApprovedHours } from './approved-hours.ts';
import type { ReplacementRate } from './totals.repository.ts';

interface OrganizationRef {
  id: string;
}
interface RegionRef {
  code: string;
}

export const totalsResolvers = {
  Query: {
    replacementRates: async (_: unknown, { year }: { year?: number | null }, { loaders }: VolunteersContext) => {
      const rates = await loaders.replacementRates.load('all');
      if (year === null || year === undefined) return rates;
      const wanted = parseYear(year, 'year');
      return rates.filter((r) => r.year === wanted);
    },
  },
  ReplacementRate: {
    hourlyRate: (r: ReplacementRate) => money(r.hourlyRateMinor, r.currency),
  },
  Organization: {
    __resolveReference: (ref: OrganizationRef): OrganizationRef | null => (isId(ref.id) ? { id: ref.id.toLowerCase() } : null),
    volunteerCount: async (o: OrganizationRef, _: unknown, { loaders }: VolunteersContext) =>
      (await loaders.organizationVolunteerCount.load(o.id))?.volunteer_count ?? 0,
    approvedHours: async (o: OrganizationRef, args: { from?: string | null; to?: string | null }, { loaders }: VolunteersContext) => {
      const from = args.from ? parseDay(args.from, 'from') : null;
      const to = args.to ? parseDay(args.to, 'to') : null;
      if (from && to && to < from) throw new BadUserInput('to', 'is before from');
      const [rows, rates] = await Promise.all([loaders.organizationHours.load({ organizationId: o.id, from, to }), loaders.replacementRates.load('all')]);
      return summarizeApprovedHours(rows, rates);
    },
  },
  Region: {
    __resolveReference: (ref: RegionRef): RegionRef | null => (isRegionCode(ref.code) ? { code: ref.code } : null),
    volunteerCount: async (r: RegionRef, _: unknown, { loaders }: VolunteersContext) => (await loaders.regionVolunteerCount.load(r.code))?.volunteer_count ?? 0,
    approvedHours: async (r: RegionRef, args: { year: number; month?: number | null }, { loaders }: VolunteersContext) => {
      const year = parseYear(args.year, 'year');
      const month = args.month === null || args.month === undefined ? null : parseInteger(args.month, 'month', 1, 12);
      const [rows, rates] = await Promise.all([loaders.regionHours.load({ regionCode: r.code, year, month }), loaders.replacementRates.load('all')]);
      return summarizeApprovedHours(rows, rates);
    },
  },
};

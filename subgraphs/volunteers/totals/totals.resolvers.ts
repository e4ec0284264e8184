import { BadUserInput, isId, isRegionCode, money, parseDay, parseInteger, parseYear, REGIONS } from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import { AGE_BANDS, type AgeBand } from '../volunteer/age.ts';
import type { RegionAgeBandCount } from './active-volunteers.repository.ts';
import { summarizeApprovedHours } from './approved-hours.ts';
import type { ReplacementRate } from './totals.repository.ts';

interface OrganizationRef {
  id: string;
}
interface RegionRef {
  code: string;
}

interface AgeBandCount {
  ageBand: AgeBand;
  volunteers: number;
}

/** Every band of one region, in band order, zero where nobody was active. */
function bandsOf(counts: readonly RegionAgeBandCount[], regionCode: string): AgeBandCount[] {
  return AGE_BANDS.map((ageBand) => ({
    ageBand,
    volunteers: counts.find((c) => c.regionCode === regionCode && c.ageBand === ageBand)?.volunteers ?? 0,
  }));
}

export const totalsResolvers = {
  Query: {
    activeVolunteersByRegion: async (_: unknown, args: { year: number }, { loaders }: VolunteersContext) => {
      const counts = await loaders.activeVolunteersOfYear.load(parseYear(args.year, 'year'));
      return REGIONS.flatMap((region) => bandsOf(counts, region.code).map((b) => ({ region: { code: region.code }, ...b })));
    },
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
      const [rows, rates] = await Promise.all([
        loaders.organizationHours.load({ organizationId: o.id, from, to }),
        loaders.replacementRates.load('all'),
      ]);
      return summarizeApprovedHours(rows, rates);
    },
  },
  Region: {
    __resolveReference: (ref: RegionRef): RegionRef | null => (isRegionCode(ref.code) ? { code: ref.code } : null),
    volunteerCount: async (r: RegionRef, _: unknown, { loaders }: VolunteersContext) =>
      (await loaders.regionVolunteerCount.load(r.code))?.volunteer_count ?? 0,
    approvedHours: async (r: RegionRef, args: { year: number; month?: number | null }, { loaders }: VolunteersContext) => {
      const year = parseYear(args.year, 'year');
      const month = args.month === null || args.month === undefined ? null : parseInteger(args.month, 'month', 1, 12);
      const [rows, rates] = await Promise.all([
        loaders.regionHours.load({ regionCode: r.code, year, month }),
        loaders.replacementRates.load('all'),
      ]);
      return summarizeApprovedHours(rows, rates);
    },
    activeVolunteers: async (r: RegionRef, args: { year: number }, { loaders }: VolunteersContext) =>
      bandsOf(await loaders.activeVolunteersOfYear.load(parseYear(args.year, 'year')), r.code),
  },
};

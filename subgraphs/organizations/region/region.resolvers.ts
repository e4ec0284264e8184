import { BadUserInput, isRegionCode } from '../../kit/index.ts';
import type { OrganizationsContext } from '../context.ts';
import { listRegions, type Region } from './region.repository.ts';

export const regionResolvers = {
  Query: {
    regions: (_: unknown, __: unknown, { db }: OrganizationsContext) => listRegions(db),
    // A malformed code is the caller's mistake; a well-formed unknown one is simply no region.
    region: (_: unknown, { code }: { code: string }, { loaders }: OrganizationsContext) => {
      if (!/^\d{9}$/.test(code)) throw new BadUserInput('code', 'a KATO region code is 9 digits, e.g. 710000000');
      return isRegionCode(code) ? loaders.regionByCode.load(code) : null;
    },
  },
  Region: {
    __resolveReference: (ref: { code: string }, { loaders }: OrganizationsContext) =>
      isRegionCode(ref.code) ? loaders.regionByCode.load(ref.code) : null,
    frontOffice: (region: Region, _: unknown, { loaders }: OrganizationsContext) => loaders.frontOfficeByRegion.load(region.code),
    organizationCount: async (region: Region, _: unknown, { loaders }: OrganizationsContext) =>
      (await loaders.organizationCountByRegion.load(region.code))?.count ?? 0,
  },
};

import { regionYearOf, type RegionYearKey } from '../../kit/index.ts';
import type { OrganizationsContext } from '../context.ts';

/** RegionYear's organization figures: one batch of keys (20 regions, the nation) costs two statements. */
export const regionYearResolvers = {
  RegionYear: {
    __resolveReference: (ref: { regionCode?: unknown; year?: unknown }) => regionYearOf(ref),
    registeredOrganizations: async (ry: RegionYearKey, _: unknown, { loaders }: OrganizationsContext) =>
      (await loaders.regionYearFigures.load(ry)).registeredOrganizations,
    frontOfficeTrainings: async (ry: RegionYearKey, _: unknown, { loaders }: OrganizationsContext) =>
      (await loaders.regionYearFigures.load(ry)).frontOfficeTrainings,
    peopleTrained: async (ry: RegionYearKey, _: unknown, { loaders }: OrganizationsContext) =>
      (await loaders.regionYearFigures.load(ry)).peopleTrained,
  },
};

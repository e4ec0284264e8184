import { regionYearOf, type RegionYearKey } from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';

/** RegionYear's volunteer figures: one batch of keys (20 regions, the nation) costs the same few statements. */
export const regionYearResolvers = {
  RegionYear: {
    __resolveReference: (ref: { regionCode?: unknown; year?: unknown }) => regionYearOf(ref),
    registeredVolunteers: async (ry: RegionYearKey, _: unknown, { loaders }: VolunteersContext) =>
      (await loaders.regionYearFigures.load(ry)).registeredVolunteers,
    activeVolunteers: async (ry: RegionYearKey, _: unknown, { loaders }: VolunteersContext) =>
      (await loaders.regionYearFigures.load(ry)).activeVolunteers,
    approvedHours: async (ry: RegionYearKey, _: unknown, { loaders }: VolunteersContext) =>
      Math.round(((await loaders.regionYearFigures.load(ry)).approvedMinutes / 60) * 100) / 100,
  },
};

import { regionYearOf, type RegionYearKey } from '../../kit/index.ts';
import type { CooperationContext } from '../context.ts';

/** RegionYear's cooperation figure: one batch of keys (20 regions, the nation) costs one statement. */
export const regionYearResolvers = {
  RegionYear: {
    __resolveReference: (ref: { regionCode?: unknown; year?: unknown }) => regionYearOf(ref),
    missionParticipants: async (ry: RegionYearKey, _: unknown, { loaders }: CooperationContext) =>
      (await loaders.regionYearFigures.load(ry)).missionParticipants,
  },
};

import { formatAmount, regionYearOf, type RegionYearKey } from '../../kit/index.ts';
import type { DonationsContext } from '../context.ts';
import { KZT } from '../money/money.ts';

/** RegionYear's money figures (KZT as Decimal): one batch of keys (20 regions, the nation) costs two statements. */
export const regionYearResolvers = {
  RegionYear: {
    __resolveReference: (ref: { regionCode?: unknown; year?: unknown }) => regionYearOf(ref),
    donationsKzt: async (ry: RegionYearKey, _: unknown, { loaders }: DonationsContext) =>
      formatAmount((await loaders.regionYearFigures.load(ry)).donationsKzt, KZT),
    grantsDisbursedKzt: async (ry: RegionYearKey, _: unknown, { loaders }: DonationsContext) =>
      formatAmount((await loaders.regionYearFigures.load(ry)).grantsDisbursedKzt, KZT),
  },
};

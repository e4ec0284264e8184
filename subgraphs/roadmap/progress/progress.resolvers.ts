import { BadUserInput, NATIONAL, parseRegionCode, parseYear, REGIONS, regionYearOf, type RegionYearKey } from '../../kit/index.ts';
import type { RoadmapContext } from '../context.ts';
import { actualOf } from './figures.ts';
import { expectedShare, progressStatus } from './status.ts';

/** A RegionYear as the gateway hands it back for `progress`: its key and the @required figures. */
type RegionYearWithFigures = RegionYearKey & Record<string, unknown>;

const MAX_REGIONS = REGIONS.length;

export const progressResolvers = {
  Query: {
    roadmapProgress: (_: unknown, args: { year: number; regionCode?: string | null }): RegionYearKey => ({
      regionCode: args.regionCode === null || args.regionCode === undefined ? NATIONAL : parseRegionCode(args.regionCode, 'regionCode'),
      year: parseYear(args.year, 'year'),
    }),
    roadmapProgressByRegion: (_: unknown, args: { year: number; regionCodes?: string[] | null }): RegionYearKey[] => {
      const year = parseYear(args.year, 'year');
      if (args.regionCodes && args.regionCodes.length > MAX_REGIONS)
        throw new BadUserInput('regionCodes', `at most ${MAX_REGIONS} regions`);
      const codes = args.regionCodes
        ? [...new Set(args.regionCodes.map((c, i) => parseRegionCode(c, `regionCodes[${i}]`)))]
        : REGIONS.map((r) => r.code);
      return codes.map((regionCode) => ({ regionCode, year }));
    },
  },
  RegionYear: {
    // The gateway sends the key with the figures `progress` requires; they are passed on, not stored.
    __resolveReference: (ref: RegionYearWithFigures): RegionYearWithFigures | null => {
      const key = regionYearOf(ref);
      return key ? { ...ref, ...key } : null;
    },
    region: (ry: RegionYearKey) => (ry.regionCode === NATIONAL ? null : { code: ry.regionCode }),
    progress: async (ry: RegionYearWithFigures, _: unknown, { loaders }: RoadmapContext) => {
      const [indicators, targets] = await Promise.all([loaders.indicators.load('all'), loaders.targetsOf.load(ry)]);
      const expected = expectedShare(ry.year);
      return indicators
        .filter((indicator) => indicator.phaseStartsOn <= `${ry.year}-12-31`)
        .map((indicator) => {
          const target = targets.find((t) => t.indicatorId === indicator.id)?.value ?? null;
          const actual = actualOf(ry, indicator.figure);
          return {
            indicator,
            target,
            actual,
            share: target === null ? null : actual / target,
            expectedShare: expected,
            status: progressStatus(target, actual, expected),
          };
        });
    },
  },
};

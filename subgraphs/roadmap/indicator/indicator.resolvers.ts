import { invariant, NATIONAL, parseYear } from '../../kit/index.ts';
import type { RoadmapContext } from '../context.ts';
import { FIGURES } from '../progress/figures.ts';
import { listTargets } from '../target/target.repository.ts';
import { parseScope } from '../target/target.service.ts';
import type { Indicator } from './indicator.repository.ts';

/** "national" names the national targets in filters; a region code its own. */
export const parseScopeFilter = (value: string | null | undefined, argument: string): string | undefined =>
  value === null || value === undefined ? undefined : value === NATIONAL ? NATIONAL : parseScope(value, argument);

export const indicatorResolvers = {
  Query: {
    roadmapIndicators: (_: unknown, __: unknown, { loaders }: RoadmapContext) => loaders.indicators.load('all'),
  },
  RoadmapIndicator: {
    unit: (i: Indicator) => FIGURES[i.figure].unit,
    measuredBy: (i: Indicator) => FIGURES[i.figure].measuredBy,
    phase: async (i: Indicator, _: unknown, { loaders }: RoadmapContext) => {
      const phase = (await loaders.phases.load('all')).find((p) => p.id === i.phaseId);
      invariant(phase, `the phase of indicator ${i.key} exists (foreign key)`);
      return phase;
    },
    targets: (i: Indicator, args: { regionCode?: string | null; year?: number | null }, { db }: RoadmapContext) =>
      listTargets(db, {
        indicatorId: i.id,
        regionCode: parseScopeFilter(args.regionCode, 'regionCode'),
        year: args.year === null || args.year === undefined ? undefined : parseYear(args.year, 'year'),
      }),
  },
};

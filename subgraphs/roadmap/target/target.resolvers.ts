import { invariant, NATIONAL, parseYear } from '../../kit/index.ts';
import type { RoadmapContext } from '../context.ts';
import { parseScopeFilter } from '../indicator/indicator.resolvers.ts';
import { findIndicatorByKey, removeTarget, setTarget, type SetTargetInput } from './target.service.ts';
import { listTargets, type Target } from './target.repository.ts';

export const targetResolvers = {
  Query: {
    roadmapTargets: async (
      _: unknown,
      args: { indicatorKey?: string | null; regionCode?: string | null; year?: number | null },
      { db }: RoadmapContext,
    ) =>
      listTargets(db, {
        indicatorId: args.indicatorKey ? (await findIndicatorByKey(db, args.indicatorKey, 'indicatorKey')).id : undefined,
        regionCode: parseScopeFilter(args.regionCode, 'regionCode'),
        year: args.year === null || args.year === undefined ? undefined : parseYear(args.year, 'year'),
      }),
  },
  Mutation: {
    setRoadmapTarget: (_: unknown, { input }: { input: SetTargetInput }, context: RoadmapContext) => setTarget(context.db, context, input),
    removeRoadmapTarget: (_: unknown, args: { indicatorKey: string; regionCode?: string | null; year: number }, context: RoadmapContext) =>
      removeTarget(context.db, context, args),
  },
  RoadmapTarget: {
    indicator: async (t: Target, _: unknown, { loaders }: RoadmapContext) => {
      const indicator = (await loaders.indicators.load('all')).find((i) => i.id === t.indicatorId);
      invariant(indicator, `the indicator of target ${t.id} exists (foreign key)`);
      return indicator;
    },
    region: (t: Target) => (t.regionCode === NATIONAL ? null : { code: t.regionCode }),
  },
};

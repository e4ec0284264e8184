import type { RoadmapContext } from '../context.ts';
import type { Phase } from './phase.repository.ts';

export const phaseResolvers = {
  Query: {
    roadmapPhases: (_: unknown, __: unknown, { loaders }: RoadmapContext) => loaders.phases.load('all'),
  },
  RoadmapPhase: {
    indicators: async (phase: Phase, _: unknown, { loaders }: RoadmapContext) =>
      (await loaders.indicators.load('all')).filter((i) => i.phaseId === phase.id),
  },
};

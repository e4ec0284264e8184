import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { scalarResolvers, type SubgraphDefinition } from '../kit/index.ts';
import { auditResolvers } from './audit/audit.resolvers.ts';
import { createContext, type RoadmapContext } from './context.ts';
import { indicatorResolvers } from './indicator/indicator.resolvers.ts';
import { migrations } from './migrations/index.ts';
import type { RoadmapDB } from './migrations/tables.ts';
import { phaseResolvers } from './phase/phase.resolvers.ts';
import { progressResolvers } from './progress/progress.resolvers.ts';
import { targetResolvers } from './target/target.resolvers.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** The roadmap subgraph: phases, indicators, targets, and progress against the figures other subgraphs own. */
export const roadmapSubgraph: SubgraphDefinition<RoadmapDB, RoadmapContext> = {
  name: 'roadmap',
  typeDefs,
  migrations,
  createContext,
  resolvers: {
    ...scalarResolvers,
    Query: {
      ...phaseResolvers.Query,
      ...indicatorResolvers.Query,
      ...targetResolvers.Query,
      ...progressResolvers.Query,
      ...auditResolvers.Query,
    },
    Mutation: targetResolvers.Mutation,
    RoadmapPhase: phaseResolvers.RoadmapPhase,
    RoadmapIndicator: indicatorResolvers.RoadmapIndicator,
    RoadmapTarget: targetResolvers.RoadmapTarget,
    RegionYear: progressResolvers.RegionYear,
  } as SubgraphDefinition<RoadmapDB, RoadmapContext>['resolvers'],
};

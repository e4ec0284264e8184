import type { Kysely } from 'kysely';
import { buildDemoPlan, type DemoPlan } from './kit/demo-plan.ts';
import type { RequestContext, SubgraphDefinition } from './kit/index.ts';
import type { SubgraphName } from './registry.ts';

interface SubgraphModules {
  server(): Promise<SubgraphDefinition<any, RequestContext & any>>;
  seedDemo(): Promise<(db: Kysely<any>, plan: DemoPlan) => Promise<boolean>>;
}

/**
 * Each subgraph's server and demo data, loaded on demand (a process that runs
 * one subgraph loads only that one). The registry holds the addresses; this
 * is the only module that imports the subgraphs themselves.
 */
const MODULES: Record<SubgraphName, SubgraphModules> = {
  volunteers: {
    server: async () => (await import('./volunteers/server.ts')).volunteersSubgraph,
    seedDemo: async () => (await import('./volunteers/demo.ts')).seedDemo,
  },
  organizations: {
    server: async () => (await import('./organizations/server.ts')).organizationsSubgraph,
    seedDemo: async () => (await import('./organizations/demo.ts')).seedDemo,
  },
  donations: {
    server: async () => (await import('./donations/server.ts')).donationsSubgraph,
    seedDemo: async () => (await import('./donations/demo.ts')).seedDemo,
  },
  cooperation: {
    server: async () => (await import('./cooperation/server.ts')).cooperationSubgraph,
    seedDemo: async () => (await import('./cooperation/demo.ts')).seedDemo,
  },
  roadmap: {
    server: async () => (await import('./roadmap/server.ts')).roadmapSubgraph,
    seedDemo: async () => (await import('./roadmap/demo.ts')).seedDemo,
  },
};

/** The subgraph's definition: SDL, resolvers, context, migrations. */
export function loadSubgraph(name: SubgraphName): Promise<SubgraphDefinition<any, RequestContext & any>> {
  return MODULES[name].server();
}

/** Loads a subgraph's part of the demo data through its own repositories; false when already loaded. */
export async function seedSubgraphDemo(name: SubgraphName, db: Kysely<any>, plan: DemoPlan = buildDemoPlan()): Promise<boolean> {
  return (await MODULES[name].seedDemo())(db, plan);
}

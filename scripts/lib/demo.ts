import type { Kysely } from 'kysely';
import { buildDemoPlan } from './demo-plan.ts';

/** Loads a subgraph's part of the demo data through its own repositories; false when already loaded. */
export async function seedSubgraphDemo(name: string, db: Kysely<any>): Promise<boolean> {
  const plan = buildDemoPlan();
  const module = (await import(`../../subgraphs/${name}/demo.ts`)) as { seedDemo(db: Kysely<any>, plan: ReturnType<typeof buildDemoPlan>): Promise<boolean> };
  return module.seedDemo(db, plan);
}

import type { Kysely } from 'kysely';
import type { SubgraphName } from '../../../subgraphs/registry.ts';
import type { BulkTarget } from './bulk.ts';
import type { SeedPlan } from './plan.ts';
import type { Progress } from './progress.ts';

/** One subgraph's part of the generated data set. */
export interface SubgraphSeeder {
  name: SubgraphName;
  /** A table whose rows mean "this subgraph already holds data" (a re-run is refused). */
  markerTable: string;
  /** Appends the generated rows (after the demo data) through the bulk target. */
  load(target: BulkTarget, plan: SeedPlan, progress: Progress): Promise<void>;
  /** Recomputes every rollup of the subgraph from its raw rows, in the target's session. */
  rebuild(db: Kysely<any>): Promise<void>;
}

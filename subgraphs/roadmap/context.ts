import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import { jsonKey, type RegionYearKey, type RequestContext } from '../kit/index.ts';
import { listIndicators } from './indicator/indicator.repository.ts';
import type { RoadmapDB } from './migrations/tables.ts';
import { listPhases } from './phase/phase.repository.ts';
import { findTargetsOf, type Target } from './target/target.repository.ts';

/** Loaders are built per request: the roadmap (phases, indicators) is read at most once, targets once per batch. */
export function createLoaders(db: Kysely<RoadmapDB>) {
  return {
    phases: new DataLoader<'all', Awaited<ReturnType<typeof listPhases>>>(async (keys) => {
      const phases = await listPhases(db);
      return keys.map(() => phases);
    }),
    indicators: new DataLoader<'all', Awaited<ReturnType<typeof listIndicators>>>(async (keys) => {
      const indicators = await listIndicators(db);
      return keys.map(() => indicators);
    }),
    /** Every target of a region (or the nation) in a year. */
    targetsOf: new DataLoader<RegionYearKey, Target[], string>(
      async (keys) => {
        const rows = await findTargetsOf(db, keys);
        return keys.map((k) => rows.filter((t) => t.regionCode === k.regionCode && t.year === k.year));
      },
      { cacheKeyFn: (k) => jsonKey({ regionCode: k.regionCode, year: k.year }) },
    ),
  };
}

export interface RoadmapContext extends RequestContext {
  db: Kysely<RoadmapDB>;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(base: RequestContext, db: Kysely<RoadmapDB>): RoadmapContext {
  return { ...base, db, loaders: createLoaders(db) };
}

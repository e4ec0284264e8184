import type { Kysely } from 'kysely';
import type { RequestContext } from '../kit/index.ts';
import { agreementLoaders } from './agreement/agreement.loaders.ts';
import { assignmentLoaders } from './assignment/assignment.loaders.ts';
import type { CooperationDB } from './migrations/tables.ts';
import { missionLoaders } from './mission/mission.loaders.ts';
import { partnerLoaders } from './partner/partner.loaders.ts';
import { regionYearLoaders } from './totals/region-year.loaders.ts';
import { totalsLoaders } from './totals/totals.loaders.ts';

/** Loaders are built per request: nothing cached outlives it. */
export function createLoaders(db: Kysely<CooperationDB>) {
  return {
    ...partnerLoaders(db),
    ...agreementLoaders(db),
    ...missionLoaders(db),
    ...assignmentLoaders(db),
    ...totalsLoaders(db),
    ...regionYearLoaders(db),
  };
}

export interface CooperationContext extends RequestContext {
  db: Kysely<CooperationDB>;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(base: RequestContext, db: Kysely<CooperationDB>): CooperationContext {
  return { ...base, db, loaders: createLoaders(db) };
}

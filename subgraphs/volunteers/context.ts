import type { Kysely } from 'kysely';
import type { RequestContext } from '../kit/index.ts';
import { applicationLoaders } from './application/application.loaders.ts';
import { bookLoaders } from './book/book.loaders.ts';
import { hourRecordLoaders } from './hour-record/hour-record.loaders.ts';
import { membershipLoaders } from './membership/membership.loaders.ts';
import type { VolunteersDB } from './migrations/tables.ts';
import { regionYearLoaders } from './totals/region-year.loaders.ts';
import { totalsLoaders } from './totals/totals.loaders.ts';
import { volunteerLoaders } from './volunteer/volunteer.loaders.ts';

/** Loaders are built per request: nothing cached outlives it. */
export function createLoaders(db: Kysely<VolunteersDB>, base: RequestContext) {
  return {
    ...volunteerLoaders(db),
    ...membershipLoaders(db),
    ...applicationLoaders(db),
    ...hourRecordLoaders(db, base),
    ...totalsLoaders(db),
    ...regionYearLoaders(db),
    ...bookLoaders(db, base),
  };
}

export interface VolunteersContext extends RequestContext {
  db: Kysely<VolunteersDB>;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(base: RequestContext, db: Kysely<VolunteersDB>): VolunteersContext {
  return { ...base, db, loaders: createLoaders(db, base) };
}

import type { Kysely } from 'kysely';
import type { RequestContext, Viewer } from '../kit/index.ts';
import { frontOfficeLoaders } from './front-office/front-office.loaders.ts';
import type { OrganizationsDB } from './migrations/tables.ts';
import { opportunityLoaders } from './opportunity/opportunity.loaders.ts';
import { organizationLoaders } from './organization/organization.loaders.ts';
import { regionLoaders } from './region/region.loaders.ts';
import { regionYearLoaders } from './region-year/region-year.loaders.ts';

/** Loaders are built per request, for its caller: nothing cached outlives it. */
export function createLoaders(db: Kysely<OrganizationsDB>, viewer: Viewer) {
  return {
    ...regionLoaders(db),
    ...regionYearLoaders(db),
    ...organizationLoaders(db),
    ...frontOfficeLoaders(db),
    ...opportunityLoaders(db, viewer),
  };
}

export interface OrganizationsContext extends RequestContext {
  db: Kysely<OrganizationsDB>;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(base: RequestContext, db: Kysely<OrganizationsDB>): OrganizationsContext {
  return { ...base, db, loaders: createLoaders(db, base.viewer) };
}

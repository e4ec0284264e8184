import type { Kysely } from 'kysely';
import { firstPageLoader, keyedLoader, type Viewer } from '../../kit/index.ts';
import { opportunityVisibility } from '../access.ts';

import type { OrganizationsDB } from '../migrations/tables.ts';
import { findOpportunitiesById, firstOpportunitiesOfOrganizations } from './opportunity.repository.ts';

export function opportunityLoaders(db: Kysely<OrganizationsDB>, viewer: Viewer) {
  const visibility = opportunityVisibility(viewer);
  return {
    /** Every opportunity by id, drafts included: resolvers decide what the caller may see. */
    opportunityById: keyedLoader(
      (ids: readonly string[]) => findOpportunitiesById(db, ids),
      (o) => o.id,
    ),
    /** First page of each organization's opportunities that the caller may see. */
    firstOpportunitiesOfOrganization: firstPageLoader(
      (organizationIds, _filter: null, limit) => firstOpportunitiesOfOrganizations(db, organizationIds, visibility, limit),
      (o) => o.organizationId,
    ),
  };
}

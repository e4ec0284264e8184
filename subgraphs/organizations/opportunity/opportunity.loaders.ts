import type { Kysely } from 'kysely';
import { groupedLoader, jsonKey, keyedLoader } from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { findOpportunitiesById, firstOpportunitiesOfOrganizations } from './opportunity.repository.ts';

export function opportunityLoaders(db: Kysely<OrganizationsDB>) {
  return {
    opportunityById: keyedLoader((ids: readonly string[]) => findOpportunitiesById(db, ids), (o) => o.id),
    /** First page of each organization's opportunities; keys of one batch share one page size. */
    firstOpportunitiesOfOrganization: groupedLoader(
      async (keys: readonly { organizationId: string; limit: number }[]) => {
        const limit = Math.max(...keys.map((k) => k.limit));
        const rows = await firstOpportunitiesOfOrganizations(db, [...new Set(keys.map((k) => k.organizationId))], limit);
        // Each key gets its own page size back from the shared result.
        return keys.flatMap((k) => rows.filter((r) => r.organizationId === k.organizationId).slice(0, k.limit).map((r) => ({ key: k, row: r })));
      },
      (entry) => entry.key,
      jsonKey,
    ),
  };
}

import type { Kysely } from 'kysely';
import { groupedLoader, keyedLoader } from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { findOrganizationsByBin, findOrganizationsById, findStatusChanges } from './organization.repository.ts';

export function organizationLoaders(db: Kysely<OrganizationsDB>) {
  return {
    organizationById: keyedLoader(
      (ids: readonly string[]) => findOrganizationsById(db, ids),
      (o) => o.id,
    ),
    organizationByBin: keyedLoader(
      (bins: readonly string[]) => findOrganizationsByBin(db, bins),
      (o) => o.bin ?? '',
    ),
    statusHistoryOfOrganization: groupedLoader(
      (ids: readonly string[]) => findStatusChanges(db, ids),
      (c) => c.organizationId,
    ),
  };
}

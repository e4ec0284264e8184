import type { Kysely } from 'kysely';
import { keyedLoader } from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { findOrganizationsByBin, findOrganizationsById } from './organization.repository.ts';

export function organizationLoaders(db: Kysely<OrganizationsDB>) {
  return {
    organizationById: keyedLoader((ids: readonly string[]) => findOrganizationsById(db, ids), (o) => o.id),
    organizationByBin: keyedLoader(
      (bins: readonly string[]) => findOrganizationsByBin(db, bins),
      (o) => o.bin ?? '',
    ),
  };
}

import type { Kysely } from 'kysely';
import { keyedLoader } from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { countOrganizationsByRegion, findRegionsByCode } from './region.repository.ts';

export function regionLoaders(db: Kysely<OrganizationsDB>) {
  return {
    regionByCode: keyedLoader(
      (codes: readonly string[]) => findRegionsByCode(db, codes),
      (r) => r.code,
    ),
    organizationCountByRegion: keyedLoader(
      (codes: readonly string[]) => countOrganizationsByRegion(db, codes),
      (r) => r.regionCode,
    ),
  };
}

import type { Kysely } from 'kysely';
import { keyedLoader } from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { findFrontOfficesById, findFrontOfficesByRegion } from './front-office.repository.ts';

export function frontOfficeLoaders(db: Kysely<OrganizationsDB>) {
  return {
    frontOfficeById: keyedLoader((ids: readonly string[]) => findFrontOfficesById(db, ids), (f) => f.id),
    frontOfficeByRegion: keyedLoader((codes: readonly string[]) => findFrontOfficesByRegion(db, codes), (f) => f.regionCode ?? ''),
  };
}

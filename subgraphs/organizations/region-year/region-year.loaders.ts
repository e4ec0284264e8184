import type { Kysely } from 'kysely';
import { regionYearLoader } from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { noOrganizationFigures, regionYearFigures } from './region-year.repository.ts';

export function regionYearLoaders(db: Kysely<OrganizationsDB>) {
  return { regionYearFigures: regionYearLoader(noOrganizationFigures, (years) => regionYearFigures(db, years)) };
}

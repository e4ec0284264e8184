import type { Kysely } from 'kysely';
import { regionYearLoader } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { noVolunteerFigures, regionYearFigures } from './region-year.repository.ts';

export function regionYearLoaders(db: Kysely<VolunteersDB>) {
  return { regionYearFigures: regionYearLoader(noVolunteerFigures, (years, national) => regionYearFigures(db, years, national)) };
}

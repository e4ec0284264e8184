import type { Kysely } from 'kysely';
import { regionYearLoader } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { noDonationFigures, regionYearFigures } from './region-year.repository.ts';

export function regionYearLoaders(db: Kysely<DonationsDB>) {
  return { regionYearFigures: regionYearLoader(noDonationFigures, (years) => regionYearFigures(db, years)) };
}

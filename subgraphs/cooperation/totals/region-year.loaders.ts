import type { Kysely } from 'kysely';
import { regionYearLoader } from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { noCooperationFigures, regionYearFigures } from './region-year.repository.ts';

export function regionYearLoaders(db: Kysely<CooperationDB>) {
  return { regionYearFigures: regionYearLoader(noCooperationFigures, (years) => regionYearFigures(db, years)) };
}

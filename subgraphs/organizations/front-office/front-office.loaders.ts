import type { Kysely } from 'kysely';
import { firstPageLoader, groupedLoader, keyedLoader } from '../../kit/index.ts';

import type { OrganizationsDB } from '../migrations/tables.ts';
import {
  findFrontOfficesById,
  findFrontOfficesByRegion,
  firstCapacitySnapshotsOf,
  firstTrainingsOf,
  trainingYears,
} from './front-office.repository.ts';

export function frontOfficeLoaders(db: Kysely<OrganizationsDB>) {
  return {
    frontOfficeById: keyedLoader(
      (ids: readonly string[]) => findFrontOfficesById(db, ids),
      (f) => f.id,
    ),
    frontOfficeByRegion: keyedLoader(
      (codes: readonly string[]) => findFrontOfficesByRegion(db, codes),
      (f) => f.regionCode ?? '',
    ),
    firstCapacitySnapshots: firstPageLoader(
      (ids, _filter: null, limit) => firstCapacitySnapshotsOf(db, ids, limit),
      (s) => s.frontOfficeId,
    ),
    firstTrainings: firstPageLoader(
      (ids, _filter: null, limit) => firstTrainingsOf(db, ids, limit),
      (t) => t.frontOfficeId,
    ),
    /** Per office, its training totals by year (summed over years when no year is asked). */
    trainingYearsOfFrontOffice: groupedLoader(
      (ids: readonly string[]) => trainingYears(db, ids),
      (y) => y.frontOfficeId,
    ),
  };
}

import type { Kysely } from 'kysely';
import { firstPageLoader, keyedLoader } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';

import { findHourRecordsById, findReplacementsOf, firstHourRecordsOfVolunteers, type HourRecordStatus } from './hour-record.repository.ts';

export function hourRecordLoaders(db: Kysely<VolunteersDB>) {
  return {
    hourRecordById: keyedLoader((ids: readonly string[]) => findHourRecordsById(db, ids), (r) => r.id),
    /** The record that replaced a voided one. */
    replacementOf: keyedLoader((ids: readonly string[]) => findReplacementsOf(db, ids), (r) => r.replacesId ?? ''),
    firstHourRecordsOfVolunteer: firstPageLoader(
      (ids, status: HourRecordStatus | null, limit) => firstHourRecordsOfVolunteers(db, ids, status, limit),
      (r) => r.volunteerId,
    ),
  };
}

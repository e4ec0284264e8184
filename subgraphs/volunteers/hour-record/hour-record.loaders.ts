import type { Kysely } from 'kysely';
import { firstPageLoader, groupedLoader, keyedLoader, type RequestContext } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';

import {
  findDecidableOrganizations,
  findHourRecordsById,
  findReplacementsOf,
  firstHourRecordsOfVolunteers,
  type HourRecordStatus,
} from './hour-record.repository.ts';

export function hourRecordLoaders(db: Kysely<VolunteersDB>, { viewer }: Pick<RequestContext, 'viewer'>) {
  return {
    /** Of the caller's organizations, those where a volunteer has records open to a decision (the name rule). */
    decidableOrganizationsOfVolunteer: groupedLoader(
      (ids: readonly string[]) => findDecidableOrganizations(db, ids, viewer.organizationIds),
      (r) => r.volunteerId,
    ),
    hourRecordById: keyedLoader(
      (ids: readonly string[]) => findHourRecordsById(db, ids),
      (r) => r.id,
    ),
    /** The record that replaced a voided one. */
    replacementOf: keyedLoader(
      (ids: readonly string[]) => findReplacementsOf(db, ids),
      (r) => r.replacesId ?? '',
    ),
    firstHourRecordsOfVolunteer: firstPageLoader(
      (ids, status: HourRecordStatus | null, limit) => firstHourRecordsOfVolunteers(db, ids, status, limit),
      (r) => r.volunteerId,
    ),
  };
}

import type { Kysely } from 'kysely';
import { groupedLoader, keyedLoader } from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { findAssignmentsById, findAssignmentsOfVolunteers } from './assignment.repository.ts';

export function assignmentLoaders(db: Kysely<CooperationDB>) {
  return {
    assignmentById: keyedLoader(
      (ids: readonly string[]) => findAssignmentsById(db, ids),
      (a) => a.id,
    ),
    assignmentsOfVolunteer: groupedLoader(
      (ids: readonly string[]) => findAssignmentsOfVolunteers(db, ids),
      (a) => a.volunteerId,
    ),
  };
}

import type { Kysely } from 'kysely';
import { groupedLoader } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { findActiveMemberships } from './membership.repository.ts';

export function membershipLoaders(db: Kysely<VolunteersDB>) {
  return {
    activeMembershipsOfVolunteer: groupedLoader(
      (ids: readonly string[]) => findActiveMemberships(db, ids),
      (m) => m.volunteerId,
    ),
  };
}

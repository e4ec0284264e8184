import type { Kysely } from 'kysely';
import { keyedLoader } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { findVolunteersById, findVolunteersBySubject } from './volunteer.repository.ts';

export function volunteerLoaders(db: Kysely<VolunteersDB>) {
  return {
    volunteerById: keyedLoader(
      (ids: readonly string[]) => findVolunteersById(db, ids),
      (v) => v.id,
    ),
    /** The volunteer an account (token `sub`) is linked to by registerMe. */
    volunteerBySubject: keyedLoader(
      (subjects: readonly string[]) => findVolunteersBySubject(db, subjects),
      (v) => v.accountSubject ?? '',
    ),
  };
}

import type { Kysely } from 'kysely';
import { firstPageLoader, groupedLoader, keyedLoader } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';

import {
  findApplicationsById,
  findLiveApplicationOrganizations,
  findOpportunityTotals,
  firstApplicationsOf,
  type ApplicationStatus,
} from './application.repository.ts';

export function applicationLoaders(db: Kysely<VolunteersDB>) {
  return {
    applicationById: keyedLoader(
      (ids: readonly string[]) => findApplicationsById(db, ids),
      (a) => a.id,
    ),
    liveApplicationOrganizationsOfVolunteer: groupedLoader(
      (ids: readonly string[]) => findLiveApplicationOrganizations(db, ids),
      (r) => r.volunteerId,
    ),
    opportunityTotals: keyedLoader(
      (ids: readonly string[]) => findOpportunityTotals(db, ids),
      (t) => t.opportunityId,
    ),
    firstApplicationsOfVolunteer: firstPageLoader(
      (ids, status: ApplicationStatus | null, limit) => firstApplicationsOf(db, 'volunteer_id', ids, status, limit),
      (a) => a.volunteerId,
    ),
    firstApplicationsOfOpportunity: firstPageLoader(
      (ids, status: ApplicationStatus | null, limit) => firstApplicationsOf(db, 'opportunity_id', ids, status, limit),
      (a) => a.opportunityId,
    ),
  };
}

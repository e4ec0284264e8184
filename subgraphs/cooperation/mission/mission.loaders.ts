import type { Kysely } from 'kysely';
import { groupedLoader, keyedLoader } from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import {
  findGrantsOfMissions,
  findMissionsBy,
  findMissionsById,
  findMissionsOfGrants,
  findResultsOfMissions,
} from './mission.repository.ts';
import { findParticipantsOfMissions, findParticipationsById, findParticipationsOfVolunteers } from './participation.repository.ts';

export function missionLoaders(db: Kysely<CooperationDB>) {
  return {
    missionById: keyedLoader(
      (ids: readonly string[]) => findMissionsById(db, ids),
      (m) => m.id,
    ),
    missionsOfOrganization: groupedLoader(
      (ids: readonly string[]) => findMissionsBy(db, 'organizing_organization_id', ids),
      (m) => m.organizingOrganizationId,
    ),
    missionsOfHostPartner: groupedLoader(
      (ids: readonly string[]) => findMissionsBy(db, 'host_partner_id', ids),
      (m) => m.hostPartnerId,
    ),
    missionsOfAgreement: groupedLoader(
      (ids: readonly string[]) => findMissionsBy(db, 'agreement_id', ids),
      (m) => m.agreementId ?? '',
    ),
    missionsOfGrant: groupedLoader(
      (ids: readonly string[]) => findMissionsOfGrants(db, ids),
      (e) => e.grantId,
    ),
    grantsOfMission: groupedLoader(
      (ids: readonly string[]) => findGrantsOfMissions(db, ids),
      (g) => g.missionId,
    ),
    resultsOfMission: groupedLoader(
      (ids: readonly string[]) => findResultsOfMissions(db, ids),
      (r) => r.missionId,
    ),
    participationById: keyedLoader(
      (ids: readonly string[]) => findParticipationsById(db, ids),
      (p) => p.id,
    ),
    participantsOfMission: groupedLoader(
      (ids: readonly string[]) => findParticipantsOfMissions(db, ids),
      (p) => p.missionId,
    ),
    participationsOfVolunteer: groupedLoader(
      (ids: readonly string[]) => findParticipationsOfVolunteers(db, ids),
      (p) => p.volunteerId,
    ),
  };
}

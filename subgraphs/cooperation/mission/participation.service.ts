import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  Forbidden,
  hasRole,
  isUniqueViolation,
  NotFound,
  parseId,
  auditedTransaction,
  type RequestContext,
} from '../../kit/index.ts';
import { actsForOrganization } from '../access.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { fetchVolunteerFacts } from '../reference/remote.ts';
import { addMissionTotals, addRegionParticipants } from '../totals/totals.repository.ts';
import { ineligibilityReason } from '../volunteer/eligibility.ts';
import { addToParticipantCount, lockMission, missionYear, type ExchangeMission, type MissionStatus } from './mission.repository.ts';
import { assertOrganizes, missionForWrite } from './mission.service.ts';
import {
  findOverlappingParticipation,
  findParticipationsById,
  insertParticipation,
  lockVolunteerParticipations,
  updateParticipationOutcome,
  type ParticipantRole,
  type Participation,
  type ParticipationOutcome,
} from './participation.repository.ts';

const JOINABLE: readonly MissionStatus[] = ['PLANNED', 'OPEN'];

export interface AddMissionParticipantInput {
  missionId: string;
  volunteerId: string;
  role?: ParticipantRole | null;
}

function assertJoinable(mission: ExchangeMission): void {
  if (!JOINABLE.includes(mission.status))
    throw new Conflict(`Participants join a planned or open mission, not one that is ${mission.status}`);
}

/**
 * Adds an eligible volunteer to a mission. Eligibility (adult, enough approved
 * hours) is asked from the volunteers subgraph at the moment of writing; the
 * places are checked under the mission's row lock, so that of two requests for
 * the last place exactly one succeeds. A volunteer is on one mission at a
 * time: already a participant (not withdrawn) of another mission (not
 * cancelled) whose dates overlap is a CONFLICT, checked under a lock on the
 * volunteer so that two missions racing for the same volunteer cannot both win.
 */
export async function addMissionParticipant(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  input: AddMissionParticipantInput,
): Promise<Participation> {
  const missionId = parseId(input.missionId, 'input.missionId');
  const volunteerId = parseId(input.volunteerId, 'input.volunteerId');
  const role = input.role ?? 'VOLUNTEER';
  assertJoinable(await missionForWrite(db, context, missionId));

  const [facts] = await fetchVolunteerFacts(context, [volunteerId]);
  if (!facts) throw new NotFound('Volunteer', volunteerId);
  const reason = ineligibilityReason(facts);
  if (reason) throw new BadUserInput('input.volunteerId', `not eligible for exchange missions: ${reason}`);
  const regionCode = facts.region?.code ?? null;

  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const mission = await lockMission(trx, missionId);
      if (!mission) throw new NotFound('ExchangeMission', missionId);
      assertJoinable(mission);
      if (mission.participantCount >= mission.places) throw new Conflict(`The mission's ${mission.places} places are taken`);
      await lockVolunteerParticipations(trx, volunteerId);
      if (await findOverlappingParticipation(trx, volunteerId, mission)) {
        throw new Conflict('The volunteer takes part in another exchange mission at the same time', { argumentName: 'input.volunteerId' });
      }
      const participation = await insertParticipation(trx, { missionId, volunteerId, regionCode, role });
      await addToParticipantCount(trx, missionId, 1);
      const year = missionYear(mission);
      if (regionCode) await addRegionParticipants(trx, regionCode, year, 1);
      await addMissionTotals(
        trx,
        { year, hostCountry: mission.hostCountry, hostPartnerId: mission.hostPartnerId },
        { missions: 0, participants: 1 },
      );
      await audit({
        action: 'mission.participant.add',
        entity: 'ExchangeMission',
        entityId: missionId,
        details: { participationId: participation.id, volunteerId, role },
      });
      return participation;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'mission_participants_once')) {
      throw new Conflict('The volunteer already takes part in this mission', { argumentName: 'input.volunteerId' });
    }
    throw error;
  }
}

/** Loads a participation and locks its mission, in this order for every participation write. */
async function lockParticipation(
  trx: Kysely<CooperationDB>,
  participationId: string,
): Promise<{ participation: Participation; mission: ExchangeMission }> {
  const [found] = await findParticipationsById(trx, [participationId]);
  if (!found) throw new NotFound('MissionParticipation', participationId);
  const mission = await lockMission(trx, found.missionId);
  if (!mission) throw new NotFound('ExchangeMission', found.missionId);
  const [participation] = await findParticipationsById(trx, [participationId]);
  return { participation: participation!, mission };
}

/** A participant leaves a mission before it ends: the organizers, an admin, or the volunteer themself. */
export async function withdrawMissionParticipant(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  args: { participationId: string },
): Promise<Participation> {
  const participationId = parseId(args.participationId, 'participationId');
  return auditedTransaction(db, context, async (trx, audit) => {
    const { participation, mission } = await lockParticipation(trx, participationId);
    const self = hasRole(context.viewer, 'volunteer') && context.viewer.volunteerId === participation.volunteerId;
    if (!self && !actsForOrganization(context.viewer, mission.organizingOrganizationId)) {
      throw new Forbidden('Only the volunteer, a coordinator of the organizing organization, or an admin, may withdraw a participant');
    }
    if (!['PLANNED', 'OPEN', 'UNDER_WAY'].includes(mission.status)) throw new Conflict(`The mission is ${mission.status}`);
    if (participation.outcome !== null) throw new Conflict(`The participation already has the outcome ${participation.outcome}`);
    const withdrawn = await updateParticipationOutcome(trx, participationId, null, 'WITHDRAWN');
    if (!withdrawn) throw new Conflict('The participation changed meanwhile');
    await addToParticipantCount(trx, mission.id, -1);
    const year = missionYear(mission);
    if (participation.regionCode) await addRegionParticipants(trx, participation.regionCode, year, -1);
    await addMissionTotals(
      trx,
      { year, hostCountry: mission.hostCountry, hostPartnerId: mission.hostPartnerId },
      { missions: 0, participants: -1 },
    );
    await audit({
      action: 'mission.participant.withdraw',
      entity: 'ExchangeMission',
      entityId: mission.id,
      details: { participationId, volunteerId: participation.volunteerId },
    });
    return withdrawn;
  });
}

/** How a participant's mission went, once it is under way or completed. */
export async function recordParticipationOutcome(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  args: { participationId: string; outcome: ParticipationOutcome },
): Promise<Participation> {
  const participationId = parseId(args.participationId, 'participationId');
  if (args.outcome === 'WITHDRAWN') throw new BadUserInput('outcome', 'a withdrawal is recorded with withdrawMissionParticipant');
  return auditedTransaction(db, context, async (trx, audit) => {
    const { participation, mission } = await lockParticipation(trx, participationId);
    assertOrganizes(context, mission);
    if (mission.status !== 'UNDER_WAY' && mission.status !== 'COMPLETED') {
      throw new Conflict(`Outcomes are recorded for a mission under way or completed, not ${mission.status}`);
    }
    if (participation.outcome === 'WITHDRAWN') throw new Conflict('The participant withdrew');
    const updated = await updateParticipationOutcome(trx, participationId, participation.outcome, args.outcome);
    if (!updated) throw new Conflict('The participation changed meanwhile');
    await audit({
      action: 'mission.participant.outcome',
      entity: 'ExchangeMission',
      entityId: mission.id,
      details: { participationId, outcome: args.outcome },
    });
    return updated;
  });
}

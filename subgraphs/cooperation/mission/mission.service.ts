import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  daysFrom,
  Forbidden,
  HOME_COUNTRY,
  isUniqueViolation,
  NotFound,
  parseCountryCode,
  parseDay,
  parseId,
  parseInteger,
  parseOptionalText,
  parseText,
  auditedTransaction,
  today,
  type RequestContext,
} from '../../kit/index.ts';
import { actsForOrganization, readScope, scopeReadsAgreement } from '../access.ts';
import { findAgreementsById, findPartiesOfAgreements, type Agreement } from '../agreement/agreement.repository.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { findPartnersById } from '../partner/partner.repository.ts';
import { fetchGrantIds, fetchOrganizationFacts } from '../reference/remote.ts';
import { parseSdgTargets } from '../reference/sdg.ts';
import { addMissionTotals, addRegionParticipants } from '../totals/totals.repository.ts';
import {
  findMissionsById,
  insertMission,
  insertMissionGrant,
  insertMissionResult,
  lockMission,
  missionYear,
  updateMissionStatus,
  type ExchangeMission,
  type MissionResult,
  type MissionStatus,
} from './mission.repository.ts';
import { countedParticipantsByRegion } from './participation.repository.ts';

/**
 * The mission life cycle: PLANNED → OPEN → UNDER_WAY → COMPLETED, and CANCELLED
 * from PLANNED, OPEN or UNDER_WAY (a mission under way is cancelled when the
 * group is evacuated or called back); COMPLETED and CANCELLED are final.
 */
export const MISSION_TRANSITIONS: Readonly<Record<MissionStatus, readonly MissionStatus[]>> = {
  PLANNED: ['OPEN', 'CANCELLED'],
  OPEN: ['UNDER_WAY', 'CANCELLED'],
  UNDER_WAY: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export const MAX_PLACES = 500;
/** The longest exchange mission, first and last day included (a long-term placement is a UN Volunteer assignment). */
export const MAX_MISSION_DAYS = 365;

/**
 * A new mission's dates: in order, not over before it is planned (it may have
 * begun already: a mission recorded once under way), and at most
 * MAX_MISSION_DAYS long.
 */
export function parseMissionDates(input: { startsOn: unknown; endsOn: unknown }, now = today()): { startsOn: string; endsOn: string } {
  const startsOn = parseDay(input.startsOn, 'input.startsOn');
  const endsOn = parseDay(input.endsOn, 'input.endsOn');
  if (endsOn < startsOn) throw new BadUserInput('input.endsOn', `ends (${endsOn}) before it starts (${startsOn})`);
  if (endsOn < now) throw new BadUserInput('input.endsOn', `ends (${endsOn}) in the past: a mission is planned before it is over`);
  const days = daysFrom(startsOn, endsOn) + 1;
  if (days > MAX_MISSION_DAYS)
    throw new BadUserInput('input.endsOn', `lasts ${days} days; an exchange mission lasts at most ${MAX_MISSION_DAYS}`);
  return { startsOn, endsOn };
}

/**
 * The agreement a mission is to run under, checked in this order so that
 * nothing about an agreement reaches a caller who may not read it:
 * unknown → NOT_FOUND; not readable by the caller (the rule of the `agreement`
 * query) → FORBIDDEN; the organizing organization not a domestic party →
 * BAD_USER_INPUT (for admins too: partners to an agreement read the missions
 * run under it, so only its parties' missions may be); then validity over the
 * whole mission and the host country.
 */
export async function agreementForMission(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  agreementId: string,
  mission: { organizingOrganizationId: string; hostCountry: string; startsOn: string; endsOn: string },
): Promise<Agreement> {
  const [agreement] = await findAgreementsById(db, [agreementId]);
  if (!agreement) throw new NotFound('Agreement', agreementId);
  const parties = await findPartiesOfAgreements(db, [agreementId]);
  if (!scopeReadsAgreement(readScope(context.viewer), parties)) throw new Forbidden('You may not read this agreement');
  if (!parties.some((p) => p.organizationId === mission.organizingOrganizationId)) {
    throw new BadUserInput('input.agreementId', 'the organizing organization is not a party to the agreement');
  }
  if (agreement.validFrom > mission.startsOn || (agreement.validTo !== null && agreement.validTo < mission.endsOn)) {
    throw new BadUserInput(
      'input.agreementId',
      `the agreement is in force ${agreement.validFrom} to ${agreement.validTo ?? 'open-ended'}, not over the whole mission`,
    );
  }
  if (agreement.countries.length > 0 && !agreement.countries.includes(mission.hostCountry)) {
    throw new BadUserInput('input.agreementId', `the agreement does not cover ${mission.hostCountry}`);
  }
  return agreement;
}

export function assertOrganizes(context: RequestContext, mission: Pick<ExchangeMission, 'organizingOrganizationId'>): void {
  if (!actsForOrganization(context.viewer, mission.organizingOrganizationId)) {
    throw new Forbidden('Only a coordinator of the organizing organization, or an admin, may change this mission');
  }
}

/** Loads a mission for a write, outside the transaction: NOT_FOUND or FORBIDDEN before any remote call. */
export async function missionForWrite(db: Kysely<CooperationDB>, context: RequestContext, id: string): Promise<ExchangeMission> {
  const [mission] = await findMissionsById(db, [id]);
  if (!mission) throw new NotFound('ExchangeMission', id);
  assertOrganizes(context, mission);
  return mission;
}

export interface PlanExchangeMissionInput {
  title: string;
  organizingOrganizationId: string;
  hostCountry: string;
  hostPartnerId: string;
  agreementId?: string | null;
  startsOn: string;
  endsOn: string;
  purpose: string;
  sdgTargets?: string[] | null;
  places: number;
}

/** Plans a mission (status PLANNED). A coordinator of the organizing organization, or an admin. */
export async function planExchangeMission(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  input: PlanExchangeMissionInput,
): Promise<ExchangeMission> {
  const organizingOrganizationId = parseId(input.organizingOrganizationId, 'input.organizingOrganizationId');
  if (!actsForOrganization(context.viewer, organizingOrganizationId)) {
    throw new Forbidden('Only a coordinator of the organizing organization, or an admin, may plan its missions');
  }
  const hostCountry = parseCountryCode(input.hostCountry, 'input.hostCountry');
  if (hostCountry === HOME_COUNTRY) throw new BadUserInput('input.hostCountry', 'an exchange mission goes abroad');
  const { startsOn, endsOn } = parseMissionDates(input);
  const fields = {
    title: parseText(input.title, 'input.title', { max: 300 }),
    organizingOrganizationId,
    hostCountry,
    hostPartnerId: parseId(input.hostPartnerId, 'input.hostPartnerId'),
    agreementId: input.agreementId === null || input.agreementId === undefined ? null : parseId(input.agreementId, 'input.agreementId'),
    startsOn,
    endsOn,
    purpose: parseText(input.purpose, 'input.purpose', { max: 5_000 }),
    sdgTargets: parseSdgTargets(input.sdgTargets, 'input.sdgTargets'),
    places: parseInteger(input.places, 'input.places', 1, MAX_PLACES),
  };

  const [organization] = await fetchOrganizationFacts(context, [organizingOrganizationId]);
  if (!organization) throw new NotFound('Organization', organizingOrganizationId);
  if (organization.status !== 'REGISTERED') {
    throw new BadUserInput('input.organizingOrganizationId', `the organization is ${organization.status.toLowerCase()}`);
  }

  return auditedTransaction(db, context, async (trx, audit) => {
    const [partner] = await findPartnersById(trx, [fields.hostPartnerId]);
    if (!partner) throw new NotFound('Partner', fields.hostPartnerId);
    if (fields.agreementId) await agreementForMission(trx, context, fields.agreementId, fields);
    const mission = await insertMission(trx, fields);
    await addMissionTotals(
      trx,
      { year: missionYear(mission), hostCountry, hostPartnerId: mission.hostPartnerId },
      { missions: 1, participants: 0 },
    );
    await audit({
      action: 'mission.plan',
      entity: 'ExchangeMission',
      entityId: mission.id,
      details: {
        title: fields.title,
        organizingOrganizationId,
        hostCountry,
        hostPartnerId: fields.hostPartnerId,
        agreementId: fields.agreementId,
        startsOn,
        endsOn,
      },
    });
    return mission;
  });
}

/**
 * Moves a mission along its life cycle; anything else is a CONFLICT, and so is
 * a mission under way before its first day or completed before its last.
 * Cancelling takes the mission and its participants out of the totals.
 */
export async function changeExchangeMissionStatus(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  args: { id: string; status: MissionStatus; note?: string | null },
): Promise<ExchangeMission> {
  const id = parseId(args.id, 'id');
  const note = parseOptionalText(args.note, 'note', 2_000);
  return auditedTransaction(db, context, async (trx, audit) => {
    const mission = await lockMission(trx, id);
    if (!mission) throw new NotFound('ExchangeMission', id);
    assertOrganizes(context, mission);
    if (!MISSION_TRANSITIONS[mission.status].includes(args.status)) {
      throw new Conflict(`A mission that is ${mission.status} cannot become ${args.status}`, { from: mission.status, to: args.status });
    }
    const day = today();
    if (args.status === 'UNDER_WAY' && day < mission.startsOn) {
      throw new Conflict(`The mission starts on ${mission.startsOn}: it cannot be under way before`, {
        from: mission.status,
        to: args.status,
      });
    }
    if (args.status === 'COMPLETED' && day < mission.endsOn) {
      throw new Conflict(`The mission ends on ${mission.endsOn}: it cannot be completed before`, { from: mission.status, to: args.status });
    }
    const moved = await updateMissionStatus(trx, id, mission.status, args.status, note);
    if (!moved) throw new Conflict('The mission changed meanwhile; reload it and try again');
    if (args.status === 'CANCELLED') {
      const year = missionYear(mission);
      for (const { regionCode, count } of await countedParticipantsByRegion(trx, id)) {
        if (regionCode) await addRegionParticipants(trx, regionCode, year, -count);
      }
      await addMissionTotals(
        trx,
        { year, hostCountry: mission.hostCountry, hostPartnerId: mission.hostPartnerId },
        { missions: -1, participants: -mission.participantCount },
      );
    }
    await audit({
      action: 'mission.status',
      entity: 'ExchangeMission',
      entityId: id,
      details: { from: mission.status, to: args.status, note },
    });
    return moved;
  });
}

/** Links a grant (of the donations subgraph) that funds the mission. */
export async function fundExchangeMission(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  args: { missionId: string; grantId: string },
): Promise<ExchangeMission> {
  const missionId = parseId(args.missionId, 'missionId');
  const grantId = parseId(args.grantId, 'grantId');
  await missionForWrite(db, context, missionId);
  const [grant] = await fetchGrantIds(context, [grantId]);
  if (!grant) throw new NotFound('Grant', grantId);
  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const mission = await lockMission(trx, missionId);
      if (!mission) throw new NotFound('ExchangeMission', missionId);
      if (mission.status === 'CANCELLED') throw new Conflict('A cancelled mission takes no funding');
      await insertMissionGrant(trx, missionId, grantId);
      await audit({ action: 'mission.fund', entity: 'ExchangeMission', entityId: missionId, details: { grantId } });
      return mission;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('This grant already funds the mission', { argumentName: 'grantId' });
    throw error;
  }
}

export interface RecordMissionResultInput {
  missionId: string;
  summary: string;
  indicator?: string | null;
  value?: number | null;
}

/** Results are recorded once a mission is under way. */
export async function recordMissionResult(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  input: RecordMissionResultInput,
): Promise<MissionResult> {
  const missionId = parseId(input.missionId, 'input.missionId');
  const summary = parseText(input.summary, 'input.summary', { max: 5_000 });
  const indicator = parseOptionalText(input.indicator, 'input.indicator', 300);
  const value = input.value === null || input.value === undefined ? null : parseInteger(input.value, 'input.value', 0, 1_000_000_000);
  if (value !== null && indicator === null) throw new BadUserInput('input.indicator', 'a value needs the indicator it measures');
  return auditedTransaction(db, context, async (trx, audit) => {
    const mission = await lockMission(trx, missionId);
    if (!mission) throw new NotFound('ExchangeMission', missionId);
    assertOrganizes(context, mission);
    if (mission.status !== 'UNDER_WAY' && mission.status !== 'COMPLETED') {
      throw new Conflict(`Results are recorded for a mission under way or completed, not ${mission.status}`);
    }
    const result = await insertMissionResult(trx, { missionId, summary, indicator, value });
    await audit({
      action: 'mission.result',
      entity: 'ExchangeMission',
      entityId: missionId,
      details: { resultId: result.id, indicator, value },
    });
    return result;
  });
}

import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Forbidden,
  hasRole,
  HOME_COUNTRY,
  NotFound,
  parseCountryCode,
  parseDay,
  parseId,
  parseOptionalText,
  parseText,
  auditedTransaction,
  type RequestContext,
} from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { findPartnersById } from '../partner/partner.repository.ts';
import { fetchVolunteerFacts } from '../reference/remote.ts';
import { unVolunteerIneligibilityReason } from '../volunteer/eligibility.ts';
import { insertAssignment, type AssignmentModality, type UnVolunteerAssignment } from './assignment.repository.ts';

export interface RecordUnVolunteerAssignmentInput {
  volunteerId: string;
  modality: AssignmentModality;
  hostEntity: string;
  hostPartnerId?: string | null;
  dutyStation?: string | null;
  dutyCountry?: string | null;
  startsOn: string;
  endsOn: string;
}

/**
 * Records a UN Volunteer assignment (admins: the national UNV focal point).
 * National assignments serve in Kazakhstan, international ones abroad; online
 * ones have no duty station. UN Volunteers are adults: the volunteer's facts are
 * asked of the volunteers subgraph at the moment of writing, as for a mission
 * participant; a minor is BAD_USER_INPUT on input.volunteerId.
 */
export async function recordUnVolunteerAssignment(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  input: RecordUnVolunteerAssignmentInput,
): Promise<UnVolunteerAssignment> {
  if (!hasRole(context.viewer, 'admin')) throw new Forbidden('Only an admin may record a UN Volunteer assignment');
  const volunteerId = parseId(input.volunteerId, 'input.volunteerId');
  const startsOn = parseDay(input.startsOn, 'input.startsOn');
  const endsOn = parseDay(input.endsOn, 'input.endsOn');
  if (endsOn < startsOn) throw new BadUserInput('input.endsOn', `ends (${endsOn}) before it starts (${startsOn})`);
  const hostPartnerId =
    input.hostPartnerId === null || input.hostPartnerId === undefined ? null : parseId(input.hostPartnerId, 'input.hostPartnerId');
  let dutyStation = parseOptionalText(input.dutyStation, 'input.dutyStation', 200);
  let dutyCountry =
    input.dutyCountry === null || input.dutyCountry === undefined ? null : parseCountryCode(input.dutyCountry, 'input.dutyCountry');
  switch (input.modality) {
    case 'NATIONAL':
      if (dutyCountry !== null && dutyCountry !== HOME_COUNTRY)
        throw new BadUserInput('input.dutyCountry', 'a national assignment serves in Kazakhstan');
      dutyCountry = HOME_COUNTRY;
      if (!dutyStation) throw new BadUserInput('input.dutyStation', 'a national assignment has a duty station');
      break;
    case 'INTERNATIONAL':
      if (dutyCountry === null) throw new BadUserInput('input.dutyCountry', 'an international assignment names its country');
      if (dutyCountry === HOME_COUNTRY) throw new BadUserInput('input.dutyCountry', 'an international assignment serves abroad');
      if (!dutyStation) throw new BadUserInput('input.dutyStation', 'an international assignment has a duty station');
      break;
    case 'ONLINE':
      dutyStation = null;
      dutyCountry = null;
      break;
  }
  const fields = {
    volunteerId,
    modality: input.modality,
    hostEntity: parseText(input.hostEntity, 'input.hostEntity', { max: 300 }),
    hostPartnerId,
    dutyStation,
    dutyCountry,
    startsOn,
    endsOn,
  };
  const [volunteer] = await fetchVolunteerFacts(context, [volunteerId]);
  if (!volunteer) throw new NotFound('Volunteer', volunteerId);
  const reason = unVolunteerIneligibilityReason(volunteer);
  if (reason) throw new BadUserInput('input.volunteerId', `not eligible for a UN Volunteer assignment: ${reason}`);
  return auditedTransaction(db, context, async (trx, audit) => {
    if (hostPartnerId) {
      const [partner] = await findPartnersById(trx, [hostPartnerId]);
      if (!partner) throw new NotFound('Partner', hostPartnerId);
    }
    const assignment = await insertAssignment(trx, fields);
    await audit({
      action: 'unv-assignment.record',
      entity: 'UnVolunteerAssignment',
      entityId: assignment.id,
      details: { volunteerId, modality: fields.modality, hostEntity: fields.hostEntity, startsOn, endsOn },
    });
    return assignment;
  });
}

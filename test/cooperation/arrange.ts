import type { Sex } from '../../subgraphs/kit/index.ts';
import * as arrange from '../arrange/index.ts';
import { ASTANA, freshIin, isoDay, nextSerial, ok, tokens } from '../arrange/index.ts';
import type { Graph } from '../harness.ts';

/**
 * Arranges the world of a cooperation test through the public API, as portals
 * do: organizations (organizations subgraph), volunteers with approved hours
 * (volunteers subgraph), partners, agreements and missions (cooperation).
 */
export { ok, refused, tokens } from '../arrange/index.ts';
const next = nextSerial;

export async function registerOrganization(graph: Graph, name: string, regionCode = ASTANA): Promise<string> {
  return arrange.registerOrganization(
    graph,
    { name: `${name} ${next()}`, regionCode },
    graph.token({ role: 'front_office', region: regionCode }),
  );
}

export async function registerVolunteer(graph: Graph, options: { birthDate: string; regionCode?: string; sex?: Sex }): Promise<string> {
  const sex = options.sex ?? 'FEMALE';
  const n = next();
  const data = await ok(
    graph,
    `mutation ($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`,
    {
      input: {
        iin: freshIin(options.birthDate, sex),
        firstName: 'Aigerim',
        lastName: `Testova${n}`,
        birthDate: options.birthDate,
        sex,
        regionCode: options.regionCode ?? '750000000',
      },
    },
    tokens(graph).admin,
  );
  return data.registerVolunteer.id;
}

/** Approved hours in March 2025: an admin's entries are imported as approved (volunteers subgraph rule). */
export async function logApprovedMinutes(graph: Graph, volunteerId: string, organizationId: string, minutes: number): Promise<void> {
  await arrange.logApprovedMinutes(graph, volunteerId, organizationId, minutes, { date: (i) => `2025-03-${String(i).padStart(2, '0')}` });
}

export const MIN_ELIGIBLE_MINUTES = 2400;

/** An adult with 40 approved hours: eligible for exchange missions. */
export async function eligibleVolunteer(graph: Graph, organizationId: string, regionCode = '750000000'): Promise<string> {
  const id = await registerVolunteer(graph, { birthDate: '1995-04-12', regionCode });
  await logApprovedMinutes(graph, id, organizationId, MIN_ELIGIBLE_MINUTES);
  return id;
}

export async function registerPartner(
  graph: Graph,
  input: { name?: string; kind?: string; country?: string; website?: string | null; acronym?: string | null } = {},
): Promise<string> {
  const data = await ok(
    graph,
    `mutation ($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`,
    {
      input: {
        name: input.name ?? `Partner ${next()}`,
        kind: input.kind ?? 'FOREIGN_VOLUNTEER_ORGANIZATION',
        country: input.country ?? 'KE',
        website: input.website ?? 'https://partner.example.org/',
      },
    },
    tokens(graph).admin,
  );
  return data.registerPartner.id;
}

export const SIGN_AGREEMENT = `mutation ($input: SignAgreementInput!) {
  signAgreement(input: $input) { id title type validFrom validTo inForce countries sdgTargets
    parties { role partner { id name } organization { id } } }
}`;

export async function signAgreement(graph: Graph, input: Record<string, unknown>, token?: string): Promise<string> {
  const data = await ok(graph, SIGN_AGREEMENT, { input }, token ?? tokens(graph).admin);
  return data.signAgreement.id;
}

export const PLAN_MISSION = `mutation ($input: PlanExchangeMissionInput!) {
  planExchangeMission(input: $input) { id title status hostCountry hostCountryName places participantCount sdgTargets sdgGoals
    hostPartner { id name } organizingOrganization { id name } agreement { id } }
}`;

export { isoDay };

/** Missions are planned ahead: the default ones run next year, each in its own week. */
export const NEXT_YEAR = new Date().getUTCFullYear() + 1;
let missionWeek = 0;

/**
 * A mission's dates, five days in a week of its own from February of next year
 * on: missions planned with these never overlap, so the same volunteers can
 * take part in all of them (a volunteer is on one mission at a time).
 */
export function missionWeekDates(): { startsOn: string; endsOn: string } {
  const start = Date.UTC(NEXT_YEAR, 1, 1) + missionWeek++ * 7 * 86_400_000;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { startsOn: day(start), endsOn: day(start + 4 * 86_400_000) };
}

export function missionInput(organizationId: string, hostPartnerId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Exchange ${next()}`,
    organizingOrganizationId: organizationId,
    hostCountry: 'KE',
    hostPartnerId,
    ...('startsOn' in extra || 'endsOn' in extra ? {} : missionWeekDates()),
    purpose: 'Teaching in community schools.',
    sdgTargets: ['4.1', '4.c'],
    places: 5,
    ...extra,
  };
}

export async function planMission(graph: Graph, input: Record<string, unknown>, token?: string): Promise<string> {
  const data = await ok(graph, PLAN_MISSION, { input }, token ?? tokens(graph).admin);
  return data.planExchangeMission.id;
}

export const CHANGE_STATUS = `mutation ($id: ID!, $status: ExchangeMissionStatus!, $note: String) {
  changeExchangeMissionStatus(id: $id, status: $status, note: $note) { id status statusNote }
}`;

export const ADD_PARTICIPANT = `mutation ($input: AddMissionParticipantInput!) {
  addMissionParticipant(input: $input) { id role outcome volunteer { id } mission { id participantCount } }
}`;

export async function addParticipant(
  graph: Graph,
  missionId: string,
  volunteerId: string,
  token?: string,
  role = 'VOLUNTEER',
): Promise<string> {
  const data = await ok(graph, ADD_PARTICIPANT, { input: { missionId, volunteerId, role } }, token ?? tokens(graph).admin);
  return data.addMissionParticipant.id;
}

/** A grant awarded (donations subgraph) to an organization, by a partner's programme: call, application, award. */
export async function awardGrant(graph: Graph, applicantId: string, partnerId: string): Promise<string> {
  const { admin } = tokens(graph);
  const programme = await ok(
    graph,
    `mutation ($input: CreateGrantProgrammeInput!) { createGrantProgramme(input: $input) { id } }`,
    {
      input: {
        title: `Exchange missions call ${next()}`,
        funder: { kind: 'INTERNATIONAL_PARTNER', name: 'Partner funder', partnerId },
        budget: { amount: '10000000.00', currency: 'KZT' },
        applicationOpensOn: isoDay(-10),
        applicationClosesOn: isoDay(30),
      },
    },
    admin,
  );
  const application = await ok(
    graph,
    `mutation ($input: CreateGrantApplicationInput!) { createGrantApplication(input: $input) { id } }`,
    {
      input: {
        programmeId: programme.createGrantProgramme.id,
        applicantId,
        title: 'Volunteer exchange to Kenya',
        requestedAmount: { amount: '1000000.00', currency: 'KZT' },
      },
    },
    admin,
  );
  await ok(graph, `mutation ($id: ID!) { submitGrantApplication(id: $id) { id } }`, { id: application.createGrantApplication.id }, admin);
  const grant = await ok(
    graph,
    `mutation ($input: AwardGrantInput!) { awardGrant(input: $input) { id } }`,
    {
      input: {
        applicationId: application.createGrantApplication.id,
        amount: '1000000.00',
        awardDate: isoDay(0),
        periodStart: isoDay(1),
        periodEnd: isoDay(365),
        plannedDisbursements: [{ dueOn: isoDay(2), amount: '1000000.00' }],
      },
    },
    admin,
  );
  return grant.awardGrant.id;
}

export { outsidePartnerContract, withoutContracts } from '../contracts.ts';

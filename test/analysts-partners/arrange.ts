import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { calendarDay, makeBin, makeIin } from '../../subgraphs/kit/index.ts';
import * as arrange from '../arrange/index.ts';
import type { Graph } from '../harness.ts';

/**
 * The world of the analysts' and partners' tests, arranged through the public
 * API as portals and staff do: organizations, volunteers with approved hours,
 * a partner with an agreement and a mission, a grant, a donation.
 */
let serial = 0;
const next = () => ++serial + (process.pid % 997) * 1_000;

export const ASTANA = '710000000';
export const ALMATY = '750000000';

/** A day relative to today (UTC), YYYY-MM-DD. */
export const day = (offset = 0) => calendarDay(offset);

export { tokens } from '../arrange/index.ts';
const { tokens } = arrange;

export async function ok(graph: Graph, query: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, any>> {
  const { body } = await graph.query(query, { variables, ...(token ? { token } : {}) });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

export async function registerOrganization(
  graph: Graph,
  name: string,
  regionCode = ASTANA,
): Promise<{ id: string; name: string; bin: string }> {
  const bin = makeBin(700_000 + next());
  const fullName = `${name} ${next()}`;
  const data = await ok(
    graph,
    `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`,
    { input: { bin, name: fullName, kind: 'VOLUNTEER_ORGANIZATION', regionCode, directions: ['BILIM'] } },
    tokens(graph).frontOffice(regionCode),
  );
  return { id: data.registerOrganization.id, name: fullName, bin };
}

export interface ArrangedVolunteer {
  id: string;
  firstName: string;
  lastName: string;
  iin: string;
  phone: string;
}

/** A registered adult with a distinctive name, phone and IIN (what must never reach open data or partners). */
export async function registerVolunteer(graph: Graph, regionCode = ASTANA): Promise<ArrangedVolunteer> {
  const n = next();
  const volunteer = {
    iin: makeIin('1994-06-15', 'FEMALE', n % 9000),
    firstName: 'Zhuldyz',
    lastName: `Secretova${n}`,
    phone: `+7701${String(1_000_000 + n).slice(-7)}`,
  };
  const data = await ok(
    graph,
    `mutation ($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`,
    { input: { ...volunteer, birthDate: '1994-06-15', sex: 'FEMALE', regionCode } },
    tokens(graph).admin,
  );
  return { id: data.registerVolunteer.id, ...volunteer };
}

/** Membership, then approved work (an admin's entries are imported approved), `minutes` in total, this year. */
export async function approvedMinutes(
  graph: Graph,
  volunteerId: string,
  organizationId: string,
  minutes: number,
  regionCode = ASTANA,
): Promise<void> {
  await arrange.logApprovedMinutes(graph, volunteerId, organizationId, minutes, { date: (i) => day(-i), regionCode });
}

export async function registerPartner(
  graph: Graph,
  name = 'UN Volunteers',
  kind = 'UN_AGENCY',
  country = 'KE',
): Promise<{ id: string; name: string }> {
  const fullName = `${name} ${next()}`;
  const data = await ok(
    graph,
    `mutation ($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`,
    { input: { name: fullName, acronym: 'UNV', kind, country, website: 'https://www.unv.org/' } },
    tokens(graph).admin,
  );
  return { id: data.registerPartner.id, name: fullName };
}

export async function signAgreement(graph: Graph, partnerId: string, organizationId: string): Promise<string> {
  const data = await ok(
    graph,
    `mutation ($input: SignAgreementInput!) { signAgreement(input: $input) { id } }`,
    {
      input: {
        title: `Volunteer exchange memorandum ${next()}`,
        type: 'MEMORANDUM',
        parties: [
          { partnerId, role: 'FUNDING' },
          { organizationId, role: 'IMPLEMENTING' },
        ],
        validFrom: day(-30),
        validTo: day(700),
        countries: ['KE', 'KZ'],
        sdgTargets: ['4.7', '17.17'],
      },
    },
    tokens(graph).admin,
  );
  return data.signAgreement.id;
}

export async function planMission(graph: Graph, organizationId: string, hostPartnerId: string, agreementId: string): Promise<string> {
  const data = await ok(
    graph,
    `mutation ($input: PlanExchangeMissionInput!) { planExchangeMission(input: $input) { id } }`,
    {
      input: {
        title: `Teaching exchange to Kenya ${next()}`,
        organizingOrganizationId: organizationId,
        hostCountry: 'KE',
        hostPartnerId,
        agreementId,
        startsOn: day(60),
        endsOn: day(85),
        purpose: 'Teaching in community schools near Nairobi.',
        sdgTargets: ['4.1', '4.c'],
        places: 5,
      },
    },
    tokens(graph).admin,
  );
  return data.planExchangeMission.id;
}

export async function addParticipant(graph: Graph, missionId: string, volunteerId: string): Promise<void> {
  await ok(
    graph,
    `mutation ($input: AddMissionParticipantInput!) { addMissionParticipant(input: $input) { id } }`,
    { input: { missionId, volunteerId, role: 'VOLUNTEER' } },
    tokens(graph).admin,
  );
}

/** A grant awarded by a partner's programme to an organization: call, application, award. */
export async function awardGrant(graph: Graph, recipientId: string, partnerId: string): Promise<{ id: string; title: string }> {
  const { admin } = tokens(graph);
  const programme = await ok(
    graph,
    `mutation ($input: CreateGrantProgrammeInput!) { createGrantProgramme(input: $input) { id } }`,
    {
      input: {
        title: `Exchange missions call ${next()}`,
        description: 'Grants for volunteer exchange missions.',
        funder: { kind: 'INTERNATIONAL_PARTNER', name: 'UN Volunteers', partnerId },
        budget: { amount: '50000000.00', currency: 'KZT' },
        applicationOpensOn: day(-10),
        applicationClosesOn: day(30),
      },
    },
    admin,
  );
  const title = `Volunteer exchange to Kenya ${next()}`;
  const application = await ok(
    graph,
    `mutation ($input: CreateGrantApplicationInput!) { createGrantApplication(input: $input) { id } }`,
    {
      input: {
        programmeId: programme.createGrantProgramme.id,
        applicantId: recipientId,
        title,
        requestedAmount: { amount: '1250000.50', currency: 'KZT' },
      },
    },
    admin,
  );
  await ok(graph, `mutation ($id: ID!) { submitGrantApplication(id: $id) { id } }`, { id: application.createGrantApplication.id }, admin);
  const grant = await ok(
    graph,
    `mutation ($input: AwardGrantInput!) { awardGrant(input: $input) { id title } }`,
    {
      input: {
        applicationId: application.createGrantApplication.id,
        amount: '1250000.50',
        awardDate: day(0),
        periodStart: day(1),
        periodEnd: day(365),
        plannedDisbursements: [{ dueOn: day(2), amount: '1250000.50' }],
      },
    },
    admin,
  );
  return grant.awardGrant;
}

export async function fundMission(graph: Graph, missionId: string, grantId: string): Promise<void> {
  await ok(
    graph,
    `mutation ($m: ID!, $g: ID!) { fundExchangeMission(missionId: $m, grantId: $g) { id } }`,
    { m: missionId, g: grantId },
    tokens(graph).admin,
  );
}

/** A corporate donation of `amount` KZT to an organization, today. */
export async function donate(graph: Graph, organizationId: string, amount: string): Promise<void> {
  const coordinator = tokens(graph).coordinatorOf(organizationId);
  const donor = await ok(
    graph,
    `mutation ($input: RegisterDonorInput!) { registerDonor(input: $input) { id } }`,
    { input: { organizationId, type: 'CORPORATE', residency: 'RESIDENT', name: `Company ${next()} LLP`, bin: makeBin(800_000 + next()) } },
    coordinator,
  );
  await ok(
    graph,
    `mutation ($input: RecordDonationInput!, $key: String!) { recordDonation(input: $input, idempotencyKey: $key) { id } }`,
    {
      input: { donorId: donor.registerDonor.id, recipientId: organizationId, date: day(0), amount: { amount, currency: 'KZT' } },
      key: randomUUID(),
    },
    coordinator,
  );
}

import { randomUUID } from 'node:crypto';
import { calendarDay, makeIin, type Sex } from '../../subgraphs/kit/index.ts';
import * as arrange from '../arrange/index.ts';
import { ASTANA, expectNoErrors } from '../arrange/index.ts';
import type { Graph, GraphQLResponseBody } from '../harness.ts';

export { ALMATY, ASTANA, expectError, expectNoErrors, freshBin } from '../arrange/index.ts';

/** The error reported at one field path (partial results: data plus errors). */
export function errorAt(body: GraphQLResponseBody, path: (string | number)[]) {
  return body.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(path));
}

/** Runs an operation that must succeed and returns its data. */
export async function ok(graph: Graph, token: string | undefined, document: string, variables: Record<string, unknown> = {}) {
  const { body } = await graph.query(document, { variables, ...(token ? { token } : {}) });
  expectNoErrors(body);
  return body.data!;
}

let serial = 0;
/** A fresh, valid IIN for a birth date and sex (distinct serials within a process). */
export function freshIin(birthDate: string, sex: Sex): string {
  serial += 1;
  return makeIin(birthDate, sex, 1000 + serial * 3);
}

export const REGISTER_VOLUNTEER = `
  mutation ($input: RegisterVolunteerInput!) {
    registerVolunteer(input: $input) { id iin firstName lastName birthDate registeredBy ageBand isAdult region { code } }
  }`;

export interface VolunteerInput {
  iin?: string;
  firstName?: string;
  lastName?: string;
  birthDate?: string;
  sex?: Sex;
  regionCode?: string;
  phone?: string;
  email?: string;
  skills?: string[];
  languages?: string[];
  guardianConsent?: { guardianName: string; relationship?: string; givenOn: string };
}

export function volunteerInput(input: VolunteerInput = {}) {
  const birthDate = input.birthDate ?? '1990-05-05';
  const sex = input.sex ?? 'FEMALE';
  return {
    iin: input.iin ?? freshIin(birthDate, sex),
    firstName: input.firstName ?? 'Aigerim',
    lastName: input.lastName ?? `Test${serial}`,
    birthDate,
    sex,
    regionCode: input.regionCode ?? ASTANA,
    phone: input.phone ?? '+77011234567',
    email: input.email ?? `v${serial}@example.kz`,
    skills: input.skills ?? ['first aid'],
    languages: input.languages ?? ['kk', 'ru'],
    ...(input.guardianConsent ? { guardianConsent: input.guardianConsent } : {}),
  };
}

/** Registers a volunteer as an admin; returns its id. */
export async function registerVolunteer(graph: Graph, input: VolunteerInput = {}): Promise<string> {
  const data = await ok(graph, graph.token({ role: 'admin', sub: 'admin-arrange' }), REGISTER_VOLUNTEER, { input: volunteerInput(input) });
  return data.registerVolunteer.id as string;
}

export async function addMember(graph: Graph, volunteerId: string, organizationId: string, role = 'MEMBER'): Promise<void> {
  await ok(
    graph,
    graph.token({ role: 'admin', sub: 'admin-arrange' }),
    `mutation ($input: AddMembershipInput!) { addMembership(input: $input) { role } }`,
    {
      input: { volunteerId, organizationId, role },
    },
  );
}

export async function registerOrganization(graph: Graph, regionCode: string, name = `Org ${randomUUID().slice(0, 8)}`): Promise<string> {
  return arrange.registerOrganization(
    graph,
    { name, regionCode, directions: ['BILIM', 'QAMQOR'] },
    graph.token({ role: 'admin', sub: 'admin-arrange' }),
  );
}

export async function postOpportunity(
  graph: Graph,
  organizationId: string,
  options: {
    placesAvailable?: number;
    minimumAge?: number;
    minorRestricted?: boolean;
    open?: boolean;
    title?: string;
    startsOn?: string;
    endsOn?: string;
  } = {},
): Promise<string> {
  const data = await ok(
    graph,
    graph.token({ role: 'admin', sub: 'admin-arrange' }),
    `mutation ($input: PostOpportunityInput!) { postOpportunity(input: $input) { id } }`,
    {
      input: {
        organizationId,
        title: options.title ?? `Opportunity ${randomUUID().slice(0, 6)}`,
        description: 'Helping out.',
        regionCode: ASTANA,
        // Under way from early 2025 until a year from today: open to applications whenever the suite runs.
        startsOn: options.startsOn ?? '2025-01-01',
        endsOn: options.endsOn ?? calendarDay(365),
        direction: 'BILIM',
        placesAvailable: options.placesAvailable ?? 10,
        minimumAge: options.minimumAge ?? 16,
        minorRestricted: options.minorRestricted ?? false,
        open: options.open ?? true,
      },
    },
  );
  return data.postOpportunity.id as string;
}

export { outsidePartnerContract, withoutContracts } from '../contracts.ts';

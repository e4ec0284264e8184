import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { calendarDay, makeBin } from '../../subgraphs/kit/index.ts';
import type { Graph, GraphQLResponseBody } from '../harness.ts';

/** Test callers, as the gateway sees their tokens. */
export const ASTANA = '710000000';
export const ALMATY = '750000000';
export const SHYMKENT = '790000000';

export function callers(graph: Graph) {
  return {
    admin: graph.token({ role: 'admin', sub: 'admin-1' }),
    frontOffice: (region: string) => graph.token({ role: 'front_office', region, sub: `fo-${region}` }),
    coordinator: (...orgs: string[]) => graph.token({ role: 'coordinator', org: orgs, sub: `coord-${orgs[0] ?? 'none'}` }),
    volunteer: graph.token({ role: 'volunteer', volunteer_id: randomUUID(), sub: 'vol-1' }),
    partner: graph.token({ role: 'partner', partner_id: randomUUID(), sub: 'partner-1' }),
    analyst: graph.token({ role: 'analyst', sub: 'analyst-1' }),
  };
}

let serial = 0;
/** A valid BIN not used before in this process (serials spaced so makeBin's skips never collide). */
export function freshBin(): string {
  serial += 1;
  return makeBin(10_000 + serial * 10 + (process.pid % 7) * 100_000);
}

/** The same BIN with a wrong check digit. */
export function withWrongCheckDigit(bin: string): string {
  return `${bin.slice(0, 11)}${(Number(bin[11]) + 1) % 10}`;
}

/** Asserts the response failed with a code (and, for BAD_USER_INPUT, the argument named). */
export function expectError(body: GraphQLResponseBody, code: string, argumentName?: string): void {
  expect(body.errors, JSON.stringify(body)).toBeDefined();
  const error = body.errors?.[0];
  expect(error?.extensions?.code, JSON.stringify(body.errors)).toBe(code);
  if (argumentName !== undefined) expect(error?.extensions?.argumentName).toBe(argumentName);
}

export function expectNoErrors(body: GraphQLResponseBody): void {
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
}

export function isoDay(offsetDays = 0): string {
  return calendarDay(offsetDays);
}

export const REGISTER = `
  mutation Register($input: RegisterOrganizationInput!) {
    registerOrganization(input: $input) { id bin name kind status region { code } directions }
  }`;

/** Registers an organization as an admin and returns its id. */
export async function registerOrganization(
  graph: Graph,
  input: Partial<{ bin: string | null; name: string; kind: string; regionCode: string; directions: string[]; contact: Record<string, string> }> = {},
): Promise<string> {
  const { body } = await graph.query(REGISTER, {
    token: callers(graph).admin,
    variables: {
      input: {
        bin: input.bin === undefined ? freshBin() : input.bin,
        name: input.name ?? `Organization ${randomUUID().slice(0, 8)}`,
        kind: input.kind ?? 'VOLUNTEER_ORGANIZATION',
        regionCode: input.regionCode ?? ASTANA,
        directions: input.directions ?? ['BILIM'],
        ...(input.contact ? { contact: input.contact } : {}),
      },
    },
  });
  expectNoErrors(body);
  return body.data!.registerOrganization.id as string;
}

export const POST_OPPORTUNITY = `
  mutation Post($input: PostOpportunityInput!) {
    postOpportunity(input: $input) { id status title organization { id } }
  }`;

export function opportunityInput(organizationId: string, overrides: Record<string, unknown> = {}) {
  return {
    organizationId,
    title: 'Park clean-up',
    description: 'Litter picking along the river bank.',
    regionCode: ASTANA,
    place: 'Esil embankment',
    startsOn: '2030-05-01',
    endsOn: '2030-05-02',
    direction: 'TAZA_ALEM',
    skillsNeeded: ['teamwork'],
    placesAvailable: 30,
    minimumAge: 14,
    ...overrides,
  };
}

/** Posts an opportunity as an admin and returns its id. */
export async function postOpportunity(graph: Graph, organizationId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const { body } = await graph.query(POST_OPPORTUNITY, {
    token: callers(graph).admin,
    variables: { input: opportunityInput(organizationId, overrides) },
  });
  expectNoErrors(body);
  return body.data!.postOpportunity.id as string;
}

export { outsidePartnerContract, withoutContracts } from '../contracts.ts';

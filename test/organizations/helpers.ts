import { randomUUID } from 'node:crypto';
import { ASTANA, expectNoErrors } from '../arrange/index.ts';
import type { Graph } from '../harness.ts';

export { ALMATY, ASTANA, expectError, expectNoErrors, freshBin, isoDay, registerOrganization, SHYMKENT } from '../arrange/index.ts';

/** Test callers, as the gateway sees their tokens. */

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

/** The same BIN with a wrong check digit. */
export function withWrongCheckDigit(bin: string): string {
  return `${bin.slice(0, 11)}${(Number(bin[11]) + 1) % 10}`;
}

export const REGISTER = `
  mutation Register($input: RegisterOrganizationInput!) {
    registerOrganization(input: $input) { id bin name kind status region { code } directions }
  }`;

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

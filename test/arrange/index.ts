import { expect } from 'vitest';
import { calendarDay, makeBin, makeIin, type Sex } from '../../subgraphs/kit/index.ts';
import type { Graph, GraphQLResponseBody } from '../harness.ts';

/**
 * The helpers every graph test arranges its world with, through the public API
 * as portals and staff do. A subgraph's own test/<name>/helpers.ts (or
 * arrange.ts) adds what only its tests need.
 */
export const ASTANA = '710000000';
export const ALMATY = '750000000';
export const SHYMKENT = '790000000';

let serial = 0;
/** A number not given out before in this process (the pid spreads processes apart). */
export const nextSerial = (): number => ++serial + (process.pid % 997) * 1_000;

/** Test callers, as the gateway sees their tokens. */
export function tokens(graph: Graph) {
  return {
    admin: graph.token({ role: 'admin', sub: 'admin-1' }),
    analyst: graph.token({ role: 'analyst', sub: 'analyst-1' }),
    public: undefined,
    frontOffice: (region: string) => graph.token({ role: 'front_office', region, sub: `front-office-${region}` }),
    coordinatorOf: (...org: string[]) => graph.token({ role: 'coordinator', org, sub: `coordinator-${org.join('-')}` }),
    partner: (partnerId: string) => graph.token({ role: 'partner', partner_id: partnerId, sub: `partner-${partnerId}` }),
    volunteer: (volunteerId: string) => graph.token({ role: 'volunteer', volunteer_id: volunteerId, sub: `volunteer-${volunteerId}` }),
  };
}

/** Runs an operation that must succeed and returns its data. */
export async function ok(graph: Graph, query: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, any>> {
  const { body } = await graph.query(query, { variables, ...(token ? { token } : {}) });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

export interface Refusal {
  code: string;
  argumentName: string | undefined;
  body: GraphQLResponseBody;
}

/** Runs an operation that must fail; returns the first error's code and argumentName. */
export async function refused(graph: Graph, query: string, variables: Record<string, unknown>, token?: string): Promise<Refusal> {
  const { body } = await graph.query(query, { variables, ...(token ? { token } : {}) });
  expect(body.errors?.length, `expected an error, got ${JSON.stringify(body.data)}`).toBeGreaterThan(0);
  const extensions = body.errors![0]!.extensions ?? {};
  return { code: extensions.code as string, argumentName: extensions.argumentName as string | undefined, body };
}

/** Asserts the first error's code (one of several, when given a list) and, for BAD_USER_INPUT, the argument named. */
export function expectError(body: GraphQLResponseBody, code: string | string[], argumentName?: string): void {
  expect(body.errors, JSON.stringify(body)).toBeDefined();
  const error = body.errors?.[0];
  const codes = Array.isArray(code) ? code : [code];
  expect(codes, JSON.stringify(body.errors)).toContain(error?.extensions?.code);
  if (argumentName !== undefined) expect(error?.extensions?.argumentName, JSON.stringify(body.errors)).toBe(argumentName);
}

export function expectNoErrors(body: GraphQLResponseBody): void {
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
}

/** A valid BIN not used before in this process. */
export const freshBin = (): string => makeBin(500_000 + nextSerial() * 10);
/** A valid IIN not used before in this process; serials ten apart, as makeIin skips a serial whose check digit is impossible. */
export const freshIin = (birthDate = '1990-05-17', sex: Sex = 'FEMALE'): string => makeIin(birthDate, sex, (nextSerial() * 10) % 9990);

/** A day of the register's calendar (Kazakhstan), as the subgraphs count "today": today, or `offsetDays` away. */
export const isoDay = (offsetDays = 0): string => calendarDay(offsetDays);

export interface OrganizationInput {
  bin?: string | null;
  name?: string;
  kind?: string;
  regionCode?: string;
  directions?: string[];
  contact?: Record<string, string>;
}

/** Registers an organization (as an admin unless `token` says otherwise) and returns its id. */
export async function registerOrganization(graph: Graph, input: OrganizationInput = {}, token = tokens(graph).admin): Promise<string> {
  const data = await ok(
    graph,
    `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`,
    {
      input: {
        bin: input.bin === undefined ? freshBin() : input.bin,
        name: input.name ?? `Organization ${nextSerial()}`,
        kind: input.kind ?? 'VOLUNTEER_ORGANIZATION',
        regionCode: input.regionCode ?? ASTANA,
        directions: input.directions ?? ['BILIM'],
        ...(input.contact ? { contact: input.contact } : {}),
      },
    },
    token,
  );
  return data.registerOrganization.id;
}

/**
 * Approved work of `minutes` in total, in days of at most 8 hours: the volunteer
 * becomes a member of the organization first (an existing membership answers
 * CONFLICT: fine), and an admin's entries are imported as approved. `date(i)` is
 * the i-th day worked (1, 2, …).
 */
export async function logApprovedMinutes(
  graph: Graph,
  volunteerId: string,
  organizationId: string,
  minutes: number,
  options: { date: (i: number) => string; regionCode?: string },
): Promise<void> {
  const { admin } = tokens(graph);
  await graph.query(`mutation ($input: AddMembershipInput!) { addMembership(input: $input) { role } }`, {
    variables: { input: { volunteerId, organizationId } },
    token: admin,
  });
  let i = 1;
  for (let left = minutes; left > 0; left -= 480, i++) {
    await ok(
      graph,
      `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status } }`,
      {
        input: {
          volunteerId,
          organizationId,
          date: options.date(i),
          minutes: Math.min(480, left),
          regionCode: options.regionCode ?? ASTANA,
          activityType: 'TEACHING_TUTORING',
          direction: 'BILIM',
        },
      },
      admin,
    );
  }
}

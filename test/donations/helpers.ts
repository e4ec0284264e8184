import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { calendarDay, makeBin, makeIin } from '../../subgraphs/kit/index.ts';
import type { Graph, GraphQLResponseBody } from '../harness.ts';

/**
 * Arranging the world of a donations test through the public API, as portals
 * and funders do: organizations (organizations subgraph), donors, donations,
 * campaigns and grants (donations subgraph).
 */
export const ASTANA = '710000000';
export const ALMATY = '750000000';
export const SHYMKENT = '790000000';

let serial = 0;
const next = (): number => ++serial + (process.pid % 997) * 1_000;

export function tokens(graph: Graph) {
  return {
    admin: graph.token({ role: 'admin', sub: 'admin-1' }),
    analyst: graph.token({ role: 'analyst', sub: 'analyst-1' }),
    public: undefined,
    coordinatorOf: (...org: string[]) => graph.token({ role: 'coordinator', org, sub: `coordinator-${org.join('-')}` }),
    partner: (partnerId: string) => graph.token({ role: 'partner', partner_id: partnerId, sub: `partner-${partnerId}` }),
    volunteer: graph.token({ role: 'volunteer', volunteer_id: randomUUID(), sub: 'volunteer-1' }),
  };
}

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

export async function refused(graph: Graph, query: string, variables: Record<string, unknown>, token?: string): Promise<Refusal> {
  const { body } = await graph.query(query, { variables, ...(token ? { token } : {}) });
  expect(body.errors?.length, `expected an error, got ${JSON.stringify(body.data)}`).toBeGreaterThan(0);
  const extensions = body.errors![0]!.extensions ?? {};
  return { code: extensions.code as string, argumentName: extensions.argumentName as string | undefined, body };
}

export const freshBin = (): string => makeBin(500_000 + next() * 10);
// Ten serials apart: makeIin skips a serial whose check digit is impossible, so neighbours could meet (IINs are unique).
export const freshIin = (): string => makeIin('1990-05-17', 'FEMALE', (next() * 10) % 9990);
export const key = (): string => randomUUID();

/** Today and other days as YYYY-MM-DD (UTC). */
export function isoDay(offsetDays = 0): string {
  return calendarDay(offsetDays);
}

export async function registerOrganization(graph: Graph, name: string, regionCode = ASTANA, kind = 'VOLUNTEER_ORGANIZATION'): Promise<string> {
  const data = await ok(
    graph,
    `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`,
    { input: { bin: freshBin(), name: `${name} ${next()}`, kind, regionCode, directions: ['QAMQOR'] } },
    tokens(graph).admin,
  );
  return data.registerOrganization.id;
}

export const REGISTER_DONOR = `mutation ($input: RegisterDonorInput!) {
  registerDonor(input: $input) { id type residency name bin country }
}`;

export async function registerDonor(graph: Graph, organizationId: string, input: Record<string, unknown>, token?: string): Promise<string> {
  const data = await ok(graph, REGISTER_DONOR, { input: { organizationId, ...input } }, token ?? tokens(graph).coordinatorOf(organizationId));
  return data.registerDonor.id;
}

export const individual = (): Record<string, unknown> => ({ type: 'INDIVIDUAL', residency: 'RESIDENT', name: `Donor ${next()}`, iin: freshIin() });
export const corporate = (): Record<string, unknown> => ({ type: 'CORPORATE', residency: 'RESIDENT', name: `Company ${next()} LLP`, bin: freshBin() });
export const foreignFoundation = (): Record<string, unknown> => ({ type: 'FOUNDATION', residency: 'NON_RESIDENT', name: `Foundation ${next()}`, country: 'US' });

export const DONATION_FIELDS = `id receiptNumber date kind foreignSource
  amount { amount currency } amountKzt { amount currency }
  exchangeRate { rate date source }
  refunded { amount currency } netAmountKzt { amount currency }
  recipient { id } donor { id } campaign { id }`;

export const RECORD_DONATION = `mutation ($input: RecordDonationInput!, $key: String!) {
  recordDonation(input: $input, idempotencyKey: $key) { ${DONATION_FIELDS} }
}`;

export const REFUND_DONATION = `mutation ($input: RefundDonationInput!, $key: String!) {
  refundDonation(input: $input, idempotencyKey: $key) { id amount { amount currency } amountKzt { amount currency } date donation { id } }
}`;

export async function recordDonation(
  graph: Graph,
  input: { donorId: string; recipientId: string; amount: string; currency?: string; date?: string } & Record<string, unknown>,
  token?: string,
): Promise<Record<string, any>> {
  const { amount, currency, ...rest } = input;
  const data = await ok(
    graph,
    RECORD_DONATION,
    { input: { date: isoDay(), ...rest, amount: { amount, currency: currency ?? 'KZT' } }, key: key() },
    token ?? tokens(graph).coordinatorOf(input.recipientId),
  );
  return data.recordDonation;
}

/** Minor units of a decimal string (for recounts in assertions): "1500.25" with 2 digits is 150025n. */
export function minor(amount: string, digits = 2): bigint {
  const [whole, fraction = ''] = amount.split('.');
  const sign = whole!.startsWith('-') ? -1n : 1n;
  return sign * BigInt(whole!.replace('-', '') + fraction.padEnd(digits, '0'));
}

/** Tiyn as the KZT decimal string. */
export function kzt(tiyn: bigint): string {
  const negative = tiyn < 0n;
  const text = (negative ? -tiyn : tiyn).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${text.slice(0, -2)}.${text.slice(-2)}`;
}

export { outsidePartnerContract, withoutContracts } from '../contracts.ts';

import { randomUUID } from 'node:crypto';
import * as arrange from '../arrange/index.ts';
import { ASTANA, freshBin, freshIin, isoDay, nextSerial, ok } from '../arrange/index.ts';
import type { Graph } from '../harness.ts';

/**
 * Arranging the world of a donations test through the public API, as portals
 * and funders do: organizations (organizations subgraph), donors, donations,
 * campaigns and grants (donations subgraph).
 */
export { ALMATY, ASTANA, freshBin, freshIin, isoDay, ok, refused, SHYMKENT, type Refusal } from '../arrange/index.ts';

const next = nextSerial;

export function tokens(graph: Graph) {
  // Any volunteer: donations never look the volunteer up.
  return { ...arrange.tokens(graph), volunteer: graph.token({ role: 'volunteer', volunteer_id: randomUUID(), sub: 'volunteer-1' }) };
}

export const key = (): string => randomUUID();

export async function registerOrganization(
  graph: Graph,
  name: string,
  regionCode = ASTANA,
  kind = 'VOLUNTEER_ORGANIZATION',
): Promise<string> {
  return arrange.registerOrganization(graph, { name: `${name} ${next()}`, regionCode, kind, directions: ['QAMQOR'] });
}

export const REGISTER_DONOR = `mutation ($input: RegisterDonorInput!) {
  registerDonor(input: $input) { id type residency name bin country }
}`;

export async function registerDonor(graph: Graph, organizationId: string, input: Record<string, unknown>, token?: string): Promise<string> {
  const data = await ok(
    graph,
    REGISTER_DONOR,
    { input: { organizationId, ...input } },
    token ?? tokens(graph).coordinatorOf(organizationId),
  );
  return data.registerDonor.id;
}

export const individual = (): Record<string, unknown> => ({
  type: 'INDIVIDUAL',
  residency: 'RESIDENT',
  name: `Donor ${next()}`,
  iin: freshIin(),
});
export const corporate = (): Record<string, unknown> => ({
  type: 'CORPORATE',
  residency: 'RESIDENT',
  name: `Company ${next()} LLP`,
  bin: freshBin(),
});
export const foreignFoundation = (): Record<string, unknown> => ({
  type: 'FOUNDATION',
  residency: 'NON_RESIDENT',
  name: `Foundation ${next()}`,
  country: 'US',
});

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

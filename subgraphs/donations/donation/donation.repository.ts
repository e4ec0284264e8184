import { sql, type Kysely, type Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { DonationsDB, DonationTable, RefundTable } from '../migrations/tables.ts';
import { bigintOf, sqlMinor } from '../money/money.ts';
import type { DayIdKey } from '../common/cursors.ts';
import type { DonorType, Residency } from '../donor/donor.repository.ts';

export type DonationKind = 'MONETARY' | 'IN_KIND';
export type DonationFrequency = 'ONE_TIME' | 'RECURRING';
export type RecurringInterval = 'MONTHLY' | 'YEARLY';

export interface RecurringSchedule {
  interval: RecurringInterval;
  startsOn: string;
  endsOn: string | null;
}

export interface AppliedRate {
  rateMicro: bigint;
  date: string;
  source: string;
}

export interface Donation {
  id: string;
  donorId: string;
  donorType: DonorType;
  donorResidency: Residency;
  recipientId: string;
  recipientRegionCode: string;
  campaignId: string | null;
  kind: DonationKind;
  inKindDescription: string | null;
  currency: string;
  amountMinor: bigint;
  rate: AppliedRate | null;
  amountKztMinor: bigint;
  frequency: DonationFrequency;
  schedule: RecurringSchedule | null;
  date: string;
  receiptYear: number;
  receiptNumber: string;
  foreignSource: boolean;
  note: string | null;
  recordedAt: Date;
}

export function rowToDonation(row: Selectable<DonationTable>): Donation {
  return {
    id: row.id,
    donorId: row.donor_id,
    donorType: row.donor_type,
    donorResidency: row.donor_residency,
    recipientId: row.recipient_id,
    recipientRegionCode: row.recipient_region_code,
    campaignId: row.campaign_id,
    kind: row.kind,
    inKindDescription: row.in_kind_description,
    currency: row.currency,
    amountMinor: bigintOf(row.amount_minor),
    rate:
      row.rate_micro !== null && row.rate_date !== null && row.rate_source !== null
        ? { rateMicro: bigintOf(row.rate_micro), date: row.rate_date, source: row.rate_source }
        : null,
    amountKztMinor: bigintOf(row.amount_kzt),
    frequency: row.frequency,
    schedule:
      row.schedule_interval && row.schedule_starts_on
        ? { interval: row.schedule_interval, startsOn: row.schedule_starts_on, endsOn: row.schedule_ends_on }
        : null,
    date: row.donated_on,
    receiptYear: row.receipt_year,
    receiptNumber: row.receipt_number,
    foreignSource: row.foreign_source,
    note: row.note,
    recordedAt: row.recorded_at,
  };
}

export async function findDonationsById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<Donation[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('donations').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToDonation);
}

/** Locks a donation's row for the rest of the transaction: refunds of one donation run one at a time. */
export async function lockDonation(db: Kysely<DonationsDB>, id: string): Promise<Donation | null> {
  const row = await db.selectFrom('donations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToDonation(row) : null;
}

export interface DonationFilter {
  recipientId?: string | undefined;
  donorId?: string | undefined;
  campaignId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const donationCursor = (d: Donation): CursorKey => [d.date, d.id];

/** One page, newest first by (date, id). */
export async function listDonations(db: Kysely<DonationsDB>, filter: DonationFilter, page: Page<DayIdKey>): Promise<Donation[]> {
  let query = db.selectFrom('donations').selectAll();
  if (filter.recipientId) query = query.where('recipient_id', '=', filter.recipientId);
  if (filter.donorId) query = query.where('donor_id', '=', filter.donorId);
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId);
  if (filter.from) query = query.where('donated_on', '>=', filter.from);
  if (filter.to) query = query.where('donated_on', '<=', filter.to);
  const rows = await keysetPage(query, page, ['donated_on', 'id'], 'desc').execute();
  return rows.map(rowToDonation);
}

/**
 * The next receipt number of a recipient and year. The upsert takes the counter
 * row's lock (as `select ... for update` would) until the transaction ends, so
 * concurrent donations to one recipient get consecutive, distinct numbers; the
 * first donation of a year creates the row, racing inserts included.
 */
export async function nextReceiptNumber(db: Kysely<DonationsDB>, organizationId: string, year: number): Promise<number> {
  const row = await db
    .insertInto('receipt_counters')
    .values({ organization_id: organizationId, year, last_number: 1 })
    .onConflict((oc) => oc.columns(['organization_id', 'year']).doUpdateSet({ last_number: sql`receipt_counters.last_number + 1` }))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export type NewDonation = Omit<Donation, 'recordedAt'>;

export async function insertDonation(db: Kysely<DonationsDB>, d: NewDonation): Promise<Donation> {
  const row = await db
    .insertInto('donations')
    .values({
      id: d.id,
      donor_id: d.donorId,
      donor_type: d.donorType,
      donor_residency: d.donorResidency,
      recipient_id: d.recipientId,
      recipient_region_code: d.recipientRegionCode,
      campaign_id: d.campaignId,
      kind: d.kind,
      in_kind_description: d.inKindDescription,
      currency: d.currency,
      amount_minor: sqlMinor(d.amountMinor),
      rate_micro: d.rate ? sqlMinor(d.rate.rateMicro) : null,
      rate_date: d.rate?.date ?? null,
      rate_source: d.rate?.source ?? null,
      amount_kzt: sqlMinor(d.amountKztMinor),
      frequency: d.frequency,
      schedule_interval: d.schedule?.interval ?? null,
      schedule_starts_on: d.schedule?.startsOn ?? null,
      schedule_ends_on: d.schedule?.endsOn ?? null,
      donated_on: d.date,
      receipt_year: d.receiptYear,
      receipt_number: d.receiptNumber,
      foreign_source: d.foreignSource,
      note: d.note,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToDonation(row);
}

export interface Refund {
  id: string;
  donationId: string;
  amountMinor: bigint;
  amountKztMinor: bigint;
  date: string;
  reason: string;
  recordedAt: Date;
}

export function rowToRefund(row: Selectable<RefundTable>): Refund {
  return {
    id: row.id,
    donationId: row.donation_id,
    amountMinor: bigintOf(row.amount_minor),
    amountKztMinor: bigintOf(row.amount_kzt),
    date: row.refunded_on,
    reason: row.reason,
    recordedAt: row.recorded_at,
  };
}

export async function findRefundsById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<Refund[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('refunds').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToRefund);
}

export async function findRefundsOfDonations(db: Kysely<DonationsDB>, donationIds: readonly string[]): Promise<Refund[]> {
  if (donationIds.length === 0) return [];
  const rows = await db
    .selectFrom('refunds')
    .selectAll()
    .where('donation_id', 'in', donationIds)
    .orderBy('refunded_on')
    .orderBy('recorded_at')
    .execute();
  return rows.map(rowToRefund);
}

/** What has been refunded on a donation so far, in its currency and in KZT. */
export async function sumRefundsOfDonation(db: Kysely<DonationsDB>, donationId: string): Promise<{ minor: bigint; kzt: bigint }> {
  const row = await db
    .selectFrom('refunds')
    .select([sql<string>`coalesce(sum(amount_minor), 0)::text`.as('minor'), sql<string>`coalesce(sum(amount_kzt), 0)::text`.as('kzt')])
    .where('donation_id', '=', donationId)
    .executeTakeFirstOrThrow();
  return { minor: BigInt(row.minor), kzt: BigInt(row.kzt) };
}

export async function insertRefund(db: Kysely<DonationsDB>, r: Omit<Refund, 'recordedAt'>): Promise<Refund> {
  const row = await db
    .insertInto('refunds')
    .values({
      id: r.id,
      donation_id: r.donationId,
      amount_minor: sqlMinor(r.amountMinor),
      amount_kzt: sqlMinor(r.amountKztMinor),
      refunded_on: r.date,
      reason: r.reason,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToRefund(row);
}

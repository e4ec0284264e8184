import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  BadUserInput,
  formatAmount,
  invariant,
  NotFound,
  parseAmount,
  parseDay,
  parseId,
  parseOptionalText,
  parseText,
  auditedTransaction,
  recordEvent,
  today,
  type RequestContext,
} from '../../kit/index.ts';
import { addToCampaign, findCampaignsById } from '../campaign/campaign.repository.ts';
import { findDonorsById, linkDonorToOrganization } from '../donor/donor.repository.ts';
import { rateForDay } from '../exchange-rate/exchange-rate.service.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { KZT, MAX_DONATION_KZT_MINOR, parseMoneyInput, TENGE_INTRODUCED, toKzt } from '../money/money.ts';
import { assertActsFor } from '../access.ts';
import { claimIdempotencyKey, idempotentRequest, parseIdempotencyKey, replayedEntity } from '../common/idempotency.ts';
import { fetchOrganizationFacts, registeredOrganization } from '../common/organizations-client.ts';
import { addToRollups } from '../totals/totals.repository.ts';
import {
  findDonationsById,
  findRefundsById,
  insertDonation,
  insertRefund,
  lockDonation,
  nextReceiptNumber,
  sumRefundsOfDonation,
  type Donation,
  type DonationFrequency,
  type DonationKind,
  type RecurringInterval,
  type RecurringSchedule,
  type Refund,
} from './donation.repository.ts';

/** Event of the outbox: a donation to a campaign (its page shows the public part of it). */
export const DONATION_RECORDED = 'DonationRecorded';
export interface DonationRecordedEvent {
  donationId: string;
  campaignId: string;
}

export interface RecordDonationInput {
  donorId: string;
  recipientId: string;
  campaignId?: string | null;
  kind?: DonationKind | null;
  amount: { amount: string; currency: string };
  inKindDescription?: string | null;
  frequency?: DonationFrequency | null;
  schedule?: { interval: RecurringInterval; startsOn: string; endsOn?: string | null } | null;
  date: string;
  foreignSource?: boolean | null;
  note?: string | null;
}

/** The validated content of a donation request: what its idempotency fingerprint is taken of. */
interface DonationRequest {
  donorId: string;
  recipientId: string;
  campaignId: string | null;
  kind: DonationKind;
  currency: string;
  amountMinor: bigint;
  inKindDescription: string | null;
  frequency: DonationFrequency;
  schedule: RecurringSchedule | null;
  date: string;
  foreignSource: boolean | null;
  note: string | null;
}

export const formatReceiptNumber = (year: number, n: number): string => `${year}-${String(n).padStart(6, '0')}`;

function parseDonationRequest(input: RecordDonationInput): DonationRequest {
  const kind = input.kind ?? 'MONETARY';
  const frequency = input.frequency ?? 'ONE_TIME';
  const { minor, currency } = parseMoneyInput(input.amount, 'input.amount');
  const date = parseDay(input.date, 'input.date');
  if (date > today()) throw new BadUserInput('input.date', 'a donation cannot be dated in the future');
  if (date < TENGE_INTRODUCED) throw new BadUserInput('input.date', `before the tenge was introduced (${TENGE_INTRODUCED})`);
  const inKindDescription = parseOptionalText(input.inKindDescription, 'input.inKindDescription', 2000);
  if (kind === 'IN_KIND' && !inKindDescription) throw new BadUserInput('input.inKindDescription', 'required for an in-kind gift');
  if (kind === 'MONETARY' && inKindDescription) throw new BadUserInput('input.inKindDescription', 'only for an in-kind gift');
  let schedule: RecurringSchedule | null = null;
  if (frequency === 'RECURRING') {
    if (!input.schedule) throw new BadUserInput('input.schedule', 'required for a recurring donation');
    const startsOn = parseDay(input.schedule.startsOn, 'input.schedule.startsOn');
    const endsOn = input.schedule.endsOn ? parseDay(input.schedule.endsOn, 'input.schedule.endsOn') : null;
    if (endsOn && endsOn < startsOn) throw new BadUserInput('input.schedule.endsOn', 'ends before it starts');
    if (date < startsOn || (endsOn && date > endsOn)) throw new BadUserInput('input.date', 'outside the recurring schedule');
    schedule = { interval: input.schedule.interval, startsOn, endsOn };
  } else if (input.schedule) {
    throw new BadUserInput('input.schedule', 'only for a recurring donation');
  }
  return {
    donorId: parseId(input.donorId, 'input.donorId'),
    recipientId: parseId(input.recipientId, 'input.recipientId'),
    campaignId: input.campaignId ? parseId(input.campaignId, 'input.campaignId') : null,
    kind,
    currency,
    amountMinor: minor,
    inKindDescription,
    frequency,
    schedule,
    date,
    foreignSource: input.foreignSource ?? null,
    note: parseOptionalText(input.note, 'input.note', 2000),
  };
}

async function loadDonation(db: Kysely<DonationsDB>, id: string): Promise<Donation> {
  const [donation] = await findDonationsById(db, [id]);
  invariant(donation, `donation ${id} of an idempotency key exists`);
  return donation;
}

export type DonationEntry = Omit<Donation, 'recordedAt' | 'receiptYear' | 'receiptNumber'>;

/**
 * Writes a validated donation inside the caller's transaction: the next receipt
 * number of its recipient and year, the entry, the donor's link to the
 * recipient, and the campaign and rollup totals it moves. `recordDonation` and
 * the demo loader both write through it, so totals always follow entries.
 */
export async function writeDonation(trx: Kysely<DonationsDB>, entry: DonationEntry): Promise<Donation> {
  const year = Number(entry.date.slice(0, 4));
  const number = await nextReceiptNumber(trx, entry.recipientId, year);
  const donation = await insertDonation(trx, { ...entry, receiptYear: year, receiptNumber: formatReceiptNumber(year, number) });
  await linkDonorToOrganization(trx, entry.donorId, entry.recipientId);
  if (donation.campaignId) await addToCampaign(trx, donation.campaignId, donation.amountKztMinor, 1);
  await addToRollups(trx, {
    organizationId: donation.recipientId,
    regionCode: donation.recipientRegionCode,
    day: donation.date,
    donorType: donation.donorType,
    residency: donation.donorResidency,
    kind: donation.kind,
    foreignSource: donation.foreignSource,
    amountKzt: donation.amountKztMinor,
    donations: 1,
  });
  return donation;
}

/**
 * Writes a refund of a donation locked by the caller's transaction, never more
 * than remains: the KZT reversed is at the donation's own rate (half-up to the
 * tiyn), and the refund that empties the donation takes exactly the KZT that
 * remains, so a donation refunded in full nets to zero in every total. Null when
 * `amountMinor` (null: all that remains) is zero or more than remains.
 */
export async function writeRefund(
  trx: Kysely<DonationsDB>,
  donation: Donation,
  refund: { id: string; amountMinor: bigint | null; date: string; reason: string },
): Promise<Refund | null> {
  const refunded = await sumRefundsOfDonation(trx, donation.id);
  const remainingMinor = donation.amountMinor - refunded.minor;
  const remainingKzt = donation.amountKztMinor - refunded.kzt;
  const minor = refund.amountMinor ?? remainingMinor;
  if (minor === 0n || minor > remainingMinor) return null;
  const proportional = donation.rate ? toKzt(minor, donation.currency, donation.rate.rateMicro) : minor;
  const kzt = minor === remainingMinor ? remainingKzt : proportional < remainingKzt ? proportional : remainingKzt;
  const written = await insertRefund(trx, {
    id: refund.id,
    donationId: donation.id,
    amountMinor: minor,
    amountKztMinor: kzt,
    date: refund.date,
    reason: refund.reason,
  });
  if (donation.campaignId) await addToCampaign(trx, donation.campaignId, -kzt, 0);
  await addToRollups(trx, {
    organizationId: donation.recipientId,
    regionCode: donation.recipientRegionCode,
    day: refund.date,
    donorType: donation.donorType,
    residency: donation.donorResidency,
    kind: donation.kind,
    foreignSource: donation.foreignSource,
    amountKzt: -kzt,
    donations: 0,
  });
  return written;
}

/**
 * Records a donation: converts it to KZT at the official rate of its date (or
 * the latest earlier day with one), assigns the next receipt number of the
 * recipient and year, and moves the campaign and rollup totals, all in one
 * transaction. The recipient's region comes from the organizations subgraph at
 * write time and is stored on the donation.
 */
export async function recordDonation(
  db: Kysely<DonationsDB>,
  context: RequestContext,
  input: RecordDonationInput,
  idempotencyKey: string,
): Promise<Donation> {
  const key = parseIdempotencyKey(idempotencyKey);
  const request = parseDonationRequest(input);
  assertActsFor(context.viewer, request.recipientId, 'record donations to it');
  const idempotent = idempotentRequest('recordDonation', key, request);
  const replayed = await replayedEntity(db, idempotent);
  if (replayed) return loadDonation(db, replayed);

  const recipient = registeredOrganization(
    await fetchOrganizationFacts(context, [request.recipientId]),
    request.recipientId,
    'input.recipientId',
  );

  return auditedTransaction(db, context, async (trx, audit) => {
    const id = randomUUID();
    const prior = await claimIdempotencyKey(trx, idempotent, id);
    if (prior) return loadDonation(trx, prior);

    const [donor] = await findDonorsById(trx, [request.donorId]);
    if (!donor) throw new NotFound('Donor', request.donorId);
    const foreignDonor = donor.residency === 'NON_RESIDENT';
    if (foreignDonor && request.foreignSource === false) {
      throw new BadUserInput('input.foreignSource', 'a donation from a non-resident donor is from a foreign source');
    }
    const foreignSource = foreignDonor || request.foreignSource === true;

    if (request.campaignId) {
      const [campaign] = await findCampaignsById(trx, [request.campaignId]);
      if (!campaign) throw new NotFound('Campaign', request.campaignId);
      if (campaign.organizationId !== request.recipientId)
        throw new BadUserInput('input.campaignId', 'the campaign belongs to another organization');
      if (request.date < campaign.startsOn || request.date > campaign.endsOn) {
        throw new BadUserInput('input.date', `outside the campaign (${campaign.startsOn} to ${campaign.endsOn})`);
      }
    }

    const rate = await rateForDay(trx, request.currency, request.date, 'input.date');
    const amountKztMinor = rate ? toKzt(request.amountMinor, request.currency, rate.rateMicro) : request.amountMinor;
    if (amountKztMinor === 0n) throw new BadUserInput('input.amount.amount', 'is worth less than one tiyn');
    if (amountKztMinor > MAX_DONATION_KZT_MINOR) {
      throw new BadUserInput(
        'input.amount.amount',
        `worth ${formatAmount(amountKztMinor, KZT)} KZT, more than ${formatAmount(MAX_DONATION_KZT_MINOR, KZT)} KZT, the most one donation may be`,
      );
    }

    const donation = await writeDonation(trx, {
      id,
      donorId: donor.id,
      donorType: donor.type,
      donorResidency: donor.residency,
      recipientId: request.recipientId,
      recipientRegionCode: recipient.region.code,
      campaignId: request.campaignId,
      kind: request.kind,
      inKindDescription: request.inKindDescription,
      currency: request.currency,
      amountMinor: request.amountMinor,
      rate: rate ? { rateMicro: rate.rateMicro, date: rate.date, source: rate.source } : null,
      amountKztMinor,
      frequency: request.frequency,
      schedule: request.schedule,
      date: request.date,
      foreignSource,
      note: request.note,
    });
    await audit({
      action: 'donation.record',
      entity: 'Donation',
      entityId: donation.id,
      details: {
        donorId: donor.id,
        recipientId: donation.recipientId,
        campaignId: donation.campaignId,
        amount: formatAmount(donation.amountMinor, donation.currency),
        currency: donation.currency,
        amountKzt: formatAmount(donation.amountKztMinor, KZT),
        receiptNumber: donation.receiptNumber,
        idempotencyKey: key,
      },
    });
    if (donation.campaignId) {
      await recordEvent(trx, context, { topic: DONATION_RECORDED, payload: { donationId: donation.id, campaignId: donation.campaignId } });
    }
    return donation;
  });
}

export interface RefundDonationInput {
  donationId: string;
  amount?: string | null;
  date: string;
  reason: string;
}

async function loadRefund(db: Kysely<DonationsDB>, id: string): Promise<Refund> {
  const [refund] = await findRefundsById(db, [id]);
  invariant(refund, `refund ${id} of an idempotency key exists`);
  return refund;
}

/**
 * Reverses all or part of a donation with an entry linked to it (`writeRefund`);
 * the donation itself is never edited. Its row is locked while what remains is
 * checked, so concurrent refunds never take more than was given: of refunds
 * racing for the same remainder one is written and the others are
 * BAD_USER_INPUT (more than remains), as if they had come after it.
 */
export async function refundDonation(
  db: Kysely<DonationsDB>,
  context: RequestContext,
  input: RefundDonationInput,
  idempotencyKey: string,
): Promise<Refund> {
  const key = parseIdempotencyKey(idempotencyKey);
  const donationId = parseId(input.donationId, 'input.donationId');
  const [donation] = await findDonationsById(db, [donationId]);
  if (!donation) throw new NotFound('Donation', donationId);
  assertActsFor(context.viewer, donation.recipientId, 'refund its donations');
  const amountMinor =
    input.amount === null || input.amount === undefined ? null : parseAmount(input.amount, donation.currency, 'input.amount');
  const date = parseDay(input.date, 'input.date');
  if (date < donation.date) throw new BadUserInput('input.date', `before the donation's date ${donation.date}`);
  if (date > today()) throw new BadUserInput('input.date', 'a refund cannot be dated in the future');
  const reason = parseText(input.reason, 'input.reason', { max: 2000 });

  const idempotent = idempotentRequest('refundDonation', key, { donationId, amountMinor, date, reason });
  const replayed = await replayedEntity(db, idempotent);
  if (replayed) return loadRefund(db, replayed);

  // Asking for more than remains is the caller's mistake (BAD_USER_INPUT), whether it is seen
  // here, before the lock, or under the lock after a racing refund took what remained: the
  // loser of such a race is told what remains now. Checked here first to spare the lock.
  const before = await sumRefundsOfDonation(db, donationId);
  const remainingBefore = donation.amountMinor - before.minor;
  if (remainingBefore === 0n) throw new BadUserInput('input.donationId', 'the donation is already refunded in full');
  if (amountMinor !== null && amountMinor > remainingBefore) {
    throw new BadUserInput(
      'input.amount',
      `more than remains of the donation (${formatAmount(remainingBefore, donation.currency)} ${donation.currency})`,
    );
  }

  return auditedTransaction(db, context, async (trx, audit) => {
    const id = randomUUID();
    const prior = await claimIdempotencyKey(trx, idempotent, id);
    if (prior) return loadRefund(trx, prior);

    const locked = await lockDonation(trx, donationId);
    invariant(locked, 'a donation is never deleted');
    const refund = await writeRefund(trx, locked, { id, amountMinor, date, reason });
    if (!refund) {
      // A racing refund committed first and took what this one asked for.
      const remaining = locked.amountMinor - (await sumRefundsOfDonation(trx, donationId)).minor;
      if (remaining === 0n) throw new BadUserInput('input.donationId', 'the donation is already refunded in full');
      throw new BadUserInput(
        'input.amount',
        `more than remains of the donation (${formatAmount(remaining, locked.currency)} ${locked.currency})`,
      );
    }
    await audit({
      action: 'donation.refund',
      entity: 'Donation',
      entityId: donationId,
      details: {
        refundId: id,
        amount: formatAmount(refund.amountMinor, locked.currency),
        currency: locked.currency,
        amountKzt: formatAmount(refund.amountKztMinor, KZT),
        date,
        reason,
        idempotencyKey: key,
      },
    });
    return refund;
  });
}

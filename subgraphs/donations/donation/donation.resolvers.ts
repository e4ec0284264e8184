import {
  BadUserInput,
  eventsOf,
  Forbidden,
  hasRole,
  isId,
  money,
  NotFound,
  parseDay,
  parseId,
  parsePage,
  toConnection,
  type OutboxEvent,
  type PageArgs,
} from '../../kit/index.ts';
import type { DonationsContext } from '../context.ts';
import { formatRate, KZT } from '../money/money.ts';
import { coordinates, readsEverything } from '../access.ts';
import { donationCursors } from '../common/cursors.ts';
import { donationCursor, listDonations, type Donation, type DonationFilter, type Refund } from './donation.repository.ts';
import {
  DONATION_RECORDED,
  recordDonation,
  refundDonation,
  type DonationRecordedEvent,
  type RecordDonationInput,
  type RefundDonationInput,
} from './donation.service.ts';

/** A donation: the recipient's coordinators, the partner that gave it, analysts and admins. */
async function assertMayReadDonation(donation: Donation, { viewer, loaders }: DonationsContext): Promise<void> {
  if (readsEverything(viewer) || coordinates(viewer, donation.recipientId)) return;
  if (hasRole(viewer, 'partner') && viewer.partnerId) {
    const donor = await loaders.donorById.load(donation.donorId);
    if (donor?.partnerId === viewer.partnerId) return;
  }
  throw new Forbidden("Only the recipient's coordinators, the donating partner, analysts and admins may read a donation");
}

async function parseDonationFilter(filter: DonationFilter, context: DonationsContext): Promise<DonationFilter> {
  const parsed: DonationFilter = {
    recipientId: filter.recipientId ? parseId(filter.recipientId, 'filter.recipientId') : undefined,
    donorId: filter.donorId ? parseId(filter.donorId, 'filter.donorId') : undefined,
    campaignId: filter.campaignId ? parseId(filter.campaignId, 'filter.campaignId') : undefined,
    from: filter.from ? parseDay(filter.from, 'filter.from') : undefined,
    to: filter.to ? parseDay(filter.to, 'filter.to') : undefined,
  };
  if (parsed.from && parsed.to && parsed.to < parsed.from) throw new BadUserInput('filter.to', 'before filter.from');
  const { viewer, loaders } = context;
  if (readsEverything(viewer)) return parsed;
  if (parsed.recipientId && coordinates(viewer, parsed.recipientId)) return parsed;
  if (parsed.donorId && hasRole(viewer, 'partner') && viewer.partnerId) {
    const donor = await loaders.donorById.load(parsed.donorId);
    if (donor?.partnerId === viewer.partnerId) return parsed;
  }
  throw new Forbidden('Coordinators list the donations of their organization (filter.recipientId), partners their own (filter.donorId)');
}

export const donationResolvers = {
  Query: {
    donation: async (_: unknown, { id }: { id: string }, context: DonationsContext) => {
      const donation = await context.loaders.donationById.load(parseId(id, 'id'));
      if (donation) await assertMayReadDonation(donation, context);
      return donation;
    },
    donations: async (_: unknown, args: PageArgs & { filter: DonationFilter }, context: DonationsContext) => {
      const filter = await parseDonationFilter(args.filter, context);
      const page = parsePage(args, donationCursors);
      return toConnection(await listDonations(context.db, filter, page), page, donationCursor);
    },
  },
  Mutation: {
    recordDonation: (_: unknown, args: { input: RecordDonationInput; idempotencyKey: string }, context: DonationsContext) =>
      recordDonation(context.db, context, args.input, args.idempotencyKey),
    refundDonation: (_: unknown, args: { input: RefundDonationInput; idempotencyKey: string }, context: DonationsContext) =>
      refundDonation(context.db, context, args.input, args.idempotencyKey),
  },
  Subscription: {
    donationRecorded: {
      // A campaign's page is public: anyone may follow it, and receives the public part of each donation.
      subscribe: async (_: unknown, args: { campaignId: string }, context: DonationsContext) => {
        const campaignId = parseId(args.campaignId, 'campaignId');
        if (!(await context.loaders.campaignById.load(campaignId))) throw new NotFound('Campaign', campaignId);
        return eventsOf(context).subscribe<DonationRecordedEvent>(DONATION_RECORDED, (event) => event.campaignId === campaignId);
      },
      resolve: (event: OutboxEvent<DonationRecordedEvent>, _: unknown, { loaders }: DonationsContext) =>
        loaders.donationById.load(event.payload.donationId),
    },
  },
  CampaignDonation: {
    campaign: (d: Donation, _: unknown, { loaders }: DonationsContext) => loaders.campaignById.load(d.campaignId!),
    amountKzt: (d: Donation) => money(d.amountKztMinor, KZT),
  },
  Donation: {
    __resolveReference: async (ref: { id: string }, context: DonationsContext) => {
      const donation = isId(ref.id) ? await context.loaders.donationById.load(ref.id.toLowerCase()) : null;
      if (donation) await assertMayReadDonation(donation, context);
      return donation;
    },
    donor: (d: Donation, _: unknown, { loaders }: DonationsContext) => loaders.donorById.load(d.donorId),
    recipient: (d: Donation) => ({ id: d.recipientId }),
    campaign: (d: Donation, _: unknown, { loaders }: DonationsContext) => (d.campaignId ? loaders.campaignById.load(d.campaignId) : null),
    amount: (d: Donation) => money(d.amountMinor, d.currency),
    amountKzt: (d: Donation) => money(d.amountKztMinor, KZT),
    exchangeRate: (d: Donation) => (d.rate ? { rate: formatRate(d.rate.rateMicro), date: d.rate.date, source: d.rate.source } : null),
    refunds: (d: Donation, _: unknown, { loaders }: DonationsContext) => loaders.refundsOfDonation.load(d.id),
    refunded: async (d: Donation, _: unknown, { loaders }: DonationsContext) => {
      const refunds = await loaders.refundsOfDonation.load(d.id);
      return money(
        refunds.reduce((sum, r) => sum + r.amountMinor, 0n),
        d.currency,
      );
    },
    netAmountKzt: async (d: Donation, _: unknown, { loaders }: DonationsContext) => {
      const refunds = await loaders.refundsOfDonation.load(d.id);
      return money(d.amountKztMinor - refunds.reduce((sum, r) => sum + r.amountKztMinor, 0n), KZT);
    },
  },
  Refund: {
    donation: (r: Refund, _: unknown, { loaders }: DonationsContext) => loaders.donationById.load(r.donationId),
    amount: async (r: Refund, _: unknown, { loaders }: DonationsContext) => {
      const donation = await loaders.donationById.load(r.donationId);
      return money(r.amountMinor, donation?.currency ?? KZT);
    },
    amountKzt: (r: Refund) => money(r.amountKztMinor, KZT),
  },
};

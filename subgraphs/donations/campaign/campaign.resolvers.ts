import { isId, money, parseDay, parseId, parsePage, toConnection, type Page, type PageArgs } from '../../kit/index.ts';
import type { DonationsContext } from '../context.ts';
import { KZT } from '../money/money.ts';
import { campaignCursors, type DayIdKey } from '../common/cursors.ts';
import { campaignCursor, listCampaigns, type Campaign, type CampaignFilter } from './campaign.repository.ts';
import { createCampaign, type CreateCampaignInput } from './campaign.service.ts';

export const parseCampaignPage = (args: PageArgs): Page<DayIdKey> => parsePage(args, campaignCursors);

/** An organization's campaigns: first pages of many organizations in one statement, later pages directly. */
export async function campaignsOfOrganization(organizationId: string, args: PageArgs, { db, loaders }: DonationsContext) {
  const page = parseCampaignPage(args);
  const rows = page.after
    ? await listCampaigns(db, { organizationId }, page)
    : (await loaders.firstCampaignsOfOrganization.load({ organizationId, limit: page.limit })).map((e) => e.row);
  return toConnection(rows, page, campaignCursor);
}

export const campaignResolvers = {
  Query: {
    campaign: (_: unknown, { id }: { id: string }, { loaders }: DonationsContext) => loaders.campaignById.load(parseId(id, 'id')),
    campaigns: async (_: unknown, args: PageArgs & { filter?: CampaignFilter | null }, { db }: DonationsContext) => {
      const page = parseCampaignPage(args);
      const filter = {
        organizationId: args.filter?.organizationId ? parseId(args.filter.organizationId, 'filter.organizationId') : undefined,
        activeOn: args.filter?.activeOn ? parseDay(args.filter.activeOn, 'filter.activeOn') : undefined,
      };
      return toConnection(await listCampaigns(db, filter, page), page, campaignCursor);
    },
  },
  Mutation: {
    createCampaign: (_: unknown, { input }: { input: CreateCampaignInput }, context: DonationsContext) =>
      createCampaign(context.db, context, input),
  },
  Campaign: {
    __resolveReference: (ref: { id: string }, { loaders }: DonationsContext) =>
      isId(ref.id) ? loaders.campaignById.load(ref.id.toLowerCase()) : null,
    organization: (c: Campaign) => ({ id: c.organizationId }),
    goal: (c: Campaign) => money(c.goalKzt, KZT),
    raised: (c: Campaign) => money(c.raisedKzt, KZT),
  },
};

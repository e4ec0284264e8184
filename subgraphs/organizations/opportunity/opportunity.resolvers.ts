import { BadUserInput, isId, parseId, parsePage, toConnection, type CursorKey, type Page, type PageArgs } from '../../kit/index.ts';
import type { OrganizationsContext } from '../context.ts';
import { listOpportunities, opportunityCursor, type Opportunity, type OpportunityFilter, type OpportunityKey } from './opportunity.repository.ts';
import { postOpportunity, type PostOpportunityInput } from './opportunity.service.ts';

const isOpportunityKey = (k: CursorKey): k is OpportunityKey =>
  k.length === 2 && typeof k[0] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(k[0]) && isId(k[1]);

export const parseOpportunityPage = (args: PageArgs): Page<OpportunityKey> => parsePage(args, isOpportunityKey);

function parseFilter(filter: OpportunityFilter | null | undefined): OpportunityFilter {
  if (!filter) return {};
  if (filter.regionCode !== undefined && filter.regionCode !== null && !/^\d{9}$/.test(filter.regionCode)) {
    throw new BadUserInput('filter.regionCode', 'a KATO region code is 9 digits');
  }
  return {
    ...filter,
    organizationId: filter.organizationId ? parseId(filter.organizationId, 'filter.organizationId') : undefined,
  };
}

export const opportunityResolvers = {
  Query: {
    opportunity: (_: unknown, { id }: { id: string }, { loaders }: OrganizationsContext) => loaders.opportunityById.load(parseId(id, 'id')),
    opportunities: async (_: unknown, args: PageArgs & { filter?: OpportunityFilter | null }, { db }: OrganizationsContext) => {
      const page = parseOpportunityPage(args);
      const rows = await listOpportunities(db, parseFilter(args.filter), page);
      return toConnection(rows, page, opportunityCursor);
    },
  },
  Mutation: {
    postOpportunity: (_: unknown, { input }: { input: PostOpportunityInput }, context: OrganizationsContext) =>
      postOpportunity(context.db, context, input),
  },
  Opportunity: {
    __resolveReference: (ref: { id: string }, { loaders }: OrganizationsContext) =>
      isId(ref.id) ? loaders.opportunityById.load(ref.id.toLowerCase()) : null,
    organization: (o: Opportunity, _: unknown, { loaders }: OrganizationsContext) => loaders.organizationById.load(o.organizationId),
    region: (o: Opportunity, _: unknown, { loaders }: OrganizationsContext) => loaders.regionByCode.load(o.regionCode),
  },
};

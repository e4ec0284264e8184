import {
  cursorCodec,
  geoPointOf,
  isId,
  parseId,
  parsePage,
  parseRegionCode,
  today,
  toConnection,
  type Page,
  type PageArgs,
} from '../../kit/index.ts';
import { isVisible, opportunityVisibility } from '../access.ts';
import type { OrganizationsContext } from '../context.ts';
import {
  listOpportunities,
  opportunityCursor,
  type Opportunity,
  type OpportunityFilter,
  type OpportunityKey,
} from './opportunity.repository.ts';
import {
  moveOpportunity,
  postOpportunity,
  updateOpportunity,
  type PostOpportunityInput,
  type UpdateOpportunityInput,
} from './opportunity.service.ts';

const opportunityCursors = cursorCodec('opportunities', ['day', 'id']);

export const parseOpportunityPage = (args: PageArgs): Page<OpportunityKey> => parsePage(args, opportunityCursors);

function parseFilter(filter: OpportunityFilter | null | undefined): OpportunityFilter {
  if (!filter) return {};
  return {
    ...filter,
    regionCode: filter.regionCode ? parseRegionCode(filter.regionCode, 'filter.regionCode') : undefined,
    organizationId: filter.organizationId ? parseId(filter.organizationId, 'filter.organizationId') : undefined,
  };
}

/** A draft the caller may not see is, to them, no opportunity at all. */
async function loadVisible(id: string, context: OrganizationsContext): Promise<Opportunity | null> {
  const opportunity = await context.loaders.opportunityById.load(id);
  return opportunity && isVisible(opportunityVisibility(context.viewer), opportunity) ? opportunity : null;
}

export const opportunityResolvers = {
  Query: {
    opportunity: (_: unknown, { id }: { id: string }, context: OrganizationsContext) => loadVisible(parseId(id, 'id'), context),
    opportunities: async (_: unknown, args: PageArgs & { filter?: OpportunityFilter | null }, { db, viewer }: OrganizationsContext) => {
      const page = parseOpportunityPage(args);
      const rows = await listOpportunities(db, parseFilter(args.filter), opportunityVisibility(viewer), page);
      return toConnection(rows, page, opportunityCursor);
    },
  },
  Mutation: {
    postOpportunity: (_: unknown, { input }: { input: PostOpportunityInput }, context: OrganizationsContext) =>
      postOpportunity(context.db, context, input),
    updateOpportunity: (_: unknown, args: { id: string; input: UpdateOpportunityInput }, context: OrganizationsContext) =>
      updateOpportunity(context.db, context, args),
    openOpportunity: (_: unknown, args: { id: string }, context: OrganizationsContext) =>
      moveOpportunity(context.db, context, 'open', args),
    closeOpportunity: (_: unknown, args: { id: string }, context: OrganizationsContext) =>
      moveOpportunity(context.db, context, 'close', args),
    cancelOpportunity: (_: unknown, args: { id: string; reason: string }, context: OrganizationsContext) =>
      moveOpportunity(context.db, context, 'cancel', args),
  },
  Opportunity: {
    __resolveReference: (ref: { id: string }, context: OrganizationsContext) =>
      isId(ref.id) ? loadVisible(ref.id.toLowerCase(), context) : null,
    organization: (o: Opportunity, _: unknown, { loaders }: OrganizationsContext) => loaders.organizationById.load(o.organizationId),
    region: (o: Opportunity, _: unknown, { loaders }: OrganizationsContext) => loaders.regionByCode.load(o.regionCode),
    location: (o: Opportunity) => geoPointOf(o.latitude, o.longitude),
    acceptingApplications: async (o: Opportunity, _: unknown, { loaders }: OrganizationsContext) => {
      if (o.status !== 'OPEN' || o.endsOn < today()) return false;
      return (await loaders.organizationById.load(o.organizationId))?.status === 'REGISTERED';
    },
  },
};

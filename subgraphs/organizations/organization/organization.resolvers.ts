import { BadUserInput, isId, isTextIdKey, parseId, parsePage, parseText, toConnection, type PageArgs } from '../../kit/index.ts';
import type { OrganizationsContext } from '../context.ts';
import { listOrganizations, organizationCursor, type Organization, type OrganizationFilter } from './organization.repository.ts';
import { registerOrganization, type RegisterOrganizationInput } from './organization.service.ts';
import { parseOpportunityPage } from '../opportunity/opportunity.resolvers.ts';
import { listOpportunities, opportunityCursor } from '../opportunity/opportunity.repository.ts';

function parseFilter(filter: OrganizationFilter | null | undefined): OrganizationFilter {
  if (!filter) return {};
  if (filter.regionCode !== undefined && filter.regionCode !== null && !/^\d{9}$/.test(filter.regionCode)) {
    throw new BadUserInput('filter.regionCode', 'a KATO region code is 9 digits');
  }
  return {
    ...filter,
    nameContains: filter.nameContains ? parseText(filter.nameContains, 'filter.nameContains', { max: 100 }) : undefined,
  };
}

export const organizationResolvers = {
  Query: {
    organization: (_: unknown, { id }: { id: string }, { loaders }: OrganizationsContext) =>
      loaders.organizationById.load(parseId(id, 'id')),
    organizationByBin: (_: unknown, { bin }: { bin: string }, { loaders }: OrganizationsContext) => {
      if (!/^\d{12}$/.test(bin)) throw new BadUserInput('bin', 'a BIN is 12 digits');
      return loaders.organizationByBin.load(bin);
    },
    organizations: async (
      _: unknown,
      args: PageArgs & { filter?: OrganizationFilter | null },
      { db }: OrganizationsContext,
    ) => {
      const page = parsePage(args, isTextIdKey);
      const rows = await listOrganizations(db, parseFilter(args.filter), page);
      return toConnection(rows, page, organizationCursor);
    },
  },
  Mutation: {
    registerOrganization: (_: unknown, { input }: { input: RegisterOrganizationInput }, context: OrganizationsContext) =>
      registerOrganization(context.db, context, input),
  },
  Organization: {
    __resolveReference: (ref: { id?: string; bin?: string }, { loaders }: OrganizationsContext) => {
      if (ref.id !== undefined) return isId(ref.id) ? loaders.organizationById.load(ref.id.toLowerCase()) : null;
      if (ref.bin !== undefined && ref.bin !== null) return loaders.organizationByBin.load(ref.bin);
      return null;
    },
    region: (o: Organization, _: unknown, { loaders }: OrganizationsContext) => loaders.regionByCode.load(o.regionCode),
    opportunities: async (o: Organization, args: PageArgs, { db, loaders }: OrganizationsContext) => {
      const page = parseOpportunityPage(args);
      // First pages of many organizations are batched into one statement; later pages are read directly.
      const rows = page.after
        ? await listOpportunities(db, { organizationId: o.id }, page)
        : (await loaders.firstOpportunitiesOfOrganization.load({ organizationId: o.id, limit: page.limit })).map((e) => e.row);
      return toConnection(rows, page, opportunityCursor);
    },
  },
};

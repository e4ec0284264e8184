import {
  cursorCodec,
  Forbidden,
  isId,
  parseBin,
  parseId,
  parseOptionalText,
  parsePage,
  parseRegionCode,
  toConnection,
  type PageArgs,
} from '../../kit/index.ts';
import { maySeeContact, opportunityVisibility } from '../access.ts';
import type { OrganizationsContext } from '../context.ts';
import { listOpportunities, opportunityCursor } from '../opportunity/opportunity.repository.ts';
import { parseOpportunityPage } from '../opportunity/opportunity.resolvers.ts';
import {
  listOrganizations,
  organizationCursor,
  type Organization,
  type OrganizationFilter,
  type RegistryStatus,
} from './organization.repository.ts';
import {
  changeOrganizationStatus,
  registerOrganization,
  updateOrganizationContact,
  type OrganizationContactInput,
  type RegisterOrganizationInput,
} from './organization.service.ts';

const organizationCursors = cursorCodec('organizations', ['text', 'id']);

function parseFilter(filter: OrganizationFilter | null | undefined): OrganizationFilter {
  if (!filter) return {};
  return {
    ...filter,
    regionCode: filter.regionCode ? parseRegionCode(filter.regionCode, 'filter.regionCode') : undefined,
    // A blank search box is no filter.
    nameContains: parseOptionalText(filter.nameContains, 'filter.nameContains', 100) ?? undefined,
  };
}

export const organizationResolvers = {
  Query: {
    organization: (_: unknown, { id }: { id: string }, { loaders }: OrganizationsContext) =>
      loaders.organizationById.load(parseId(id, 'id')),
    organizationByBin: (_: unknown, { bin }: { bin: string }, { loaders }: OrganizationsContext) =>
      loaders.organizationByBin.load(parseBin(bin, 'bin')),
    organizations: async (_: unknown, args: PageArgs & { filter?: OrganizationFilter | null }, { db }: OrganizationsContext) => {
      const page = parsePage(args, organizationCursors);
      const rows = await listOrganizations(db, parseFilter(args.filter), page);
      return toConnection(rows, page, organizationCursor);
    },
  },
  Mutation: {
    registerOrganization: (_: unknown, { input }: { input: RegisterOrganizationInput }, context: OrganizationsContext) =>
      registerOrganization(context.db, context, input),
    changeOrganizationStatus: (_: unknown, args: { id: string; status: RegistryStatus; reason: string }, context: OrganizationsContext) =>
      changeOrganizationStatus(context.db, context, args),
    updateOrganizationContact: (_: unknown, args: { id: string; contact: OrganizationContactInput }, context: OrganizationsContext) =>
      updateOrganizationContact(context.db, context, args),
  },
  Organization: {
    __resolveReference: (ref: { id?: string; bin?: string }, { loaders }: OrganizationsContext) => {
      if (ref.id !== undefined) return isId(ref.id) ? loaders.organizationById.load(ref.id.toLowerCase()) : null;
      if (ref.bin !== undefined && ref.bin !== null) return loaders.organizationByBin.load(ref.bin);
      return null;
    },
    region: (o: Organization, _: unknown, { loaders }: OrganizationsContext) => loaders.regionByCode.load(o.regionCode),
    /** Restricted: null and FORBIDDEN for a caller not entitled; the rest of the response is served. */
    contact: (o: Organization, _: unknown, { viewer }: OrganizationsContext) => {
      if (!maySeeContact(viewer, o)) {
        throw new Forbidden(
          'Contact details of an organization are visible to its coordinators, front-office staff of its region and admins',
        );
      }
      return o.contact;
    },
    statusHistory: (o: Organization, _: unknown, { loaders }: OrganizationsContext) => loaders.statusHistoryOfOrganization.load(o.id),
    opportunities: async (o: Organization, args: PageArgs, { db, loaders, viewer }: OrganizationsContext) => {
      const page = parseOpportunityPage(args);
      // First pages of many organizations are batched into one statement; later pages are read directly.
      const rows = page.after
        ? await listOpportunities(db, { organizationId: o.id }, opportunityVisibility(viewer), page)
        : await loaders.firstOpportunitiesOfOrganization.load({ parentId: o.id, filter: null, limit: page.limit });
      return toConnection(rows, page, opportunityCursor);
    },
  },
};

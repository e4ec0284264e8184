import { BadUserInput, Forbidden, hasRole, isId, parseId, parsePage, toConnection, type PageArgs } from '../../kit/index.ts';
import type { DonationsContext } from '../context.ts';
import { coordinates, readsEverything } from '../access.ts';
import { donorCursors } from '../common/cursors.ts';
import { donorCursor, listDonors, type Donor, type DonorFilter } from './donor.repository.ts';
import { mayReadDonorPersonalData, registerDonor, type RegisterDonorInput } from './donor.service.ts';

async function assertPersonalData(donor: Donor, { viewer, loaders }: DonationsContext, field: string): Promise<void> {
  const links = hasRole(viewer, 'coordinator') ? await loaders.donorLinksOfViewer.load(donor.id) : [];
  if (!mayReadDonorPersonalData(viewer, links.length > 0)) {
    throw new Forbidden(`An individual donor's ${field} is personal data: admins and the coordinators of organizations the donor gave to`);
  }
}

function parseDonorFilter(filter: DonorFilter | null | undefined, { viewer }: DonationsContext): DonorFilter {
  const parsed: DonorFilter = {
    organizationId: filter?.organizationId ? parseId(filter.organizationId, 'filter.organizationId') : undefined,
    partnerId: filter?.partnerId ? parseId(filter.partnerId, 'filter.partnerId') : undefined,
    type: filter?.type ?? undefined,
  };
  if (readsEverything(viewer)) return parsed;
  if (parsed.organizationId && coordinates(viewer, parsed.organizationId)) return parsed;
  throw new Forbidden('Coordinators list the donors of their own organization (filter.organizationId); analysts and admins list all');
}

export const donorResolvers = {
  Query: {
    donor: (_: unknown, { id }: { id: string }, { loaders }: DonationsContext) => loaders.donorById.load(parseId(id, 'id')),
    donorByBin: (_: unknown, { bin }: { bin: string }, { loaders }: DonationsContext) => {
      if (!/^\d{12}$/.test(bin)) throw new BadUserInput('bin', 'a BIN is 12 digits');
      return loaders.donorByBin.load(bin);
    },
    donors: async (_: unknown, args: PageArgs & { filter?: DonorFilter | null }, context: DonationsContext) => {
      const filter = parseDonorFilter(args.filter, context);
      const page = parsePage(args, donorCursors);
      return toConnection(await listDonors(context.db, filter, page), page, donorCursor);
    },
  },
  Mutation: {
    registerDonor: (_: unknown, { input }: { input: RegisterDonorInput }, context: DonationsContext) =>
      registerDonor(context.db, context, input),
  },
  Donor: {
    __resolveReference: (ref: { id: string }, { loaders }: DonationsContext) =>
      isId(ref.id) ? loaders.donorById.load(ref.id.toLowerCase()) : null,
    name: async (donor: Donor, _: unknown, context: DonationsContext) => {
      if (donor.type !== 'INDIVIDUAL') return donor.name;
      await assertPersonalData(donor, context, 'name');
      return donor.name;
    },
    iin: async (donor: Donor, _: unknown, context: DonationsContext) => {
      if (donor.type !== 'INDIVIDUAL') return null;
      await assertPersonalData(donor, context, 'IIN');
      return donor.iin;
    },
    organization: (donor: Donor) => (donor.organizationId ? { id: donor.organizationId } : null),
    partner: (donor: Donor) => (donor.partnerId ? { id: donor.partnerId } : null),
  },
};

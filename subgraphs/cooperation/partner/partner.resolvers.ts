import { cursorCodec, countryName, isId, type PageArgs, parseCountryCode, parseId, parsePage, toConnection } from '../../kit/index.ts';
import type { CooperationContext } from '../context.ts';
import { canReadAgreement, canReadMission, onlyReadable } from '../access.ts';
import { listPartners, partnerCursor, type Partner, type PartnerFilter } from './partner.repository.ts';
import { registerPartner, type RegisterPartnerInput } from './partner.service.ts';

const partnerCursors = cursorCodec('partners', ['text', 'id']);

export const partnerResolvers = {
  Query: {
    partner: (_: unknown, { id }: { id: string }, { loaders }: CooperationContext) => loaders.partnerById.load(parseId(id, 'id')),
    partners: async (_: unknown, args: PageArgs & { filter?: PartnerFilter | null }, { db }: CooperationContext) => {
      const page = parsePage(args, partnerCursors);
      const filter = args.filter ?? {};
      const rows = await listPartners(
        db,
        { kind: filter.kind ?? undefined, country: filter.country ? parseCountryCode(filter.country, 'filter.country') : undefined },
        page,
      );
      return toConnection(rows, page, partnerCursor);
    },
  },
  Mutation: {
    registerPartner: (_: unknown, { input }: { input: RegisterPartnerInput }, context: CooperationContext) =>
      registerPartner(context.db, context, input),
  },
  Partner: {
    __resolveReference: (ref: { id: string }, { loaders }: CooperationContext) =>
      isId(ref.id) ? loaders.partnerById.load(ref.id.toLowerCase()) : null,
    countryName: (p: Partner) => countryName(p.country),
    agreements: async (p: Partner, _: unknown, context: CooperationContext) =>
      onlyReadable(await context.loaders.agreementsOfPartner.load(p.id), (a) => canReadAgreement(context, a)),
    missionsHosted: async (p: Partner, _: unknown, context: CooperationContext) =>
      onlyReadable(await context.loaders.missionsOfHostPartner.load(p.id), (m) => canReadMission(context, m)),
  },
};

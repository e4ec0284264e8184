import { cursorCodec, isId, type PageArgs, parseCountryCode, parseDay, parseId, parsePage, toConnection, today } from '../../kit/index.ts';
import { readScope, isEmptyScope } from '../access.ts';
import type { CooperationContext } from '../context.ts';
import { canReadAgreement, canReadMission, onlyReadable, readableOrForbidden } from '../access.ts';
import { agreementCursor, listAgreements, type Agreement, type AgreementFilter, type AgreementParty } from './agreement.repository.ts';
import { signAgreement, type SignAgreementInput } from './agreement.service.ts';

const agreementCursors = cursorCodec('agreements', ['day', 'id']);

function parseFilter(filter: AgreementFilter | null | undefined): AgreementFilter {
  if (!filter) return {};
  return {
    type: filter.type ?? undefined,
    partnerId: filter.partnerId ? parseId(filter.partnerId, 'filter.partnerId') : undefined,
    organizationId: filter.organizationId ? parseId(filter.organizationId, 'filter.organizationId') : undefined,
    country: filter.country ? parseCountryCode(filter.country, 'filter.country') : undefined,
    inForceOn: filter.inForceOn ? parseDay(filter.inForceOn, 'filter.inForceOn') : undefined,
  };
}

export const agreementResolvers = {
  Query: {
    agreement: async (_: unknown, { id }: { id: string }, context: CooperationContext) =>
      readableOrForbidden(await context.loaders.agreementById.load(parseId(id, 'id')), (a) => canReadAgreement(context, a), 'agreement'),
    agreements: async (_: unknown, args: PageArgs & { filter?: AgreementFilter | null }, { db, viewer }: CooperationContext) => {
      const page = parsePage(args, agreementCursors);
      const filter = parseFilter(args.filter);
      const scope = readScope(viewer);
      const rows = isEmptyScope(scope) ? [] : await listAgreements(db, filter, scope, page);
      return toConnection(rows, page, agreementCursor);
    },
  },
  Mutation: {
    signAgreement: async (_: unknown, { input }: { input: SignAgreementInput }, context: CooperationContext) => {
      const { agreement, parties } = await signAgreement(context.db, context, input);
      context.loaders.partiesOfAgreement.prime(agreement.id, parties);
      return agreement;
    },
  },
  Agreement: {
    __resolveReference: async (ref: { id: string }, context: CooperationContext) =>
      isId(ref.id)
        ? readableOrForbidden(
            await context.loaders.agreementById.load(ref.id.toLowerCase()),
            (a) => canReadAgreement(context, a),
            'agreement',
          )
        : null,
    parties: (a: Agreement, _: unknown, { loaders }: CooperationContext) => loaders.partiesOfAgreement.load(a.id),
    inForce: (a: Agreement) => {
      const day = today();
      return a.validFrom <= day && (a.validTo === null || a.validTo >= day);
    },
    missions: async (a: Agreement, _: unknown, context: CooperationContext) =>
      onlyReadable(await context.loaders.missionsOfAgreement.load(a.id), (m) => canReadMission(context, m)),
  },
  AgreementParty: {
    partner: (p: AgreementParty, _: unknown, { loaders }: CooperationContext) =>
      p.partnerId ? loaders.partnerById.load(p.partnerId) : null,
    organization: (p: AgreementParty) => (p.organizationId ? { __typename: 'Organization', id: p.organizationId } : null),
  },
  Organization: {
    agreements: async (o: { id: string }, _: unknown, context: CooperationContext) =>
      isId(o.id)
        ? onlyReadable(await context.loaders.agreementsOfOrganization.load(o.id.toLowerCase()), (a) => canReadAgreement(context, a))
        : [],
  },
};

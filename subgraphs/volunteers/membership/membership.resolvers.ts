import type { VolunteersContext } from '../context.ts';
import type { Membership } from './membership.repository.ts';
import { addMembership, endMembership, type AddMembershipInput } from './membership.service.ts';

export const membershipResolvers = {
  Mutation: {
    addMembership: (_: unknown, { input }: { input: AddMembershipInput }, context: VolunteersContext) => addMembership(context.db, context, input),
    endMembership: (_: unknown, args: { volunteerId: string; organizationId: string }, context: VolunteersContext) =>
      endMembership(context.db, context, args.volunteerId, args.organizationId),
  },
  Membership: {
    volunteer: (m: Membership, _: unknown, { loaders }: VolunteersContext) => loaders.volunteerById.load(m.volunteerId),
    organization: (m: Membership) => ({ id: m.organizationId }),
  },
};

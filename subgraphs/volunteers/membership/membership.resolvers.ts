import type { VolunteersContext } from '../context.ts';
import type { Membership } from './membership.repository.ts';
import { addMembership, changeMembershipRole, endMembership, type AddMembershipInput } from './membership.service.ts';
import type { MembershipRole } from './membership.repository.ts';

export const membershipResolvers = {
  Mutation: {
    addMembership: (_: unknown, { input }: { input: AddMembershipInput }, context: VolunteersContext) =>
      addMembership(context.db, context, input),
    changeMembershipRole: (
      _: unknown,
      args: { volunteerId: string; organizationId: string; role: MembershipRole },
      context: VolunteersContext,
    ) => changeMembershipRole(context.db, context, args),
    endMembership: (_: unknown, args: { volunteerId: string; organizationId: string }, context: VolunteersContext) =>
      endMembership(context.db, context, args.volunteerId, args.organizationId),
  },
  Membership: {
    volunteer: (m: Membership, _: unknown, { loaders }: VolunteersContext) => loaders.volunteerById.load(m.volunteerId),
    organization: (m: Membership) => ({ id: m.organizationId }),
  },
};

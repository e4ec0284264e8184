import { cursorCodec, isId, parseId, parsePage, toConnection, type PageArgs } from '../../kit/index.ts';
import { readScope } from '../access.ts';
import type { CooperationContext } from '../context.ts';
import { canReadAssignment, readableOrForbidden } from '../access.ts';
import { assignmentCursor, listAssignments, type AssignmentFilter, type UnVolunteerAssignment } from './assignment.repository.ts';
import { recordUnVolunteerAssignment, type RecordUnVolunteerAssignmentInput } from './assignment.service.ts';

const assignmentCursors = cursorCodec('unVolunteerAssignments', ['day', 'id']);

function parseFilter(filter: AssignmentFilter | null | undefined): AssignmentFilter {
  if (!filter) return {};
  return {
    modality: filter.modality ?? undefined,
    hostPartnerId: filter.hostPartnerId ? parseId(filter.hostPartnerId, 'filter.hostPartnerId') : undefined,
    volunteerId: filter.volunteerId ? parseId(filter.volunteerId, 'filter.volunteerId') : undefined,
  };
}

export const assignmentResolvers = {
  Query: {
    unVolunteerAssignment: async (_: unknown, { id }: { id: string }, context: CooperationContext) =>
      readableOrForbidden(
        await context.loaders.assignmentById.load(parseId(id, 'id')),
        (a) => canReadAssignment(context, a),
        'UN Volunteer assignment',
      ),
    unVolunteerAssignments: async (
      _: unknown,
      args: PageArgs & { filter?: AssignmentFilter | null },
      { db, viewer }: CooperationContext,
    ) => {
      const page = parsePage(args, assignmentCursors);
      const rows = await listAssignments(db, parseFilter(args.filter), readScope(viewer), page);
      return toConnection(rows, page, assignmentCursor);
    },
  },
  Mutation: {
    recordUnVolunteerAssignment: (_: unknown, { input }: { input: RecordUnVolunteerAssignmentInput }, context: CooperationContext) =>
      recordUnVolunteerAssignment(context.db, context, input),
  },
  UnVolunteerAssignment: {
    __resolveReference: async (ref: { id: string }, context: CooperationContext) =>
      isId(ref.id)
        ? readableOrForbidden(
            await context.loaders.assignmentById.load(ref.id.toLowerCase()),
            (a) => canReadAssignment(context, a),
            'UN Volunteer assignment',
          )
        : null,
    volunteer: (a: UnVolunteerAssignment) => ({ __typename: 'Volunteer', id: a.volunteerId }),
    hostPartner: (a: UnVolunteerAssignment, _: unknown, { loaders }: CooperationContext) =>
      a.hostPartnerId ? loaders.partnerById.load(a.hostPartnerId) : null,
  },
};

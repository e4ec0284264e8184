import {
  cursorCodec,
  BadUserInput,
  eventsOf,
  Forbidden,
  hasRole,
  isId,
  parseDay,
  parseId,
  parsePage,
  toConnection,
  Unauthenticated,
  type OutboxEvent,
  type Page,
  type PageArgs,
} from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import { toHours } from '../totals/approved-hours.ts';
import { actsForOrganization, assertActivity, callerVolunteerId, canSeeActivity } from '../access.ts';
import type { Volunteer } from '../volunteer/volunteer.repository.ts';
import {
  hourRecordCursor,
  listHourRecords,
  type HourRecord,
  type HourRecordFilter,
  type HourRecordKey,
  type HourRecordStatus,
} from './hour-record.repository.ts';
import {
  decideHourRecords,
  HOUR_RECORD_DECIDED,
  HOUR_RECORD_SUBMITTED,
  logHours,
  voidHourRecord,
  type HourDecision,
  type HourRecordEvent,
  type LogHoursInput,
  type WorkInput,
} from './hour-record.service.ts';

const hourRecordCursors = cursorCodec('hourRecords', ['day', 'id']);
const parseHourRecordPage = (args: PageArgs): Page<HourRecordKey> => parsePage(args, hourRecordCursors);

/** The volunteer, coordinators of its organization, front-office staff of the region it was done in, analysts, admins. */
async function canSeeHourRecord(context: VolunteersContext, r: HourRecord): Promise<boolean> {
  const { viewer } = context;
  if (hasRole(viewer, 'analyst') || actsForOrganization(context.viewer, r.organizationId)) return true;
  if (hasRole(viewer, 'front_office') && viewer.regionCode === r.regionCode) return true;
  return r.volunteerId === (await callerVolunteerId(context));
}

interface HourRecordFilterArgs {
  organizationId?: string | null;
  volunteerId?: string | null;
  status?: HourRecordStatus | null;
  from?: string | null;
  to?: string | null;
}

/** By organization (its coordinators, admins, analysts) or by volunteer (whoever may see their activity). */
async function parseHourRecordFilter(context: VolunteersContext, args: HourRecordFilterArgs): Promise<HourRecordFilter | null> {
  const filter: HourRecordFilter = {
    organizationId: args.organizationId ? parseId(args.organizationId, 'filter.organizationId') : undefined,
    volunteerId: args.volunteerId ? parseId(args.volunteerId, 'filter.volunteerId') : undefined,
    status: args.status ?? undefined,
    from: args.from ? parseDay(args.from, 'filter.from') : undefined,
    to: args.to ? parseDay(args.to, 'filter.to') : undefined,
  };
  if (filter.from && filter.to && filter.to < filter.from) throw new BadUserInput('filter.to', 'is before filter.from');
  const { viewer } = context;
  if (hasRole(viewer, 'admin', 'analyst')) return filter;
  if (filter.organizationId && actsForOrganization(context.viewer, filter.organizationId)) return filter;
  if (filter.volunteerId) {
    const volunteer = await context.loaders.volunteerById.load(filter.volunteerId);
    if (!volunteer) return null;
    if (await canSeeActivity(context, volunteer)) return filter;
    throw new Forbidden(
      "A volunteer's hours are visible to the volunteer, their coordinators, their region's front-office, analysts and admins",
    );
  }
  if (filter.organizationId) throw new Forbidden('Only coordinators of the organization, analysts and admins list its hour records');
  throw new BadUserInput('filter', 'give organizationId or volunteerId');
}

export const hourRecordResolvers = {
  Query: {
    hourRecord: async (_: unknown, { id }: { id: string }, context: VolunteersContext) => {
      const record = await context.loaders.hourRecordById.load(parseId(id, 'id'));
      if (!record) return null;
      if (!(await canSeeHourRecord(context, record))) throw new Forbidden('This hour record is not visible to you');
      return record;
    },
    hourRecords: async (_: unknown, args: PageArgs & { filter: HourRecordFilterArgs }, context: VolunteersContext) => {
      const page = parseHourRecordPage(args);
      const filter = await parseHourRecordFilter(context, args.filter);
      const rows = filter ? await listHourRecords(context.db, filter, page) : [];
      return toConnection(rows, page, hourRecordCursor);
    },
  },
  Mutation: {
    logHours: (_: unknown, { input }: { input: LogHoursInput }, context: VolunteersContext) => logHours(context.db, context, input),
    decideHourRecords: (_: unknown, args: { ids: string[]; decision: HourDecision; reason?: string | null }, context: VolunteersContext) =>
      decideHourRecords(context.db, context, args.ids, args.decision, args.reason),
    voidHourRecord: (_: unknown, args: { id: string; reason: string; replacement?: WorkInput | null }, context: VolunteersContext) =>
      voidHourRecord(context.db, context, args.id, args.reason, args.replacement),
  },
  Subscription: {
    hourRecordDecided: {
      // A volunteer receives the decisions on their own records, and no one else's.
      subscribe: async (_: unknown, __: unknown, context: VolunteersContext) => {
        if (context.viewer.kind === 'public') throw new Unauthenticated();
        const own = await callerVolunteerId(context);
        if (!own) throw new Forbidden('Only a volunteer receives the decisions on their own hours');
        return eventsOf(context).subscribe<HourRecordEvent>(HOUR_RECORD_DECIDED, (event) => event.volunteerId === own);
      },
      resolve: (event: OutboxEvent<HourRecordEvent>, _: unknown, { loaders }: VolunteersContext) =>
        loaders.hourRecordById.load(event.payload.hourRecordId),
    },
    hourRecordSubmitted: {
      subscribe: (_: unknown, args: { organizationId: string }, context: VolunteersContext) => {
        if (context.viewer.kind === 'public') throw new Unauthenticated();
        const organizationId = parseId(args.organizationId, 'organizationId');
        if (!actsForOrganization(context.viewer, organizationId))
          throw new Forbidden('Only coordinators of the organization, and admins, receive its submitted hours');
        return eventsOf(context).subscribe<HourRecordEvent>(HOUR_RECORD_SUBMITTED, (event) => event.organizationId === organizationId);
      },
      resolve: (event: OutboxEvent<HourRecordEvent>, _: unknown, { loaders }: VolunteersContext) =>
        loaders.hourRecordById.load(event.payload.hourRecordId),
    },
  },
  HourRecord: {
    __resolveReference: (ref: { id: string }, { loaders }: VolunteersContext) =>
      isId(ref.id) ? loaders.hourRecordById.load(ref.id.toLowerCase()) : null,
    volunteer: (r: HourRecord, _: unknown, { loaders }: VolunteersContext) => loaders.volunteerById.load(r.volunteerId),
    organization: (r: HourRecord) => ({ id: r.organizationId }),
    opportunity: (r: HourRecord) => (r.opportunityId ? { id: r.opportunityId } : null),
    region: (r: HourRecord) => ({ code: r.regionCode }),
    hours: (r: HourRecord) => toHours(r.minutes),
    replaces: (r: HourRecord, _: unknown, { loaders }: VolunteersContext) =>
      r.replacesId ? loaders.hourRecordById.load(r.replacesId) : null,
    replacedBy: (r: HourRecord, _: unknown, { loaders }: VolunteersContext) => loaders.replacementOf.load(r.id),
  },
  Volunteer: {
    hourRecords: async (v: Volunteer, args: PageArgs & { status?: HourRecordStatus | null }, context: VolunteersContext) => {
      await assertActivity(context, v);
      const page = parseHourRecordPage(args);
      const status = args.status ?? null;
      const rows = page.after
        ? await listHourRecords(context.db, { volunteerId: v.id, status: status ?? undefined }, page)
        : await context.loaders.firstHourRecordsOfVolunteer.load({ parentId: v.id, filter: status, limit: page.limit });
      return toConnection(rows, page, hourRecordCursor);
    },
  },
};

import {
  cursorCodec,
  eventsOf,
  Forbidden,
  hasRole,
  isId,
  parseId,
  parsePage,
  toConnection,
  Unauthenticated,
  type OutboxEvent,
  type Page,
  type PageArgs,
} from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import { actsForOrganization, assertActivity, callerVolunteerId } from '../access.ts';
import type { Volunteer } from '../volunteer/volunteer.repository.ts';
import {
  applicationCursor,
  listApplications,
  type Application,
  type ApplicationKey,
  type ApplicationStatus,
} from './application.repository.ts';
import {
  APPLICATION_RECEIVED,
  applyToOpportunity,
  decideApplication,
  withdrawApplication,
  type ApplicationDecision,
  type ApplicationReceivedEvent,
  type ApplyToOpportunityInput,
} from './application.service.ts';

const applicationCursors = cursorCodec('applications', ['timestamp', 'id']);
const parseApplicationPage = (args: PageArgs): Page<ApplicationKey> => parsePage(args, applicationCursors);

type ApplicationPageArgs = PageArgs & { status?: ApplicationStatus | null };

/** The volunteer, coordinators of the organization, analysts and admins. */
async function canSeeApplication(context: VolunteersContext, a: Application): Promise<boolean> {
  if (hasRole(context.viewer, 'analyst') || actsForOrganization(context.viewer, a.organizationId)) return true;
  return a.volunteerId === (await callerVolunteerId(context));
}

/** An opportunity as a reference: only its id is known here. */
interface OpportunityRef {
  id: string;
}

export const applicationResolvers = {
  Query: {
    application: async (_: unknown, { id }: { id: string }, context: VolunteersContext) => {
      const application = await context.loaders.applicationById.load(parseId(id, 'id'));
      if (!application) return null;
      if (!(await canSeeApplication(context, application)))
        throw new Forbidden('This application is visible to the volunteer, coordinators of the organization and admins');
      return application;
    },
  },
  Mutation: {
    applyToOpportunity: (_: unknown, { input }: { input: ApplyToOpportunityInput }, context: VolunteersContext) =>
      applyToOpportunity(context.db, context, input),
    decideApplication: (
      _: unknown,
      args: { id: string; decision: ApplicationDecision; reason?: string | null },
      context: VolunteersContext,
    ) => decideApplication(context.db, context, args.id, args.decision, args.reason),
    withdrawApplication: (_: unknown, args: { id: string; reason?: string | null }, context: VolunteersContext) =>
      withdrawApplication(context.db, context, args.id, args.reason),
  },
  Subscription: {
    applicationReceived: {
      subscribe: (_: unknown, args: { organizationId: string }, context: VolunteersContext) => {
        if (context.viewer.kind === 'public') throw new Unauthenticated();
        const organizationId = parseId(args.organizationId, 'organizationId');
        if (!actsForOrganization(context.viewer, organizationId))
          throw new Forbidden('Only coordinators of the organization, and admins, receive its applications');
        return eventsOf(context).subscribe<ApplicationReceivedEvent>(
          APPLICATION_RECEIVED,
          (event) => event.organizationId === organizationId,
        );
      },
      resolve: (event: OutboxEvent<ApplicationReceivedEvent>, _: unknown, { loaders }: VolunteersContext) =>
        loaders.applicationById.load(event.payload.applicationId),
    },
  },
  Application: {
    __resolveReference: (ref: { id: string }, { loaders }: VolunteersContext) =>
      isId(ref.id) ? loaders.applicationById.load(ref.id.toLowerCase()) : null,
    volunteer: (a: Application, _: unknown, { loaders }: VolunteersContext) => loaders.volunteerById.load(a.volunteerId),
    opportunity: (a: Application) => ({ id: a.opportunityId }),
    organization: (a: Application) => ({ id: a.organizationId }),
  },
  Volunteer: {
    applications: async (v: Volunteer, args: ApplicationPageArgs, context: VolunteersContext) => {
      await assertActivity(context, v);
      const page = parseApplicationPage(args);
      const status = args.status ?? null;
      // First pages of many volunteers are batched into one statement; later pages are read directly.
      const rows = page.after
        ? await listApplications(context.db, { volunteerId: v.id, status }, page)
        : await context.loaders.firstApplicationsOfVolunteer.load({ parentId: v.id, filter: status, limit: page.limit });
      return toConnection(rows, page, applicationCursor);
    },
  },
  Opportunity: {
    __resolveReference: (ref: OpportunityRef): OpportunityRef | null => (isId(ref.id) ? { id: ref.id.toLowerCase() } : null),
    applicantCount: async (o: OpportunityRef, _: unknown, { loaders }: VolunteersContext) =>
      (await loaders.opportunityTotals.load(o.id))?.applicantCount ?? 0,
    acceptedCount: async (o: OpportunityRef, _: unknown, { loaders }: VolunteersContext) =>
      (await loaders.opportunityTotals.load(o.id))?.acceptedCount ?? 0,
    applications: async (o: OpportunityRef, args: ApplicationPageArgs, context: VolunteersContext) => {
      const page = parseApplicationPage(args);
      // The organization is known here from the opportunity's first application; with none, there is nothing to show.
      const totals = await context.loaders.opportunityTotals.load(o.id);
      if (!totals) return toConnection([], page, applicationCursor);
      if (!actsForOrganization(context.viewer, totals.organizationId))
        throw new Forbidden('Applications are visible to coordinators of the organization and admins');
      const status = args.status ?? null;
      const rows = page.after
        ? await listApplications(context.db, { opportunityId: o.id, status }, page)
        : await context.loaders.firstApplicationsOfOpportunity.load({ parentId: o.id, filter: status, limit: page.limit });
      return toConnection(rows, page, applicationCursor);
    },
  },
};

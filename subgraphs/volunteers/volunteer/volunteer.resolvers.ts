import {
  cursorCodec,
  Forbidden,
  hasRole,
  isId,
  parseId,
  parsePage,
  parseRegionCode,
  toConnection,
  today,
  Unauthenticated,
  type PageArgs,
} from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import { ageBand, ageOn, ADULT_AGE } from './age.ts';
import { assertActivity, assertName, assertPersonalData, callerVolunteerId } from '../access.ts';
import { listVolunteers, volunteerCursor, type Volunteer, type VolunteerScope } from './volunteer.repository.ts';
import {
  registerMe,
  registerVolunteer,
  updateVolunteer,
  type RegisterVolunteerInput,
  type UpdateVolunteerInput,
} from './volunteer.service.ts';
import { renderCertificate } from '../book/certificate.ts';

const volunteerCursors = cursorCodec('volunteers', ['id']);

interface VolunteerFilterArgs {
  regionCode?: string | null;
  organizationId?: string | null;
}

/**
 * Lists are for staff: admins and analysts see everyone (analysts without
 * personal data, by the field checks), coordinators the members of their
 * organizations, front-office staff their region.
 */
function volunteerScope(context: VolunteersContext, filter: VolunteerFilterArgs | null | undefined): VolunteerScope {
  const { viewer } = context;
  const regionCode = filter?.regionCode ? parseRegionCode(filter.regionCode, 'filter.regionCode') : undefined;
  const organizationId = filter?.organizationId ? parseId(filter.organizationId, 'filter.organizationId') : undefined;
  const organizationIds = organizationId ? [organizationId] : undefined;
  if (hasRole(viewer, 'admin', 'analyst')) return { regionCode, organizationIds };
  if (organizationId && hasRole(viewer, 'coordinator') && viewer.organizationIds.includes(organizationId))
    return { regionCode, organizationIds };
  if (hasRole(viewer, 'front_office') && viewer.regionCode) {
    if (regionCode && regionCode !== viewer.regionCode) throw new Forbidden('Front-office staff list the volunteers of their own region');
    return { regionCode: viewer.regionCode, organizationIds };
  }
  if (hasRole(viewer, 'coordinator') && viewer.organizationIds.length > 0) {
    if (organizationId) throw new Forbidden('Coordinators list the members of their own organizations');
    return { regionCode, organizationIds: viewer.organizationIds };
  }
  if (viewer.kind === 'public') throw new Unauthenticated();
  throw new Forbidden('Only front-office staff, coordinators, analysts and admins may list volunteers');
}

/** A field of personal data: null and FORBIDDEN for a caller not entitled to it (`assert`: which rule). */
const personal =
  <K extends keyof Volunteer>(field: K, assert = assertPersonalData) =>
  async (v: Volunteer, _: unknown, context: VolunteersContext): Promise<Volunteer[K]> => {
    await assert(context, v);
    return v[field];
  };

export const volunteerResolvers = {
  Query: {
    volunteer: (_: unknown, { id }: { id: string }, { loaders }: VolunteersContext) => loaders.volunteerById.load(parseId(id, 'id')),
    volunteers: async (_: unknown, args: PageArgs & { filter?: VolunteerFilterArgs | null }, context: VolunteersContext) => {
      const page = parsePage(args, volunteerCursors);
      const rows = await listVolunteers(context.db, volunteerScope(context, args.filter), page);
      return toConnection(rows, page, volunteerCursor);
    },
    me: async (_: unknown, __: unknown, context: VolunteersContext) => {
      if (context.viewer.kind === 'public') throw new Unauthenticated();
      const id = await callerVolunteerId(context);
      return id ? context.loaders.volunteerById.load(id) : null;
    },
  },
  Mutation: {
    registerVolunteer: (_: unknown, { input }: { input: RegisterVolunteerInput }, context: VolunteersContext) =>
      registerVolunteer(context.db, context, input),
    registerMe: (_: unknown, { input }: { input: RegisterVolunteerInput }, context: VolunteersContext) =>
      registerMe(context.db, context, input),
    updateVolunteer: (_: unknown, { id, input }: { id: string; input: UpdateVolunteerInput }, context: VolunteersContext) =>
      updateVolunteer(context.db, context, id, input),
  },
  Volunteer: {
    __resolveReference: (ref: { id: string }, { loaders }: VolunteersContext) =>
      isId(ref.id) ? loaders.volunteerById.load(ref.id.toLowerCase()) : null,
    iin: personal('iin'),
    // Names also for a coordinator deciding the volunteer's hours (volunteer.access.ts canSeeName).
    firstName: personal('firstName', assertName),
    lastName: personal('lastName', assertName),
    patronymic: personal('patronymic'),
    birthDate: personal('birthDate'),
    phone: personal('phone'),
    email: personal('email'),
    guardianConsent: personal('guardianConsent'),
    region: (v: Volunteer) => ({ code: v.regionCode }),
    ageBand: (v: Volunteer) => ageBand(ageOn(v.birthDate, today())),
    isAdult: (v: Volunteer) => ageOn(v.birthDate, today()) >= ADULT_AGE,
    memberships: async (v: Volunteer, _: unknown, context: VolunteersContext) => {
      await assertActivity(context, v);
      return context.loaders.activeMembershipsOfVolunteer.load(v.id);
    },
    book: async (v: Volunteer, _: unknown, context: VolunteersContext) => {
      await assertActivity(context, v);
      return context.loaders.bookOfVolunteer.load(v.id);
    },
    certificateHtml: async (v: Volunteer, _: unknown, context: VolunteersContext) => {
      await assertPersonalData(context, v);
      return renderCertificate(context, v, await context.loaders.bookOfVolunteer.load(v.id));
    },
  },
};

import { Forbidden, hasRole } from '../kit/index.ts';
import type { VolunteersContext } from './context.ts';
import type { Volunteer } from './volunteer/volunteer.repository.ts';

export { actsForOrganization, assertSignedIn } from '../kit/index.ts';

/**
 * Who may see what of a volunteer (the personal-data rule). Every check
 * reads through the request's loaders, so checking a list of N volunteers
 * costs a constant number of statements. Call these before a transaction,
 * never inside one (the loaders read outside it).
 */

/** The caller's own volunteer id: the token's volunteer_id, or the record linked to its `sub` by registerMe. */
export async function callerVolunteerId(context: VolunteersContext): Promise<string | null> {
  const { viewer, loaders } = context;
  if (viewer.volunteerId) return viewer.volunteerId;
  if (viewer.subject && mayOwnVolunteerAccount(context)) return (await loaders.volunteerBySubject.load(viewer.subject))?.id ?? null;
  return null;
}

/** Partners and services are organizations, not people: they never own a volunteer record. */
export function mayOwnVolunteerAccount({ viewer }: Pick<VolunteersContext, 'viewer'>): boolean {
  return viewer.kind !== 'public' && !hasRole(viewer, 'partner', 'service');
}

export function isSelf({ viewer }: Pick<VolunteersContext, 'viewer'>, volunteer: Volunteer): boolean {
  if (viewer.volunteerId) return viewer.volunteerId === volunteer.id;
  return (
    !!viewer.subject && volunteer.accountSubject === viewer.subject && viewer.kind !== 'public' && !hasRole(viewer, 'partner', 'service')
  );
}

/** Coordinators of an organization the volunteer belongs to, or has a live application with. */
export async function coordinatesVolunteer(context: VolunteersContext, volunteer: Volunteer): Promise<boolean> {
  const { viewer, loaders } = context;
  if (!hasRole(viewer, 'coordinator') || viewer.organizationIds.length === 0) return false;
  const [memberships, applications] = await Promise.all([
    loaders.activeMembershipsOfVolunteer.load(volunteer.id),
    loaders.liveApplicationOrganizationsOfVolunteer.load(volunteer.id),
  ]);
  return [...memberships, ...applications].some((m) => viewer.organizationIds.includes(m.organizationId));
}

/** Personal data: the volunteer, their coordinators, front-office staff of their region, admins. */
export async function canSeePersonalData(context: VolunteersContext, volunteer: Volunteer): Promise<boolean> {
  const { viewer } = context;
  if (hasRole(viewer, 'admin')) return true;
  if (isSelf(context, volunteer)) return true;
  if (hasRole(viewer, 'front_office') && viewer.regionCode === volunteer.regionCode) return true;
  return coordinatesVolunteer(context, volunteer);
}

/** Pseudonymous activity (memberships, applications, hours, book): the same, and analysts. */
export async function canSeeActivity(context: VolunteersContext, volunteer: Volunteer): Promise<boolean> {
  return hasRole(context.viewer, 'analyst') || canSeePersonalData(context, volunteer);
}

/**
 * Coordinators who may decide a record of the volunteer: a PENDING one
 * (approve, decline) or an APPROVED one (void) of one of their organizations.
 * Whoever decides a record must know whose it is, even after the membership
 * ended or the application was withdrawn.
 */
export async function decidesHoursOf(context: VolunteersContext, volunteer: Volunteer): Promise<boolean> {
  const { viewer, loaders } = context;
  if (!hasRole(viewer, 'coordinator') || viewer.organizationIds.length === 0) return false;
  return (await loaders.decidableOrganizationsOfVolunteer.load(volunteer.id)).length > 0;
}

/**
 * The name (first and last) is personal data with one more reader: a
 * coordinator who may decide the volunteer's hours. Nothing else opens to
 * them (IIN, birth date, contacts stay with canSeePersonalData).
 */
export async function canSeeName(context: VolunteersContext, volunteer: Volunteer): Promise<boolean> {
  return (await canSeePersonalData(context, volunteer)) || decidesHoursOf(context, volunteer);
}

export async function assertName(context: VolunteersContext, volunteer: Volunteer): Promise<void> {
  if (!(await canSeeName(context, volunteer))) {
    throw new Forbidden(
      "A volunteer's name is visible only to the volunteer, their coordinators (and those who decide their hours), their region's front-office and admins",
    );
  }
}

export async function assertPersonalData(context: VolunteersContext, volunteer: Volunteer): Promise<void> {
  if (!(await canSeePersonalData(context, volunteer))) {
    throw new Forbidden(
      "Personal data of a volunteer is visible only to the volunteer, their coordinators, their region's front-office and admins",
    );
  }
}

export async function assertActivity(context: VolunteersContext, volunteer: Volunteer): Promise<void> {
  if (!(await canSeeActivity(context, volunteer))) {
    throw new Forbidden(
      "A volunteer's activity is visible only to the volunteer, their coordinators, their region's front-office, analysts and admins",
    );
  }
}

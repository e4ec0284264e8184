import {
  coordinatedOrganizations,
  coordinates,
  Forbidden,
  hasRole,
  isAdmin,
  staffsRegion,
  Unauthenticated,
  type CallerKind,
  type Viewer,
} from '../kit/index.ts';

// The predicates every subgraph shares live in the kit; callers here find them in one place.
export { assertActsFor, coordinatedOrganizations, coordinates, isAdmin, NATIONAL_FRONT_OFFICE_CLAIM, staffsRegion } from '../kit/index.ts';

/**
 * Who may do what in the organizations subgraph. The
 * services call these; the rules live here once.
 */

/** Refuses before anything is read: a caller with none of these roles is never allowed. */
export function requireRole(viewer: Viewer, roles: readonly CallerKind[], message: string): void {
  if (hasRole(viewer, ...roles)) return;
  if (viewer.kind === 'public') throw new Unauthenticated(`Sign in first: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
  throw new Forbidden(message);
}

/**
 * Contact details of an organization: its coordinators, front-office staff of its region, admins —
 * and the donations service, which e-mails a grantee its overdue grant-report reminders.
 */
export function maySeeContact(viewer: Viewer, organization: { id: string; regionCode: string }): boolean {
  if (viewer.kind === 'service') return viewer.subject === 'service:donations';
  return isAdmin(viewer) || coordinates(viewer, organization.id) || staffsRegion(viewer, organization.regionCode);
}

/** The registry status of an organization: front-office staff of its region, or an admin. */
export function assertRegistrarOf(viewer: Viewer, regionCode: string): void {
  if (isAdmin(viewer) || staffsRegion(viewer, regionCode)) return;
  throw new Forbidden('Only front-office staff of the organization’s region, or an admin, may do this');
}

/** A front-office's capacity and trainings: its own staff (national staff for the national one), or an admin. */
export function assertStaffOf(viewer: Viewer, frontOffice: { regionCode: string | null }): void {
  if (isAdmin(viewer) || staffsRegion(viewer, frontOffice.regionCode)) return;
  throw new Forbidden('Only staff of this front-office, or an admin, may do this');
}

/**
 * Drafts are unpublished: only the organization's coordinators, admins and
 * services (another subgraph checking a rule) see them.
 */
export interface OpportunityVisibility {
  all: boolean;
  draftsOf: readonly string[];
}

export function opportunityVisibility(viewer: Viewer): OpportunityVisibility {
  return { all: hasRole(viewer, 'admin', 'service'), draftsOf: coordinatedOrganizations(viewer) };
}

export function isVisible(visibility: OpportunityVisibility, opportunity: { status: string; organizationId: string }): boolean {
  return visibility.all || opportunity.status !== 'DRAFT' || visibility.draftsOf.includes(opportunity.organizationId);
}

import { Forbidden, hasRole, isId, Unauthenticated, type CallerKind, type Viewer } from '../kit/index.ts';

/**
 * Who may do what in the organizations subgraph (DESIGN.md "Callers"). The
 * services call these; the rules live here once.
 */

/**
 * The region claim of national front-office staff. Regional staff carry their
 * region's KATO code; the national office has no region, so its staff carry
 * this word instead (a missing claim never means "national").
 */
export const NATIONAL_FRONT_OFFICE_CLAIM = 'national';

/** Refuses before anything is read: a caller with none of these roles is never allowed. */
export function requireRole(viewer: Viewer, roles: readonly CallerKind[], message: string): void {
  if (hasRole(viewer, ...roles)) return;
  if (viewer.kind === 'public') throw new Unauthenticated(`Sign in first: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
  throw new Forbidden(message);
}

export const isAdmin = (viewer: Viewer): boolean => hasRole(viewer, 'admin');

/** The organization ids a coordinator acts for, normalized; malformed claims are ignored. */
export function coordinatedOrganizations(viewer: Viewer): string[] {
  if (!hasRole(viewer, 'coordinator')) return [];
  return viewer.organizationIds.filter(isId).map((id) => id.toLowerCase());
}

export function coordinates(viewer: Viewer, organizationId: string): boolean {
  return coordinatedOrganizations(viewer).includes(organizationId);
}

/** Front-office staff of a region (null: the national front-office). */
export function staffsRegion(viewer: Viewer, regionCode: string | null): boolean {
  return hasRole(viewer, 'front_office') && viewer.regionCode !== null && viewer.regionCode === (regionCode ?? NATIONAL_FRONT_OFFICE_CLAIM);
}

/** Contact details of an organization: its coordinators, front-office staff of its region, admins. */
export function maySeeContact(viewer: Viewer, organization: { id: string; regionCode: string }): boolean {
  return isAdmin(viewer) || coordinates(viewer, organization.id) || staffsRegion(viewer, organization.regionCode);
}

/** Acting for an organization's opportunities: its coordinators, or an admin. */
export function assertActsFor(viewer: Viewer, organizationId: string): void {
  if (isAdmin(viewer) || coordinates(viewer, organizationId)) return;
  throw new Forbidden('Only a coordinator of this organization, or an admin, may do this');
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

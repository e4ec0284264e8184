import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import { hasRole, type Viewer } from '../../platform/identity.ts';
import { isId } from '../../platform/ids.ts';

/**
 * Who a caller acts for, as every subgraph asks it. The gateway's
 * `@authenticated` / `@requiresScopes` are only the first gate: each subgraph
 * checks its own rows with these (and its own rules in `<subgraph>/access.ts`).
 */

/** The region claim of national front-office staff. */
export const NATIONAL_FRONT_OFFICE_CLAIM = 'national';

export const isAdmin = (viewer: Viewer): boolean => hasRole(viewer, 'admin');

/** The organization ids a coordinator acts for, normalized; malformed claims are ignored. */
export function coordinatedOrganizations(viewer: Viewer): string[] {
  if (!hasRole(viewer, 'coordinator')) return [];
  return viewer.organizationIds.filter(isId).map((id) => id.toLowerCase());
}

/** A coordinator of this organization. */
export function coordinates(viewer: Viewer, organizationId: string): boolean {
  return coordinatedOrganizations(viewer).includes(organizationId.toLowerCase());
}

/** A coordinator of this organization, or an admin: who acts for an organization. */
export function actsForOrganization(viewer: Viewer, organizationId: string): boolean {
  return isAdmin(viewer) || coordinates(viewer, organizationId);
}

/** FORBIDDEN unless the caller acts for the organization; `what` completes "may …". */
export function assertActsFor(viewer: Viewer, organizationId: string, what = 'do this'): void {
  if (actsForOrganization(viewer, organizationId)) return;
  throw new Forbidden(`Only a coordinator of this organization, or an admin, may ${what}`);
}

/** Front-office staff of a region (null: the national front-office). */
export function staffsRegion(viewer: Viewer, regionCode: string | null): boolean {
  return hasRole(viewer, 'front_office') && viewer.regionCode !== null && viewer.regionCode === (regionCode ?? NATIONAL_FRONT_OFFICE_CLAIM);
}

/** UNAUTHENTICATED for an anonymous caller. */
export function assertSignedIn(viewer: Viewer): void {
  if (viewer.kind === 'public') throw new Unauthenticated();
}

import { coordinates, Forbidden, hasRole, isAdmin, type RequestContext, type Viewer } from '../kit/index.ts';

export { assertActsFor, coordinates, isAdmin } from '../kit/index.ts';

/**
 * Who may do what in the donations subgraph (issue 4, "Who may do what").
 * Services call these before any write and resolvers before any restricted
 * read; the gateway's @authenticated is only the first gate.
 */

/** Analysts, admins and other services read every aggregate and entry (never donors' personal data). */
export const readsEverything = (viewer: Viewer): boolean => hasRole(viewer, 'admin', 'analyst', 'service');

/** The funder of a grant programme, as stored on it. */
export interface FunderRef {
  funderOrganizationId: string | null;
  funderPartnerId: string | null;
}

/** The funder's staff: a coordinator of the funding organization, or the partner agency that funds. */
export function isFunderStaff(viewer: Viewer, funder: FunderRef): boolean {
  if (funder.funderOrganizationId && coordinates(viewer, funder.funderOrganizationId)) return true;
  return Boolean(funder.funderPartnerId && hasRole(viewer, 'partner') && viewer.partnerId === funder.funderPartnerId);
}

/** Programmes and awards: the funder's staff, or an admin. */
export function assertFunderStaffOrAdmin(context: RequestContext, funder: FunderRef, what: string): void {
  if (isAdmin(context.viewer) || isFunderStaff(context.viewer, funder)) return;
  throw new Forbidden(`Only the funder's staff, or an admin, may ${what}`);
}

/**
 * Disbursements and report acceptance: the funder itself. An admin acts only for
 * a funder that is neither an organization of the register nor a partner (a
 * state body known by name), which has no staff of its own in the graph.
 */
export function assertFunder(context: RequestContext, funder: FunderRef, what: string): void {
  if (isFunderStaff(context.viewer, funder)) return;
  if (isAdmin(context.viewer) && !funder.funderOrganizationId && !funder.funderPartnerId) return;
  throw new Forbidden(`Only the funder may ${what}`);
}

/** Disbursements, reports and applications of a grant: its parties, analysts and admins. */
export function mayReadGrantDetails(viewer: Viewer, funder: FunderRef, recipientId: string): boolean {
  return readsEverything(viewer) || isFunderStaff(viewer, funder) || coordinates(viewer, recipientId);
}

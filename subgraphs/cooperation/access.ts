import { hasRole, type Viewer } from '../kit/index.ts';

/**
 * Who may read which agreements, missions and UN Volunteer assignments
 * (nothing here is personal data; participants are only Volunteer references):
 * - admins, analysts and services: all of them;
 * - coordinators: those of the organizations they act for (organizer of a
 *   mission, domestic party of an agreement);
 * - partners: those they are a party to or host;
 * - volunteers: the missions they take part in and their own assignments.
 * The same rule is applied in SQL for lists (`ReadScope`) and in memory, through
 * the request's loaders, for single entities and references.
 */
export type ReadScope =
  | { all: true }
  | { all: false; organizationIds: string[]; partnerId: string | null; volunteerId: string | null };

export function readScope(viewer: Viewer): ReadScope {
  if (hasRole(viewer, 'admin', 'analyst', 'service')) return { all: true };
  return {
    all: false,
    organizationIds: hasRole(viewer, 'coordinator') ? viewer.organizationIds : [],
    partnerId: hasRole(viewer, 'partner') ? viewer.partnerId : null,
    volunteerId: viewer.volunteerId,
  };
}

/** A scope that can see nothing: lists answer empty without asking the database. */
export function isEmptyScope(scope: ReadScope): boolean {
  return !scope.all && scope.organizationIds.length === 0 && !scope.partnerId && !scope.volunteerId;
}

/**
 * The read rule of an agreement, given its parties: a scope that reads all, a
 * coordinator of a domestic party, or a partner that is a party. The
 * `agreement` query and every write that names an agreement (a mission planned
 * under it) apply this same rule.
 */
export function scopeReadsAgreement(
  scope: ReadScope,
  parties: readonly { partnerId: string | null; organizationId: string | null }[],
): boolean {
  if (scope.all) return true;
  return parties.some(
    (p) => (p.organizationId !== null && scope.organizationIds.includes(p.organizationId)) || (scope.partnerId !== null && p.partnerId === scope.partnerId),
  );
}

/** Writes on a mission: coordinators of its organizing organization, and admins. */
export function actsForOrganization(viewer: Viewer, organizationId: string): boolean {
  return hasRole(viewer, 'admin') || (hasRole(viewer, 'coordinator') && viewer.organizationIds.includes(organizationId));
}

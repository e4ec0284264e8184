import { Forbidden, hasRole, type Viewer } from '../kit/index.ts';
import type { Agreement } from './agreement/agreement.repository.ts';
import type { UnVolunteerAssignment } from './assignment/assignment.repository.ts';
import type { CooperationContext } from './context.ts';
import type { ExchangeMission } from './mission/mission.repository.ts';

export { actsForOrganization } from '../kit/index.ts';

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
export type ReadScope = { all: true } | { all: false; organizationIds: string[]; partnerId: string | null; volunteerId: string | null };

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
    (p) =>
      (p.organizationId !== null && scope.organizationIds.includes(p.organizationId)) ||
      (scope.partnerId !== null && p.partnerId === scope.partnerId),
  );
}

/**
 * The read rule of access.ts applied to loaded entities, through the request's
 * loaders (so that checking a list of N costs the same few statements as one).
 */
export async function canReadAgreement(context: CooperationContext, agreement: Agreement): Promise<boolean> {
  const scope = readScope(context.viewer);
  if (scope.all) return true;
  if (scope.organizationIds.length === 0 && !scope.partnerId) return false;
  return scopeReadsAgreement(scope, await context.loaders.partiesOfAgreement.load(agreement.id));
}

export async function canReadMission(context: CooperationContext, mission: ExchangeMission): Promise<boolean> {
  const scope = readScope(context.viewer);
  if (scope.all) return true;
  if (scope.organizationIds.includes(mission.organizingOrganizationId)) return true;
  if (scope.partnerId) {
    if (mission.hostPartnerId === scope.partnerId) return true;
    if (mission.agreementId) {
      const parties = await context.loaders.partiesOfAgreement.load(mission.agreementId);
      if (parties.some((p) => p.partnerId === scope.partnerId)) return true;
    }
  }
  if (scope.volunteerId) {
    const participants = await context.loaders.participantsOfMission.load(mission.id);
    if (participants.some((p) => p.volunteerId === scope.volunteerId)) return true;
  }
  return false;
}

export function canReadAssignment(context: CooperationContext, assignment: UnVolunteerAssignment): boolean {
  const scope = readScope(context.viewer);
  if (scope.all) return true;
  return (
    (!!scope.partnerId && assignment.hostPartnerId === scope.partnerId) ||
    (!!scope.volunteerId && assignment.volunteerId === scope.volunteerId)
  );
}

/** Keeps what the caller may read, in order (lists leave out the rest silently). */
export async function onlyReadable<T>(items: readonly T[], check: (item: T) => boolean | Promise<boolean>): Promise<T[]> {
  const allowed = await Promise.all(items.map(check));
  return items.filter((_, i) => allowed[i]);
}

/** A single entity the caller may not read: null with a FORBIDDEN error in its place. */
export async function readableOrForbidden<T>(
  item: T | null,
  check: (item: T) => boolean | Promise<boolean>,
  what: string,
): Promise<T | null> {
  if (item === null) return null;
  if (!(await check(item))) throw new Forbidden(`You may not read this ${what}`);
  return item;
}

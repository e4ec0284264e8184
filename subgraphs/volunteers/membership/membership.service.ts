import type { Kysely } from 'kysely';
import { Conflict, Forbidden, hasRole, isUniqueViolation, NotFound, parseId, recordAudit, Unauthenticated } from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { organizationExists } from '../opportunity/organizations-client.ts';
import { addOrganizationVolunteers } from '../totals/totals.repository.ts';
import { actsForOrganization, isSelf } from '../volunteer/volunteer.access.ts';
import { endActiveMembership, insertMembership, type Membership, type MembershipRole } from './membership.repository.ts';

export interface AddMembershipInput {
  volunteerId: string;
  organizationId: string;
  role?: MembershipRole | null;
}

/**
 * Coordinators of the organization, front-office staff of the volunteer's
 * region, or admins. The role is the register's record of who coordinates;
 * what a caller may do comes from their token's claims.
 */
export async function addMembership(db: Kysely<VolunteersDB>, context: VolunteersContext, input: AddMembershipInput): Promise<Membership> {
  const volunteerId = parseId(input.volunteerId, 'input.volunteerId');
  const organizationId = parseId(input.organizationId, 'input.organizationId');
  const { viewer } = context;
  if (viewer.kind === 'public') throw new Unauthenticated();
  const volunteer = await context.loaders.volunteerById.load(volunteerId);
  if (!volunteer) throw new NotFound('Volunteer', volunteerId);
  const allowed = actsForOrganization(context, organizationId) || (hasRole(viewer, 'front_office') && viewer.regionCode === volunteer.regionCode);
  if (!allowed) throw new Forbidden('Only a coordinator of the organization, front-office staff of the volunteer\'s region, or an admin may add a member');
  if (!(await organizationExists(context, organizationId))) throw new NotFound('Organization', organizationId);
  const role = input.role ?? 'MEMBER';
  try {
    return await db.transaction().execute(async (trx) => {
      const membership = await insertMembership(trx, { volunteerId, organizationId, role });
      await addOrganizationVolunteers(trx, organizationId, 1);
      await recordAudit(trx, context, { action: 'membership.add', entity: 'Volunteer', entityId: volunteerId, details: { organizationId, role } });
      return membership;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'memberships_active')) throw new Conflict('The volunteer is already a member of this organization', { argumentName: 'input.organizationId' });
    throw error;
  }
}

/** The volunteer themself, a coordinator of the organization, or an admin. */
export async function endMembership(db: Kysely<VolunteersDB>, context: VolunteersContext, volunteerIdArg: string, organizationIdArg: string): Promise<Membership> {
  const volunteerId = parseId(volunteerIdArg, 'volunteerId');
  const organizationId = parseId(organizationIdArg, 'organizationId');
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  const volunteer = await context.loaders.volunteerById.load(volunteerId);
  if (!volunteer) throw new NotFound('Volunteer', volunteerId);
  if (!actsForOrganization(context, organizationId) && !isSelf(context, volunteer)) {
    throw new Forbidden('Only the volunteer, a coordinator of the organization, or an admin may end a membership');
  }
  return db.transaction().execute(async (trx) => {
    const ended = await endActiveMembership(trx, volunteerId, organizationId);
    if (!ended) throw new NotFound('Membership', `${volunteerId} in ${organizationId}`);
    await addOrganizationVolunteers(trx, organizationId, -1);
    await recordAudit(trx, context, { action: 'membership.end', entity: 'Volunteer', entityId: volunteerId, details: { organizationId } });
    return ended;
  });
}

import type { Kysely } from 'kysely';
import {
  Conflict,
  Forbidden,
  hasRole,
  isUniqueViolation,
  NotFound,
  parseId,
  auditedTransaction,
  Unauthenticated,
} from '../../kit/index.ts';
import { hasAcceptedApplicationWithOrganization } from '../application/application.repository.ts';
import type { VolunteersContext } from '../context.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { fetchOrganizationFacts, type OrganizationFacts } from '../opportunity/organizations-client.ts';
import { addOrganizationVolunteers } from '../totals/totals.repository.ts';
import { actsForOrganization, isSelf } from '../access.ts';
import type { Volunteer } from '../volunteer/volunteer.repository.ts';
import {
  changeActiveMembershipRole,
  endActiveMembership,
  findActiveMembershipForUpdate,
  insertMembership,
  type Membership,
  type MembershipRole,
} from './membership.repository.ts';

export interface AddMembershipInput {
  volunteerId: string;
  organizationId: string;
  role?: MembershipRole | null;
}

/**
 * Who may make a volunteer a member. A membership lets the organization's
 * coordinators read the volunteer's personal data, so it is never the
 * coordinator's choice alone: the volunteer joins themself (as a MEMBER), or
 * chose the organization by being accepted to one of its opportunities;
 * front-office staff of the volunteer's region and admins register anyone.
 * The 'coordinator' path still needs an accepted application or a current
 * membership (checked inside the transaction).
 */
type AddPath = 'staff' | 'self' | 'coordinator';

function addPath(context: VolunteersContext, volunteer: Volunteer, organizationId: string, role: MembershipRole): AddPath {
  const { viewer } = context;
  if (hasRole(viewer, 'admin') || (hasRole(viewer, 'front_office') && viewer.regionCode === volunteer.regionCode)) return 'staff';
  const self = isSelf(context, volunteer);
  if (self && role === 'MEMBER') return 'self';
  if (actsForOrganization(context.viewer, organizationId)) return 'coordinator';
  if (self) {
    throw new Forbidden(
      "A volunteer joins an organization as a MEMBER; the COORDINATOR role is given by its coordinators, the front-office of the volunteer's region or an admin",
    );
  }
  throw new Forbidden(
    "Only the volunteer themself, a coordinator of the organization (for a volunteer accepted to one of its opportunities), front-office staff of the volunteer's region, or an admin may add a member",
  );
}

/** An excluded organization takes no members and no role changes; a suspended one no new members. */
function assertTakesMembers(organization: OrganizationFacts, current: Membership | null): void {
  if (organization.status === 'EXCLUDED') {
    throw new Conflict('The organization is excluded from the register: it takes no members', {
      argumentName: 'input.organizationId',
      organizationStatus: organization.status,
    });
  }
  if (organization.status === 'SUSPENDED' && !current) {
    throw new Conflict('The organization is suspended: it takes no new members until it is reinstated', {
      argumentName: 'input.organizationId',
      organizationStatus: organization.status,
    });
  }
}

/**
 * Adds a volunteer to an organization (see `addPath` for who may). A current
 * member is a CONFLICT, whatever the role asked (a role changes only through
 * `changeMembershipRole`); a refusal writes nothing.
 */
export async function addMembership(db: Kysely<VolunteersDB>, context: VolunteersContext, input: AddMembershipInput): Promise<Membership> {
  const volunteerId = parseId(input.volunteerId, 'input.volunteerId');
  const organizationId = parseId(input.organizationId, 'input.organizationId');
  const { viewer } = context;
  if (viewer.kind === 'public') throw new Unauthenticated();
  const role = input.role ?? 'MEMBER';
  const volunteer = await context.loaders.volunteerById.load(volunteerId);
  if (!volunteer) throw new NotFound('Volunteer', volunteerId);
  const path = addPath(context, volunteer, organizationId, role);
  const organization = await fetchOrganizationFacts(context, organizationId);
  if (!organization) throw new NotFound('Organization', organizationId);
  const current =
    (await context.loaders.activeMembershipsOfVolunteer.load(volunteerId)).find((m) => m.organizationId === organizationId) ?? null;
  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      // Share-locked: a withdrawal of that application racing with this insert waits for it, or wins first.
      if (path === 'coordinator' && !current && !(await hasAcceptedApplicationWithOrganization(trx, volunteerId, organizationId))) {
        throw new Forbidden(
          "A coordinator adds only a volunteer who has an accepted application to one of the organization's opportunities (or is already a member): " +
            'the volunteer may join themself, or through the front-office of their region',
        );
      }
      assertTakesMembers(organization, current);
      // A current member's role changes only through changeMembershipRole: never silently here.
      if (current) {
        throw new Conflict(
          current.role === role
            ? 'The volunteer is already a member of this organization'
            : `The volunteer is already a ${current.role} of this organization: change the role with changeMembershipRole`,
          { argumentName: 'input.organizationId', role: current.role },
        );
      }
      const membership = await insertMembership(trx, { volunteerId, organizationId, role });
      await addOrganizationVolunteers(trx, organizationId, 1);
      await audit({ action: 'membership.add', entity: 'Volunteer', entityId: volunteerId, details: { organizationId, role, by: path } });
      return membership;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'memberships_active'))
      throw new Conflict('The volunteer is already a member of this organization', { argumentName: 'input.organizationId' });
    throw error;
  }
}

/**
 * Promotes a current member to COORDINATOR, or back to MEMBER: the organization's
 * coordinators and admins only (not the volunteer, not front-office staff). No
 * current membership: NOT_FOUND; the same role: CONFLICT; an excluded organization:
 * CONFLICT. Audited as membership.role with the roles before and after.
 */
export async function changeMembershipRole(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  args: { volunteerId: string; organizationId: string; role: MembershipRole },
): Promise<Membership> {
  const volunteerId = parseId(args.volunteerId, 'volunteerId');
  const organizationId = parseId(args.organizationId, 'organizationId');
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  if (!actsForOrganization(context.viewer, organizationId)) {
    throw new Forbidden("Only a coordinator of the organization, or an admin, may change a member's role");
  }
  const volunteer = await context.loaders.volunteerById.load(volunteerId);
  if (!volunteer) throw new NotFound('Volunteer', volunteerId);
  const organization = await fetchOrganizationFacts(context, organizationId);
  if (!organization) throw new NotFound('Organization', organizationId);
  if (organization.status === 'EXCLUDED') {
    throw new Conflict('The organization is excluded from the register: its roles no longer change', {
      argumentName: 'organizationId',
      organizationStatus: organization.status,
    });
  }
  return auditedTransaction(db, context, async (trx, audit) => {
    const current = await findActiveMembershipForUpdate(trx, volunteerId, organizationId);
    if (!current) throw new NotFound('Membership', `${volunteerId} in ${organizationId}`);
    if (current.role === args.role)
      throw new Conflict(`The volunteer is already a ${current.role} of this organization`, { argumentName: 'role' });
    const changed = await changeActiveMembershipRole(trx, { volunteerId, organizationId, role: args.role });
    if (!changed) throw new Conflict('The membership changed meanwhile', { argumentName: 'organizationId' });
    await audit({
      action: 'membership.role',
      entity: 'Volunteer',
      entityId: volunteerId,
      details: { organizationId, from: current.role, role: args.role },
    });
    return changed;
  });
}

/** The volunteer themself, a coordinator of the organization, or an admin. */
export async function endMembership(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  volunteerIdArg: string,
  organizationIdArg: string,
): Promise<Membership> {
  const volunteerId = parseId(volunteerIdArg, 'volunteerId');
  const organizationId = parseId(organizationIdArg, 'organizationId');
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  const volunteer = await context.loaders.volunteerById.load(volunteerId);
  if (!volunteer) throw new NotFound('Volunteer', volunteerId);
  if (!actsForOrganization(context.viewer, organizationId) && !isSelf(context, volunteer)) {
    throw new Forbidden('Only the volunteer, a coordinator of the organization, or an admin may end a membership');
  }
  return auditedTransaction(db, context, async (trx, audit) => {
    const ended = await endActiveMembership(trx, volunteerId, organizationId);
    if (!ended) throw new NotFound('Membership', `${volunteerId} in ${organizationId}`);
    await addOrganizationVolunteers(trx, organizationId, -1);
    await audit({ action: 'membership.end', entity: 'Volunteer', entityId: volunteerId, details: { organizationId } });
    return ended;
  });
}

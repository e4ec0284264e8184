import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  Forbidden,
  isUniqueViolation,
  NotFound,
  parseBin,
  parseEmail,
  parsePhone,
  parseId,
  parseOptionalText,
  parseRegionCode,
  parseText,
  auditedTransaction,
  type RequestContext,
} from '../../kit/index.ts';
import { assertRegistrarOf, maySeeContact, requireRole } from '../access.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { cancelLiveOpportunitiesOf } from '../opportunity/opportunity.repository.ts';
import {
  insertOrganization,
  insertStatusChange,
  lockOrganization,
  updateContact,
  updateStatus,
  type Organization,
  type OrganizationContact,
  type OrganizationKind,
  type RegistryStatus,
} from './organization.repository.ts';

export interface OrganizationContactInput {
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  person?: string | null;
}

export interface RegisterOrganizationInput {
  bin?: string | null;
  name: string;
  kind: OrganizationKind;
  regionCode: string;
  directions: string[];
  contact?: OrganizationContactInput | null;
}

export function parseContact(input: OrganizationContactInput, argument: string): OrganizationContact {
  return {
    phone: parsePhone(input.phone, `${argument}.phone`),
    email: parseEmail(input.email, `${argument}.email`),
    address: parseOptionalText(input.address, `${argument}.address`, 500),
    person: parseOptionalText(input.person, `${argument}.person`, 200),
  };
}

/** Front-office staff register organizations of their own region; admins anywhere. */
export async function registerOrganization(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  input: RegisterOrganizationInput,
): Promise<Organization> {
  const { viewer } = context;
  requireRole(viewer, ['front_office', 'admin'], 'Only front-office staff of the region, or an admin, may register an organization');
  const regionCode = parseRegionCode(input.regionCode, 'input.regionCode');
  assertRegistrarOf(viewer, regionCode);
  const name = parseText(input.name, 'input.name', { max: 300, singleLine: true });
  const bin = input.bin === null || input.bin === undefined ? null : parseBin(input.bin, 'input.bin');
  if (bin === null && input.kind !== 'VOLUNTEER_GROUP') {
    throw new BadUserInput('input.bin', 'only an unregistered volunteer group may be registered without a BIN');
  }
  const directions = [...new Set(input.directions)];
  const contact = input.contact ? parseContact(input.contact, 'input.contact') : null;
  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const organization = await insertOrganization(trx, { bin, name, kind: input.kind, regionCode, directions, contact });
      await audit({
        action: 'organization.register',
        entity: 'Organization',
        entityId: organization.id,
        details: { bin, name, kind: input.kind, regionCode, directions },
      });
      return organization;
    });
  } catch (error) {
    // The unique index decides a race between two registrations of one BIN: one wins, the other writes nothing.
    if (isUniqueViolation(error))
      throw new Conflict(`An organization with BIN ${bin} is already registered`, { argumentName: 'input.bin' });
    throw error;
  }
}

/**
 * Suspends, reinstates or excludes an organization, with the reason; every
 * change is kept in its status history. Exclusion is final, and cancels the
 * organization's drafts and open opportunities in the same transaction.
 */
export async function changeOrganizationStatus(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  args: { id: string; status: RegistryStatus; reason: string },
): Promise<Organization> {
  const { viewer } = context;
  requireRole(viewer, ['front_office', 'admin'], 'Only front-office staff of the region, or an admin, may change a registry status');
  const id = parseId(args.id, 'id');
  const reason = parseText(args.reason, 'reason', { max: 1000 });
  return auditedTransaction(db, context, async (trx, audit) => {
    const current = await lockOrganization(trx, id);
    if (!current) throw new NotFound('Organization', id);
    assertRegistrarOf(viewer, current.regionCode);
    if (current.status === 'EXCLUDED')
      throw new Conflict('The organization is excluded from the register; exclusion is final', { status: current.status });
    if (current.status === args.status) throw new Conflict(`The organization is already ${args.status}`, { status: current.status });
    const organization = await updateStatus(trx, id, args.status, reason);
    await insertStatusChange(trx, { organizationId: id, status: args.status, reason });
    const cancelled =
      args.status === 'EXCLUDED'
        ? await cancelLiveOpportunitiesOf(trx, id, `The organization was excluded from the register: ${reason}`)
        : [];
    await audit({
      action: 'organization.changeStatus',
      entity: 'Organization',
      entityId: id,
      details: { from: current.status, to: args.status, reason, cancelledOpportunities: cancelled },
    });
    return organization;
  });
}

const CONTACT_EDITORS = 'Only the organization’s coordinators, its region’s front-office or an admin may change its contact details';

/** Replaces the contact details (fields left out are cleared): the organization's coordinators, its region's front-office, admins. */
export async function updateOrganizationContact(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  args: { id: string; contact: OrganizationContactInput },
): Promise<Organization> {
  const { viewer } = context;
  requireRole(viewer, ['coordinator', 'front_office', 'admin'], CONTACT_EDITORS);
  const id = parseId(args.id, 'id');
  const contact = parseContact(args.contact, 'contact');
  return auditedTransaction(db, context, async (trx, audit) => {
    const current = await lockOrganization(trx, id);
    if (!current) throw new NotFound('Organization', id);
    if (!maySeeContact(viewer, current)) throw new Forbidden(CONTACT_EDITORS);
    const organization = await updateContact(trx, id, contact);
    // Which fields changed, not their values: the audit log is no second copy of contact data.
    const changed = (Object.keys(contact) as (keyof OrganizationContact)[]).filter((k) => (current.contact?.[k] ?? null) !== contact[k]);
    await audit({ action: 'organization.updateContact', entity: 'Organization', entityId: id, details: { changed } });
    return organization;
  });
}

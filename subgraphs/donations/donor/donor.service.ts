import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  hasRole,
  isUniqueViolation,
  parseBin,
  parseCountryCode,
  parseDay,
  parseId,
  parseIin,
  parseOptionalText,
  auditedTransaction,
  type RequestContext,
  type Viewer,
} from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { assertActsFor, isAdmin } from '../access.ts';
import { fetchOrganizationFacts, registeredOrganization } from '../common/organizations-client.ts';
import { insertDonor, linkDonorToOrganization, type Donor, type DonorType, type Residency } from './donor.repository.ts';

export interface RegisterDonorInput {
  organizationId: string;
  type: DonorType;
  residency: Residency;
  name?: string | null;
  bin?: string | null;
  iin?: string | null;
  country?: string | null;
  donorOrganizationId?: string | null;
  partnerId?: string | null;
}

const LEGAL_ENTITIES: readonly DonorType[] = ['CORPORATE', 'STATE', 'FOREIGN_STATE', 'INTERNATIONAL_ORG', 'FOUNDATION'];

/**
 * An IIN on its own: the check digit, and digits 1–7 a real birth date and
 * century (a donor gives no birth date, so the IIN's own date is checked).
 */
export function parseDonorIin(value: unknown, argument: string): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) throw new BadUserInput(argument, 'an IIN is 12 digits');
  const centuryDigit = Number(value[6]);
  if (centuryDigit < 1 || centuryDigit > 6) throw new BadUserInput(argument, 'digit 7 must be 1 to 6 (century and sex)');
  const century = 1800 + Math.floor((centuryDigit - 1) / 2) * 100;
  const birthDate = `${century + Number(value.slice(0, 2))}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
  try {
    parseDay(birthDate, argument);
  } catch {
    throw new BadUserInput(argument, `digits 1–6 are not a birth date (${birthDate})`);
  }
  return parseIin(value, argument, birthDate);
}

/** A donor's personal data (an individual's IIN and name): admins, and coordinators of organizations linked to the donor. */
export function mayReadDonorPersonalData(viewer: Viewer, linkedToViewer: boolean): boolean {
  return isAdmin(viewer) || (hasRole(viewer, 'coordinator') && linkedToViewer);
}

/**
 * Registers a donor for an organization: its coordinators, or an admin. Donors
 * are global: one per BIN and one per IIN (unique indexes), so registering the
 * same company or person again is a CONFLICT that writes nothing.
 */
export async function registerDonor(db: Kysely<DonationsDB>, context: RequestContext, input: RegisterDonorInput): Promise<Donor> {
  const organizationId = parseId(input.organizationId, 'input.organizationId');
  assertActsFor(context.viewer, organizationId, 'register donors for it');
  const { type, residency } = input;
  const anonymous = type === 'ANONYMOUS';
  const legalEntity = LEGAL_ENTITIES.includes(type);

  if (type === 'STATE' && residency !== 'RESIDENT') throw new BadUserInput('input.residency', 'a state donor is resident');
  if ((type === 'FOREIGN_STATE' || type === 'INTERNATIONAL_ORG') && residency !== 'NON_RESIDENT') {
    throw new BadUserInput(
      'input.residency',
      `a ${type === 'FOREIGN_STATE' ? 'foreign state' : 'international organization'} is non-resident`,
    );
  }
  const name = parseOptionalText(input.name, 'input.name', 300);
  if (anonymous && name) throw new BadUserInput('input.name', 'an anonymous donor has no name');
  if (!anonymous && !name) throw new BadUserInput('input.name', 'must not be empty');

  let bin = input.bin === null || input.bin === undefined ? null : parseBin(input.bin, 'input.bin');
  if (bin && !legalEntity) throw new BadUserInput('input.bin', 'only a legal entity has a BIN');
  const iin = input.iin === null || input.iin === undefined ? null : parseDonorIin(input.iin, 'input.iin');
  if (iin && type !== 'INDIVIDUAL') throw new BadUserInput('input.iin', 'only an individual has an IIN');

  let country = input.country === null || input.country === undefined ? null : parseCountryCode(input.country, 'input.country');
  if (residency === 'RESIDENT') {
    if (country && country !== 'KZ') throw new BadUserInput('input.country', 'a resident donor is in KZ');
    country = 'KZ';
  } else if (!country && !anonymous) {
    throw new BadUserInput('input.country', 'required for a non-resident donor');
  } else if (country === 'KZ') {
    throw new BadUserInput('input.country', 'a non-resident donor is not in KZ');
  }

  const donorOrganizationId = input.donorOrganizationId ? parseId(input.donorOrganizationId, 'input.donorOrganizationId') : null;
  if (donorOrganizationId && (!legalEntity || residency !== 'RESIDENT')) {
    throw new BadUserInput('input.donorOrganizationId', 'only a resident legal entity is an organization of the register');
  }
  const partnerId = input.partnerId ? parseId(input.partnerId, 'input.partnerId') : null;
  if (partnerId && (!legalEntity || residency !== 'NON_RESIDENT')) {
    throw new BadUserInput('input.partnerId', 'only a non-resident legal entity is an international partner');
  }

  const facts = await fetchOrganizationFacts(context, donorOrganizationId ? [organizationId, donorOrganizationId] : [organizationId]);
  registeredOrganization(facts, organizationId, 'input.organizationId');
  if (donorOrganizationId) {
    const registered = facts.get(donorOrganizationId);
    if (!registered) throw new BadUserInput('input.donorOrganizationId', 'no such organization');
    if (bin && registered.bin && bin !== registered.bin) throw new BadUserInput('input.bin', `the organization's BIN is ${registered.bin}`);
    bin = bin ?? registered.bin;
  }
  if (legalEntity && residency === 'RESIDENT' && !bin) throw new BadUserInput('input.bin', 'required for a resident legal entity');

  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const donor = await insertDonor(trx, {
        type,
        residency,
        name,
        bin,
        iin,
        country,
        organizationId: donorOrganizationId,
        partnerId,
        registeredByOrganizationId: organizationId,
      });
      await linkDonorToOrganization(trx, donor.id, organizationId);
      // No personal data in the audit log: it records that an IIN was given, not the IIN.
      await audit({
        action: 'donor.register',
        entity: 'Donor',
        entityId: donor.id,
        details: { organizationId, type, residency, bin, hasIin: iin !== null, country, donorOrganizationId, partnerId },
      });
      return donor;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'donors_bin'))
      throw new Conflict(`A donor with BIN ${bin} is already registered`, { argumentName: 'input.bin' });
    // An IIN is personal data: the error names the argument, never the number.
    if (isUniqueViolation(error, 'donors_iin'))
      throw new Conflict('A donor with this IIN is already registered', { argumentName: 'input.iin' });
    if (isUniqueViolation(error, 'donors_organization')) {
      throw new Conflict('A donor for this organization is already registered', { argumentName: 'input.donorOrganizationId' });
    }
    throw error;
  }
}

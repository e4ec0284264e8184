import {
  BadUserInput,
  Conflict,
  Forbidden,
  hasRole,
  isUniqueViolation,
  parseBin,
  parseRegionCode,
  parseText,
  recordAudit,
  type RequestContext,
} from '../../kit/index.ts';
import type { Kysely } from 'kysely';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { insertOrganization, type Organization, type OrganizationKind } from './organization.repository.ts';

export interface RegisterOrganizationInput {
  bin?: string | null;
  name: string;
  kind: OrganizationKind;
  regionCode: string;
  directions: string[];
}

/** Front-office staff register organizations of their own region; admins anywhere. */
export async function registerOrganization(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  input: RegisterOrganizationInput,
): Promise<Organization> {
  const regionCode = parseRegionCode(input.regionCode, 'input.regionCode');
  const { viewer } = context;
  const allowed = hasRole(viewer, 'admin') || (hasRole(viewer, 'front_office') && viewer.regionCode === regionCode);
  if (!allowed) throw new Forbidden('Only front-office staff of the region, or an admin, may register an organization there');
  const name = parseText(input.name, 'input.name', { max: 300 });
  const bin = input.bin === null || input.bin === undefined ? null : parseBin(input.bin, 'input.bin');
  if (bin === null && input.kind !== 'VOLUNTEER_GROUP') {
    throw new BadUserInput('input.bin', 'only an unregistered volunteer group may be registered without a BIN');
  }
  const directions = [...new Set(input.directions)];
  try {
    return await db.transaction().execute(async (trx) => {
      const organization = await insertOrganization(trx, { bin, name, kind: input.kind, regionCode, directions });
      await recordAudit(trx, context, { action: 'organization.register', entity: 'Organization', entityId: organization.id, details: { bin, name, regionCode } });
      return organization;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`An organization with BIN ${bin} is already registered`, { argumentName: 'input.bin' });
    throw error;
  }
}

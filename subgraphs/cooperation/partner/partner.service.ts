import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  Forbidden,
  hasRole,
  isUniqueViolation,
  parseCountryCode,
  parseOptionalText,
  parseText,
  auditedTransaction,
  type RequestContext,
} from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { insertPartner, type Partner, type PartnerKind } from './partner.repository.ts';

export interface RegisterPartnerInput {
  name: string;
  acronym?: string | null;
  kind: PartnerKind;
  country: string;
  website?: string | null;
}

/** An absolute http(s) URL of a public host; anything else is refused, not repaired. */
export function parseWebsite(value: unknown, argument: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string' || value.length > 2048) throw new BadUserInput(argument, 'expected a URL of at most 2048 characters');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new BadUserInput(argument, `${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BadUserInput(argument, 'a website is an http or https URL');
  if (url.username || url.password) throw new BadUserInput(argument, 'a website URL carries no credentials');
  const host = url.hostname;
  if (!/^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(host)) {
    throw new BadUserInput(argument, `${host} is not a public host name`);
  }
  if (/\.(localhost|local|internal|localdomain|lan|home|arpa|test|invalid|example)$/i.test(host))
    throw new BadUserInput(argument, `${host} is not a public host name`);
  return url.toString();
}

/** Partners are registered by admins (the national coordinator of international cooperation). */
export async function registerPartner(db: Kysely<CooperationDB>, context: RequestContext, input: RegisterPartnerInput): Promise<Partner> {
  if (!hasRole(context.viewer, 'admin')) throw new Forbidden('Only an admin may register an international partner');
  const fields = {
    name: parseText(input.name, 'input.name', { max: 300 }),
    acronym: parseOptionalText(input.acronym, 'input.acronym', 30),
    kind: input.kind,
    country: parseCountryCode(input.country, 'input.country'),
    website: parseWebsite(input.website, 'input.website'),
  };
  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const partner = await insertPartner(trx, fields);
      await audit({ action: 'partner.register', entity: 'Partner', entityId: partner.id, details: fields });
      return partner;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'partners_name_country')) {
      throw new Conflict(`A partner named ${fields.name} in ${fields.country} is already registered`, { argumentName: 'input.name' });
    }
    throw error;
  }
}

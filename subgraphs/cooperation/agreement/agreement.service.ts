import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Forbidden,
  hasRole,
  NotFound,
  parseCountryCodes,
  parseDay,
  parseId,
  parseText,
  auditedTransaction,
  type RequestContext,
} from '../../kit/index.ts';
import { actsForOrganization } from '../access.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { findPartnersById } from '../partner/partner.repository.ts';
import { fetchOrganizationFacts } from '../reference/remote.ts';
import { parseSdgTargets } from '../reference/sdg.ts';
import { insertAgreement, type Agreement, type AgreementParty, type AgreementType, type PartyRole } from './agreement.repository.ts';

export interface AgreementPartyInput {
  partnerId?: string | null;
  organizationId?: string | null;
  role: PartyRole;
}

export interface SignAgreementInput {
  title: string;
  type: AgreementType;
  parties: AgreementPartyInput[];
  validFrom: string;
  validTo?: string | null;
  countries?: string[] | null;
  sdgTargets?: string[] | null;
}

const MAX_PARTIES = 20;

function parseParties(parties: readonly AgreementPartyInput[], type: AgreementType) {
  if (parties.length < 2) throw new BadUserInput('input.parties', 'an agreement has at least two parties');
  if (parties.length > MAX_PARTIES) throw new BadUserInput('input.parties', `at most ${MAX_PARTIES} parties`);
  const seen = new Set<string>();
  const parsed = parties.map((p, i) => {
    const hasPartner = p.partnerId !== null && p.partnerId !== undefined;
    const hasOrganization = p.organizationId !== null && p.organizationId !== undefined;
    if (hasPartner === hasOrganization) {
      throw new BadUserInput(`input.parties[${i}]`, 'a party is either a partner (partnerId) or a domestic organization (organizationId)');
    }
    const party = {
      partnerId: hasPartner ? parseId(p.partnerId, `input.parties[${i}].partnerId`) : null,
      organizationId: hasOrganization ? parseId(p.organizationId, `input.parties[${i}].organizationId`) : null,
      role: p.role,
    };
    const key = `${party.partnerId ?? party.organizationId}:${party.role}`;
    if (seen.has(key)) throw new BadUserInput(`input.parties[${i}]`, 'the same party is listed twice in the same role');
    seen.add(key);
    return party;
  });
  if (!parsed.some((p) => p.partnerId)) throw new BadUserInput('input.parties', 'an agreement has at least one international partner');
  if (!parsed.some((p) => p.organizationId)) throw new BadUserInput('input.parties', 'an agreement has at least one domestic organization');
  if (type === 'FUNDING' && !parsed.some((p) => p.role === 'FUNDING')) {
    throw new BadUserInput('input.parties', 'a funding agreement names a party in the FUNDING role');
  }
  return parsed;
}

/**
 * Records a signed agreement with its parties. An admin, or a coordinator of
 * one of the domestic organizations that are party to it.
 */
export async function signAgreement(
  db: Kysely<CooperationDB>,
  context: RequestContext,
  input: SignAgreementInput,
): Promise<{ agreement: Agreement; parties: AgreementParty[] }> {
  const parties = parseParties(input.parties, input.type);
  const organizationIds = [...new Set(parties.flatMap((p) => (p.organizationId ? [p.organizationId] : [])))];
  if (!hasRole(context.viewer, 'admin') && !organizationIds.some((id) => actsForOrganization(context.viewer, id))) {
    throw new Forbidden('Only an admin, or a coordinator of a domestic party, may record an agreement');
  }
  const validFrom = parseDay(input.validFrom, 'input.validFrom');
  const validTo = input.validTo === null || input.validTo === undefined ? null : parseDay(input.validTo, 'input.validTo');
  if (validTo !== null && validTo < validFrom) throw new BadUserInput('input.validTo', `ends (${validTo}) before it starts (${validFrom})`);
  const fields = {
    title: parseText(input.title, 'input.title', { max: 300 }),
    type: input.type,
    validFrom,
    validTo,
    countries: parseCountryCodes(input.countries, 'input.countries'),
    sdgTargets: parseSdgTargets(input.sdgTargets, 'input.sdgTargets'),
    parties,
  };

  const organizations = await fetchOrganizationFacts(context, organizationIds);
  organizationIds.forEach((id, i) => {
    const organization = organizations[i];
    const index = parties.findIndex((p) => p.organizationId === id);
    if (!organization) throw new NotFound('Organization', id);
    if (organization.status !== 'REGISTERED') {
      throw new BadUserInput(`input.parties[${index}].organizationId`, `the organization is ${organization.status.toLowerCase()}`);
    }
  });

  return auditedTransaction(db, context, async (trx, audit) => {
    const partnerIds = [...new Set(parties.flatMap((p) => (p.partnerId ? [p.partnerId] : [])))];
    const found = new Set((await findPartnersById(trx, partnerIds)).map((p) => p.id));
    const missing = partnerIds.find((id) => !found.has(id));
    if (missing) throw new NotFound('Partner', missing);
    const result = await insertAgreement(trx, fields);
    await audit({
      action: 'agreement.sign',
      entity: 'Agreement',
      entityId: result.agreement.id,
      details: { title: fields.title, type: fields.type, validFrom, validTo, parties },
    });
    return result;
  });
}

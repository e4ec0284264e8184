import type { Kysely } from 'kysely';
import {
  BadUserInput,
  formatAmount,
  parseDay,
  parseId,
  parseInteger,
  parseOptionalText,
  parseText,
  auditedTransaction,
  type RequestContext,
} from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { parseMoneyInput } from '../money/money.ts';
import { assertFunderStaffOrAdmin } from '../access.ts';
import { fetchOrganizationFacts, registeredOrganization } from '../common/organizations-client.ts';
import { insertProgramme, type FunderKind, type GrantProgramme } from './grant-programme.repository.ts';

/** The longest a grant may run, and a programme's maximum duration when it names none (long-term grants). */
export const MAX_GRANT_YEARS = 5;

export interface CreateGrantProgrammeInput {
  title: string;
  description?: string | null;
  funder: { kind: FunderKind; name: string; organizationId?: string | null; partnerId?: string | null };
  budget: { amount: string; currency: string };
  applicationOpensOn: string;
  applicationClosesOn: string;
  priorities?: string[] | null;
  minGrantYears?: number | null;
  maxGrantYears?: number | null;
}

/**
 * Opens a grant programme: the funder's staff (a coordinator of the funding
 * organization, or the funding partner agency), or an admin. An international
 * partner is referenced by its id in the cooperation subgraph; a state body or
 * private funder either is an organization of the register or is known by name.
 */
export async function createGrantProgramme(
  db: Kysely<DonationsDB>,
  context: RequestContext,
  input: CreateGrantProgrammeInput,
): Promise<GrantProgramme> {
  const { funder } = input;
  const funderOrganizationId = funder.organizationId ? parseId(funder.organizationId, 'input.funder.organizationId') : null;
  const funderPartnerId = funder.partnerId ? parseId(funder.partnerId, 'input.funder.partnerId') : null;
  if (funder.kind === 'INTERNATIONAL_PARTNER') {
    if (!funderPartnerId) throw new BadUserInput('input.funder.partnerId', 'required for an international partner');
    if (funderOrganizationId)
      throw new BadUserInput('input.funder.organizationId', 'an international partner is not an organization of the register');
  } else if (funderPartnerId) {
    throw new BadUserInput('input.funder.partnerId', 'only for an international partner');
  }
  assertFunderStaffOrAdmin(context, { funderOrganizationId, funderPartnerId }, 'open a grant programme for this funder');

  const budget = parseMoneyInput(input.budget, 'input.budget');
  const opensOn = parseDay(input.applicationOpensOn, 'input.applicationOpensOn');
  const closesOn = parseDay(input.applicationClosesOn, 'input.applicationClosesOn');
  if (closesOn < opensOn) throw new BadUserInput('input.applicationClosesOn', 'closes before it opens');
  const minGrantYears = parseInteger(input.minGrantYears ?? 1, 'input.minGrantYears', 1, MAX_GRANT_YEARS);
  const maxGrantYears = parseInteger(input.maxGrantYears ?? MAX_GRANT_YEARS, 'input.maxGrantYears', 1, MAX_GRANT_YEARS);
  if (maxGrantYears < minGrantYears) throw new BadUserInput('input.maxGrantYears', 'less than minGrantYears');
  const priorities = [...new Set((input.priorities ?? []).map((p, i) => parseText(p, `input.priorities[${i}]`, { max: 200 })))];
  if (priorities.length > 20) throw new BadUserInput('input.priorities', 'at most 20 priorities');
  const fields = {
    title: parseText(input.title, 'input.title', { max: 300 }),
    description: parseOptionalText(input.description, 'input.description', 10_000),
    funderKind: funder.kind,
    funderName: parseText(funder.name, 'input.funder.name', { max: 300 }),
    funderOrganizationId,
    funderPartnerId,
    currency: budget.currency,
    budgetMinor: budget.minor,
    opensOn,
    closesOn,
    priorities,
    minGrantYears,
    maxGrantYears,
  };
  if (funderOrganizationId) {
    registeredOrganization(
      await fetchOrganizationFacts(context, [funderOrganizationId]),
      funderOrganizationId,
      'input.funder.organizationId',
    );
  }
  return auditedTransaction(db, context, async (trx, audit) => {
    const programme = await insertProgramme(trx, fields);
    await audit({
      action: 'grantProgramme.create',
      entity: 'GrantProgramme',
      entityId: programme.id,
      details: {
        title: fields.title,
        funder: { kind: funder.kind, name: fields.funderName, organizationId: funderOrganizationId, partnerId: funderPartnerId },
        budget: formatAmount(budget.minor, budget.currency),
        currency: budget.currency,
        opensOn,
        closesOn,
      },
    });
    return programme;
  });
}

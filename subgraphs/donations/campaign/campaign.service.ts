import type { Kysely } from 'kysely';
import {
  BadUserInput,
  formatAmount,
  parseDay,
  parseId,
  parseOptionalText,
  parseText,
  auditedTransaction,
  type RequestContext,
} from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { KZT, parseMoneyInput } from '../money/money.ts';
import { assertActsFor } from '../access.ts';
import { fetchOrganizationFacts, registeredOrganization } from '../common/organizations-client.ts';
import { insertCampaign, type Campaign } from './campaign.repository.ts';

export interface CreateCampaignInput {
  organizationId: string;
  title: string;
  description?: string | null;
  goal: { amount: string; currency: string };
  startsOn: string;
  endsOn: string;
}

/** Starts a campaign: the organization's coordinators, or an admin. Goals are in KZT, as is what is raised. */
export async function createCampaign(db: Kysely<DonationsDB>, context: RequestContext, input: CreateCampaignInput): Promise<Campaign> {
  const organizationId = parseId(input.organizationId, 'input.organizationId');
  assertActsFor(context.viewer, organizationId, 'start its campaigns');
  const title = parseText(input.title, 'input.title', { max: 300 });
  const description = parseOptionalText(input.description, 'input.description', 10_000);
  const goal = parseMoneyInput(input.goal, 'input.goal', { currency: KZT });
  const startsOn = parseDay(input.startsOn, 'input.startsOn');
  const endsOn = parseDay(input.endsOn, 'input.endsOn');
  if (endsOn < startsOn) throw new BadUserInput('input.endsOn', 'ends before it starts');
  registeredOrganization(await fetchOrganizationFacts(context, [organizationId]), organizationId, 'input.organizationId');
  return auditedTransaction(db, context, async (trx, audit) => {
    const campaign = await insertCampaign(trx, { organizationId, title, description, goalKzt: goal.minor, startsOn, endsOn });
    await audit({
      action: 'campaign.create',
      entity: 'Campaign',
      entityId: campaign.id,
      details: { organizationId, title, goal: formatAmount(goal.minor, KZT), startsOn, endsOn },
    });
    return campaign;
  });
}

import type { Kysely } from 'kysely';
import type { DemoPlan } from '../../scripts/lib/demo-plan.ts';
import { insertFrontOffice } from './front-office/front-office.repository.ts';
import type { OrganizationsDB } from './migrations/tables.ts';
import { insertOpportunity } from './opportunity/opportunity.repository.ts';
import { insertOrganization, type OrganizationKind } from './organization/organization.repository.ts';

/** Loads the organizations part of the demo plan, once: false when data is already there. */
export async function seedDemo(db: Kysely<OrganizationsDB>, plan: DemoPlan): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    for (const o of plan.organizations) await insertOrganization(trx, { ...o, kind: o.kind as OrganizationKind });
    for (const f of plan.frontOffices) await insertFrontOffice(trx, f);
    for (const o of plan.opportunities) {
      await insertOpportunity(trx, { ...o, skillsNeeded: [], status: 'OPEN' });
    }
    return true;
  });
}

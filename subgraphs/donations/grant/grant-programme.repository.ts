import { sql, type Kysely, type Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { DonationsDB, GrantProgrammeTable } from '../migrations/tables.ts';
import { bigintOf, sqlMinor } from '../money/money.ts';
import type { DayIdKey } from '../common/cursors.ts';

export type FunderKind = 'STATE_BODY' | 'PRIVATE' | 'INTERNATIONAL_PARTNER';

export interface GrantProgramme {
  id: string;
  title: string;
  description: string | null;
  funderKind: FunderKind;
  funderName: string;
  funderOrganizationId: string | null;
  funderPartnerId: string | null;
  currency: string;
  budgetMinor: bigint;
  opensOn: string;
  closesOn: string;
  priorities: string[];
  minGrantYears: number;
  maxGrantYears: number;
  awardedMinor: bigint;
  disbursedMinor: bigint;
  grantCount: number;
}

export function rowToProgramme(row: Selectable<GrantProgrammeTable>): GrantProgramme {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    funderKind: row.funder_kind,
    funderName: row.funder_name,
    funderOrganizationId: row.funder_organization_id,
    funderPartnerId: row.funder_partner_id,
    currency: row.currency,
    budgetMinor: bigintOf(row.budget_minor),
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    priorities: row.priorities,
    minGrantYears: row.min_grant_years,
    maxGrantYears: row.max_grant_years,
    awardedMinor: bigintOf(row.awarded_minor),
    disbursedMinor: bigintOf(row.disbursed_minor),
    grantCount: row.grant_count,
  };
}

export async function findProgrammesById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<GrantProgramme[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('grant_programmes').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToProgramme);
}

/** Locks a programme's row: awards of one programme are decided one at a time against its budget. */
export async function lockProgramme(db: Kysely<DonationsDB>, id: string): Promise<GrantProgramme | null> {
  const row = await db.selectFrom('grant_programmes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToProgramme(row) : null;
}

export interface GrantProgrammeFilter {
  funderOrganizationId?: string | undefined;
  funderPartnerId?: string | undefined;
  openOn?: string | undefined;
}

export const programmeCursor = (p: GrantProgramme): CursorKey => [p.opensOn, p.id];

/** One page, latest opening first. */
export async function listProgrammes(
  db: Kysely<DonationsDB>,
  filter: GrantProgrammeFilter,
  page: Page<DayIdKey>,
): Promise<GrantProgramme[]> {
  let query = db.selectFrom('grant_programmes').selectAll();
  if (filter.funderOrganizationId) query = query.where('funder_organization_id', '=', filter.funderOrganizationId);
  if (filter.funderPartnerId) query = query.where('funder_partner_id', '=', filter.funderPartnerId);
  if (filter.openOn) query = query.where('opens_on', '<=', filter.openOn).where('closes_on', '>=', filter.openOn);
  const rows = await keysetPage(query, page, ['opens_on', 'id'], 'desc').execute();
  return rows.map(rowToProgramme);
}

export type NewProgramme = Omit<GrantProgramme, 'id' | 'awardedMinor' | 'disbursedMinor' | 'grantCount'> & { id?: string };

export async function insertProgramme(db: Kysely<DonationsDB>, p: NewProgramme): Promise<GrantProgramme> {
  const row = await db
    .insertInto('grant_programmes')
    .values({
      ...(p.id ? { id: p.id } : {}),
      title: p.title,
      description: p.description,
      funder_kind: p.funderKind,
      funder_name: p.funderName,
      funder_organization_id: p.funderOrganizationId,
      funder_partner_id: p.funderPartnerId,
      currency: p.currency,
      budget_minor: sqlMinor(p.budgetMinor),
      opens_on: p.opensOn,
      closes_on: p.closesOn,
      priorities: p.priorities,
      min_grant_years: p.minGrantYears,
      max_grant_years: p.maxGrantYears,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToProgramme(row);
}

/** Moves a programme's running totals, in the transaction of the award or payment that moves them. */
export async function addToProgramme(
  db: Kysely<DonationsDB>,
  id: string,
  delta: { awarded?: bigint; disbursed?: bigint; grants?: number },
): Promise<void> {
  await db
    .updateTable('grant_programmes')
    .set({
      awarded_minor: sql`awarded_minor + ${sqlMinor(delta.awarded ?? 0n)}::bigint`,
      disbursed_minor: sql`disbursed_minor + ${sqlMinor(delta.disbursed ?? 0n)}::bigint`,
      grant_count: sql`grant_count + ${delta.grants ?? 0}::int`,
    })
    .where('id', '=', id)
    .execute();
}

/** Planned disbursements due on or before `asOf`, per programme. */
export async function plannedToDateOfProgrammes(
  db: Kysely<DonationsDB>,
  programmeIds: readonly string[],
  asOf: string,
): Promise<{ programmeId: string; plannedMinor: bigint }[]> {
  if (programmeIds.length === 0) return [];
  const rows = await db
    .selectFrom('planned_disbursements')
    .select(['programme_id', sql<string>`sum(amount_minor)::text`.as('planned')])
    .where('programme_id', 'in', programmeIds)
    .where('due_on', '<=', asOf)
    .groupBy('programme_id')
    .execute();
  return rows.map((r) => ({ programmeId: r.programme_id, plannedMinor: bigintOf(r.planned) }));
}

export interface FunderTotalsRow {
  funderKind: FunderKind;
  funderName: string;
  funderOrganizationId: string | null;
  funderPartnerId: string | null;
  currency: string;
  programmeCount: number;
  grantCount: number;
  budgetMinor: bigint;
  awardedMinor: bigint;
  plannedMinor: bigint;
  plannedToDateMinor: bigint;
  disbursedMinor: bigint;
}

/**
 * Grant money per funder and currency, from the programmes' running totals and
 * their planned disbursements (programmes are hundreds, not millions).
 */
export async function findFunderTotals(db: Kysely<DonationsDB>, asOf: string): Promise<FunderTotalsRow[]> {
  const rows = await db
    .selectFrom('grant_programmes as p')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('planned_disbursements')
          .select([
            'programme_id',
            sql<string>`sum(amount_minor)`.as('planned'),
            sql<string>`sum(amount_minor) filter (where due_on <= ${asOf}::date)`.as('planned_to_date'),
          ])
          .groupBy('programme_id')
          .as('pd'),
      (join) => join.onRef('pd.programme_id', '=', 'p.id'),
    )
    .select([
      'p.funder_kind',
      sql<string>`min(p.funder_name)`.as('funder_name'),
      'p.funder_organization_id',
      'p.funder_partner_id',
      'p.currency',
      sql<number>`count(*)::int`.as('programme_count'),
      sql<number>`sum(p.grant_count)::int`.as('grant_count'),
      sql<string>`sum(p.budget_minor)::text`.as('budget'),
      sql<string>`sum(p.awarded_minor)::text`.as('awarded'),
      sql<string>`coalesce(sum(pd.planned), 0)::text`.as('planned'),
      sql<string>`coalesce(sum(pd.planned_to_date), 0)::text`.as('planned_to_date'),
      sql<string>`sum(p.disbursed_minor)::text`.as('disbursed'),
    ])
    .groupBy([
      'p.funder_kind',
      'p.funder_organization_id',
      'p.funder_partner_id',
      // A funder known only by name (a state body outside the register) is told apart by its name.
      sql`case when p.funder_organization_id is null and p.funder_partner_id is null then p.funder_name end`,
      'p.currency',
    ])
    .orderBy(sql`min(p.funder_name)`)
    .orderBy('p.currency')
    .execute();
  return rows.map((r) => ({
    funderKind: r.funder_kind,
    funderName: r.funder_name,
    funderOrganizationId: r.funder_organization_id,
    funderPartnerId: r.funder_partner_id,
    currency: r.currency,
    programmeCount: r.programme_count,
    grantCount: r.grant_count,
    budgetMinor: bigintOf(r.budget),
    awardedMinor: bigintOf(r.awarded),
    plannedMinor: bigintOf(r.planned),
    plannedToDateMinor: bigintOf(r.planned_to_date),
    disbursedMinor: bigintOf(r.disbursed),
  }));
}

import { sql, type Kysely, type Selectable } from 'kysely';
import { firstPerParent, keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { CampaignTable, DonationsDB } from '../migrations/tables.ts';
import { bigintOf, sqlMinor } from '../money/money.ts';
import type { DayIdKey } from '../common/cursors.ts';

export interface Campaign {
  id: string;
  organizationId: string;
  title: string;
  description: string | null;
  goalKzt: bigint;
  startsOn: string;
  endsOn: string;
  raisedKzt: bigint;
  donationCount: number;
}

export function rowToCampaign(row: Selectable<CampaignTable>): Campaign {
  return {
    id: row.id,
    organizationId: row.organization_id,
    title: row.title,
    description: row.description,
    goalKzt: bigintOf(row.goal_kzt),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    raisedKzt: bigintOf(row.raised_kzt),
    donationCount: row.donation_count,
  };
}

export async function findCampaignsById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<Campaign[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('campaigns').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToCampaign);
}

export interface CampaignFilter {
  organizationId?: string | undefined;
  activeOn?: string | undefined;
}

export const campaignCursor = (c: Campaign): CursorKey => [c.startsOn, c.id];

/** One page, latest start first. */
export async function listCampaigns(db: Kysely<DonationsDB>, filter: CampaignFilter, page: Page<DayIdKey>): Promise<Campaign[]> {
  let query = db.selectFrom('campaigns').selectAll();
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.activeOn) query = query.where('starts_on', '<=', filter.activeOn).where('ends_on', '>=', filter.activeOn);
  const rows = await keysetPage(query, page, ['starts_on', 'id'], 'desc').execute();
  return rows.map(rowToCampaign);
}

/** The first `limit` campaigns of each organization, in one statement (for lists of organizations). */
export async function firstCampaignsOfOrganizations(
  db: Kysely<DonationsDB>,
  organizationIds: readonly string[],
  limit: number,
): Promise<Campaign[]> {
  if (organizationIds.length === 0) return [];
  const children = db.selectFrom('campaigns').selectAll().where('organization_id', 'in', organizationIds);
  return (await firstPerParent(db, children, 'organization_id', ['starts_on', 'id'], 'desc', limit)).map(rowToCampaign);
}

export async function insertCampaign(
  db: Kysely<DonationsDB>,
  c: Omit<Campaign, 'id' | 'raisedKzt' | 'donationCount'> & { id?: string },
): Promise<Campaign> {
  const row = await db
    .insertInto('campaigns')
    .values({
      ...(c.id ? { id: c.id } : {}),
      organization_id: c.organizationId,
      title: c.title,
      description: c.description,
      goal_kzt: sqlMinor(c.goalKzt),
      starts_on: c.startsOn,
      ends_on: c.endsOn,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToCampaign(row);
}

/** Moves the campaign's running total, in the transaction of the donation or refund that moves it. */
export async function addToCampaign(db: Kysely<DonationsDB>, id: string, kztDelta: bigint, donationDelta: number): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({
      raised_kzt: sql`raised_kzt + ${sqlMinor(kztDelta)}::bigint`,
      donation_count: sql`donation_count + ${donationDelta}::int`,
    })
    .where('id', '=', id)
    .execute();
}

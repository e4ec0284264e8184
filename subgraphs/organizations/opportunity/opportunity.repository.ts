import { sql, type Kysely, type Selectable } from 'kysely';
import type { CursorKey, Page } from '../../kit/index.ts';
import type { OpportunityTable, OrganizationsDB } from '../migrations/tables.ts';

export type OpportunityStatus = 'DRAFT' | 'OPEN' | 'CLOSED' | 'CANCELLED';

export interface Opportunity {
  id: string;
  organizationId: string;
  title: string;
  description: string;
  regionCode: string;
  place: string | null;
  startsOn: string;
  endsOn: string;
  direction: string;
  skillsNeeded: string[];
  placesAvailable: number;
  minimumAge: number;
  minorRestricted: boolean;
  status: OpportunityStatus;
}

export function rowToOpportunity(row: Selectable<OpportunityTable>): Opportunity {
  return {
    id: row.id,
    organizationId: row.organization_id,
    title: row.title,
    description: row.description,
    regionCode: row.region_code,
    place: row.place,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    direction: row.direction,
    skillsNeeded: row.skills_needed,
    placesAvailable: row.places_available,
    minimumAge: row.minimum_age,
    minorRestricted: row.minor_restricted,
    status: row.status as OpportunityStatus,
  };
}

export async function findOpportunitiesById(db: Kysely<OrganizationsDB>, ids: readonly string[]): Promise<Opportunity[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('opportunities').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToOpportunity);
}

export interface OpportunityFilter {
  organizationId?: string | undefined;
  regionCode?: string | undefined;
  direction?: string | undefined;
  status?: OpportunityStatus | undefined;
}

export type OpportunityKey = readonly [string, string];
export const opportunityCursor = (o: Opportunity): CursorKey => [o.startsOn, o.id];

/** One page ordered by (starts_on, id). */
export async function listOpportunities(
  db: Kysely<OrganizationsDB>,
  filter: OpportunityFilter,
  page: Page<OpportunityKey>,
): Promise<Opportunity[]> {
  let query = db.selectFrom('opportunities').selectAll();
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.regionCode) query = query.where('region_code', '=', filter.regionCode);
  if (filter.direction) query = query.where('direction', '=', filter.direction);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (page.after) {
    const [startsOn, id] = page.after;
    query = query.where((eb) => eb.or([eb('starts_on', '>', startsOn), eb.and([eb('starts_on', '=', startsOn), eb('id', '>', id)])]));
  }
  const rows = await query.orderBy('starts_on').orderBy('id').limit(page.limit).execute();
  return rows.map(rowToOpportunity);
}

/** The first `limit` opportunities of each organization, in one statement (for lists of organizations). */
export async function firstOpportunitiesOfOrganizations(
  db: Kysely<OrganizationsDB>,
  organizationIds: readonly string[],
  limit: number,
): Promise<Opportunity[]> {
  if (organizationIds.length === 0) return [];
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('opportunities')
        .selectAll()
        .select(sql<number>`row_number() over (partition by organization_id order by starts_on, id)`.as('rank'))
        .where('organization_id', 'in', organizationIds)
        .as('ranked'),
    )
    .selectAll()
    .where('rank', '<=', limit)
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => rowToOpportunity(r as Selectable<OpportunityTable>));
}

export async function insertOpportunity(
  db: Kysely<OrganizationsDB>,
  input: Omit<Opportunity, 'id'> & { id?: string },
): Promise<Opportunity> {
  const row = await db
    .insertInto('opportunities')
    .values({
      ...(input.id ? { id: input.id } : {}),
      organization_id: input.organizationId,
      title: input.title,
      description: input.description,
      region_code: input.regionCode,
      place: input.place,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      direction: input.direction,
      skills_needed: input.skillsNeeded,
      places_available: input.placesAvailable,
      minimum_age: input.minimumAge,
      minor_restricted: input.minorRestricted,
      status: input.status,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToOpportunity(row);
}

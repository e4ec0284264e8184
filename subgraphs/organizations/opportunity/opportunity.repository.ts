import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { firstPerParent, keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { OpportunityVisibility } from '../access.ts';
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
  /** ISO 639-1 codes (kk, ru, en…). */
  languages: string[];
  online: boolean;
  latitude: number | null;
  longitude: number | null;
  status: OpportunityStatus;
  statusChangedAt: Date;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a coordinator writes; status and timestamps are the repository's. */
export type OpportunityFields = Omit<Opportunity, 'id' | 'status' | 'statusChangedAt' | 'statusReason' | 'createdAt' | 'updatedAt'>;

/** Every column but the search document (a tsvector only SQL reads). */
export const OPPORTUNITY_COLUMNS = [
  'opportunities.id',
  'opportunities.organization_id',
  'opportunities.title',
  'opportunities.description',
  'opportunities.region_code',
  'opportunities.place',
  'opportunities.starts_on',
  'opportunities.ends_on',
  'opportunities.direction',
  'opportunities.skills_needed',
  'opportunities.places_available',
  'opportunities.minimum_age',
  'opportunities.minor_restricted',
  'opportunities.languages',
  'opportunities.online',
  'opportunities.latitude',
  'opportunities.longitude',
  'opportunities.status',
  'opportunities.created_at',
  'opportunities.status_changed_at',
  'opportunities.status_reason',
  'opportunities.updated_at',
] as const;

export type OpportunityRow = Omit<Selectable<OpportunityTable>, 'search_document'>;

export function rowToOpportunity(row: OpportunityRow): Opportunity {
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
    languages: row.languages,
    online: row.online,
    latitude: row.latitude,
    longitude: row.longitude,
    status: row.status,
    statusChangedAt: row.status_changed_at,
    statusReason: row.status_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function fieldColumns(fields: Partial<OpportunityFields>) {
  return {
    ...(fields.organizationId !== undefined ? { organization_id: fields.organizationId } : {}),
    ...(fields.title !== undefined ? { title: fields.title } : {}),
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    ...(fields.regionCode !== undefined ? { region_code: fields.regionCode } : {}),
    ...(fields.place !== undefined ? { place: fields.place } : {}),
    ...(fields.startsOn !== undefined ? { starts_on: fields.startsOn } : {}),
    ...(fields.endsOn !== undefined ? { ends_on: fields.endsOn } : {}),
    ...(fields.direction !== undefined ? { direction: fields.direction } : {}),
    ...(fields.skillsNeeded !== undefined ? { skills_needed: fields.skillsNeeded } : {}),
    ...(fields.placesAvailable !== undefined ? { places_available: fields.placesAvailable } : {}),
    ...(fields.minimumAge !== undefined ? { minimum_age: fields.minimumAge } : {}),
    ...(fields.minorRestricted !== undefined ? { minor_restricted: fields.minorRestricted } : {}),
    ...(fields.languages !== undefined ? { languages: fields.languages } : {}),
    ...(fields.online !== undefined ? { online: fields.online } : {}),
    ...(fields.latitude !== undefined ? { latitude: fields.latitude } : {}),
    ...(fields.longitude !== undefined ? { longitude: fields.longitude } : {}),
  };
}

/** Drafts only for those who may see them (access.ts `opportunityVisibility`). */
function visibleTo(visibility: OpportunityVisibility) {
  return (eb: ExpressionBuilder<OrganizationsDB, 'opportunities'>): Expression<SqlBool> => {
    if (visibility.all) return sql<SqlBool>`true`;
    const published = eb('status', '<>', 'DRAFT');
    return visibility.draftsOf.length ? eb.or([published, eb('organization_id', 'in', visibility.draftsOf)]) : published;
  };
}

export async function findOpportunitiesById(db: Kysely<OrganizationsDB>, ids: readonly string[]): Promise<Opportunity[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('opportunities').select(OPPORTUNITY_COLUMNS).where('id', 'in', ids).execute();
  return rows.map(rowToOpportunity);
}

/** Reads an opportunity and locks its row until the transaction ends: racing transitions queue behind it. */
export async function lockOpportunity(db: Kysely<OrganizationsDB>, id: string): Promise<Opportunity | null> {
  const row = await db.selectFrom('opportunities').select(OPPORTUNITY_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToOpportunity(row) : null;
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
  visibility: OpportunityVisibility,
  page: Page<OpportunityKey>,
): Promise<Opportunity[]> {
  let query = db.selectFrom('opportunities').select(OPPORTUNITY_COLUMNS).where(visibleTo(visibility));
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.regionCode) query = query.where('region_code', '=', filter.regionCode);
  if (filter.direction) query = query.where('direction', '=', filter.direction);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await keysetPage(query, page, ['starts_on', 'id']).execute();
  return rows.map(rowToOpportunity);
}

/** The first `limit` opportunities of each organization, in one statement (for lists of organizations). */
export async function firstOpportunitiesOfOrganizations(
  db: Kysely<OrganizationsDB>,
  organizationIds: readonly string[],
  visibility: OpportunityVisibility,
  limit: number,
): Promise<Opportunity[]> {
  if (organizationIds.length === 0) return [];
  const children = db
    .selectFrom('opportunities')
    .select(OPPORTUNITY_COLUMNS)
    .where('organization_id', 'in', organizationIds)
    .where(visibleTo(visibility));
  return (await firstPerParent(db, children, 'organization_id', ['starts_on', 'id'], 'asc', limit)).map((r) =>
    rowToOpportunity(r as OpportunityRow),
  );
}

export async function insertOpportunity(
  db: Kysely<OrganizationsDB>,
  input: OpportunityFields & { id?: string; status: OpportunityStatus },
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
      languages: input.languages,
      online: input.online,
      latitude: input.latitude,
      longitude: input.longitude,
      status: input.status,
    })
    .returning(OPPORTUNITY_COLUMNS)
    .executeTakeFirstOrThrow();
  return rowToOpportunity(row);
}

export async function updateOpportunityFields(
  db: Kysely<OrganizationsDB>,
  id: string,
  fields: Partial<Omit<OpportunityFields, 'organizationId'>>,
): Promise<Opportunity> {
  const row = await db
    .updateTable('opportunities')
    .set({ ...fieldColumns(fields), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returning(OPPORTUNITY_COLUMNS)
    .executeTakeFirstOrThrow();
  return rowToOpportunity(row);
}

export async function updateOpportunityStatus(
  db: Kysely<OrganizationsDB>,
  id: string,
  status: OpportunityStatus,
  reason: string | null,
): Promise<Opportunity> {
  const row = await db
    .updateTable('opportunities')
    .set({ status, status_reason: reason, status_changed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returning(OPPORTUNITY_COLUMNS)
    .executeTakeFirstOrThrow();
  return rowToOpportunity(row);
}

/** Cancels an organization's drafts and open opportunities; returns their ids. */
export async function cancelLiveOpportunitiesOf(db: Kysely<OrganizationsDB>, organizationId: string, reason: string): Promise<string[]> {
  const rows = await db
    .updateTable('opportunities')
    .set({ status: 'CANCELLED', status_reason: reason, status_changed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('organization_id', '=', organizationId)
    .where('status', 'in', ['DRAFT', 'OPEN'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

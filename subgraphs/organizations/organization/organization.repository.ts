import type { Kysely, Selectable } from 'kysely';
import type { CursorKey, Page } from '../../kit/index.ts';
import type { OrganizationsDB, OrganizationTable } from '../migrations/tables.ts';

export type OrganizationKind =
  | 'VOLUNTEER_ORGANIZATION'
  | 'VOLUNTEER_GROUP'
  | 'CHARITY_FOUNDATION'
  | 'NGO'
  | 'STATE_BODY'
  | 'COMPANY'
  | 'INTERNATIONAL_ORGANIZATION';
export type RegistryStatus = 'REGISTERED' | 'SUSPENDED' | 'EXCLUDED';

export interface Organization {
  id: string;
  bin: string | null;
  name: string;
  kind: OrganizationKind;
  regionCode: string;
  directions: string[];
  status: RegistryStatus;
  statusChangedAt: Date;
  statusReason: string | null;
  registeredAt: Date;
}

export function rowToOrganization(row: Selectable<OrganizationTable>): Organization {
  return {
    id: row.id,
    bin: row.bin,
    name: row.name,
    kind: row.kind as OrganizationKind,
    regionCode: row.region_code,
    directions: row.directions,
    status: row.status as RegistryStatus,
    statusChangedAt: row.status_changed_at,
    statusReason: row.status_reason,
    registeredAt: row.registered_at,
  };
}

export async function findOrganizationsById(db: Kysely<OrganizationsDB>, ids: readonly string[]): Promise<Organization[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('organizations').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToOrganization);
}

export async function findOrganizationsByBin(db: Kysely<OrganizationsDB>, bins: readonly string[]): Promise<Organization[]> {
  if (bins.length === 0) return [];
  const rows = await db.selectFrom('organizations').selectAll().where('bin', 'in', bins).execute();
  return rows.map(rowToOrganization);
}

export interface OrganizationFilter {
  regionCode?: string | undefined;
  kind?: OrganizationKind | undefined;
  direction?: string | undefined;
  status?: RegistryStatus | undefined;
  nameContains?: string | undefined;
}

/** One page ordered by (name, id); the cursor is that pair. */
export async function listOrganizations(
  db: Kysely<OrganizationsDB>,
  filter: OrganizationFilter,
  page: Page<readonly [string, string]>,
): Promise<Organization[]> {
  let query = db.selectFrom('organizations').selectAll();
  if (filter.regionCode) query = query.where('region_code', '=', filter.regionCode);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.direction) query = query.where((eb) => eb(eb.val(filter.direction), '=', eb.fn.any('directions')));
  if (filter.nameContains) {
    const pattern = `%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('name', 'ilike', pattern);
  }
  if (page.after) {
    const [name, id] = page.after;
    query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  const rows = await query.orderBy('name').orderBy('id').limit(page.limit).execute();
  return rows.map(rowToOrganization);
}

export const organizationCursor = (o: Organization): CursorKey => [o.name, o.id];

export interface NewOrganization {
  bin: string | null;
  name: string;
  kind: OrganizationKind;
  regionCode: string;
  directions: string[];
}

export async function insertOrganization(db: Kysely<OrganizationsDB>, input: NewOrganization & { id?: string }): Promise<Organization> {
  const row = await db
    .insertInto('organizations')
    .values({
      ...(input.id ? { id: input.id } : {}),
      bin: input.bin,
      name: input.name,
      kind: input.kind,
      region_code: input.regionCode,
      directions: input.directions,
      status_reason: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToOrganization(row);
}

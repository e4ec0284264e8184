import { sql, type Kysely, type Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { OrganizationsDB, OrganizationStatusChangeTable, OrganizationTable } from '../migrations/tables.ts';

export type OrganizationKind =
  'VOLUNTEER_ORGANIZATION' | 'VOLUNTEER_GROUP' | 'CHARITY_FOUNDATION' | 'NGO' | 'STATE_BODY' | 'COMPANY' | 'INTERNATIONAL_ORGANIZATION';
export type RegistryStatus = 'REGISTERED' | 'SUSPENDED' | 'EXCLUDED';

export interface OrganizationContact {
  phone: string | null;
  email: string | null;
  address: string | null;
  person: string | null;
}

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
  /** Null when none is recorded. Restricted: see access.ts `maySeeContact`. */
  contact: OrganizationContact | null;
  updatedAt: Date;
}

export function rowToOrganization(row: Selectable<OrganizationTable>): Organization {
  const contact = { phone: row.contact_phone, email: row.contact_email, address: row.contact_address, person: row.contact_person };
  return {
    id: row.id,
    bin: row.bin,
    name: row.name,
    kind: row.kind,
    regionCode: row.region_code,
    directions: row.directions,
    status: row.status,
    statusChangedAt: row.status_changed_at,
    statusReason: row.status_reason,
    registeredAt: row.registered_at,
    contact: Object.values(contact).some((v) => v !== null) ? contact : null,
    updatedAt: row.updated_at,
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

/** Reads an organization and locks its row until the transaction ends: racing changes queue behind it. */
export async function lockOrganization(db: Kysely<OrganizationsDB>, id: string): Promise<Organization | null> {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToOrganization(row) : null;
}

/** Reads an organization and keeps its status from changing until the transaction ends. */
export async function shareLockOrganization(db: Kysely<OrganizationsDB>, id: string): Promise<Organization | null> {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).forShare().executeTakeFirst();
  return row ? rowToOrganization(row) : null;
}

export interface OrganizationFilter {
  regionCode?: string | undefined;
  kind?: OrganizationKind | undefined;
  direction?: string | undefined;
  status?: RegistryStatus | undefined;
  nameContains?: string | undefined;
}

export type OrganizationKey = readonly [string, string];

/** One page ordered by (name, id); the cursor is that pair. */
export async function listOrganizations(
  db: Kysely<OrganizationsDB>,
  filter: OrganizationFilter,
  page: Page<OrganizationKey>,
): Promise<Organization[]> {
  let query = db.selectFrom('organizations').selectAll();
  if (filter.regionCode) query = query.where('region_code', '=', filter.regionCode);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.status) query = query.where('status', '=', filter.status);
  // `@>` can use the GIN index on directions; `= any(directions)` cannot.
  if (filter.direction) query = query.where(sql<boolean>`directions @> array[${filter.direction}]::text[]`);
  if (filter.nameContains) {
    const pattern = `%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('name', 'ilike', pattern);
  }
  const rows = await keysetPage(query, page, ['name', 'id']).execute();
  return rows.map(rowToOrganization);
}

export const organizationCursor = (o: Organization): CursorKey => [o.name, o.id];

export interface NewOrganization {
  bin: string | null;
  name: string;
  kind: OrganizationKind;
  regionCode: string;
  directions: string[];
  contact?: OrganizationContact | null;
  registeredAt?: Date;
}

/** Enters an organization in the register: the row and the first entry of its status history. */
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
      ...contactColumns(input.contact ?? null),
      ...(input.registeredAt
        ? { registered_at: input.registeredAt, status_changed_at: input.registeredAt, updated_at: input.registeredAt }
        : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertStatusChange(db, {
    organizationId: row.id,
    status: 'REGISTERED',
    reason: 'Entered in the register',
    changedAt: row.registered_at,
  });
  return rowToOrganization(row);
}

function contactColumns(contact: OrganizationContact | null) {
  return {
    contact_phone: contact?.phone ?? null,
    contact_email: contact?.email ?? null,
    contact_address: contact?.address ?? null,
    contact_person: contact?.person ?? null,
  };
}

export async function updateContact(db: Kysely<OrganizationsDB>, id: string, contact: OrganizationContact): Promise<Organization> {
  const row = await db
    .updateTable('organizations')
    .set({ ...contactColumns(contact), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToOrganization(row);
}

export async function updateStatus(
  db: Kysely<OrganizationsDB>,
  id: string,
  status: RegistryStatus,
  reason: string,
  changedAt?: Date,
): Promise<Organization> {
  const at = changedAt ?? sql<Date>`now()`;
  const row = await db
    .updateTable('organizations')
    .set({ status, status_reason: reason, status_changed_at: at, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToOrganization(row);
}

export interface StatusChange {
  id: string;
  organizationId: string;
  status: RegistryStatus;
  reason: string;
  changedAt: Date;
}

function rowToStatusChange(row: Selectable<OrganizationStatusChangeTable>): StatusChange {
  return { id: row.id, organizationId: row.organization_id, status: row.status, reason: row.reason, changedAt: row.changed_at };
}

export async function insertStatusChange(
  db: Kysely<OrganizationsDB>,
  input: { organizationId: string; status: RegistryStatus; reason: string; changedAt?: Date },
): Promise<StatusChange> {
  const row = await db
    .insertInto('organization_status_changes')
    .values({
      organization_id: input.organizationId,
      status: input.status,
      reason: input.reason,
      ...(input.changedAt ? { changed_at: input.changedAt } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToStatusChange(row);
}

/** Status histories of many organizations, oldest change first. */
export async function findStatusChanges(db: Kysely<OrganizationsDB>, organizationIds: readonly string[]): Promise<StatusChange[]> {
  if (organizationIds.length === 0) return [];
  const rows = await db
    .selectFrom('organization_status_changes')
    .selectAll()
    .where('organization_id', 'in', organizationIds)
    .orderBy('changed_at')
    .orderBy('id')
    .execute();
  return rows.map(rowToStatusChange);
}

import type { Kysely, Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { CooperationDB, PartnerTable } from '../migrations/tables.ts';

export type PartnerKind = 'UN_AGENCY' | 'FOREIGN_GOVERNMENT' | 'INTERNATIONAL_NGO' | 'FOREIGN_VOLUNTEER_ORGANIZATION';
export const PARTNER_KINDS: readonly PartnerKind[] = [
  'UN_AGENCY',
  'FOREIGN_GOVERNMENT',
  'INTERNATIONAL_NGO',
  'FOREIGN_VOLUNTEER_ORGANIZATION',
];

export interface Partner {
  id: string;
  name: string;
  acronym: string | null;
  kind: PartnerKind;
  country: string;
  website: string | null;
  registeredAt: Date;
}

export function rowToPartner(row: Selectable<PartnerTable>): Partner {
  return {
    id: row.id,
    name: row.name,
    acronym: row.acronym,
    kind: row.kind,
    country: row.country,
    website: row.website,
    registeredAt: row.registered_at,
  };
}

export async function findPartnersById(db: Kysely<CooperationDB>, ids: readonly string[]): Promise<Partner[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('partners').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToPartner);
}

export interface PartnerFilter {
  kind?: PartnerKind | undefined;
  country?: string | undefined;
}

export type PartnerKey = readonly [string, string];
export const partnerCursor = (p: Partner): CursorKey => [p.name, p.id];

/** One page ordered by (name, id). */
export async function listPartners(db: Kysely<CooperationDB>, filter: PartnerFilter, page: Page<PartnerKey>): Promise<Partner[]> {
  let query = db.selectFrom('partners').selectAll();
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.country) query = query.where('country', '=', filter.country);
  const rows = await keysetPage(query, page, ['name', 'id']).execute();
  return rows.map(rowToPartner);
}

export interface NewPartner {
  name: string;
  acronym: string | null;
  kind: PartnerKind;
  country: string;
  website: string | null;
}

export async function insertPartner(db: Kysely<CooperationDB>, input: NewPartner & { id?: string }): Promise<Partner> {
  const row = await db
    .insertInto('partners')
    .values({
      ...(input.id ? { id: input.id } : {}),
      name: input.name,
      acronym: input.acronym,
      kind: input.kind,
      country: input.country,
      website: input.website,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToPartner(row);
}

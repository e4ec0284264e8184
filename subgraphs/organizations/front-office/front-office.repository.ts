import type { Kysely, Selectable } from 'kysely';
import type { FrontOfficeTable, OrganizationsDB } from '../migrations/tables.ts';

export interface FrontOffice {
  id: string;
  name: string;
  regionCode: string | null;
  isNational: boolean;
  staff: number;
  trainers: number;
  equipmentItems: number;
}

export function rowToFrontOffice(row: Selectable<FrontOfficeTable>): FrontOffice {
  return {
    id: row.id,
    name: row.name,
    regionCode: row.region_code,
    isNational: row.region_code === null,
    staff: row.staff,
    trainers: row.trainers,
    equipmentItems: row.equipment_items,
  };
}

export async function listFrontOffices(db: Kysely<OrganizationsDB>): Promise<FrontOffice[]> {
  // The national office first, then by region code.
  const rows = await db.selectFrom('front_offices').selectAll().orderBy('region_code', (ob) => ob.asc().nullsFirst()).execute();
  return rows.map(rowToFrontOffice);
}

export async function findFrontOfficesById(db: Kysely<OrganizationsDB>, ids: readonly string[]): Promise<FrontOffice[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('front_offices').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToFrontOffice);
}

export async function findFrontOfficesByRegion(db: Kysely<OrganizationsDB>, codes: readonly string[]): Promise<FrontOffice[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('front_offices').selectAll().where('region_code', 'in', codes).execute();
  return rows.map(rowToFrontOffice);
}

export async function insertFrontOffice(
  db: Kysely<OrganizationsDB>,
  input: { id?: string; name: string; regionCode: string | null; staff: number; trainers: number; equipmentItems: number },
): Promise<FrontOffice> {
  const row = await db
    .insertInto('front_offices')
    .values({
      ...(input.id ? { id: input.id } : {}),
      name: input.name,
      region_code: input.regionCode,
      staff: input.staff,
      trainers: input.trainers,
      equipment_items: input.equipmentItems,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToFrontOffice(row);
}

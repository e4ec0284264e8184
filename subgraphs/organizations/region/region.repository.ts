import type { Kysely, Selectable } from 'kysely';
import { int8ToCount } from '../../kit/index.ts';
import type { OrganizationsDB, RegionTable } from '../migrations/tables.ts';

export interface Region {
  code: string;
  iso: string;
  kind: 'OBLAST' | 'CITY';
  nameKk: string;
  nameRu: string;
  nameEn: string;
}

export function rowToRegion(row: Selectable<RegionTable>): Region {
  return { code: row.code, iso: row.iso, kind: row.kind, nameKk: row.name_kk, nameRu: row.name_ru, nameEn: row.name_en };
}

export async function listRegions(db: Kysely<OrganizationsDB>): Promise<Region[]> {
  const rows = await db.selectFrom('regions').selectAll().orderBy('code').execute();
  return rows.map(rowToRegion);
}

export async function findRegionsByCode(db: Kysely<OrganizationsDB>, codes: readonly string[]): Promise<Region[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('regions').selectAll().where('code', 'in', codes).execute();
  return rows.map(rowToRegion);
}

export async function countOrganizationsByRegion(
  db: Kysely<OrganizationsDB>,
  codes: readonly string[],
): Promise<{ regionCode: string; count: number }[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('organizations')
    .select(['region_code', (eb) => eb.fn.countAll<string>().as('count')])
    .where('region_code', 'in', codes)
    .where('status', '=', 'REGISTERED')
    .groupBy('region_code')
    .execute();
  return rows.map((r) => ({ regionCode: r.region_code, count: int8ToCount(r.count) }));
}

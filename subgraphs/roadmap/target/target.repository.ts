import { sql, type Kysely, type Selectable } from 'kysely';
import type { RegionYearKey } from '../../kit/index.ts';
import type { RoadmapDB, TargetTable } from '../migrations/tables.ts';

export interface Target {
  id: string;
  indicatorId: string;
  /** A KATO region code, or 'national'. */
  regionCode: string;
  year: number;
  value: number;
  setAt: Date;
}

export function rowToTarget(row: Selectable<TargetTable>): Target {
  return { id: row.id, indicatorId: row.indicator_id, regionCode: row.scope, year: row.year, value: Number(row.value), setAt: row.set_at };
}

export interface TargetFilter {
  indicatorId?: string | undefined;
  regionCode?: string | undefined;
  year?: number | undefined;
}

export async function listTargets(db: Kysely<RoadmapDB>, filter: TargetFilter): Promise<Target[]> {
  let query = db.selectFrom('targets').selectAll();
  if (filter.indicatorId) query = query.where('indicator_id', '=', filter.indicatorId);
  if (filter.regionCode) query = query.where('scope', '=', filter.regionCode);
  if (filter.year !== undefined) query = query.where('year', '=', filter.year);
  const rows = await query.orderBy('year').orderBy('indicator_id').orderBy('scope').execute();
  return rows.map(rowToTarget);
}

/** The targets of every indicator for a batch of (region or nation, year) keys, in one statement. */
export async function findTargetsOf(db: Kysely<RoadmapDB>, keys: readonly RegionYearKey[]): Promise<Target[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('targets')
    .selectAll()
    .where('scope', 'in', [...new Set(keys.map((k) => k.regionCode))])
    .where('year', 'in', [...new Set(keys.map((k) => k.year))])
    .execute();
  return rows.map(rowToTarget);
}

/** The target of one indicator, scope and year, locked for the change (null when none). */
export async function lockTarget(db: Kysely<RoadmapDB>, indicatorId: string, regionCode: string, year: number): Promise<Target | null> {
  const row = await db
    .selectFrom('targets')
    .selectAll()
    .where('indicator_id', '=', indicatorId)
    .where('scope', '=', regionCode)
    .where('year', '=', year)
    .forUpdate()
    .executeTakeFirst();
  return row ? rowToTarget(row) : null;
}

/** Inserts the target, or replaces its value (the id stays); one statement, safe against a racing insert. */
export async function upsertTarget(
  db: Kysely<RoadmapDB>,
  t: { indicatorId: string; regionCode: string; year: number; value: string },
): Promise<Target> {
  const row = await db
    .insertInto('targets')
    .values({ indicator_id: t.indicatorId, scope: t.regionCode, year: t.year, value: t.value })
    .onConflict((oc) => oc.constraint('targets_indicator_scope_year').doUpdateSet({ value: t.value, set_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToTarget(row);
}

export async function deleteTarget(db: Kysely<RoadmapDB>, id: string): Promise<void> {
  await db.deleteFrom('targets').where('id', '=', id).execute();
}

import type { Kysely, Selectable } from 'kysely';
import type { IndicatorTable, RoadmapDB } from '../migrations/tables.ts';
import type { Figure } from '../progress/figures.ts';

export interface Indicator {
  id: string;
  key: string;
  phaseId: string;
  position: number;
  nameKk: string;
  nameRu: string;
  nameEn: string;
  figure: Figure;
}

export function rowToIndicator(row: Selectable<IndicatorTable>): Indicator {
  return {
    id: row.id,
    key: row.key,
    phaseId: row.phase_id,
    position: row.position,
    nameKk: row.name_kk,
    nameRu: row.name_ru,
    nameEn: row.name_en,
    figure: row.figure,
  };
}

/** Every indicator with its phase's start, in phase order (a roadmap has about ten: read whole). */
export async function listIndicators(db: Kysely<RoadmapDB>): Promise<(Indicator & { phaseStartsOn: string })[]> {
  const rows = await db
    .selectFrom('indicators')
    .innerJoin('phases', 'phases.id', 'indicators.phase_id')
    .selectAll('indicators')
    .select('phases.starts_on as phase_starts_on')
    .orderBy('phases.position')
    .orderBy('indicators.position')
    .execute();
  return rows.map((r) => ({ ...rowToIndicator(r), phaseStartsOn: r.phase_starts_on }));
}

export async function insertIndicator(db: Kysely<RoadmapDB>, indicator: Omit<Indicator, 'id'> & { id?: string }): Promise<Indicator> {
  const row = await db
    .insertInto('indicators')
    .values({
      ...(indicator.id ? { id: indicator.id } : {}),
      key: indicator.key,
      phase_id: indicator.phaseId,
      position: indicator.position,
      name_kk: indicator.nameKk,
      name_ru: indicator.nameRu,
      name_en: indicator.nameEn,
      figure: indicator.figure,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToIndicator(row);
}

import type { Kysely, Selectable } from 'kysely';
import type { PhaseTable, RoadmapDB } from '../migrations/tables.ts';

export interface Phase {
  id: string;
  key: string;
  position: number;
  nameKk: string;
  nameRu: string;
  nameEn: string;
  startsOn: string;
  endsOn: string;
  switchesOn: string;
}

export function rowToPhase(row: Selectable<PhaseTable>): Phase {
  return {
    id: row.id,
    key: row.key,
    position: row.position,
    nameKk: row.name_kk,
    nameRu: row.name_ru,
    nameEn: row.name_en,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    switchesOn: row.switches_on,
  };
}

export async function listPhases(db: Kysely<RoadmapDB>): Promise<Phase[]> {
  return (await db.selectFrom('phases').selectAll().orderBy('position').execute()).map(rowToPhase);
}

export async function insertPhase(db: Kysely<RoadmapDB>, phase: Omit<Phase, 'id'> & { id?: string }): Promise<Phase> {
  const row = await db
    .insertInto('phases')
    .values({
      ...(phase.id ? { id: phase.id } : {}),
      key: phase.key,
      position: phase.position,
      name_kk: phase.nameKk,
      name_ru: phase.nameRu,
      name_en: phase.nameEn,
      starts_on: phase.startsOn,
      ends_on: phase.endsOn,
      switches_on: phase.switchesOn,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToPhase(row);
}

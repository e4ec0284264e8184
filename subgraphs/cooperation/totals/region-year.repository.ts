import type { Kysely } from 'kysely';
import type { RegionYearRow } from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';

/** What the cooperation subgraph contributes to RegionYear. */
export interface CooperationFigures extends Record<string, number> {
  missionParticipants: number;
}

export const noCooperationFigures = (): CooperationFigures => ({ missionParticipants: 0 });

/** Mission participants of every region in some years, from the rollup, in one statement; nationally their sum. */
export async function regionYearFigures(db: Kysely<CooperationDB>, years: readonly number[]): Promise<RegionYearRow<CooperationFigures>[]> {
  if (years.length === 0) return [];
  const rows = await db
    .selectFrom('region_mission_participants')
    .select(['region_code', 'year', 'participants'])
    .where('year', 'in', years)
    .execute();
  return rows.map((r) => ({ regionCode: r.region_code, year: r.year, figures: { missionParticipants: r.participants } }));
}

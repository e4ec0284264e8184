import { sql, type Kysely } from 'kysely';
import type { CooperationDB } from '../migrations/tables.ts';

/**
 * Rollups, maintained in the same transaction as the write they count, so that
 * a total is one indexed row read instead of a scan:
 * - region_mission_participants: participants by home region and mission year;
 * - mission_totals: missions and participants by year, host country and host partner.
 * Both count participants not withdrawn, of missions not cancelled.
 */
export async function addRegionParticipants(db: Kysely<CooperationDB>, regionCode: string, year: number, delta: number): Promise<void> {
  if (delta === 0) return;
  if (delta < 0) {
    // A decrement always follows an increment of the same row; an upsert would check its candidate row (negative) first.
    await db
      .updateTable('region_mission_participants')
      .set({ participants: sql`participants + ${delta}` })
      .where('region_code', '=', regionCode)
      .where('year', '=', year)
      .executeTakeFirstOrThrow();
    return;
  }
  await db
    .insertInto('region_mission_participants')
    .values({ region_code: regionCode, year, participants: delta })
    .onConflict((oc) =>
      oc.columns(['region_code', 'year']).doUpdateSet({ participants: sql`region_mission_participants.participants + ${delta}` }),
    )
    .execute();
}

export interface TotalsKey {
  year: number;
  hostCountry: string;
  hostPartnerId: string;
}

export async function addMissionTotals(
  db: Kysely<CooperationDB>,
  key: TotalsKey,
  delta: { missions: number; participants: number },
): Promise<void> {
  if (delta.missions === 0 && delta.participants === 0) return;
  if (delta.missions < 0 || delta.participants < 0) {
    await db
      .updateTable('mission_totals')
      .set({ missions: sql`missions + ${delta.missions}`, participants: sql`participants + ${delta.participants}` })
      .where('year', '=', key.year)
      .where('host_country', '=', key.hostCountry)
      .where('host_partner_id', '=', key.hostPartnerId)
      .executeTakeFirstOrThrow();
    return;
  }
  await db
    .insertInto('mission_totals')
    .values({
      year: key.year,
      host_country: key.hostCountry,
      host_partner_id: key.hostPartnerId,
      missions: delta.missions,
      participants: delta.participants,
    })
    .onConflict((oc) =>
      oc.columns(['year', 'host_country', 'host_partner_id']).doUpdateSet({
        missions: sql`mission_totals.missions + ${delta.missions}`,
        participants: sql`mission_totals.participants + ${delta.participants}`,
      }),
    )
    .execute();
}

export async function findRegionParticipants(
  db: Kysely<CooperationDB>,
  keys: readonly { code: string; year: number }[],
): Promise<{ code: string; year: number; participants: number }[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('region_mission_participants')
    .select(['region_code', 'year', 'participants'])
    .where('region_code', 'in', [...new Set(keys.map((k) => k.code))])
    .where('year', 'in', [...new Set(keys.map((k) => k.year))])
    .execute();
  return rows.map((r) => ({ code: r.region_code, year: r.year, participants: r.participants }));
}

export interface MissionTotalsRow {
  year: number;
  hostCountry: string;
  hostPartnerId: string;
  missions: number;
  participants: number;
}

/** The rollup rows of a span of years (tens of missions a year: a few dozen rows). */
export async function findMissionTotals(db: Kysely<CooperationDB>, fromYear: number, toYear: number): Promise<MissionTotalsRow[]> {
  const rows = await db
    .selectFrom('mission_totals')
    .selectAll()
    .where('year', '>=', fromYear)
    .where('year', '<=', toYear)
    .orderBy('year')
    .orderBy('host_country')
    .orderBy('host_partner_id')
    .execute();
  return rows.map((r) => ({
    year: r.year,
    hostCountry: r.host_country,
    hostPartnerId: r.host_partner_id,
    missions: r.missions,
    participants: r.participants,
  }));
}

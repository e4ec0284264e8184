import { sql, type Kysely, type Selectable } from 'kysely';
import { int8ToCount } from '../../kit/index.ts';
import type { CooperationDB, MissionParticipantTable } from '../migrations/tables.ts';

export type ParticipantRole = 'TEAM_LEADER' | 'VOLUNTEER' | 'SPECIALIST';
export type ParticipationOutcome = 'COMPLETED' | 'PARTIALLY_COMPLETED' | 'WITHDRAWN';

/** A volunteer's place on an exchange mission; the volunteer is only a reference. */
export interface Participation {
  id: string;
  missionId: string;
  volunteerId: string;
  regionCode: string | null;
  role: ParticipantRole;
  outcome: ParticipationOutcome | null;
  addedAt: Date;
}

export function rowToParticipation(row: Selectable<MissionParticipantTable>): Participation {
  return {
    id: row.id,
    missionId: row.mission_id,
    volunteerId: row.volunteer_id,
    regionCode: row.region_code,
    role: row.role,
    outcome: row.outcome,
    addedAt: row.added_at,
  };
}

/** Counted in totals and against the places: every participant not withdrawn. */
export const isCounted = (p: Pick<Participation, 'outcome'>): boolean => p.outcome !== 'WITHDRAWN';

export async function findParticipationsById(db: Kysely<CooperationDB>, ids: readonly string[]): Promise<Participation[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('mission_participants').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToParticipation);
}

export async function findParticipantsOfMissions(db: Kysely<CooperationDB>, missionIds: readonly string[]): Promise<Participation[]> {
  if (missionIds.length === 0) return [];
  const rows = await db
    .selectFrom('mission_participants')
    .selectAll()
    .where('mission_id', 'in', missionIds)
    .orderBy('added_at')
    .orderBy('id')
    .execute();
  return rows.map(rowToParticipation);
}

export async function findParticipationsOfVolunteers(db: Kysely<CooperationDB>, volunteerIds: readonly string[]): Promise<Participation[]> {
  if (volunteerIds.length === 0) return [];
  const rows = await db
    .selectFrom('mission_participants')
    .selectAll()
    .where('volunteer_id', 'in', volunteerIds)
    .orderBy('added_at')
    .orderBy('id')
    .execute();
  return rows.map(rowToParticipation);
}

export async function insertParticipation(
  db: Kysely<CooperationDB>,
  input: {
    id?: string;
    missionId: string;
    volunteerId: string;
    regionCode: string | null;
    role: ParticipantRole;
    outcome?: ParticipationOutcome | null;
  },
): Promise<Participation> {
  const row = await db
    .insertInto('mission_participants')
    .values({
      ...(input.id ? { id: input.id } : {}),
      mission_id: input.missionId,
      volunteer_id: input.volunteerId,
      region_code: input.regionCode,
      role: input.role,
      outcome: input.outcome ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToParticipation(row);
}

/** Sets the outcome only if it is still `from` (null: none yet), so a withdrawal is counted once. */
export async function updateParticipationOutcome(
  db: Kysely<CooperationDB>,
  id: string,
  from: ParticipationOutcome | null,
  outcome: ParticipationOutcome,
): Promise<Participation | null> {
  let query = db.updateTable('mission_participants').set({ outcome }).where('id', '=', id);
  query = from === null ? query.where('outcome', 'is', null) : query.where('outcome', '=', from);
  const row = await query.returningAll().executeTakeFirst();
  return row ? rowToParticipation(row) : null;
}

/** The participants of a mission still counted, by home region (to take a cancelled mission out of the rollups). */
export async function countedParticipantsByRegion(
  db: Kysely<CooperationDB>,
  missionId: string,
): Promise<{ regionCode: string | null; count: number }[]> {
  const rows = await db
    .selectFrom('mission_participants')
    .select(['region_code', (eb) => eb.fn.countAll<string>().as('count')])
    .where('mission_id', '=', missionId)
    .where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', '!=', 'WITHDRAWN')]))
    .groupBy('region_code')
    .execute();
  return rows.map((r) => ({ regionCode: r.region_code, count: int8ToCount(r.count) }));
}

/**
 * Serializes the participation writes of one volunteer until the transaction
 * ends (a transaction-scoped advisory lock, namespaced by this subgraph's
 * port), so that two missions adding the same volunteer at once see each other.
 * Taken after the mission's row lock, always in that order.
 */
export async function lockVolunteerParticipations(db: Kysely<CooperationDB>, volunteerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(4004, hashtext(${volunteerId}))`.execute(db);
}

/**
 * A participation of the volunteer, not withdrawn, on another mission not
 * cancelled whose dates overlap [startsOn, endsOn] (both days included); null when none.
 */
export async function findOverlappingParticipation(
  db: Kysely<CooperationDB>,
  volunteerId: string,
  mission: { id: string; startsOn: string; endsOn: string },
): Promise<Participation | null> {
  const row = await db
    .selectFrom('mission_participants as p')
    .innerJoin('exchange_missions as m', 'm.id', 'p.mission_id')
    .selectAll('p')
    .where('p.volunteer_id', '=', volunteerId)
    .where('p.mission_id', '!=', mission.id)
    .where((eb) => eb.or([eb('p.outcome', 'is', null), eb('p.outcome', '!=', 'WITHDRAWN')]))
    .where('m.status', '!=', 'CANCELLED')
    .where('m.starts_on', '<=', mission.endsOn)
    .where('m.ends_on', '>=', mission.startsOn)
    .limit(1)
    .executeTakeFirst();
  return row ? rowToParticipation(row) : null;
}

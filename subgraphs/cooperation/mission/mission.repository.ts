import { sql, type Kysely, type Selectable } from 'kysely';
import { int8ToCount, keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { ReadScope } from '../access.ts';
import type { CooperationDB, ExchangeMissionTable, MissionResultTable } from '../migrations/tables.ts';

export type MissionStatus = 'PLANNED' | 'OPEN' | 'UNDER_WAY' | 'COMPLETED' | 'CANCELLED';

export interface ExchangeMission {
  id: string;
  title: string;
  organizingOrganizationId: string;
  hostCountry: string;
  hostPartnerId: string;
  agreementId: string | null;
  startsOn: string;
  endsOn: string;
  purpose: string;
  sdgTargets: string[];
  places: number;
  participantCount: number;
  status: MissionStatus;
  statusChangedAt: Date;
  statusNote: string | null;
  createdAt: Date;
}

export function rowToMission(row: Selectable<ExchangeMissionTable>): ExchangeMission {
  return {
    id: row.id,
    title: row.title,
    organizingOrganizationId: row.organizing_organization_id,
    hostCountry: row.host_country,
    hostPartnerId: row.host_partner_id,
    agreementId: row.agreement_id,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    purpose: row.purpose,
    sdgTargets: row.sdg_targets,
    places: row.places,
    participantCount: row.participant_count,
    status: row.status,
    statusChangedAt: row.status_changed_at,
    statusNote: row.status_note,
    createdAt: row.created_at,
  };
}

/** The calendar year a mission counts in: the year it starts. */
export const missionYear = (m: Pick<ExchangeMission, 'startsOn'>): number => Number(m.startsOn.slice(0, 4));

export async function findMissionsById(db: Kysely<CooperationDB>, ids: readonly string[]): Promise<ExchangeMission[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('exchange_missions').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToMission);
}

/** Row lock for a write on the mission: racing writes on one mission run one after the other. */
export async function lockMission(db: Kysely<CooperationDB>, id: string): Promise<ExchangeMission | null> {
  const row = await db.selectFrom('exchange_missions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToMission(row) : null;
}

/** The missions of several organizers, host partners or agreements, in one statement. */
export async function findMissionsBy(
  db: Kysely<CooperationDB>,
  column: 'organizing_organization_id' | 'host_partner_id' | 'agreement_id',
  keys: readonly string[],
): Promise<ExchangeMission[]> {
  if (keys.length === 0) return [];
  const rows = await db.selectFrom('exchange_missions').selectAll().where(column, 'in', keys).orderBy('starts_on').orderBy('id').execute();
  return rows.map(rowToMission);
}

export interface MissionFilter {
  status?: MissionStatus | undefined;
  hostCountry?: string | undefined;
  organizationId?: string | undefined;
  hostPartnerId?: string | undefined;
  agreementId?: string | undefined;
  year?: number | undefined;
}

export type MissionKey = readonly [string, string];
export const missionCursor = (m: ExchangeMission): CursorKey => [m.startsOn, m.id];

/** One page of the missions the scope may read, ordered by (starts_on, id). */
export async function listMissions(
  db: Kysely<CooperationDB>,
  filter: MissionFilter,
  scope: ReadScope,
  page: Page<MissionKey>,
): Promise<ExchangeMission[]> {
  let query = db.selectFrom('exchange_missions').selectAll();
  if (!scope.all) {
    const { organizationIds, partnerId, volunteerId } = scope;
    query = query.where((eb) =>
      eb.or([
        ...(organizationIds.length ? [eb('organizing_organization_id', 'in', organizationIds)] : []),
        ...(partnerId
          ? [
              eb('host_partner_id', '=', partnerId),
              eb(
                'agreement_id',
                'in',
                eb
                  .selectFrom('agreement_parties')
                  .select('agreement_parties.agreement_id')
                  .where('agreement_parties.partner_id', '=', partnerId),
              ),
            ]
          : []),
        ...(volunteerId
          ? [
              eb(
                'id',
                'in',
                eb
                  .selectFrom('mission_participants')
                  .select('mission_participants.mission_id')
                  .where('mission_participants.volunteer_id', '=', volunteerId),
              ),
            ]
          : []),
        ...(organizationIds.length === 0 && !partnerId && !volunteerId ? [sql<boolean>`false`] : []),
      ]),
    );
  }
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.hostCountry) query = query.where('host_country', '=', filter.hostCountry);
  if (filter.organizationId) query = query.where('organizing_organization_id', '=', filter.organizationId);
  if (filter.hostPartnerId) query = query.where('host_partner_id', '=', filter.hostPartnerId);
  if (filter.agreementId) query = query.where('agreement_id', '=', filter.agreementId);
  if (filter.year) query = query.where('starts_on', '>=', `${filter.year}-01-01`).where('starts_on', '<=', `${filter.year}-12-31`);
  const rows = await keysetPage(query, page, ['starts_on', 'id']).execute();
  return rows.map(rowToMission);
}

export interface NewMission {
  title: string;
  organizingOrganizationId: string;
  hostCountry: string;
  hostPartnerId: string;
  agreementId: string | null;
  startsOn: string;
  endsOn: string;
  purpose: string;
  sdgTargets: string[];
  places: number;
  status?: MissionStatus;
}

export async function insertMission(db: Kysely<CooperationDB>, input: NewMission & { id?: string }): Promise<ExchangeMission> {
  const row = await db
    .insertInto('exchange_missions')
    .values({
      ...(input.id ? { id: input.id } : {}),
      title: input.title,
      organizing_organization_id: input.organizingOrganizationId,
      host_country: input.hostCountry,
      host_partner_id: input.hostPartnerId,
      agreement_id: input.agreementId,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      purpose: input.purpose,
      sdg_targets: input.sdgTargets,
      places: input.places,
      status_note: null,
      ...(input.status ? { status: input.status } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToMission(row);
}

/** Moves the status only if it is still `from`: of two racing transitions, one wins. */
export async function updateMissionStatus(
  db: Kysely<CooperationDB>,
  id: string,
  from: MissionStatus,
  to: MissionStatus,
  note: string | null,
): Promise<ExchangeMission | null> {
  const row = await db
    .updateTable('exchange_missions')
    .set({ status: to, status_note: note, status_changed_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
  return row ? rowToMission(row) : null;
}

export async function addToParticipantCount(db: Kysely<CooperationDB>, id: string, delta: number): Promise<ExchangeMission> {
  const row = await db
    .updateTable('exchange_missions')
    .set((eb) => ({ participant_count: eb('participant_count', '+', delta) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToMission(row);
}

export async function findGrantsOfMissions(
  db: Kysely<CooperationDB>,
  missionIds: readonly string[],
): Promise<{ missionId: string; grantId: string }[]> {
  if (missionIds.length === 0) return [];
  const rows = await db
    .selectFrom('mission_grants')
    .select(['mission_id', 'grant_id'])
    .where('mission_id', 'in', missionIds)
    .orderBy('linked_at')
    .orderBy('grant_id')
    .execute();
  return rows.map((r) => ({ missionId: r.mission_id, grantId: r.grant_id }));
}

export async function findMissionsOfGrants(
  db: Kysely<CooperationDB>,
  grantIds: readonly string[],
): Promise<{ grantId: string; mission: ExchangeMission }[]> {
  if (grantIds.length === 0) return [];
  const rows = await db
    .selectFrom('mission_grants as g')
    .innerJoin('exchange_missions as m', 'm.id', 'g.mission_id')
    .selectAll('m')
    .select('g.grant_id')
    .where('g.grant_id', 'in', grantIds)
    .orderBy('m.starts_on')
    .orderBy('m.id')
    .execute();
  return rows.map((r) => ({ grantId: r.grant_id, mission: rowToMission(r) }));
}

export async function insertMissionGrant(db: Kysely<CooperationDB>, missionId: string, grantId: string): Promise<void> {
  await db.insertInto('mission_grants').values({ mission_id: missionId, grant_id: grantId }).execute();
}

export interface MissionResult {
  id: string;
  missionId: string;
  summary: string;
  indicator: string | null;
  value: number | null;
  recordedAt: Date;
}

export function rowToResult(row: Selectable<MissionResultTable>): MissionResult {
  return {
    id: row.id,
    missionId: row.mission_id,
    summary: row.summary,
    indicator: row.indicator,
    value: row.value === null ? null : int8ToCount(row.value),
    recordedAt: row.recorded_at,
  };
}

export async function findResultsOfMissions(db: Kysely<CooperationDB>, missionIds: readonly string[]): Promise<MissionResult[]> {
  if (missionIds.length === 0) return [];
  const rows = await db
    .selectFrom('mission_results')
    .selectAll()
    .where('mission_id', 'in', missionIds)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return rows.map(rowToResult);
}

export async function insertMissionResult(
  db: Kysely<CooperationDB>,
  input: { missionId: string; summary: string; indicator: string | null; value: number | null },
): Promise<MissionResult> {
  const row = await db
    .insertInto('mission_results')
    .values({ mission_id: input.missionId, summary: input.summary, indicator: input.indicator, value: input.value })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToResult(row);
}

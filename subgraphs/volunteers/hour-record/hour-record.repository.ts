import { sql, type Kysely, type Selectable } from 'kysely';
import { firstPerParent, keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { HourRecordTable, VolunteersDB } from '../migrations/tables.ts';
import type { CountedWork } from '../totals/totals.repository.ts';

export type HourRecordStatus = 'PENDING' | 'APPROVED' | 'DECLINED' | 'VOIDED';
export type HourSource = 'SELF' | 'COORDINATOR' | 'KIOSK' | 'IMPORT';
export type WorkSetting = 'ORGANIZATION_BASED' | 'DIRECT';

export interface HourRecord {
  id: string;
  volunteerId: string;
  organizationId: string;
  opportunityId: string | null;
  date: string;
  minutes: number;
  regionCode: string;
  activityType: string;
  direction: string;
  setting: WorkSetting;
  educationRequirement: boolean;
  duringPaidWorkTime: boolean;
  source: HourSource;
  status: HourRecordStatus;
  description: string | null;
  createdBy: string | null;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
  voidedBy: string | null;
  voidedAt: Date | null;
  voidReason: string | null;
  replacesId: string | null;
}

/**
 * Of the given organizations, those each volunteer has a record with that is
 * still open to a decision there: PENDING (approve or decline) or APPROVED
 * (void). One statement for any number of volunteers.
 */
export async function findDecidableOrganizations(
  db: Kysely<VolunteersDB>,
  volunteerIds: readonly string[],
  organizationIds: readonly string[],
): Promise<{ volunteerId: string; organizationId: string }[]> {
  if (volunteerIds.length === 0 || organizationIds.length === 0) return [];
  const rows = await db
    .selectFrom('hour_records')
    .select(['volunteer_id', 'organization_id'])
    .distinct()
    .where('volunteer_id', 'in', volunteerIds)
    .where('organization_id', 'in', organizationIds)
    .where('status', 'in', ['PENDING', 'APPROVED'])
    .execute();
  return rows.map((r) => ({ volunteerId: r.volunteer_id, organizationId: r.organization_id }));
}

export function rowToHourRecord(row: Selectable<HourRecordTable>): HourRecord {
  return {
    id: row.id,
    volunteerId: row.volunteer_id,
    organizationId: row.organization_id,
    opportunityId: row.opportunity_id,
    date: row.work_date,
    minutes: row.minutes,
    regionCode: row.region_code,
    activityType: row.activity_type,
    direction: row.direction,
    setting: row.setting,
    educationRequirement: row.education_requirement,
    duringPaidWorkTime: row.during_paid_work_time,
    source: row.source,
    status: row.status,
    description: row.description,
    createdBy: row.created_by,
    createdAt: row.created_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
    voidedBy: row.voided_by,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
    replacesId: row.replaces_id,
  };
}

/** The facts the running totals are kept by. */
export const countedWork = (r: HourRecord): CountedWork => ({
  volunteerId: r.volunteerId,
  organizationId: r.organizationId,
  regionCode: r.regionCode,
  workDate: r.date,
  activityType: r.activityType,
  minutes: r.minutes,
  educationRequirement: r.educationRequirement,
  duringPaidWorkTime: r.duringPaidWorkTime,
});

export async function findHourRecordsById(db: Kysely<VolunteersDB>, ids: readonly string[]): Promise<HourRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('hour_records').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToHourRecord);
}

/** Locks the records, in id order so that overlapping bulk decisions cannot deadlock. */
export async function lockHourRecords(db: Kysely<VolunteersDB>, ids: readonly string[]): Promise<HourRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('hour_records').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
  return rows.map(rowToHourRecord);
}

export async function findReplacementsOf(db: Kysely<VolunteersDB>, replacedIds: readonly string[]): Promise<HourRecord[]> {
  if (replacedIds.length === 0) return [];
  const rows = await db.selectFrom('hour_records').selectAll().where('replaces_id', 'in', replacedIds).execute();
  return rows.map(rowToHourRecord);
}

export interface NewHourRecord {
  id?: string;
  volunteerId: string;
  organizationId: string;
  opportunityId: string | null;
  date: string;
  minutes: number;
  regionCode: string;
  activityType: string;
  direction: string;
  setting: WorkSetting;
  educationRequirement: boolean;
  duringPaidWorkTime: boolean;
  source: HourSource;
  status: 'PENDING' | 'APPROVED';
  description: string | null;
  createdBy: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  replacesId: string | null;
  createdAt?: Date;
}

export async function insertHourRecord(db: Kysely<VolunteersDB>, input: NewHourRecord): Promise<HourRecord> {
  const row = await db
    .insertInto('hour_records')
    .values({
      ...(input.id ? { id: input.id } : {}),
      ...(input.createdAt ? { created_at: input.createdAt } : {}),
      volunteer_id: input.volunteerId,
      organization_id: input.organizationId,
      opportunity_id: input.opportunityId,
      work_date: input.date,
      minutes: input.minutes,
      region_code: input.regionCode,
      activity_type: input.activityType,
      direction: input.direction,
      setting: input.setting,
      education_requirement: input.educationRequirement,
      during_paid_work_time: input.duringPaidWorkTime,
      source: input.source,
      status: input.status,
      description: input.description,
      created_by: input.createdBy,
      decided_by: input.decidedBy,
      decided_at: input.decidedAt,
      reason: null,
      voided_by: null,
      voided_at: null,
      void_reason: null,
      replaces_id: input.replacesId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToHourRecord(row);
}

/**
 * Moves records from one of the expected statuses to a new one. Only rows still
 * in an expected status change, so of two racing decisions exactly one wins;
 * the caller compares the rows returned with the rows it asked for.
 */
export async function transitionHourRecords(
  db: Kysely<VolunteersDB>,
  ids: readonly string[],
  expected: readonly HourRecordStatus[],
  change: { status: HourRecordStatus; decidedBy: string | null; reason: string | null },
): Promise<HourRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('hour_records')
    .set({ status: change.status, decided_by: change.decidedBy, decided_at: sql<Date>`now()`, reason: change.reason })
    .where('id', 'in', ids)
    .where('status', 'in', expected)
    .returningAll()
    .execute();
  return rows.map(rowToHourRecord);
}

/** Voids a record still in the expected status (the decision it undoes stays on the row); null when it moved meanwhile. */
export async function voidHourRecordRow(
  db: Kysely<VolunteersDB>,
  id: string,
  expected: HourRecordStatus,
  change: { voidedBy: string | null; reason: string },
): Promise<HourRecord | null> {
  const row = await db
    .updateTable('hour_records')
    .set({ status: 'VOIDED', voided_by: change.voidedBy, voided_at: sql<Date>`now()`, void_reason: change.reason })
    .where('id', '=', id)
    .where('status', '=', expected)
    .returningAll()
    .executeTakeFirst();
  return row ? rowToHourRecord(row) : null;
}

export interface HourRecordFilter {
  organizationId?: string | undefined;
  volunteerId?: string | undefined;
  status?: HourRecordStatus | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export type HourRecordKey = readonly [string, string];
export const hourRecordCursor = (r: HourRecord): CursorKey => [r.date, r.id];

/** One page, newest first: ordered by (work_date desc, id desc). */
export async function listHourRecords(
  db: Kysely<VolunteersDB>,
  filter: HourRecordFilter,
  page: Page<HourRecordKey>,
): Promise<HourRecord[]> {
  let query = db.selectFrom('hour_records').selectAll();
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.volunteerId) query = query.where('volunteer_id', '=', filter.volunteerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.from) query = query.where('work_date', '>=', filter.from);
  if (filter.to) query = query.where('work_date', '<=', filter.to);
  const rows = await keysetPage(query, page, ['work_date', 'id'], 'desc').execute();
  return rows.map(rowToHourRecord);
}

/** The first `limit` records of each volunteer, newest first, in one statement (for lists of volunteers). */
export async function firstHourRecordsOfVolunteers(
  db: Kysely<VolunteersDB>,
  volunteerIds: readonly string[],
  status: HourRecordStatus | null,
  limit: number,
): Promise<HourRecord[]> {
  if (volunteerIds.length === 0) return [];
  const children = db
    .selectFrom('hour_records')
    .selectAll()
    .where('volunteer_id', 'in', volunteerIds)
    .$if(status !== null, (q) => q.where('status', '=', status!));
  return (await firstPerParent(db, children, 'volunteer_id', ['work_date', 'id'], 'desc', limit)).map(rowToHourRecord);
}

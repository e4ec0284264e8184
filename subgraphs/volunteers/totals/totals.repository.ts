import { sql, type Kysely } from 'kysely';
import { int8ToBigInt, int8ToCount } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { applyActiveVolunteers, rebuildActiveVolunteers } from './active-volunteers.repository.ts';

/**
 * Running totals, written in the same transaction as the change they follow
 * (never recomputed by scanning hour_records at read time). Rows of one upsert
 * are sorted by key so that concurrent writers lock them in the same order.
 */

const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/*
 * Increments are upserts. Decrements are plain updates of rows that must
 * exist: PostgreSQL checks a candidate row's CHECK constraints before
 * ON CONFLICT, so a negative insert would fail even when the row is there.
 */

export async function addOrganizationVolunteers(db: Kysely<VolunteersDB>, organizationId: string, delta: number): Promise<void> {
  if (delta < 0) {
    await db
      .updateTable('organization_volunteer_totals')
      .set((eb) => ({ volunteer_count: eb('volunteer_count', '+', delta) }))
      .where('organization_id', '=', organizationId)
      .execute();
    return;
  }
  await db
    .insertInto('organization_volunteer_totals')
    .values({ organization_id: organizationId, volunteer_count: delta })
    .onConflict((oc) =>
      oc.column('organization_id').doUpdateSet((eb) => ({
        volunteer_count: eb('organization_volunteer_totals.volunteer_count', '+', eb.ref('excluded.volunteer_count')),
      })),
    )
    .execute();
}

export async function addRegionVolunteers(db: Kysely<VolunteersDB>, regionCode: string, delta: number): Promise<void> {
  if (delta < 0) {
    await db
      .updateTable('region_volunteer_totals')
      .set((eb) => ({ volunteer_count: eb('volunteer_count', '+', delta) }))
      .where('region_code', '=', regionCode)
      .execute();
    return;
  }
  await db
    .insertInto('region_volunteer_totals')
    .values({ region_code: regionCode, volunteer_count: delta })
    .onConflict((oc) =>
      oc.column('region_code').doUpdateSet((eb) => ({
        volunteer_count: eb('region_volunteer_totals.volunteer_count', '+', eb.ref('excluded.volunteer_count')),
      })),
    )
    .execute();
}

/** The facts of an hour record that the totals are kept by. */
export interface CountedWork {
  volunteerId: string;
  organizationId: string;
  regionCode: string;
  workDate: string;
  activityType: string;
  minutes: number;
  educationRequirement: boolean;
  duringPaidWorkTime: boolean;
}

/** ILO: work required by education or done in paid time is not volunteer work. */
export const isIloComparable = (w: Pick<CountedWork, 'educationRequirement' | 'duringPaidWorkTime'>): boolean =>
  !w.educationRequirement && !w.duringPaidWorkTime;

interface Sums {
  minutes: number;
  iloMinutes: number;
  records: number;
}

function accumulate<K>(map: Map<string, K & Sums>, key: string, base: K, w: CountedWork, sign: 1 | -1): void {
  const sums = map.get(key) ?? { ...base, minutes: 0, iloMinutes: 0, records: 0 };
  sums.minutes += sign * w.minutes;
  sums.iloMinutes += sign * (isIloComparable(w) ? w.minutes : 0);
  sums.records += sign;
  map.set(key, sums);
}

/**
 * Adds approved work to (sign 1) or removes it from (sign -1) the organization
 * and region rollups and the active volunteers by region and age band; the
 * volunteer's own total is kept by the caller. Every change that enters or
 * leaves APPROVED comes through here.
 */
export async function applyApprovedWork(db: Kysely<VolunteersDB>, work: readonly CountedWork[], sign: 1 | -1): Promise<void> {
  if (work.length === 0) return;
  const organizations = new Map<string, { organizationId: string; workDate: string; activityType: string } & Sums>();
  const regions = new Map<string, { regionCode: string; year: number; month: number; activityType: string } & Sums>();
  for (const w of work) {
    accumulate(
      organizations,
      `${w.organizationId}|${w.workDate}|${w.activityType}`,
      { organizationId: w.organizationId, workDate: w.workDate, activityType: w.activityType },
      w,
      sign,
    );
    const year = Number(w.workDate.slice(0, 4));
    const month = Number(w.workDate.slice(5, 7));
    accumulate(
      regions,
      `${w.regionCode}|${year}|${String(month).padStart(2, '0')}|${w.activityType}`,
      { regionCode: w.regionCode, year, month, activityType: w.activityType },
      w,
      sign,
    );
  }
  const orgRows = [...organizations.entries()].sort(byKey(([k]) => k)).map(([, s]) => s);
  const regionRows = [...regions.entries()].sort(byKey(([k]) => k)).map(([, s]) => s);
  if (sign < 0) {
    await sql`
      update organization_daily_hours as t
      set minutes = t.minutes + d.minutes, ilo_minutes = t.ilo_minutes + d.ilo_minutes, records = t.records + d.records
      from (values ${sql.join(orgRows.map((r) => sql`(${r.organizationId}::uuid, ${r.workDate}::date, ${r.activityType}, ${r.minutes}::bigint, ${r.iloMinutes}::bigint, ${r.records}::int)`))})
        as d (organization_id, work_date, activity_type, minutes, ilo_minutes, records)
      where t.organization_id = d.organization_id and t.work_date = d.work_date and t.activity_type = d.activity_type
    `.execute(db);
    await sql`
      update region_monthly_hours as t
      set minutes = t.minutes + d.minutes, ilo_minutes = t.ilo_minutes + d.ilo_minutes, records = t.records + d.records
      from (values ${sql.join(regionRows.map((r) => sql`(${r.regionCode}, ${r.year}::int, ${r.month}::int, ${r.activityType}, ${r.minutes}::bigint, ${r.iloMinutes}::bigint, ${r.records}::int)`))})
        as d (region_code, year, month, activity_type, minutes, ilo_minutes, records)
      where t.region_code = d.region_code and t.year = d.year and t.month = d.month and t.activity_type = d.activity_type
    `.execute(db);
    await applyActiveVolunteers(db, work, sign);
    return;
  }
  await db
    .insertInto('organization_daily_hours')
    .values(
      orgRows.map((s) => ({
        organization_id: s.organizationId,
        work_date: s.workDate,
        activity_type: s.activityType,
        minutes: s.minutes,
        ilo_minutes: s.iloMinutes,
        records: s.records,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['organization_id', 'work_date', 'activity_type']).doUpdateSet((eb) => ({
        minutes: eb('organization_daily_hours.minutes', '+', eb.ref('excluded.minutes')),
        ilo_minutes: eb('organization_daily_hours.ilo_minutes', '+', eb.ref('excluded.ilo_minutes')),
        records: eb('organization_daily_hours.records', '+', eb.ref('excluded.records')),
      })),
    )
    .execute();
  await db
    .insertInto('region_monthly_hours')
    .values(
      regionRows.map((s) => ({
        region_code: s.regionCode,
        year: s.year,
        month: s.month,
        activity_type: s.activityType,
        minutes: s.minutes,
        ilo_minutes: s.iloMinutes,
        records: s.records,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['region_code', 'year', 'month', 'activity_type']).doUpdateSet((eb) => ({
        minutes: eb('region_monthly_hours.minutes', '+', eb.ref('excluded.minutes')),
        ilo_minutes: eb('region_monthly_hours.ilo_minutes', '+', eb.ref('excluded.ilo_minutes')),
        records: eb('region_monthly_hours.records', '+', eb.ref('excluded.records')),
      })),
    )
    .execute();
  await applyActiveVolunteers(db, work, sign);
}

/** The constraint that refuses more than 24 hours a day per volunteer. */
export const DAILY_LIMIT_CONSTRAINT = 'volunteer_daily_minutes_limit';

/**
 * Adds minutes to each volunteer's day (negative to release them). The check
 * constraint makes racing writers for one day fail instead of both passing.
 */
export async function addDailyMinutes(
  db: Kysely<VolunteersDB>,
  entries: readonly { volunteerId: string; workDate: string; minutes: number }[],
): Promise<void> {
  const merged = new Map<string, { volunteerId: string; workDate: string; minutes: number }>();
  for (const e of entries) {
    const key = `${e.volunteerId}|${e.workDate}`;
    const m = merged.get(key);
    if (m) m.minutes += e.minutes;
    else merged.set(key, { ...e });
  }
  const sorted = [...merged.entries()].sort(byKey(([k]) => k)).map(([, e]) => e);
  const released = sorted.filter((e) => e.minutes < 0);
  if (released.length > 0) {
    await sql`
      update volunteer_daily_minutes as t set minutes = t.minutes + d.minutes
      from (values ${sql.join(released.map((e) => sql`(${e.volunteerId}::uuid, ${e.workDate}::date, ${e.minutes}::int)`))}) as d (volunteer_id, work_date, minutes)
      where t.volunteer_id = d.volunteer_id and t.work_date = d.work_date
    `.execute(db);
  }
  const rows = sorted.filter((e) => e.minutes > 0);
  if (rows.length === 0) return;
  await db
    .insertInto('volunteer_daily_minutes')
    .values(rows.map((e) => ({ volunteer_id: e.volunteerId, work_date: e.workDate, minutes: e.minutes })))
    .onConflict((oc) =>
      oc.columns(['volunteer_id', 'work_date']).doUpdateSet((eb) => ({
        minutes: eb('volunteer_daily_minutes.minutes', '+', eb.ref('excluded.minutes')),
      })),
    )
    .execute();
}

export function isDailyLimitViolation(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  return !!e && e.code === '23514' && (e.constraint === DAILY_LIMIT_CONSTRAINT || (e.message ?? '').includes(DAILY_LIMIT_CONSTRAINT));
}

// ---- reads -------------------------------------------------------------

export async function organizationVolunteerCounts(db: Kysely<VolunteersDB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('organization_volunteer_totals')
    .select(['organization_id', 'volunteer_count'])
    .where('organization_id', 'in', ids)
    .execute();
}

export async function regionVolunteerCounts(db: Kysely<VolunteersDB>, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('region_volunteer_totals').select(['region_code', 'volunteer_count']).where('region_code', 'in', codes).execute();
}

/** Approved work by year and activity type: what a total and its replacement value are computed from. */
export interface WorkByYearAndType {
  year: number;
  activityType: string;
  /** Sums of minutes: exact BigInt, whatever the volume (the rollups are bigint, their sums numeric). */
  minutes: bigint;
  iloMinutes: bigint;
  records: number;
}

export async function organizationHours(
  db: Kysely<VolunteersDB>,
  organizationIds: readonly string[],
  from: string | null,
  to: string | null,
): Promise<(WorkByYearAndType & { organizationId: string })[]> {
  if (organizationIds.length === 0) return [];
  let query = db
    .selectFrom('organization_daily_hours')
    .select((eb) => [
      'organization_id',
      'activity_type',
      sql<number>`extract(year from work_date)::int`.as('year'),
      eb.fn.sum<string>('minutes').as('minutes'),
      eb.fn.sum<string>('ilo_minutes').as('ilo_minutes'),
      eb.fn.sum<string>('records').as('records'),
    ])
    .where('organization_id', 'in', organizationIds);
  if (from) query = query.where('work_date', '>=', from);
  if (to) query = query.where('work_date', '<=', to);
  const rows = await query.groupBy(['organization_id', 'activity_type', sql`extract(year from work_date)::int`]).execute();
  return rows.map((r) => ({
    organizationId: r.organization_id,
    year: Number(r.year),
    activityType: r.activity_type,
    minutes: int8ToBigInt(r.minutes),
    iloMinutes: int8ToBigInt(r.ilo_minutes),
    records: int8ToCount(r.records),
  }));
}

export async function regionHours(
  db: Kysely<VolunteersDB>,
  regionCodes: readonly string[],
  year: number,
  month: number | null,
): Promise<(WorkByYearAndType & { regionCode: string })[]> {
  if (regionCodes.length === 0) return [];
  let query = db
    .selectFrom('region_monthly_hours')
    .select((eb) => [
      'region_code',
      'activity_type',
      eb.fn.sum<string>('minutes').as('minutes'),
      eb.fn.sum<string>('ilo_minutes').as('ilo_minutes'),
      eb.fn.sum<string>('records').as('records'),
    ])
    .where('region_code', 'in', regionCodes)
    .where('year', '=', year);
  if (month !== null) query = query.where('month', '=', month);
  const rows = await query.groupBy(['region_code', 'activity_type']).execute();
  return rows.map((r) => ({
    regionCode: r.region_code,
    year,
    activityType: r.activity_type,
    minutes: int8ToBigInt(r.minutes),
    iloMinutes: int8ToBigInt(r.ilo_minutes),
    records: int8ToCount(r.records),
  }));
}

export interface ReplacementRate {
  year: number;
  activityType: string;
  hourlyRateMinor: bigint;
  currency: string;
  source: string;
}

export async function listReplacementRates(db: Kysely<VolunteersDB>): Promise<ReplacementRate[]> {
  const rows = await db.selectFrom('replacement_rates').selectAll().orderBy('year').orderBy('activity_type').execute();
  return rows.map((r) => ({
    year: r.year,
    activityType: r.activity_type,
    hourlyRateMinor: int8ToBigInt(r.hourly_rate_minor),
    currency: r.currency,
    source: r.source,
  }));
}

/**
 * Recomputes every rollup from the raw rows: for loading demo or imported data
 * in bulk, and for an operator's repair. Never on the request path.
 */
export async function rebuildTotals(db: Kysely<VolunteersDB>): Promise<void> {
  await sql`
    delete from organization_volunteer_totals;
    delete from region_volunteer_totals;
    delete from organization_daily_hours;
    delete from region_monthly_hours;
    delete from volunteer_daily_minutes;
    delete from opportunity_totals;
    insert into organization_volunteer_totals (organization_id, volunteer_count)
      select organization_id, count(*) from memberships where left_at is null group by organization_id;
    insert into region_volunteer_totals (region_code, volunteer_count)
      select region_code, count(*) from volunteers group by region_code;
    insert into organization_daily_hours (organization_id, work_date, activity_type, minutes, ilo_minutes, records)
      select organization_id, work_date, activity_type, sum(minutes),
             sum(case when education_requirement or during_paid_work_time then 0 else minutes end), count(*)
      from hour_records where status = 'APPROVED' group by organization_id, work_date, activity_type;
    insert into region_monthly_hours (region_code, year, month, activity_type, minutes, ilo_minutes, records)
      select region_code, extract(year from work_date)::int, extract(month from work_date)::int, activity_type, sum(minutes),
             sum(case when education_requirement or during_paid_work_time then 0 else minutes end), count(*)
      from hour_records where status = 'APPROVED'
      group by region_code, extract(year from work_date)::int, extract(month from work_date)::int, activity_type;
    insert into volunteer_daily_minutes (volunteer_id, work_date, minutes)
      select volunteer_id, work_date, sum(minutes) from hour_records where status in ('PENDING', 'APPROVED') group by volunteer_id, work_date;
    insert into opportunity_totals (opportunity_id, organization_id, applicant_count, accepted_count)
      select opportunity_id, min(organization_id::text)::uuid,
             count(*) filter (where status in ('PENDING', 'ACCEPTED')), count(*) filter (where status = 'ACCEPTED')
      from applications group by opportunity_id;
    update volunteers v set approved_minutes = coalesce(
      (select sum(minutes) from hour_records h where h.volunteer_id = v.id and h.status = 'APPROVED'), 0);
  `.execute(db);
  await rebuildActiveVolunteers(db);
}

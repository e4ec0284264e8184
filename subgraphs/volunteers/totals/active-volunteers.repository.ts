import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { VolunteersDB } from '../migrations/tables.ts';
import { AGE_BAND_LIMITS, ageBandOfYear, type AgeBand } from '../volunteer/age.ts';

/**
 * Active volunteers by region and age band. A volunteer is active in a region
 * in a year while they have at least one APPROVED hour record of that year
 * done in that region; they count in the band of their age on 31 December of
 * that year. `volunteer_region_year` holds each volunteer's approved records
 * per (year, region); `region_age_band_year` the volunteers whose count there
 * is above zero. Both move in the transaction of the change, and a volunteer
 * moves the band count only when their own count crosses zero — which the
 * upsert (or update) of their row tells, as it returns the count after the
 * change under that row's lock.
 */

/** The facts of an approved record that activity is kept by. */
export interface ActivityWork {
  volunteerId: string;
  regionCode: string;
  workDate: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface VolunteerYearDelta {
  volunteerId: string;
  year: number;
  regionCode: string;
  records: number;
}

interface CountedRow {
  volunteer_id: string;
  year: number;
  region_code: string;
  approved_records: number;
  birth_date: string;
}

/**
 * Adds approved records to (sign 1) or removes them from (sign -1) the
 * volunteers' year-and-region counts, and moves the region × age band counts
 * of those whose count became positive or fell to zero. Rows are written in
 * key order, so concurrent writers lock them in the same order.
 */
export async function applyActiveVolunteers(db: Kysely<VolunteersDB>, work: readonly ActivityWork[], sign: 1 | -1): Promise<void> {
  if (work.length === 0) return;
  const merged = new Map<string, VolunteerYearDelta>();
  for (const w of work) {
    const year = Number(w.workDate.slice(0, 4));
    const key = `${w.volunteerId}|${year}|${w.regionCode}`;
    const d = merged.get(key) ?? { volunteerId: w.volunteerId, year, regionCode: w.regionCode, records: 0 };
    d.records += 1;
    merged.set(key, d);
  }
  const deltas = [...merged.entries()].sort(([a], [b]) => compare(a, b)).map(([, d]) => d);
  const values = sql.join(deltas.map((d) => sql`(${d.volunteerId}::uuid, ${d.year}::int, ${d.regionCode}::text, ${d.records}::int)`));

  // The count after the change, with the volunteer's birth date (for the band).
  const { rows } =
    sign > 0
      ? await sql<CountedRow>`
          with changed as (
            insert into volunteer_region_year as t (volunteer_id, year, region_code, approved_records)
            values ${values}
            on conflict (volunteer_id, year, region_code) do update set approved_records = t.approved_records + excluded.approved_records
            returning t.volunteer_id, t.year, t.region_code, t.approved_records
          )
          select c.volunteer_id, c.year, c.region_code, c.approved_records, v.birth_date::text as birth_date
          from changed c join volunteers v on v.id = c.volunteer_id`.execute(db)
      : await sql<CountedRow>`
          update volunteer_region_year as t set approved_records = t.approved_records - d.records
          from (values ${values}) as d (volunteer_id, year, region_code, records), volunteers v
          where t.volunteer_id = d.volunteer_id and t.year = d.year and t.region_code = d.region_code and v.id = t.volunteer_id
          returning t.volunteer_id, t.year, t.region_code, t.approved_records, v.birth_date::text as birth_date`.execute(db);

  const bands = new Map<string, { year: number; regionCode: string; ageBand: AgeBand; volunteers: number }>();
  for (const row of rows) {
    const delta = merged.get(`${row.volunteer_id}|${row.year}|${row.region_code}`)!.records;
    // Entered: the count was zero before this change. Left: it is zero after.
    const crossed = sign > 0 ? Number(row.approved_records) === delta : Number(row.approved_records) === 0;
    if (!crossed) continue;
    const band = ageBandOfYear(row.birth_date, Number(row.year));
    const key = `${row.year}|${row.region_code}|${band}`;
    const entry = bands.get(key) ?? { year: Number(row.year), regionCode: row.region_code, ageBand: band, volunteers: 0 };
    entry.volunteers += sign;
    bands.set(key, entry);
  }
  const bandRows = [...bands.entries()].sort(([a], [b]) => compare(a, b)).map(([, b]) => b);
  if (bandRows.length === 0) return;
  if (sign < 0) {
    await sql`
      update region_age_band_year as t set volunteers = t.volunteers + d.volunteers
      from (values ${sql.join(bandRows.map((b) => sql`(${b.year}::int, ${b.regionCode}::text, ${b.ageBand}::text, ${b.volunteers}::int)`))})
        as d (year, region_code, age_band, volunteers)
      where t.year = d.year and t.region_code = d.region_code and t.age_band = d.age_band
    `.execute(db);
    return;
  }
  await db
    .insertInto('region_age_band_year')
    .values(bandRows.map((b) => ({ year: b.year, region_code: b.regionCode, age_band: b.ageBand, volunteers: b.volunteers })))
    .onConflict((oc) =>
      oc.columns(['year', 'region_code', 'age_band']).doUpdateSet((eb) => ({
        volunteers: eb('region_age_band_year.volunteers', '+', eb.ref('excluded.volunteers')),
      })),
    )
    .execute();
}

/** SQL for the band of an age expression, from the same limits as `ageBand`. */
function ageBandSql(age: RawBuilder<number>): RawBuilder<string> {
  const whens = AGE_BAND_LIMITS.filter((l) => l.below !== null).map((l) => sql`when ${age} < ${sql.lit(l.below)} then ${sql.lit(l.band)}`);
  return sql<string>`case ${sql.join(whens, sql` `)} else ${sql.lit(AGE_BAND_LIMITS.at(-1)!.band)} end`;
}

/** Recomputes both tables from the raw rows (part of `rebuildTotals`; never on a request). */
export async function rebuildActiveVolunteers(db: Kysely<VolunteersDB>): Promise<void> {
  await sql`
    delete from region_age_band_year;
    delete from volunteer_region_year;
    insert into volunteer_region_year (volunteer_id, year, region_code, approved_records)
      select volunteer_id, extract(year from work_date)::int, region_code, count(*)
      from hour_records where status = 'APPROVED'
      group by volunteer_id, extract(year from work_date)::int, region_code;
  `.execute(db);
  const age = sql<number>`(r.year - extract(year from v.birth_date)::int)`;
  await sql`
    insert into region_age_band_year (year, region_code, age_band, volunteers)
      select r.year, r.region_code, ${ageBandSql(age)}, count(*)
      from volunteer_region_year r join volunteers v on v.id = r.volunteer_id
      where r.approved_records > 0
      group by 1, 2, 3
  `.execute(db);
}

// ---- reads -------------------------------------------------------------

export interface RegionAgeBandCount {
  year: number;
  regionCode: string;
  ageBand: AgeBand;
  volunteers: number;
}

/** The non-zero counts of some years, every region, in one statement (at most 20 regions × 6 bands a year). */
export async function regionAgeBandCounts(db: Kysely<VolunteersDB>, years: readonly number[]): Promise<RegionAgeBandCount[]> {
  if (years.length === 0) return [];
  const rows = await db
    .selectFrom('region_age_band_year')
    .select(['year', 'region_code', 'age_band', 'volunteers'])
    .where('year', 'in', years)
    .where('volunteers', '>', 0)
    .execute();
  return rows.map((r) => ({ year: Number(r.year), regionCode: r.region_code, ageBand: r.age_band, volunteers: Number(r.volunteers) }));
}

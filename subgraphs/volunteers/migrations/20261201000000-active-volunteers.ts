import { sql, type Kysely } from 'kysely';

/**
 * Active volunteers by region and age band (issue 6): a volunteer is active
 * in a region in a year while they have at least one APPROVED hour record of
 * that year done in that region, and is counted in the age band of their age
 * on 31 December of that year (birth dates are never edited, so the band of a
 * volunteer-year never moves).
 *
 * `volunteer_region_year` counts each volunteer's approved records per year
 * and region; `region_age_band_year` counts the volunteers whose count there is
 * above zero. Both are written in the same transaction as every change that
 * enters or leaves APPROVED, and filled here from the rows an upgraded
 * database already holds. The bands are written out as they stood when this
 * migration was written (a migration does not follow later code).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table volunteer_region_year (
      volunteer_id uuid not null references volunteers (id),
      year integer not null check (year between 1900 and 2100),
      region_code text not null,
      approved_records integer not null default 0 check (approved_records >= 0),
      primary key (volunteer_id, year, region_code)
    );
    create table region_age_band_year (
      year integer not null check (year between 1900 and 2100),
      region_code text not null,
      age_band text not null check (age_band in ('UNDER_14', 'AGE_14_17', 'AGE_18_29', 'AGE_30_44', 'AGE_45_59', 'AGE_60_PLUS')),
      volunteers integer not null default 0 check (volunteers >= 0),
      primary key (year, region_code, age_band)
    );

    insert into volunteer_region_year (volunteer_id, year, region_code, approved_records)
      select volunteer_id, extract(year from work_date)::int, region_code, count(*)
      from hour_records where status = 'APPROVED'
      group by volunteer_id, extract(year from work_date)::int, region_code;
    insert into region_age_band_year (year, region_code, age_band, volunteers)
      select year, region_code, age_band, count(*)
      from (
        select a.year, a.region_code,
               case when age < 14 then 'UNDER_14' when age < 18 then 'AGE_14_17' when age < 30 then 'AGE_18_29'
                    when age < 45 then 'AGE_30_44' when age < 60 then 'AGE_45_59' else 'AGE_60_PLUS' end as age_band
        from (
          select r.year, r.region_code, r.year - extract(year from v.birth_date)::int as age
          from volunteer_region_year r join volunteers v on v.id = r.volunteer_id
          where r.approved_records > 0
        ) a
      ) b
      group by year, region_code, age_band;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists region_age_band_year;
    drop table if exists volunteer_region_year;
  `.execute(db);
}

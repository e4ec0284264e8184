import { sql, type Kysely } from 'kysely';

/**
 * Replacement-cost rates (ILO Manual, ch. 6): what an hour of each kind of
 * volunteer work would cost if paid, in KZT per hour, per year. The figures
 * are illustrative, after the national statistics bureau's average monthly
 * wage by occupation group divided by 166 working hours; a real deployment
 * loads the bureau's published table with a new migration each year.
 */
const RATES_2025_KZT: Record<string, number> = {
  TEACHING_TUTORING: 2300,
  CARE_SUPPORT: 1600,
  HEALTH_SUPPORT: 2000,
  ENVIRONMENT_CLEANUP: 1200,
  EVENT_SUPPORT: 1400,
  EMERGENCY_RESPONSE: 2200,
  ADMINISTRATIVE: 1700,
  PROFESSIONAL_SERVICES: 3500,
  TRANSPORT_DELIVERY: 1800,
  FUNDRAISING: 2000,
  OTHER: 2100,
};

/** Wages grew by about a tenth a year; whole tenge, in tiyn (minor units). */
const YEAR_FACTOR_PERCENT: Record<number, number> = { 2024: 88, 2025: 100, 2026: 110 };

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table replacement_rates (
      year integer not null check (year between 1990 and 2100),
      activity_type text not null,
      hourly_rate_minor bigint not null check (hourly_rate_minor > 0),
      currency text not null default 'KZT' check (currency = 'KZT'),
      source text not null,
      primary key (year, activity_type)
    );
  `.execute(db);
  const rows = Object.entries(YEAR_FACTOR_PERCENT).flatMap(([year, percent]) =>
    Object.entries(RATES_2025_KZT).map(([activityType, kzt]) => ({
      year: Number(year),
      activity_type: activityType,
      hourly_rate_minor: Math.round((kzt * percent) / 100) * 100,
      source: 'Illustrative: average monthly wage by occupation group / 166 h',
    })),
  );
  await db.insertInto('replacement_rates').values(rows).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists replacement_rates`.execute(db);
}

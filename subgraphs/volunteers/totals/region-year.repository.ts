import { sql, type Kysely } from 'kysely';
import { NATIONAL, yearBounds, type RegionYearRow } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';

/** What the volunteers subgraph contributes to RegionYear. */
export interface VolunteerFigures extends Record<string, number> {
  registeredVolunteers: number;
  activeVolunteers: number;
  approvedMinutes: number;
}

export const noVolunteerFigures = (): VolunteerFigures => ({ registeredVolunteers: 0, activeVolunteers: 0, approvedMinutes: 0 });

/**
 * The figures of every region in some years, in three statements (four with
 * the nation): volunteers registered by the end of each year (in their current
 * region; registrations per region and year, summed up to the year), active
 * volunteers and approved minutes from the rollups. Nationally, active
 * volunteers are counted once each, wherever they worked.
 */
export async function regionYearFigures(
  db: Kysely<VolunteersDB>,
  years: readonly number[],
  national: boolean,
): Promise<RegionYearRow<VolunteerFigures>[]> {
  if (years.length === 0) return [];
  const last = Math.max(...years);
  const registrations = await db
    .selectFrom('volunteers')
    .select([
      'region_code',
      sql<number>`extract(year from (registered_at at time zone 'UTC') + interval '5 hours')::int`.as('year'),
      sql<number>`count(*)::int`.as('volunteers'),
    ])
    .where('registered_at', '<', yearBounds(last).to)
    .groupBy(['region_code', sql`2`])
    .execute();
  const active = await db
    .selectFrom('region_age_band_year')
    .select(['region_code', 'year', sql<number>`sum(volunteers)::int`.as('volunteers')])
    .where('year', 'in', years)
    .groupBy(['region_code', 'year'])
    .execute();
  const hours = await db
    .selectFrom('region_monthly_hours')
    .select(['region_code', 'year', sql<number>`sum(minutes)::bigint`.as('minutes')])
    .where('year', 'in', years)
    .groupBy(['region_code', 'year'])
    .execute();
  const rows: RegionYearRow<VolunteerFigures>[] = [];
  for (const year of years) {
    for (const r of registrations)
      if (r.year <= year) rows.push({ regionCode: r.region_code, year, figures: { registeredVolunteers: r.volunteers } });
  }
  for (const r of active) rows.push({ regionCode: r.region_code, year: r.year, figures: { activeVolunteers: r.volunteers } });
  for (const r of hours) rows.push({ regionCode: r.region_code, year: r.year, figures: { approvedMinutes: Number(r.minutes) } });
  if (national) {
    const distinct = await db
      .selectFrom('volunteer_region_year')
      .select(['year', sql<number>`count(distinct volunteer_id)::int`.as('volunteers')])
      .where('year', 'in', years)
      .where('approved_records', '>', 0)
      .groupBy('year')
      .execute();
    for (const year of years) {
      rows.push({ regionCode: NATIONAL, year, figures: { activeVolunteers: distinct.find((d) => d.year === year)?.volunteers ?? 0 } });
    }
  }
  return rows;
}

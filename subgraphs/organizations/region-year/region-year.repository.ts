import { sql, type Kysely } from 'kysely';
import { NATIONAL, yearBounds, type RegionYearRow } from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';

/** What the organizations subgraph contributes to RegionYear. */
export interface OrganizationFigures extends Record<string, number> {
  registeredOrganizations: number;
  frontOfficeTrainings: number;
  peopleTrained: number;
}

export const noOrganizationFigures = (): OrganizationFigures => ({ registeredOrganizations: 0, frontOfficeTrainings: 0, peopleTrained: 0 });

/**
 * The figures of every region in some years, in two statements: organizations
 * registered today and registered by the end of each year (per region and
 * registration year, summed up to the year), and trainings held by the
 * region's front-office in the year with the people trained. Nationally, the
 * trainings of the national front-office count too.
 */
export async function regionYearFigures(
  db: Kysely<OrganizationsDB>,
  years: readonly number[],
): Promise<RegionYearRow<OrganizationFigures>[]> {
  if (years.length === 0) return [];
  const registrations = await db
    .selectFrom('organizations')
    .select([
      'region_code',
      sql<number>`extract(year from (registered_at at time zone 'UTC') + interval '5 hours')::int`.as('year'),
      sql<number>`count(*)::int`.as('organizations'),
    ])
    .where('status', '=', 'REGISTERED')
    .where('registered_at', '<', yearBounds(Math.max(...years)).to)
    .groupBy(['region_code', sql`2`])
    .execute();
  const trainings = await db
    .selectFrom('front_office_trainings as t')
    .innerJoin('front_offices as f', 'f.id', 't.front_office_id')
    .select([
      'f.region_code',
      sql<number>`extract(year from t.held_on)::int`.as('year'),
      sql<number>`count(*)::int`.as('trainings'),
      sql<number>`sum(t.people_trained)::int`.as('people'),
    ])
    .where(sql<number>`extract(year from t.held_on)::int`, 'in', years)
    .groupBy(['f.region_code', sql`2`])
    .execute();
  const rows: RegionYearRow<OrganizationFigures>[] = [];
  for (const year of years) {
    for (const r of registrations)
      if (r.year <= year) rows.push({ regionCode: r.region_code, year, figures: { registeredOrganizations: r.organizations } });
    const ofYear = trainings.filter((t) => t.year === year);
    // Nationally every front-office's trainings, the national office's included.
    rows.push({
      regionCode: NATIONAL,
      year,
      figures: {
        frontOfficeTrainings: ofYear.reduce((n, t) => n + t.trainings, 0),
        peopleTrained: ofYear.reduce((n, t) => n + t.people, 0),
      },
    });
  }
  for (const t of trainings) {
    if (t.region_code !== null)
      rows.push({ regionCode: t.region_code, year: t.year, figures: { frontOfficeTrainings: t.trainings, peopleTrained: t.people } });
  }
  return rows;
}

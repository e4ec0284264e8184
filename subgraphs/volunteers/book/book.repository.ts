import { sql, type Kysely } from 'kysely';
import { int8ToCount } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';

/** Approved work of a volunteer grouped finely enough to build every view of the book. */
export interface BookLine {
  volunteerId: string;
  year: number;
  direction: string;
  organizationId: string;
  opportunityId: string | null;
  minutes: number;
  records: number;
  firstDate: string;
  lastDate: string;
}

/** One statement for any number of volunteers; reads each volunteer's records through its index. */
export async function findBookLines(db: Kysely<VolunteersDB>, volunteerIds: readonly string[]): Promise<BookLine[]> {
  if (volunteerIds.length === 0) return [];
  const year = sql<number>`extract(year from work_date)::int`;
  const rows = await db
    .selectFrom('hour_records')
    .select((eb) => [
      'volunteer_id',
      year.as('year'),
      'direction',
      'organization_id',
      'opportunity_id',
      eb.fn.sum<string>('minutes').as('minutes'),
      eb.fn.countAll<string>().as('records'),
      eb.fn.min('work_date').as('first_date'),
      eb.fn.max('work_date').as('last_date'),
    ])
    .where('volunteer_id', 'in', volunteerIds)
    .where('status', '=', 'APPROVED')
    .groupBy(['volunteer_id', year, 'direction', 'organization_id', 'opportunity_id'])
    .execute();
  return rows.map((r) => ({
    volunteerId: r.volunteer_id,
    year: Number(r.year),
    direction: r.direction,
    organizationId: r.organization_id,
    opportunityId: r.opportunity_id,
    minutes: int8ToCount(r.minutes),
    records: int8ToCount(r.records),
    firstDate: r.first_date,
    lastDate: r.last_date,
  }));
}

import type { Kysely, Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { ReadScope } from '../access.ts';
import type { CooperationDB, UnVolunteerAssignmentTable } from '../migrations/tables.ts';

export type AssignmentModality = 'NATIONAL' | 'INTERNATIONAL' | 'ONLINE';

/** A UN Volunteer assignment of one of the register's volunteers. */
export interface UnVolunteerAssignment {
  id: string;
  volunteerId: string;
  modality: AssignmentModality;
  hostEntity: string;
  hostPartnerId: string | null;
  dutyStation: string | null;
  dutyCountry: string | null;
  startsOn: string;
  endsOn: string;
  recordedAt: Date;
}

export function rowToAssignment(row: Selectable<UnVolunteerAssignmentTable>): UnVolunteerAssignment {
  return {
    id: row.id,
    volunteerId: row.volunteer_id,
    modality: row.modality,
    hostEntity: row.host_entity,
    hostPartnerId: row.host_partner_id,
    dutyStation: row.duty_station,
    dutyCountry: row.duty_country,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    recordedAt: row.recorded_at,
  };
}

export async function findAssignmentsById(db: Kysely<CooperationDB>, ids: readonly string[]): Promise<UnVolunteerAssignment[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('un_volunteer_assignments').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToAssignment);
}

export async function findAssignmentsOfVolunteers(
  db: Kysely<CooperationDB>,
  volunteerIds: readonly string[],
): Promise<UnVolunteerAssignment[]> {
  if (volunteerIds.length === 0) return [];
  const rows = await db
    .selectFrom('un_volunteer_assignments')
    .selectAll()
    .where('volunteer_id', 'in', volunteerIds)
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
  return rows.map(rowToAssignment);
}

export interface AssignmentFilter {
  modality?: AssignmentModality | undefined;
  hostPartnerId?: string | undefined;
  volunteerId?: string | undefined;
}

export type AssignmentKey = readonly [string, string];
export const assignmentCursor = (a: UnVolunteerAssignment): CursorKey => [a.startsOn, a.id];

/** One page of the assignments the scope may read, ordered by (starts_on, id). */
export async function listAssignments(
  db: Kysely<CooperationDB>,
  filter: AssignmentFilter,
  scope: ReadScope,
  page: Page<AssignmentKey>,
): Promise<UnVolunteerAssignment[]> {
  let query = db.selectFrom('un_volunteer_assignments').selectAll();
  if (!scope.all) {
    const { partnerId, volunteerId } = scope;
    if (!partnerId && !volunteerId) return [];
    query = query.where((eb) =>
      eb.or([
        ...(partnerId ? [eb('host_partner_id', '=', partnerId)] : []),
        ...(volunteerId ? [eb('volunteer_id', '=', volunteerId)] : []),
      ]),
    );
  }
  if (filter.modality) query = query.where('modality', '=', filter.modality);
  if (filter.hostPartnerId) query = query.where('host_partner_id', '=', filter.hostPartnerId);
  if (filter.volunteerId) query = query.where('volunteer_id', '=', filter.volunteerId);
  const rows = await keysetPage(query, page, ['starts_on', 'id']).execute();
  return rows.map(rowToAssignment);
}

export async function insertAssignment(
  db: Kysely<CooperationDB>,
  input: Omit<UnVolunteerAssignment, 'id' | 'recordedAt'> & { id?: string },
): Promise<UnVolunteerAssignment> {
  const row = await db
    .insertInto('un_volunteer_assignments')
    .values({
      ...(input.id ? { id: input.id } : {}),
      volunteer_id: input.volunteerId,
      modality: input.modality,
      host_entity: input.hostEntity,
      host_partner_id: input.hostPartnerId,
      duty_station: input.dutyStation,
      duty_country: input.dutyCountry,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToAssignment(row);
}

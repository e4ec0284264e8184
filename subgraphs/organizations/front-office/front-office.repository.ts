import { sql, type Kysely, type Selectable } from 'kysely';
import { distanceMetres, firstPerParent, int8ToCount, keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { FrontOfficeCapacityTable, FrontOfficeTable, FrontOfficeTrainingTable, OrganizationsDB } from '../migrations/tables.ts';

export interface Capacity {
  staff: number;
  trainers: number;
  equipmentItems: number;
}

export interface FrontOffice extends Capacity {
  id: string;
  name: string;
  regionCode: string | null;
  isNational: boolean;
  openedOn: string;
  /** The date of the snapshot the current capacity comes from. */
  capacityAsOf: string;
  directory: FrontOfficeDirectory;
}

/** The office's own details for visitors (no person's). */
export interface FrontOfficeDirectory {
  address: string | null;
  phone: string | null;
  email: string | null;
  openingHours: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface CapacitySnapshot extends Capacity {
  id: string;
  frontOfficeId: string;
  asOf: string;
  recordedAt: Date;
}

export interface Training {
  id: string;
  frontOfficeId: string;
  heldOn: string;
  topic: string;
  peopleTrained: number;
  recordedAt: Date;
}

export function rowToFrontOffice(row: Selectable<FrontOfficeTable>): FrontOffice {
  return {
    id: row.id,
    name: row.name,
    regionCode: row.region_code,
    isNational: row.region_code === null,
    openedOn: row.opened_on,
    staff: row.staff,
    trainers: row.trainers,
    equipmentItems: row.equipment_items,
    capacityAsOf: row.capacity_as_of,
    directory: {
      address: row.address,
      phone: row.phone,
      email: row.email,
      openingHours: row.opening_hours,
      latitude: row.latitude,
      longitude: row.longitude,
    },
  };
}

function rowToSnapshot(row: Selectable<FrontOfficeCapacityTable>): CapacitySnapshot {
  return {
    id: row.id,
    frontOfficeId: row.front_office_id,
    asOf: row.as_of,
    staff: row.staff,
    trainers: row.trainers,
    equipmentItems: row.equipment_items,
    recordedAt: row.recorded_at,
  };
}

function rowToTraining(row: Selectable<FrontOfficeTrainingTable>): Training {
  return {
    id: row.id,
    frontOfficeId: row.front_office_id,
    heldOn: row.held_on,
    topic: row.topic,
    peopleTrained: row.people_trained,
    recordedAt: row.recorded_at,
  };
}

export async function listFrontOffices(db: Kysely<OrganizationsDB>): Promise<FrontOffice[]> {
  // The national office first, then by region code.
  const rows = await db
    .selectFrom('front_offices')
    .selectAll()
    .orderBy('region_code', (ob) => ob.asc().nullsFirst())
    .execute();
  return rows.map(rowToFrontOffice);
}

/**
 * Every front-office, the nearest to a point first (haversine, in metres), those without a
 * location last; `limit` keeps that many. One statement.
 */
export async function listFrontOfficesNear(
  db: Kysely<OrganizationsDB>,
  point: { latitude: number; longitude: number },
  limit: number | null,
): Promise<(FrontOffice & { distanceMetres: number | null })[]> {
  const distance = distanceMetres('front_offices.latitude', 'front_offices.longitude', point);
  let query = db
    .selectFrom('front_offices')
    .selectAll()
    .select(distance.as('distance_metres'))
    .orderBy(distance, (ob) => ob.asc().nullsLast())
    .orderBy('region_code', (ob) => ob.asc().nullsFirst());
  if (limit !== null) query = query.limit(limit);
  const rows = await query.execute();
  return rows.map((row) => ({ ...rowToFrontOffice(row), distanceMetres: row.distance_metres }));
}

export async function updateDirectory(db: Kysely<OrganizationsDB>, id: string, directory: FrontOfficeDirectory): Promise<FrontOffice> {
  const row = await db
    .updateTable('front_offices')
    .set({
      address: directory.address,
      phone: directory.phone,
      email: directory.email,
      opening_hours: directory.openingHours,
      latitude: directory.latitude,
      longitude: directory.longitude,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToFrontOffice(row);
}

export async function findFrontOfficesById(db: Kysely<OrganizationsDB>, ids: readonly string[]): Promise<FrontOffice[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('front_offices').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToFrontOffice);
}

export async function findFrontOfficesByRegion(db: Kysely<OrganizationsDB>, codes: readonly string[]): Promise<FrontOffice[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('front_offices').selectAll().where('region_code', 'in', codes).execute();
  return rows.map(rowToFrontOffice);
}

export async function findNationalFrontOffice(db: Kysely<OrganizationsDB>): Promise<FrontOffice | null> {
  const row = await db.selectFrom('front_offices').selectAll().where('region_code', 'is', null).executeTakeFirst();
  return row ? rowToFrontOffice(row) : null;
}

/** Reads a front-office and locks its row: capacity records of one office queue behind each other. */
export async function lockFrontOffice(db: Kysely<OrganizationsDB>, id: string): Promise<FrontOffice | null> {
  const row = await db.selectFrom('front_offices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToFrontOffice(row) : null;
}

/** Opens a front-office: the row and the first snapshot of its capacity history, dated the opening day. */
export async function insertFrontOffice(
  db: Kysely<OrganizationsDB>,
  input: Capacity & { id?: string; name: string; regionCode: string | null; openedOn: string; directory?: FrontOfficeDirectory },
): Promise<FrontOffice> {
  const row = await db
    .insertInto('front_offices')
    .values({
      ...(input.id ? { id: input.id } : {}),
      name: input.name,
      region_code: input.regionCode,
      opened_on: input.openedOn,
      staff: input.staff,
      trainers: input.trainers,
      equipment_items: input.equipmentItems,
      capacity_as_of: input.openedOn,
      ...(input.directory
        ? {
            address: input.directory.address,
            phone: input.directory.phone,
            email: input.directory.email,
            opening_hours: input.directory.openingHours,
            latitude: input.directory.latitude,
            longitude: input.directory.longitude,
          }
        : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertCapacitySnapshot(db, { frontOfficeId: row.id, asOf: input.openedOn, ...input });
  return rowToFrontOffice(row);
}

export async function insertCapacitySnapshot(
  db: Kysely<OrganizationsDB>,
  input: Capacity & { frontOfficeId: string; asOf: string },
): Promise<CapacitySnapshot> {
  const row = await db
    .insertInto('front_office_capacity')
    .values({
      front_office_id: input.frontOfficeId,
      as_of: input.asOf,
      staff: input.staff,
      trainers: input.trainers,
      equipment_items: input.equipmentItems,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToSnapshot(row);
}

export async function findCapacitySnapshot(
  db: Kysely<OrganizationsDB>,
  frontOfficeId: string,
  asOf: string,
): Promise<CapacitySnapshot | null> {
  const row = await db
    .selectFrom('front_office_capacity')
    .selectAll()
    .where('front_office_id', '=', frontOfficeId)
    .where('as_of', '=', asOf)
    .executeTakeFirst();
  return row ? rowToSnapshot(row) : null;
}

/** Makes a snapshot the office's current capacity. */
export async function setCurrentCapacity(db: Kysely<OrganizationsDB>, snapshot: CapacitySnapshot): Promise<void> {
  await db
    .updateTable('front_offices')
    .set({ staff: snapshot.staff, trainers: snapshot.trainers, equipment_items: snapshot.equipmentItems, capacity_as_of: snapshot.asOf })
    .where('id', '=', snapshot.frontOfficeId)
    .execute();
}

/** Histories read newest first: the keyset is (date, id) descending. */
export type DatedKey = readonly [string, string];
export const capacityCursor = (s: CapacitySnapshot): CursorKey => [s.asOf, s.id];
export const trainingCursor = (t: Training): CursorKey => [t.heldOn, t.id];

export async function listCapacitySnapshots(
  db: Kysely<OrganizationsDB>,
  frontOfficeId: string,
  page: Page<DatedKey>,
): Promise<CapacitySnapshot[]> {
  const query = db.selectFrom('front_office_capacity').selectAll().where('front_office_id', '=', frontOfficeId);
  const rows = await keysetPage(query, page, ['as_of', 'id'], 'desc').execute();
  return rows.map(rowToSnapshot);
}

/** The newest `limit` snapshots of each office, in one statement. */
export async function firstCapacitySnapshotsOf(
  db: Kysely<OrganizationsDB>,
  frontOfficeIds: readonly string[],
  limit: number,
): Promise<CapacitySnapshot[]> {
  if (frontOfficeIds.length === 0) return [];
  const children = db.selectFrom('front_office_capacity').selectAll().where('front_office_id', 'in', frontOfficeIds);
  return (await firstPerParent(db, children, 'front_office_id', ['as_of', 'id'], 'desc', limit)).map(rowToSnapshot);
}

export async function insertTraining(
  db: Kysely<OrganizationsDB>,
  input: { id?: string; frontOfficeId: string; heldOn: string; topic: string; peopleTrained: number },
): Promise<Training> {
  const row = await db
    .insertInto('front_office_trainings')
    .values({
      ...(input.id ? { id: input.id } : {}),
      front_office_id: input.frontOfficeId,
      held_on: input.heldOn,
      topic: input.topic,
      people_trained: input.peopleTrained,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToTraining(row);
}

export async function listTrainings(db: Kysely<OrganizationsDB>, frontOfficeId: string, page: Page<DatedKey>): Promise<Training[]> {
  const query = db.selectFrom('front_office_trainings').selectAll().where('front_office_id', '=', frontOfficeId);
  const rows = await keysetPage(query, page, ['held_on', 'id'], 'desc').execute();
  return rows.map(rowToTraining);
}

/** The newest `limit` trainings of each office, in one statement. */
export async function firstTrainingsOf(db: Kysely<OrganizationsDB>, frontOfficeIds: readonly string[], limit: number): Promise<Training[]> {
  if (frontOfficeIds.length === 0) return [];
  const children = db.selectFrom('front_office_trainings').selectAll().where('front_office_id', 'in', frontOfficeIds);
  return (await firstPerParent(db, children, 'front_office_id', ['held_on', 'id'], 'desc', limit)).map(rowToTraining);
}

export interface TrainingYear {
  frontOfficeId: string;
  year: number;
  trainings: number;
  peopleTrained: number;
}

/** Trainings and people trained per office and year, in one statement. */
export async function trainingYears(db: Kysely<OrganizationsDB>, frontOfficeIds: readonly string[]): Promise<TrainingYear[]> {
  if (frontOfficeIds.length === 0) return [];
  const rows = await db
    .selectFrom('front_office_trainings')
    .select((eb) => [
      'front_office_id',
      sql<number>`extract(year from held_on)::integer`.as('year'),
      eb.fn.countAll<string>().as('trainings'),
      eb.fn.sum<string>('people_trained').as('people_trained'),
    ])
    .where('front_office_id', 'in', frontOfficeIds)
    .groupBy(['front_office_id', sql`extract(year from held_on)::integer`])
    .execute();
  return rows.map((r) => ({
    frontOfficeId: r.front_office_id,
    year: r.year,
    trainings: int8ToCount(r.trainings),
    peopleTrained: int8ToCount(r.people_trained),
  }));
}

import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, migrateToLatest, migrateToZero, type Database } from '../../subgraphs/kit/index.ts';
import { buildDemoPlan } from '../../subgraphs/kit/demo-plan.ts';
import { seedDemo } from '../../subgraphs/organizations/demo.ts';
import { migrations } from '../../subgraphs/organizations/migrations/index.ts';

/**
 * The one test that goes without the gateway: the organizations migrations
 * straight on a database (PGlite in memory, or a throwaway schema on
 * TEST_DATABASE_URL): up, down to zero, up again; and the second migration
 * backfilling rows the first one holds.
 */
const url = process.env.TEST_DATABASE_URL || undefined;
const schema = url ? `m${randomBytes(3).toString('hex')}_organizations` : 'organizations';
let database: Database<any>;
let db: Kysely<any>;

beforeAll(async () => {
  database = await createDatabase<any>({ schema, url, templateFile: url ? undefined : inject('pgliteTemplate') });
  db = database.db;
});
afterAll(async () => {
  if (url) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
  await database?.close();
});

async function tables(): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = ${schema} and table_name not like 'kysely_migration%' order by table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

async function columns(table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = ${schema} and table_name = ${table} order by column_name`.execute(db);
  return rows.map((r) => r.column_name);
}

async function indexes(): Promise<string[]> {
  const { rows } = await sql<{
    indexname: string;
  }>`select indexname from pg_indexes where schemaname = ${schema} order by indexname`.execute(db);
  return rows.map((r) => r.indexname);
}

describe('organizations migrations', () => {
  it('go up, down to zero and up again to the same tables, columns and indexes', async () => {
    expect(await migrateToLatest(db, schema, migrations)).toEqual(Object.keys(migrations));
    const afterUp = { tables: await tables(), organizations: await columns('organizations'), indexes: await indexes() };
    expect(afterUp.tables).toEqual([
      'audit_log',
      'front_office_capacity',
      'front_office_trainings',
      'front_offices',
      'opportunities',
      'organization_status_changes',
      'organizations',
      'regions',
    ]);
    expect(afterUp.organizations).toEqual(expect.arrayContaining(['contact_phone', 'contact_email', 'contact_address', 'contact_person']));
    const regions = await db.selectFrom('regions').select(['code', 'iso', 'kind', 'name_kk', 'name_ru', 'name_en']).execute();
    expect(regions).toHaveLength(20);
    expect(regions.find((r) => r.code === '710000000')).toEqual({
      code: '710000000',
      iso: 'KZ-71',
      kind: 'CITY',
      name_kk: 'Астана',
      name_ru: 'Астана',
      name_en: 'Astana',
    });
    expect(
      regions
        .filter((r) => r.kind === 'CITY')
        .map((r) => r.code)
        .sort(),
    ).toEqual(['710000000', '750000000', '790000000']);

    expect(await migrateToZero(db, schema, migrations)).toEqual(Object.keys(migrations).reverse());
    expect(await tables()).toEqual([]);

    expect(await migrateToLatest(db, schema, migrations)).toEqual(Object.keys(migrations));
    expect({ tables: await tables(), organizations: await columns('organizations'), indexes: await indexes() }).toEqual(afterUp);
    expect(await migrateToLatest(db, schema, migrations)).toEqual([]);
  });

  it('reverting the second migration restores the tables of the first exactly', async () => {
    await migrateToZero(db, schema, migrations);
    const [first] = Object.entries(migrations);
    await migrateToLatest(db, schema, Object.fromEntries([first!]));
    const initial = { tables: await tables(), organizations: await columns('organizations'), frontOffices: await columns('front_offices') };
    await migrateToLatest(db, schema, migrations);
    await migrateToZero(db, schema, migrations); // down through both
    await migrateToLatest(db, schema, Object.fromEntries([first!]));
    expect({ tables: await tables(), organizations: await columns('organizations'), frontOffices: await columns('front_offices') }).toEqual(
      initial,
    );
  });

  it('backfills histories for rows that existed before the second migration', async () => {
    await migrateToZero(db, schema, migrations);
    const [first] = Object.entries(migrations);
    await migrateToLatest(db, schema, Object.fromEntries([first!]));
    await sql`
      insert into organizations (id, bin, name, kind, region_code, directions, status, status_reason, registered_at, status_changed_at)
      values ('00000000-0000-4000-8000-000000000001', null, 'Old group', 'VOLUNTEER_GROUP', '710000000', '{UMIT}', 'SUSPENDED', 'No report', '2024-01-01', '2024-06-01');
      insert into front_offices (id, name, region_code, staff, trainers, equipment_items)
      values ('00000000-0000-4000-8000-000000000002', 'Old office', '750000000', 3, 1, 7);
      insert into opportunities (organization_id, title, description, region_code, starts_on, ends_on, direction, places_available, minimum_age, status, created_at)
      values ('00000000-0000-4000-8000-000000000001', 'Old', 'Old', '710000000', '2024-02-01', '2024-02-02', 'UMIT', 5, 16, 'CLOSED', '2024-01-15');
    `.execute(db);

    await migrateToLatest(db, schema, migrations);

    const history = await db
      .selectFrom('organization_status_changes')
      .select(['status', 'reason', 'changed_at'])
      .orderBy('changed_at')
      .execute();
    expect(history.map((h) => [h.status, h.reason])).toEqual([
      ['REGISTERED', 'Entered in the register'],
      ['SUSPENDED', 'No report'],
    ]);
    const office = await db.selectFrom('front_offices').selectAll().executeTakeFirstOrThrow();
    expect(office.capacity_as_of).toBe(office.opened_on);
    const snapshots = await db.selectFrom('front_office_capacity').select(['as_of', 'staff', 'trainers', 'equipment_items']).execute();
    expect(snapshots).toEqual([{ as_of: office.opened_on, staff: 3, trainers: 1, equipment_items: 7 }]);
    const opportunity = await db.selectFrom('opportunities').select(['status_changed_at', 'created_at']).executeTakeFirstOrThrow();
    expect(opportunity.status_changed_at).toEqual(opportunity.created_at);
  });

  it('keeps the demo loader working on the migrated schema, once', async () => {
    await migrateToZero(db, schema, migrations);
    await migrateToLatest(db, schema, migrations);
    const plan = buildDemoPlan(20);
    expect(await seedDemo(db, plan)).toBe(true);
    expect(await seedDemo(db, plan)).toBe(false);
    const count = async (table: string) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('organizations')).toBe(plan.organizations.length);
    expect(await count('front_offices')).toBe(plan.frontOffices.length);
    expect(await count('opportunities')).toBe(plan.opportunities.length + plan.upcomingOpportunities.length);
    // Three snapshots per office, the latest being the plan's figures.
    expect(await count('front_office_capacity')).toBe(plan.frontOffices.length * 3);
    const national = await db.selectFrom('front_offices').selectAll().where('region_code', 'is', null).executeTakeFirstOrThrow();
    const planned = plan.frontOffices.find((f) => f.regionCode === null)!;
    expect([national.staff, national.trainers, national.equipment_items]).toEqual([
      planned.staff,
      planned.trainers,
      planned.equipmentItems,
    ]);
    expect(await count('front_office_trainings')).toBeGreaterThanOrEqual(plan.frontOffices.length * 4);
    expect(await count('organization_status_changes')).toBe(plan.organizations.length + 2);
  });
});

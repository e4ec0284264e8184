import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase, migrateToLatest, migrateToZero } from '../../subgraphs/kit/index.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';
import { loadSubgraph } from '../../subgraphs/servers.ts';

const url = process.env.TEST_DATABASE_URL || undefined;

describe.each(SUBGRAPHS.map((s) => [s.name, s] as const))('migrations of %s', (_name, entry) => {
  it('go up, down to zero, and up again to the same tables', async () => {
    const schema = url ? `m${randomBytes(3).toString('hex')}_${entry.name}` : entry.dbSchema;
    const database = await createDatabase<any>({ schema, url, templateFile: url ? undefined : inject('pgliteTemplate') });
    const { migrations } = await loadSubgraph(entry.name);
    const tables = async () =>
      (
        await sql<{ table_name: string }>`
          select table_name from information_schema.tables
          where table_schema = ${schema} and table_name not like 'kysely_migration%'
          order by table_name`.execute(database.db)
      ).rows.map((r) => r.table_name);
    try {
      const applied = await migrateToLatest(database.db, schema, migrations);
      expect(applied).toEqual(Object.keys(migrations));
      const afterUp = await tables();
      expect(afterUp.length).toBeGreaterThan(0);
      expect(afterUp).toContain('audit_log');

      const reverted = await migrateToZero(database.db, schema, migrations);
      expect(reverted).toEqual(Object.keys(migrations).reverse());
      expect(await tables()).toEqual([]);

      await migrateToLatest(database.db, schema, migrations);
      expect(await tables()).toEqual(afterUp);
      expect(await migrateToLatest(database.db, schema, migrations)).toEqual([]);
    } finally {
      if (url) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
    }
  });
});

describe.skipIf(!url)('migrations of replicas starting together (PostgreSQL)', () => {
  it('run once: the schema advisory lock queues the second replica, which then finds nothing to apply', async () => {
    const entry = SUBGRAPHS.find((s) => s.name === 'organizations')!;
    const schema = `m${randomBytes(3).toString('hex')}_organizations`;
    const { migrations } = await loadSubgraph(entry.name);
    // Two pools, as two processes would have; both create the schema and migrate at the same moment.
    const replicas = await Promise.all([createDatabase<any>({ schema, url }), createDatabase<any>({ schema, url })]);
    try {
      const applied = await Promise.all(replicas.map((r) => migrateToLatest(r.db, schema, migrations)));
      expect(applied.map((names) => names.length).sort()).toEqual([0, Object.keys(migrations).length]);
      const { rows } = await sql<{ name: string; n: number }>`
        select name, count(*)::int as n from ${sql.id(schema, 'kysely_migration')} group by name`.execute(replicas[0]!.db);
      expect(rows.length).toBe(Object.keys(migrations).length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(replicas[0]!.db);
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});

describe('the active-volunteers migration of volunteers', () => {
  it('backfills the counts from the approved records an upgraded database already holds', async () => {
    const { migrations } = await import('../../subgraphs/volunteers/migrations/index.ts');
    const { rebuildActiveVolunteers } = await import('../../subgraphs/volunteers/totals/active-volunteers.repository.ts');
    const schema = url ? `m${randomBytes(3).toString('hex')}_volunteers` : 'volunteers';
    const database = await createDatabase<any>({ schema, url, templateFile: url ? undefined : inject('pgliteTemplate') });
    const db = database.db;
    const names = Object.keys(migrations);
    // Up to the migration under test (later ones may follow it).
    const at = names.indexOf('20261201000000-active-volunteers');
    expect(at).toBeGreaterThan(0);
    const upTo = (n: number) => Object.fromEntries(Object.entries(migrations).slice(0, n));
    try {
      await migrateToLatest(db, schema, upTo(at));
      // A turns 18 in 2026 (17 on 31 December 2025); B is 36 in 2026.
      await sql`
        insert into volunteers (id, iin, first_name, last_name, birth_date, sex, region_code, registered_by) values
          ('00000000-0000-4000-8000-0000000000a1', '081231500001', 'A', 'A', '2008-12-31', 'MALE', '710000000', 'FRONT_OFFICE'),
          ('00000000-0000-4000-8000-0000000000b2', '900101400002', 'B', 'B', '1990-01-01', 'FEMALE', '750000000', 'FRONT_OFFICE');
        insert into hour_records (volunteer_id, organization_id, work_date, minutes, region_code, activity_type, direction, setting, source, status)
        select v, '00000000-0000-4000-8000-00000000000f', d::date, 60, r, 'OTHER', 'UMIT', 'ORGANIZATION_BASED', 'COORDINATOR', s
        from (values
          ('00000000-0000-4000-8000-0000000000a1'::uuid, '2025-03-01', '710000000', 'APPROVED'),
          ('00000000-0000-4000-8000-0000000000a1'::uuid, '2025-04-01', '710000000', 'APPROVED'),
          ('00000000-0000-4000-8000-0000000000a1'::uuid, '2026-02-01', '710000000', 'APPROVED'),
          ('00000000-0000-4000-8000-0000000000a1'::uuid, '2026-02-02', '750000000', 'DECLINED'),
          ('00000000-0000-4000-8000-0000000000a1'::uuid, '2026-02-03', '750000000', 'VOIDED'),
          ('00000000-0000-4000-8000-0000000000b2'::uuid, '2026-05-01', '750000000', 'APPROVED'),
          ('00000000-0000-4000-8000-0000000000b2'::uuid, '2026-05-02', '710000000', 'PENDING')
        ) as t (v, d, r, s);
      `.execute(db);

      expect(await migrateToLatest(db, schema, upTo(at + 1))).toEqual(['20261201000000-active-volunteers']);
      const read = async () => ({
        volunteers: (
          await sql`select volunteer_id::text, year, region_code, approved_records from volunteer_region_year order by 1, 2, 3`.execute(db)
        ).rows,
        bands: (await sql`select year, region_code, age_band, volunteers from region_age_band_year order by 1, 2, 3`.execute(db)).rows,
      });
      const backfilled = await read();
      expect(backfilled).toEqual({
        volunteers: [
          { volunteer_id: '00000000-0000-4000-8000-0000000000a1', year: 2025, region_code: '710000000', approved_records: 2 },
          { volunteer_id: '00000000-0000-4000-8000-0000000000a1', year: 2026, region_code: '710000000', approved_records: 1 },
          { volunteer_id: '00000000-0000-4000-8000-0000000000b2', year: 2026, region_code: '750000000', approved_records: 1 },
        ],
        bands: [
          { year: 2025, region_code: '710000000', age_band: 'AGE_14_17', volunteers: 1 },
          { year: 2026, region_code: '710000000', age_band: 'AGE_18_29', volunteers: 1 },
          { year: 2026, region_code: '750000000', age_band: 'AGE_30_44', volunteers: 1 },
        ],
      });
      // The service's rebuild (same definition, bands from the code) agrees with the migration's backfill.
      await rebuildActiveVolunteers(db);
      expect(await read()).toEqual(backfilled);
    } finally {
      if (url) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      await database.close();
    }
  });
});

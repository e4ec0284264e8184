import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase, migrateToLatest, migrateToZero } from '../../subgraphs/kit/index.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';

const url = process.env.TEST_DATABASE_URL || undefined;

describe.each(SUBGRAPHS.map((s) => [s.name, s] as const))('migrations of %s', (_name, entry) => {
  it('go up, down to zero, and up again to the same tables', async () => {
    const schema = url ? `m${randomBytes(3).toString('hex')}_${entry.name}` : entry.dbSchema;
    const database = await createDatabase<any>({ schema, url, templateFile: url ? undefined : inject('pgliteTemplate') });
    const { migrations } = await entry.load();
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

import { Migrator, NO_MIGRATIONS, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

/** The explicit, ordered list of a subgraph's migrations: name -> module. */
export type MigrationIndex = Record<string, Migration>;

function migratorFor(db: Kysely<any>, schema: string, migrations: MigrationIndex): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
}

function unwrap(result: MigrationResultSet, what: string): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error : new Error(String(result.error));
    throw new Error(`${what} failed${failed ? ` at ${failed.migrationName}` : ''}: ${cause.message}`, { cause });
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>, schema: string, migrations: MigrationIndex): Promise<string[]> {
  return unwrap(await migratorFor(db, schema, migrations).migrateToLatest(), `migrating ${schema}`);
}

/** Reverts every migration (down to zero); returns the names reverted. */
export async function migrateToZero(db: Kysely<any>, schema: string, migrations: MigrationIndex): Promise<string[]> {
  return unwrap(await migratorFor(db, schema, migrations).migrateTo(NO_MIGRATIONS), `reverting ${schema}`);
}

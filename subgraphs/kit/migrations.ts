import { Migrator, NO_MIGRATIONS, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

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

/** The advisory-lock key of a subgraph schema's migrations (the same on every replica). */
export const migrationLockKey = (schema: string): string => `volunteer-graph:migrate:${schema}`;

/**
 * Runs `work` holding the PostgreSQL advisory lock of the schema's migrations, on
 * one connection: replicas of a subgraph starting together on an empty database
 * queue here, the first migrates, the others then find nothing to do. (kysely's
 * own migration lock is taken only after the migration tables are created, and
 * is one lock for every schema.) On PGlite, one process, the lock is free.
 */
export async function withMigrationLock<T>(db: Kysely<any>, schema: string, work: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const key = migrationLockKey(schema);
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(connection);
    }
  });
}

/** Applies every pending migration, under the schema's migration lock; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>, schema: string, migrations: MigrationIndex): Promise<string[]> {
  return withMigrationLock(db, schema, async (connection) =>
    unwrap(await migratorFor(connection, schema, migrations).migrateToLatest(), `migrating ${schema}`),
  );
}

/** Reverts every migration (down to zero), under the schema's migration lock; returns the names reverted. */
export async function migrateToZero(db: Kysely<any>, schema: string, migrations: MigrationIndex): Promise<string[]> {
  return withMigrationLock(db, schema, async (connection) =>
    unwrap(await migratorFor(connection, schema, migrations).migrateTo(NO_MIGRATIONS), `reverting ${schema}`),
  );
}

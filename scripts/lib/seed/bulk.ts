import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { TYPE_PARSERS } from '../../../subgraphs/kit/index.ts';
import { PGliteDialect } from '../../../subgraphs/kit/pglite-dialect.ts';
import { copyChunks, copyFromStdin, type CopyValue } from './copy.ts';

/**
 * Where bulk rows go. Three ways, one interface:
 * - `postgres`: one `pg` client, `COPY … FROM STDIN` (text format), the whole load in one transaction;
 * - `pglite`: one PGlite instance, `COPY … FROM '/dev/blob'` per chunk of rows, in one transaction;
 * - `insert`: any Kysely (tests use the harness's), multi-row INSERT batches — nearly as fast, no COPY needed.
 * `db` runs in the same session, so rollups rebuilt through it see the uncommitted rows.
 */
export interface BulkTarget {
  readonly method: 'copy (postgres)' | 'copy (pglite)' | 'insert batches';
  readonly db: Kysely<any>;
  /** Appends rows to a table; returns how many. `onRow` is called once per row (progress). */
  copy(table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>, onRow?: () => void): Promise<number>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

/** The kit's type parsers (int8, numeric and date → exact text). */
const PARSERS = TYPE_PARSERS;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A pool of one: Kysely over a single client, so its statements share the session (and the transaction). */
function singleClientPool(client: pg.Client) {
  const wrapped = { query: (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown)(...args), release: () => {} };
  return { connect: async () => wrapped, end: async () => {} };
}

export async function postgresTarget(url: string, schema: string): Promise<BulkTarget> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const client = new pg.Client({
    connectionString: url,
    options: `-c search_path=${schema}`,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: singleClientPool(client) as never }) });
  return {
    method: 'copy (postgres)',
    db,
    copy: (table, columns, rows, onRow) => copyFromStdin(client, table, columns, copyChunks(rows, onRow)),
    async begin() {
      await client.query('begin');
      // A bulk load can be redone from scratch; no need to wait for each flush. Big sorts for index builds and rollups.
      await client.query(`set local synchronous_commit = off; set local work_mem = '256MB'; set local maintenance_work_mem = '512MB'`);
    },
    commit: async () => void (await client.query('commit')),
    rollback: async () => void (await client.query('rollback')),
    close: async () => void (await client.end()),
  };
}

export async function pgliteTarget(dataDir: string, schema: string): Promise<BulkTarget> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${schema}`);
  mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir, parsers: PARSERS });
  await pglite.waitReady;
  await pglite.exec(`create schema if not exists "${schema}"; set search_path to "${schema}";`);
  const db = new Kysely<any>({ dialect: new PGliteDialect(pglite, schema) });
  return {
    method: 'copy (pglite)',
    db,
    async copy(table, columns, rows, onRow) {
      let copied = 0;
      // PGlite reads a COPY source from the virtual file /dev/blob, one Blob per statement.
      for (const chunk of copyChunks(rows, onRow, 8 << 20)) {
        const result = await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob: new Blob([chunk]) });
        copied += result.affectedRows ?? 0;
      }
      return copied;
    },
    begin: async () => void (await pglite.exec('begin')),
    commit: async () => void (await pglite.exec('commit')),
    rollback: async () => void (await pglite.exec('rollback')),
    close: async () => {
      await db.destroy();
    },
  };
}

/** Multi-row INSERT batches through any Kysely (the test harness's database, say); columns typed by their targets. */
export function insertTarget(db: Kysely<any>, batchRows = 1_000): BulkTarget {
  return {
    method: 'insert batches',
    db,
    async copy(table, columns, rows, onRow) {
      const perBatch = Math.max(1, Math.min(batchRows, Math.floor(60_000 / columns.length)));
      let batch: (readonly CopyValue[])[] = [];
      let copied = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const values = batch.map((row) => sql`(${sql.join(row.map((v) => sql`${v instanceof Array ? [...v] : (v ?? null)}`))})`);
        await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(db);
        copied += batch.length;
        batch = [];
      };
      for (const row of rows) {
        batch.push(row);
        onRow?.();
        if (batch.length >= perBatch) await flush();
      }
      await flush();
      return copied;
    },
    // The caller owns the session; the rows land as they go.
    begin: async () => {},
    commit: async () => {},
    rollback: async () => {},
    close: async () => {},
  };
}

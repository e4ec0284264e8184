import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import {
  Kysely,
  PostgresDialect,
  sql,
  type ColumnType,
  type DatabaseIntrospector,
  type RawBuilder,
  type LogEvent,
  type PostgresDialectConfig,
} from 'kysely';
import pg from 'pg';
import { SchemaScopedIntrospector } from './introspector.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { invariant } from '../../platform/invariant.ts';
import { migrationLockKey } from './migrations.ts';

/** PostgreSQL type OIDs whose parsing we make identical on `pg` and PGlite. */
const OID = { int8: 20, numeric: 1700, date: 1082 } as const;

/**
 * int8 (bigint columns, count(*), sum of integers) and numeric (sum of bigints)
 * come back as their exact decimal text on both drivers, never as a JS number:
 * a sum of money or minutes may pass 2^53 and must not be rounded or refused.
 * Repositories read them with `int8ToBigInt` (money, minutes) or `int8ToCount`
 * (counts of rows, which a JS number holds exactly).
 */
export const TYPE_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [OID.int8]: (text) => text,
  [OID.numeric]: (text) => text, // exact decimal: kept as a string
  [OID.date]: (text) => text, // a calendar day, 'YYYY-MM-DD', never a JS Date in local time
};

/**
 * A bigint column as kysely sees it: read as exact decimal text; written as the
 * text of a BigInt (or a small integer), so no value passes through a float.
 */
export type Int8 = ColumnType<string, string | number, string | number | RawBuilder<unknown>>;
export type GeneratedInt8 = ColumnType<string, string | number | undefined, string | number | RawBuilder<unknown>>;

const INTEGER_TEXT = /^-?\d+$/;

/** An int8 or an integral numeric (a sum) as a BigInt; null (a sum of no rows) is 0. */
export function int8ToBigInt(value: string | number | bigint | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    invariant(Number.isSafeInteger(value), `${value} is not an exact integer`);
    return BigInt(value);
  }
  invariant(INTEGER_TEXT.test(value), `${value} is not an integer`);
  return BigInt(value);
}

/** A count of rows (count(*), an int8 counter) as a number: far below 2^53, checked all the same. */
export function int8ToCount(value: string | number | bigint | null | undefined): number {
  const count = int8ToBigInt(value);
  invariant(
    count <= BigInt(Number.MAX_SAFE_INTEGER) && count >= -BigInt(Number.MAX_SAFE_INTEGER),
    `count ${count} is outside the safe integer range`,
  );
  return Number(count);
}

export interface DatabaseOptions {
  /** The PostgreSQL schema the subgraph owns; set as the connection's search_path. */
  schema: string;
  /** A PostgreSQL URL. Without one, PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; without one, PGlite runs in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-folder dump to start from (fast in tests). */
  templateFile?: string | undefined;
  /** Maximum connections of the pg pool. @default 10 */
  poolSize?: number | undefined;
  /** Called for every statement and error kysely runs. */
  onLog?: ((event: LogEvent) => void) | undefined;
}

export interface StatementCounter {
  /** Statements run since start (or since the last reset). */
  count: number;
  reset(): void;
}

/** A LISTEN on one channel; `close` stops it. */
export interface Listener {
  close(): Promise<void>;
}

export interface Database<DB> {
  db: Kysely<DB>;
  schema: string;
  driver: 'pglite' | 'postgres';
  statements: StatementCounter;
  /**
   * LISTEN on a channel: `onNotify` gets each payload NOTIFY sends, after the
   * sending transaction commits (never for one that rolled back). On PostgreSQL
   * a dedicated connection (reconnected when lost; `onReconnect` then runs, so the
   * caller can catch up on what it missed); on PGlite in-process.
   */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<Listener>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Builds the subgraph's Kysely bound to its own schema, on PostgreSQL or PGlite. */
export async function createDatabase<DB>(options: DatabaseOptions): Promise<Database<DB>> {
  const { schema } = options;
  invariant(SCHEMA_NAME.test(schema), `invalid schema name ${schema}`);
  const statements: StatementCounter = {
    count: 0,
    reset() {
      this.count = 0;
    },
  };
  const log = (event: LogEvent): void => {
    if (event.level === 'query') statements.count += 1;
    options.onLog?.(event);
  };

  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      options: `-c search_path=${schema}`,
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<DB>({ dialect: new SchemaScopedPostgresDialect({ pool }, schema), log });
    // Replicas starting together: one creates the schema, under the lock its migrations take (concurrent
    // `create schema if not exists` can fail on the catalog's unique index).
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${migrationLockKey(schema)}))`.execute(trx);
      await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
    });
    const listeners = new Set<Listener>();
    const url = options.url;
    return {
      db,
      schema,
      driver: 'postgres',
      statements,
      async listen(channel, onNotify, onReconnect) {
        const listener = await listenOnPostgres(url, channel, onNotify, onReconnect);
        listeners.add(listener);
        return { close: async () => (listeners.delete(listener), listener.close()) };
      },
      close: async () => {
        await Promise.all([...listeners].map((l) => l.close()));
        await db.destroy();
      },
    };
  }

  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const loadDataDir = options.templateFile && !options.dataDir ? new Blob([await readFile(options.templateFile)]) : undefined;
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: TYPE_PARSERS,
  });
  await pglite.waitReady;
  await pglite.exec(`create schema if not exists "${schema}"; set search_path to "${schema}";`);
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite, schema), log });
  return {
    db,
    schema,
    driver: 'pglite',
    statements,
    async listen(channel, onNotify) {
      // PGlite delivers notifications in-process, after the notifying transaction commits.
      const unlisten = await pglite.listen(channel, onNotify);
      return { close: () => unlisten() };
    },
    close: () => db.destroy(),
  };
}

/** LISTEN on a dedicated connection, reconnected with a growing pause when it is lost. */
async function listenOnPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onReconnect?: () => void,
): Promise<Listener> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let pause = 250;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    next.on('error', () => reconnect(next));
    next.on('end', () => reconnect(next));
    await next.connect();
    await next.query(`listen "${channel.replaceAll('"', '""')}"`);
    client = next;
    pause = 250;
  };
  const reconnect = (lost: pg.Client): void => {
    if (closed || client !== lost) return;
    client = undefined;
    void lost.end().catch(() => {});
    const attempt = () => {
      retry = undefined;
      if (closed) return;
      connect().then(
        () => onReconnect?.(),
        () => {
          pause = Math.min(pause * 2, 10_000);
          retry = setTimeout(attempt, pause);
        },
      );
    };
    retry = setTimeout(attempt, pause);
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

/** kysely's PostgreSQL dialect, introspecting only the subgraph's own schema. */
class SchemaScopedPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SchemaScopedIntrospector(db, this.schema);
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createDatabase, dataDir, migrateToLatest } from '../../../subgraphs/kit/index.ts';
import { SUBGRAPHS, subgraphDatabaseUrl, type SubgraphEntry, type SubgraphName } from '../../../subgraphs/registry.ts';
import { loadSubgraph, seedSubgraphDemo } from '../../../subgraphs/servers.ts';
import { pgliteTarget, postgresTarget, type BulkTarget } from './bulk.ts';
import { cooperationSeeder } from './cooperation.ts';
import { donationsSeeder } from './donations.ts';
import { organizationsSeeder } from './organizations.ts';
import { checkInvariants, type RuleResult, type SubgraphDatabases } from './check.ts';
import { roadmapSeeder } from './roadmap.ts';
import { buildSeedPlan, type SeedPlan } from './plan.ts';
import type { Progress } from './progress.ts';
import { SCALES, type Scale, type ScaleName } from './scales.ts';
import type { SubgraphSeeder } from './seeder.ts';
import { volunteersSeeder } from './volunteers.ts';

export const SEEDERS: Record<SubgraphName, SubgraphSeeder> = {
  organizations: organizationsSeeder,
  volunteers: volunteersSeeder,
  donations: donationsSeeder,
  cooperation: cooperationSeeder,
  roadmap: roadmapSeeder,
};

/**
 * Appends a subgraph's generated rows and rebuilds its rollups, in one
 * transaction of the target (a PostgreSQL or PGlite session; a Kysely
 * target writes as it goes), and records the load in the subgraph's audit log.
 */
export async function loadGenerated(seeder: SubgraphSeeder, target: BulkTarget, plan: SeedPlan, progress: Progress): Promise<void> {
  await target.begin();
  try {
    // Foreign keys hold by construction; skipping their per-row triggers during the load is a bulk loader's privilege (superuser only).
    if (target.method !== 'insert batches')
      await sql`set local session_replication_role = replica`.execute(target.db).catch(() => undefined);
    await seeder.load(target, plan, progress);
    const phase = progress.phase('rollups rebuilt from the rows', 1);
    if (target.method !== 'insert batches')
      await sql`set local session_replication_role = origin`.execute(target.db).catch(() => undefined);
    await seeder.rebuild(target.db);
    phase.tick();
    phase.done();
    await sql`
      insert into audit_log (request_id, actor_kind, actor_subject, action, entity, entity_id, details)
      values (${`seed:${plan.scale.name}`}, 'service', 'npm run seed', 'seed.bulk-load', 'DataSet', ${plan.scale.name},
              ${JSON.stringify({ scale: plan.scale, method: target.method })}::jsonb)`.execute(target.db);
    await target.commit();
  } catch (error) {
    await target.rollback().catch(() => undefined);
    throw error;
  }
}

export interface SeedOptions {
  scale: ScaleName;
  /** Drop each subgraph's schema first (its data and migrations), then load. */
  reset: boolean;
  /** Only these subgraphs. @default all */
  only?: SubgraphName[];
  progress: Progress;
  env?: NodeJS.ProcessEnv;
}

export interface SubgraphSeedResult {
  name: SubgraphName;
  driver: 'postgres' | 'pglite';
  method: string;
  seconds: number;
  rows: Record<string, number>;
}

/** Raised when a subgraph already holds data and --reset was not given: nothing has been written. */
export class AlreadySeeded extends Error {}

/** Which subgraph databases hold data already, and the data set recorded there (if the seed loaded it). */
async function describeExisting(db: Kysely<any>, schema: string, markerTable: string): Promise<string | null> {
  const { rows } = await sql<{ exists: boolean }>`select to_regclass(${`${schema}.${markerTable}`}) is not null as exists`.execute(db);
  if (!rows[0]?.exists) return null;
  const { rows: any } = await sql<{ one: number }>`select 1 as one from ${sql.table(markerTable)} limit 1`.execute(db);
  if (any.length === 0) return null;
  const { rows: marks } = await sql<{ entity_id: string; at: Date }>`
    select entity_id, at from audit_log where action = 'seed.bulk-load' order by at desc limit 1`
    .execute(db)
    .catch(() => ({ rows: [] as { entity_id: string; at: Date }[] }));
  const mark = marks[0];
  return mark
    ? `the ${mark.entity_id} data set (loaded ${mark.at.toISOString().slice(0, 16)}Z)`
    : 'the demo data set or data entered through the API';
}

async function openDatabase(entry: SubgraphEntry, env: NodeJS.ProcessEnv) {
  const url = subgraphDatabaseUrl(entry, env);
  return { url, dataDir: join(dataDir(env), entry.name) };
}

/** Row counts of a subgraph's tables (its own schema), for the summary. */
async function countRows(db: Kysely<any>, schema: string): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' and table_name not like 'kysely_%' order by table_name`.execute(
    db,
  );
  const out: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t.table_name)}`.execute(db);
    out[t.table_name] = rows[0]?.n ?? 0;
  }
  return out;
}

/**
 * Loads a data set into every subgraph's own database and schema: migrations,
 * the demo data (through the subgraph's demo loader), then — beyond `demo` —
 * the generated rows in bulk, the rollups rebuilt from them, and an audit entry
 * recording the load, all in one transaction per subgraph. Refuses to write
 * anything when a subgraph already holds data, unless `reset`.
 */
export async function seed(options: SeedOptions): Promise<SubgraphSeedResult[]> {
  const env = options.env ?? process.env;
  const entries = SUBGRAPHS.filter((s) => !options.only || options.only.includes(s.name));
  const scale: Scale | null = options.scale === 'demo' ? null : SCALES[options.scale];
  const { progress } = options;

  // First look at every database, so that a refusal leaves all of them untouched.
  if (!options.reset) {
    const occupied: string[] = [];
    for (const entry of entries) {
      const { url, dataDir } = await openDatabase(entry, env);
      if (!url && !existsSync(dataDir)) continue; // a PGlite folder not created yet holds nothing
      const database = await createDatabase({ schema: entry.dbSchema, url, dataDir: url ? undefined : dataDir, poolSize: 1 });
      try {
        const existing = await describeExisting(database.db, entry.dbSchema, SEEDERS[entry.name].markerTable);
        if (existing) occupied.push(`${entry.name} holds ${existing}`);
      } finally {
        await database.close();
      }
    }
    if (occupied.length > 0) {
      throw new AlreadySeeded(
        `${occupied.join('; ')}. Nothing was written. Run with --reset to replace the data (it drops each subgraph's schema).`,
      );
    }
  }

  let plan: SeedPlan | null = null;
  if (scale) {
    const started = performance.now();
    plan = buildSeedPlan(scale);
    progress.note(
      `plan: ${plan.organizations.length} organizations, ${plan.opportunities.length} opportunities, ${plan.volunteerCount + plan.demo.volunteers.length} volunteers, ${plan.grants.length} grants (${Math.round(performance.now() - started)} ms)`,
    );
  }

  const results: SubgraphSeedResult[] = [];
  for (const entry of entries) {
    const started = performance.now();
    const { url, dataDir } = await openDatabase(entry, env);
    const seeder = SEEDERS[entry.name];
    const definition = await loadSubgraph(entry.name);
    progress.note(`${entry.name} (${url ? 'PostgreSQL' : `PGlite at ${dataDir}`}, schema ${entry.dbSchema})`);
    let target: BulkTarget;
    if (url) {
      // Migrations and the demo through the kit's database, as `npm start` does; the bulk load on one client after.
      const database = await createDatabase({ schema: entry.dbSchema, url, poolSize: 2 });
      try {
        if (options.reset) {
          await sql`drop schema if exists ${sql.id(entry.dbSchema)} cascade`.execute(database.db);
          await sql`create schema ${sql.id(entry.dbSchema)}`.execute(database.db);
        }
        await migrateToLatest(database.db, entry.dbSchema, definition.migrations);
        await seedSubgraphDemo(entry.name, database.db);
      } finally {
        await database.close();
      }
      target = await postgresTarget(url, entry.dbSchema);
    } else {
      target = await pgliteTarget(dataDir, entry.dbSchema);
      if (options.reset) {
        await sql`drop schema if exists ${sql.id(entry.dbSchema)} cascade`.execute(target.db);
        await sql`create schema ${sql.id(entry.dbSchema)}`.execute(target.db);
        await sql`set search_path to ${sql.id(entry.dbSchema)}`.execute(target.db);
      }
      await migrateToLatest(target.db, entry.dbSchema, definition.migrations);
      await seedSubgraphDemo(entry.name, target.db);
    }
    try {
      if (plan) {
        await loadGenerated(seeder, target, plan, progress);
        const phase = progress.phase('vacuum and analyze', 1);
        const { rows: tables } = await sql<{ table_name: string }>`
          select table_name from information_schema.tables where table_schema = ${entry.dbSchema} and table_type = 'BASE TABLE'`.execute(
          target.db,
        );
        // Fresh statistics for the planner, and the visibility map for index-only scans.
        for (const t of tables) await sql`vacuum (analyze) ${sql.table(`${entry.dbSchema}.${t.table_name}`)}`.execute(target.db);
        phase.tick();
        phase.done();
      }
      const rows = await countRows(target.db, entry.dbSchema);
      const seconds = (performance.now() - started) / 1000;
      results.push({ name: entry.name, driver: url ? 'postgres' : 'pglite', method: plan ? target.method : 'demo loader', seconds, rows });
      progress.note(`  ${entry.name} done in ${seconds.toFixed(1)} s`);
    } finally {
      await target.close();
    }
  }
  return results;
}

/**
 * Runs the invariant checks (check.ts) over the loaded databases, each
 * subgraph through its own connection and schema. PGlite folders not created
 * yet are skipped with the rules that need them.
 */
export async function checkSeeded(options: { only?: SubgraphName[]; env?: NodeJS.ProcessEnv } = {}): Promise<RuleResult[]> {
  const env = options.env ?? process.env;
  const entries = SUBGRAPHS.filter((s) => !options.only || options.only.includes(s.name));
  const opened: { close(): Promise<void> }[] = [];
  const dbs: Partial<SubgraphDatabases> = {};
  try {
    for (const entry of entries) {
      const { url, dataDir } = await openDatabase(entry, env);
      if (!url && !existsSync(dataDir)) continue;
      const database = await createDatabase({ schema: entry.dbSchema, url, dataDir: url ? undefined : dataDir, poolSize: 1 });
      opened.push(database);
      dbs[entry.name] = database.db;
    }
    return await checkInvariants(dbs);
  } finally {
    for (const database of opened) await database.close();
  }
}

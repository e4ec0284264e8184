import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSubgraphDemo } from '../../subgraphs/servers.ts';
import { insertTarget } from '../../scripts/lib/seed/bulk.ts';
import { checkInvariants, formatResults, RULES, type SubgraphDatabases } from '../../scripts/lib/seed/check.ts';
import { buildSeedPlan } from '../../scripts/lib/seed/plan.ts';
import { createProgress } from '../../scripts/lib/seed/progress.ts';
import { loadGenerated, SEEDERS } from '../../scripts/lib/seed/run.ts';
import { SCALES } from '../../scripts/lib/seed/scales.ts';
import type { SubgraphName } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';

/**
 * Issue 20: the generated data set obeys the rules the services enforce on
 * write. A fresh regional load (demo + 10,000 volunteers, 100,000 hour
 * records…) passes every invariant of `npm run seed -- --check`; and the
 * check is no rubber stamp: rows that break a rule are reported under it.
 */
let graph: Graph;
let dbs: SubgraphDatabases;
const NAMES: SubgraphName[] = ['organizations', 'volunteers', 'donations', 'cooperation'];

beforeAll(async () => {
  graph = await startGraph();
  dbs = Object.fromEntries(NAMES.map((name) => [name, graph.db(name)])) as SubgraphDatabases;
  const plan = buildSeedPlan(SCALES.regional);
  const quiet = createProgress(process.stderr, true);
  for (const name of NAMES) {
    await seedSubgraphDemo(name, graph.db(name));
    await loadGenerated(SEEDERS[name], insertTarget(graph.db(name)), plan, quiet);
  }
}, 900_000);

afterAll(async () => {
  await graph?.close();
});

describe('npm run seed -- --check', () => {
  it('finds no violation of any rule in a fresh regional load', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from hour_records`.execute(dbs.volunteers);
    expect(rows[0]!.n).toBeGreaterThan(90_000);
    const results = await checkInvariants(dbs);
    expect(results.map((r) => r.rule)).toEqual(RULES.map((r) => r.name));
    expect(
      results.filter((r) => r.violations > 0),
      formatResults(results),
    ).toEqual([]);
  }, 300_000);

  it('reports rows that break a rule under that rule, and only there', async () => {
    const volunteers = dbs.volunteers;
    // A self-reported record for an organization the volunteer never joined, on a day they were not alive.
    const {
      rows: [someone],
    } = await sql<{ id: string; birth_date: string }>`select id, birth_date::text from volunteers order by id limit 1`.execute(volunteers);
    const stranger = '00000000-0000-4000-8000-000000000abc';
    await sql`
      insert into hour_records (id, volunteer_id, organization_id, work_date, minutes, region_code, activity_type, direction, setting, education_requirement,
                                during_paid_work_time, source, status, created_by)
      values ('00000000-0000-4000-8000-000000000def', ${someone!.id}, ${stranger}, ${someone!.birth_date}::date - 1, 60, '710000000', 'OTHER', 'BILIM', 'DIRECT', false, false, 'SELF', 'PENDING', 'test')`.execute(
      volunteers,
    );
    // A disbursement that pays more than the award.
    await sql`
      insert into disbursements (id, grant_id, programme_id, amount_minor, paid_on, reference)
      select '00000000-0000-4000-8000-000000000fed', id, programme_id, amount_minor + 1, award_date, 'TEST-OVERPAID' from grants order by id limit 1`.execute(
      dbs.donations,
    );
    const results = await checkInvariants(dbs);
    const broken = Object.fromEntries(results.filter((r) => r.violations > 0).map((r) => [r.rule, r.violations]));
    expect(broken).toEqual({ 'hours.member-or-accepted': 1, 'hours.dated-in-life': 1, 'grants.paid-within-award': 1 });
  });
});

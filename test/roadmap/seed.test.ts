import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTarget } from '../../scripts/lib/seed/bulk.ts';
import { buildSeedPlan } from '../../scripts/lib/seed/plan.ts';
import { createProgress } from '../../scripts/lib/seed/progress.ts';
import { loadGenerated, SEEDERS } from '../../scripts/lib/seed/run.ts';
import { tinyScale } from '../../scripts/lib/seed/scales.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';
import { seedSubgraphDemo } from '../../subgraphs/servers.ts';
import { startGraph, type Graph } from '../harness.ts';

/**
 * The seed's roadmap (`npm run seed -- --scale …`, here its tiny scale through
 * the same loaders): the demo's phases and indicators, with targets for
 * 2025–2027 set near the generated actuals, so that some regions are behind.
 */
let graph: Graph;

beforeAll(async () => {
  graph = await startGraph();
  const plan = buildSeedPlan(tinyScale());
  const quiet = createProgress(process.stderr, true);
  for (const { name } of SUBGRAPHS) {
    await seedSubgraphDemo(name, graph.db(name));
    await loadGenerated(SEEDERS[name], insertTarget(graph.db(name)), plan, quiet);
  }
}, 600_000);

afterAll(async () => {
  await graph?.close();
});

describe('the seeded roadmap', () => {
  it('has targets 2025–2027 near the generated actuals, some regions behind and some not', async () => {
    const { body } = await graph.query(`{
      phases: roadmapPhases { key indicators { key } }
      targets: roadmapTargets { year regionCode }
      y2026: roadmapProgressByRegion(year: 2026) { regionCode progress { indicator { key } target actual status } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.phases).toHaveLength(3);
    const targets = body.data!.targets as { year: number; regionCode: string }[];
    expect([...new Set(targets.map((t) => t.year))].sort()).toEqual([2025, 2026, 2027]);
    expect(targets.some((t) => t.regionCode === 'national')).toBe(true);

    const rows = (
      body.data!.y2026 as {
        regionCode: string;
        progress: { indicator: { key: string }; target: number | null; actual: number; status: string }[];
      }[]
    ).flatMap((r) => r.progress.map((p) => ({ region: r.regionCode, ...p })));
    const statuses = rows.map((r) => r.status);
    expect(statuses).toContain('BEHIND');
    expect(statuses).toContain('ACHIEVED');
    // Counted from the plan: each region's target is its registered volunteers times 0.8–1.35 (rounded).
    for (const row of rows.filter((r) => r.indicator.key === 'registered-volunteers')) {
      expect(row.target, row.region).not.toBeNull();
      expect(row.target!, row.region).toBeGreaterThanOrEqual(Math.floor(row.actual * 0.8) - 1);
      expect(row.target!, row.region).toBeLessThanOrEqual(Math.ceil(row.actual * 1.35) + 1);
    }
    // Work and activity, estimated from the generated hour records (and the demo's rates for the demo's part): near, nationally.
    const national = (await graph.query(`{ roadmapProgress(year: 2026) { progress { indicator { key } target actual } } }`)).body.data!
      .roadmapProgress.progress as {
      indicator: { key: string };
      target: number;
      actual: number;
    }[];
    for (const key of ['registered-volunteers', 'active-volunteers', 'approved-hours']) {
      const row = national.find((r) => r.indicator.key === key)!;
      expect(row.target / row.actual, key).toBeGreaterThan(0.75);
      expect(row.target / row.actual, key).toBeLessThan(1.45);
    }
  });
});

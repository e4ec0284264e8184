import { sql, type Kysely } from 'kysely';
import { REGIONS } from '../../../subgraphs/kit/index.ts';
import { loadRoadmapTargets } from '../../../subgraphs/roadmap/demo.ts';
import type { Figure } from '../../../subgraphs/roadmap/progress/figures.ts';
import type { BulkTarget } from './bulk.ts';
import type { SeedPlan } from './plan.ts';
import type { Progress } from './progress.ts';
import { isoDay } from './random.ts';
import type { SubgraphSeeder } from './seeder.ts';
import { hourRecordsOf } from './volunteers.ts';

/**
 * The roadmap subgraph's part of a generated data set: the demo loader has
 * written the phases and indicators; the demo's targets are replaced by
 * targets set near the generated actuals of 2026, computed from the same plan
 * the other subgraphs load (registered and active volunteers and approved
 * hours from the generated hour records, registered organizations), so that
 * some regions are behind. The figures the plan does not place per region
 * (trainings, donations, grants, missions) are set in proportion to each
 * region's volunteers, at the demo's rates per volunteer. Nothing is read from
 * another subgraph's database.
 */
export const roadmapSeeder: SubgraphSeeder = {
  name: 'roadmap',
  markerTable: 'targets',
  async load(target: BulkTarget, plan: SeedPlan, progress: Progress) {
    const phase = progress.phase('targets near the generated actuals', plan.volunteerCount);
    const registered = new Map<string, number>();
    const active = new Map<string, number>();
    const minutes = new Map<string, number>();
    const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
    for (const v of plan.volunteers()) {
      add(registered, v.regionCode, 1);
      const activeIn = new Set<string>();
      for (const h of hourRecordsOf(v, plan)) {
        if (h.status !== 'APPROVED' || !isoDay(h.day).startsWith('2026')) continue;
        activeIn.add(h.regionCode);
        add(minutes, h.regionCode, h.minutes);
      }
      for (const region of activeIn) add(active, region, 1);
      phase.tick();
    }
    const organizations = new Map<string, number>();
    for (const o of plan.organizations) if (o.status === 'REGISTERED') add(organizations, o.regionCode, 1);
    phase.done();
    const measured: Partial<Record<Figure, Map<string, number>>> = {
      REGISTERED_VOLUNTEERS: registered,
      ACTIVE_VOLUNTEERS: active,
      APPROVED_HOURS: new Map([...minutes].map(([k, m]) => [k, m / 60])),
      REGISTERED_ORGANIZATIONS: organizations,
    };
    await sql`delete from targets`.execute(target.db);
    await loadRoadmapTargets(target.db as Kysely<any>, (figure, regionCode, perVolunteer) =>
      measured[figure] ? (measured[figure]!.get(regionCode) ?? 0) : (registered.get(regionCode) ?? 0) * perVolunteer, 4005 + plan.volunteerCount);
    progress.note(`  roadmap: targets for ${REGIONS.length} regions and the nation, 2025–2027`);
  },
  async rebuild() {
    // No rollups: the roadmap stores targets only.
  },
};

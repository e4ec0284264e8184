import { sql, type Kysely } from 'kysely';
import { REGIONS } from '../../../subgraphs/kit/index.ts';
import { demoActual, demoNationalActive, demoRatePerVolunteer, loadRoadmapTargets } from '../../../subgraphs/roadmap/demo.ts';
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
 * hours of 2025 and 2026 from the generated volunteers and hour records,
 * registered organizations), so that some regions are behind. The figures the
 * plan does not place per region (trainings, donations, grants, missions) are
 * set in proportion to each region's volunteers, at the demo's rates per
 * volunteer: rougher estimates. The demo's own rows (loaded first) are
 * estimated as the demo estimates them. Nothing is read from another
 * subgraph's database.
 */
const YEARS = [2025, 2026];

export const roadmapSeeder: SubgraphSeeder = {
  name: 'roadmap',
  markerTable: 'targets',
  async load(target: BulkTarget, plan: SeedPlan, progress: Progress) {
    const phase = progress.phase('targets near the generated actuals', plan.volunteerCount);
    // Keyed by `${figure}|${regionCode}|${year}`.
    const measured = new Map<string, number>();
    const add = (figure: Figure, regionCode: string, year: number, n: number) => {
      const key = `${figure}|${regionCode}|${year}`;
      measured.set(key, (measured.get(key) ?? 0) + n);
    };
    const registeredIn = new Map<string, number>();
    const activeInNation = new Map<number, number>();
    for (const v of plan.volunteers()) {
      const registeredYear = Number(isoDay(v.registeredDay).slice(0, 4));
      for (const year of YEARS) if (registeredYear <= year) add('REGISTERED_VOLUNTEERS', v.regionCode, year, 1);
      registeredIn.set(v.regionCode, (registeredIn.get(v.regionCode) ?? 0) + 1);
      const active = new Set<string>();
      for (const h of hourRecordsOf(v, plan)) {
        const year = Number(isoDay(h.day).slice(0, 4));
        if (h.status !== 'APPROVED' || !YEARS.includes(year)) continue;
        active.add(`${h.regionCode}|${year}`);
        add('APPROVED_HOURS', h.regionCode, year, h.minutes / 60);
      }
      for (const year of YEARS)
        if ([...active].some((k) => k.endsWith(`|${year}`))) activeInNation.set(year, (activeInNation.get(year) ?? 0) + 1);
      for (const key of active) {
        const [regionCode, year] = key.split('|');
        add('ACTIVE_VOLUNTEERS', regionCode!, Number(year), 1);
      }
      phase.tick();
    }
    for (const o of plan.organizations)
      if (o.status === 'REGISTERED') for (const year of YEARS) add('REGISTERED_ORGANIZATIONS', o.regionCode, year, 1);
    phase.done();
    const MEASURED: readonly Figure[] = ['REGISTERED_VOLUNTEERS', 'ACTIVE_VOLUNTEERS', 'APPROVED_HOURS', 'REGISTERED_ORGANIZATIONS'];
    await sql`delete from targets`.execute(target.db);
    // The demo's own part of the data (loaded first, by each subgraph's demo loader) is estimated as the demo does.
    const demo = demoActual(plan.demo);
    await loadRoadmapTargets(
      target.db as Kysely<any>,
      (figure, regionCode, year) =>
        demo(figure, regionCode, year) +
        (MEASURED.includes(figure)
          ? (measured.get(`${figure}|${regionCode}|${year}`) ?? 0)
          : (registeredIn.get(regionCode) ?? 0) * demoRatePerVolunteer(figure, year)),
      4005 + plan.volunteerCount,
      (figure, year) => (figure === 'ACTIVE_VOLUNTEERS' ? (activeInNation.get(year) ?? 0) + demoNationalActive(year) : null),
    );
    progress.note(`  roadmap: targets for ${REGIONS.length} regions and the nation, 2025–2027`);
  },
  async rebuild() {
    // No rollups: the roadmap stores targets only.
  },
};

import type { Kysely } from 'kysely';
import { demoId, prng, type DemoPlan } from '../kit/demo-plan.ts';
import { NATIONAL, REGIONS } from '../kit/index.ts';
import { insertIndicator } from './indicator/indicator.repository.ts';
import type { RoadmapDB } from './migrations/tables.ts';
import { insertPhase } from './phase/phase.repository.ts';
import { FIGURES, type Figure } from './progress/figures.ts';
import { ROADMAP, TARGET_YEARS } from './roadmap-content.ts';

/** The roadmap's phases and indicators (ids stable across machines); the indicators' ids by key. */
export async function loadRoadmap(db: Kysely<RoadmapDB>): Promise<Map<string, { id: string; figure: Figure; startsOn: string }>> {
  const indicators = new Map<string, { id: string; figure: Figure; startsOn: string }>();
  let n = 0;
  for (const [position, p] of ROADMAP.entries()) {
    const phase = await insertPhase(db, {
      id: demoId('roadmap-phase', position),
      key: p.key,
      position: position + 1,
      nameKk: p.nameKk,
      nameRu: p.nameRu,
      nameEn: p.nameEn,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      switchesOn: p.switchesOn,
    });
    for (const [i, indicator] of p.indicators.entries()) {
      const row = await insertIndicator(db, { id: demoId('roadmap-indicator', n++), phaseId: phase.id, position: i + 1, ...indicator });
      indicators.set(row.key, { id: row.id, figure: row.figure, startsOn: p.startsOn });
    }
  }
  return indicators;
}

export interface PlannedTarget {
  indicatorId: string;
  regionCode: string;
  year: number;
  value: string;
}

/** An estimate of a figure's actual in a region in a year of the data (2025 or 2026). */
export type ActualOf = (figure: Figure, regionCode: string, year: number) => number;

/** The last year with data; targets beyond it grow 10% a year from it. */
const DATA_YEAR = 2026;

/**
 * Targets for 2025–2027 near the estimated actuals: each region's target is its
 * estimate times a factor drawn between 0.8 and 1.35 (seeded, one per region
 * and indicator), so that some regions are ahead and some behind; beyond the
 * data, 10% more a year. The national target is the sum of the regions'. An
 * indicator gets targets from the year its phase begins; a region with no
 * activity in the figure, none.
 */
export function targetsNear(
  indicators: Map<string, { id: string; figure: Figure; startsOn: string }>,
  actualOf: ActualOf,
  seed: number,
  /** The nation's own estimate where it is not the regions' sum (active volunteers count once); null: the sum. */
  nationalOf: (figure: Figure, year: number) => number | null = () => null,
): PlannedTarget[] {
  const random = prng(seed);
  const targets: PlannedTarget[] = [];
  for (const indicator of indicators.values()) {
    const unit = FIGURES[indicator.figure].unit;
    const round = (v: number) => (unit === 'KZT' ? Math.round(v / 1000) * 1000 : Math.round(v));
    const factors = REGIONS.map(() => 0.8 + random() * 0.55);
    for (const year of TARGET_YEARS) {
      if (`${year}-12-31` < indicator.startsOn) continue;
      const growth = 1.1 ** Math.max(0, year - DATA_YEAR);
      let national = 0;
      let bases = 0;
      REGIONS.forEach((region, i) => {
        const base = actualOf(indicator.figure, region.code, Math.min(year, DATA_YEAR)) * growth;
        const value = round(base * factors[i]!);
        if (base <= 0 || value <= 0) return;
        national += value;
        bases += base;
        targets.push({ indicatorId: indicator.id, regionCode: region.code, year, value: value.toFixed(2) });
      });
      // The regions' targets in proportion, applied to the nation's own estimate when the sum would count someone twice.
      const own = nationalOf(indicator.figure, Math.min(year, DATA_YEAR));
      if (own !== null && bases > 0) national = round((national * own * growth) / bases);
      if (national > 0) targets.push({ indicatorId: indicator.id, regionCode: NATIONAL, year, value: national.toFixed(2) });
    }
  }
  return targets;
}

/**
 * The nation's figures in the demo data of the owning subgraphs (each loads its
 * part of the same plan; measured on the demo, 200 volunteers): registered
 * volunteers count from the day the demo is loaded, so 2025 has none.
 */
const DEMO_NATIONAL: Record<Exclude<Figure, 'REGISTERED_VOLUNTEERS' | 'REGISTERED_ORGANIZATIONS'>, Record<number, number>> = {
  ACTIVE_VOLUNTEERS: { 2025: 119, 2026: 168 },
  APPROVED_HOURS: { 2025: 668, 2026: 1280 },
  FRONT_OFFICE_TRAININGS: { 2025: 0, 2026: 15 },
  PEOPLE_TRAINED: { 2025: 0, 2026: 407 },
  DONATIONS_KZT: { 2025: 0, 2026: 27_600_000 },
  GRANTS_DISBURSED_KZT: { 2025: 0, 2026: 4_000_000 },
  MISSION_PARTICIPANTS: { 2025: 0, 2026: 14 },
};
const DEMO_VOLUNTEERS = 200;

/** The demo's national figure per registered volunteer: the estimate for figures a data set does not place by region. */
/** The demo's active volunteers in the nation (each once). */
export const demoNationalActive = (year: number): number => DEMO_NATIONAL.ACTIVE_VOLUNTEERS[year] ?? 0;

export function demoRatePerVolunteer(figure: Figure, year: number): number {
  if (figure === 'REGISTERED_VOLUNTEERS') return 1;
  if (figure === 'REGISTERED_ORGANIZATIONS') return 0;
  return (DEMO_NATIONAL[figure][year] ?? 0) / DEMO_VOLUNTEERS;
}

/**
 * The demo's figures per region, estimated from the demo plan alone (nothing
 * is read from another subgraph): registered volunteers and organizations
 * where the plan places them; work, donations and activity shared out by the
 * members of each region's organizations; missions by the volunteers' home
 * regions; trainings among the front-offices; the demo grant to its recipient's region.
 */
export function demoActual(plan: DemoPlan): ActualOf {
  const count = (codes: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
    return (code: string) => (counts.get(code) ?? 0) / Math.max(1, codes.length);
  };
  const regionOf = new Map(plan.organizations.map((o) => [o.id, o.regionCode]));
  const homes = count(plan.volunteers.map((v) => v.regionCode));
  const members = count(plan.volunteers.map((v) => regionOf.get(v.organizationId)!));
  const offices = count(plan.frontOffices.map((f) => f.regionCode ?? NATIONAL));
  const organizations = count(plan.organizations.map((o) => o.regionCode));
  const grantee = plan.organizations[0]!.regionCode;
  return (figure, regionCode, year) => {
    switch (figure) {
      case 'REGISTERED_VOLUNTEERS':
        return year < DATA_YEAR ? 0 : homes(regionCode) * plan.volunteers.length;
      case 'REGISTERED_ORGANIZATIONS':
        return organizations(regionCode) * plan.organizations.length;
      case 'MISSION_PARTICIPANTS':
        return homes(regionCode) * DEMO_NATIONAL[figure][year]!;
      case 'FRONT_OFFICE_TRAININGS':
      case 'PEOPLE_TRAINED':
        return offices(regionCode) * DEMO_NATIONAL[figure][year]!;
      case 'GRANTS_DISBURSED_KZT':
        return regionCode === grantee ? DEMO_NATIONAL[figure][year]! : 0;
      default:
        return members(regionCode) * DEMO_NATIONAL[figure][year]!;
    }
  };
}

export async function insertTargets(db: Kysely<RoadmapDB>, targets: readonly PlannedTarget[]): Promise<void> {
  for (let i = 0; i < targets.length; i += 500) {
    await db
      .insertInto('targets')
      .values(targets.slice(i, i + 500).map((t) => ({ indicator_id: t.indicatorId, scope: t.regionCode, year: t.year, value: t.value })))
      .execute();
  }
}

/** Targets near the given actuals for the roadmap already loaded (the national seed replaces the demo's with these). */
export async function loadRoadmapTargets(
  db: Kysely<RoadmapDB>,
  actualOf: ActualOf,
  seed: number,
  nationalOf?: (figure: Figure, year: number) => number | null,
): Promise<void> {
  const rows = await db
    .selectFrom('indicators')
    .innerJoin('phases', 'phases.id', 'indicators.phase_id')
    .select(['indicators.id', 'indicators.key', 'indicators.figure', 'phases.starts_on'])
    .execute();
  const indicators = new Map(rows.map((r) => [r.key, { id: r.id, figure: r.figure, startsOn: r.starts_on }]));
  await insertTargets(db, targetsNear(indicators, actualOf, seed, nationalOf));
}

/** Loads the roadmap and the demo's targets, once (false when already there). */
export async function seedDemo(db: Kysely<RoadmapDB>, plan: DemoPlan): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('phases').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    const indicators = await loadRoadmap(trx);
    await insertTargets(
      trx,
      targetsNear(indicators, demoActual(plan), 4005, (figure, year) => (figure === 'ACTIVE_VOLUNTEERS' ? demoNationalActive(year) : null)),
    );
    return true;
  });
}

import type { Kysely } from 'kysely';
import { demoId, prng, type DemoPlan } from '../kit/demo-plan.ts';
import { NATIONAL, REGIONS } from '../kit/index.ts';
import { insertIndicator } from './indicator/indicator.repository.ts';
import type { RoadmapDB } from './migrations/tables.ts';
import { insertPhase } from './phase/phase.repository.ts';
import { FIGURES, isWholeUnit, type Figure } from './progress/figures.ts';
import { ROADMAP, TARGET_YEARS } from './roadmap-content.ts';

/** The roadmap's phases and indicators (ids stable across machines); the indicators' ids by key. */
export async function loadRoadmap(db: Kysely<RoadmapDB>): Promise<Map<string, { id: string; figure: Figure; startsOn: string }>> {
  const indicators = new Map<string, { id: string; figure: Figure; startsOn: string }>();
  let n = 0;
  for (const [position, p] of ROADMAP.entries()) {
    const phase = await insertPhase(db, { id: demoId('roadmap-phase', position), key: p.key, position: position + 1, nameKk: p.nameKk, nameRu: p.nameRu, nameEn: p.nameEn, startsOn: p.startsOn, endsOn: p.endsOn, switchesOn: p.switchesOn });
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

/**
 * Targets for 2025–2027 near the given actuals of the latest complete data
 * year: each region's target is its actual times a factor drawn between 0.8
 * and 1.35 (seeded), growing 10% a year, so that some regions are ahead and
 * some behind; the national target is the sum of the regions'. An indicator
 * gets targets from the year its phase begins; a region with no activity, none.
 */
/** An estimate of a figure's 2026 actual in a region; `perVolunteer` is the demo's rate for figures estimated from volunteers. */
export type ActualOf = (figure: Figure, regionCode: string, perVolunteer: number) => number;

export function targetsNear(indicators: Map<string, { id: string; figure: Figure; startsOn: string }>, actualOf: ActualOf, seed: number): PlannedTarget[] {
  const random = prng(seed);
  const targets: PlannedTarget[] = [];
  for (const indicator of indicators.values()) {
    const whole = isWholeUnit(FIGURES[indicator.figure].unit);
    const round = (v: number) => (whole ? Math.max(1, Math.round(v)) : Math.max(1, Math.round(v / 1000) * 1000));
    const factors = REGIONS.map(() => 0.8 + random() * 0.55);
    for (const year of TARGET_YEARS) {
      if (`${year}-12-31` < indicator.startsOn) continue;
      const growth = 1.1 ** (year - 2026);
      let national = 0;
      REGIONS.forEach((region, i) => {
        const base = actualOf(indicator.figure, region.code, DEMO_RATES[indicator.figure]);
        if (base <= 0) return;
        const value = round(base * factors[i]! * growth);
        national += value;
        targets.push({ indicatorId: indicator.id, regionCode: region.code, year, value: value.toFixed(2) });
      });
      if (national > 0) targets.push({ indicatorId: indicator.id, regionCode: NATIONAL, year, value: national.toFixed(2) });
    }
  }
  return targets;
}

/**
 * Demo actuals of 2026 per region, from the demo plan (every subgraph loads
 * its part of the same plan): registered volunteers and organizations where
 * the plan places them; the other figures in proportion to the region's
 * volunteers, at the rates the demo data of their owners come to (measured on
 * the demo: about 2.6 active volunteers, 14 approved hours, 1 person trained
 * and 33,000 KZT donated per 5 registered volunteers…). Nothing is read from
 * another subgraph.
 */
function demoActual(plan: DemoPlan): ActualOf {
  const volunteers = new Map<string, number>();
  for (const v of plan.volunteers) volunteers.set(v.regionCode, (volunteers.get(v.regionCode) ?? 0) + 1);
  const organizations = new Map<string, number>();
  for (const o of plan.organizations) organizations.set(o.regionCode, (organizations.get(o.regionCode) ?? 0) + 1);
  const offices = new Set(plan.frontOffices.map((f) => f.regionCode));
  return (figure, regionCode, perVolunteer) => {
    if (figure === 'REGISTERED_VOLUNTEERS') return volunteers.get(regionCode) ?? 0;
    if (figure === 'REGISTERED_ORGANIZATIONS') return organizations.get(regionCode) ?? 0;
    if ((figure === 'FRONT_OFFICE_TRAININGS' || figure === 'PEOPLE_TRAINED') && !offices.has(regionCode)) return 0;
    return (volunteers.get(regionCode) ?? 0) * perVolunteer;
  };
}

/** Demo figures per registered volunteer of a region (see demoActual). */
const DEMO_RATES: Record<Figure, number> = {
  REGISTERED_VOLUNTEERS: 1,
  ACTIVE_VOLUNTEERS: 0.5,
  APPROVED_HOURS: 3,
  REGISTERED_ORGANIZATIONS: 0,
  FRONT_OFFICE_TRAININGS: 0.1,
  PEOPLE_TRAINED: 2,
  DONATIONS_KZT: 7000,
  GRANTS_DISBURSED_KZT: 10000,
  MISSION_PARTICIPANTS: 0.05,
};

export async function insertTargets(db: Kysely<RoadmapDB>, targets: readonly PlannedTarget[]): Promise<void> {
  for (let i = 0; i < targets.length; i += 500) {
    await db
      .insertInto('targets')
      .values(targets.slice(i, i + 500).map((t) => ({ indicator_id: t.indicatorId, scope: t.regionCode, year: t.year, value: t.value })))
      .execute();
  }
}

/** Targets near the given actuals for the roadmap already loaded (the national seed replaces the demo's with these). */
export async function loadRoadmapTargets(db: Kysely<RoadmapDB>, actualOf: ActualOf, seed: number): Promise<void> {
  const rows = await db
    .selectFrom('indicators')
    .innerJoin('phases', 'phases.id', 'indicators.phase_id')
    .select(['indicators.id', 'indicators.key', 'indicators.figure', 'phases.starts_on'])
    .execute();
  const indicators = new Map(rows.map((r) => [r.key, { id: r.id, figure: r.figure, startsOn: r.starts_on }]));
  await insertTargets(db, targetsNear(indicators, actualOf, seed));
}

/** Loads the roadmap and the demo's targets, once (false when already there). */
export async function seedDemo(db: Kysely<RoadmapDB>, plan: DemoPlan): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('phases').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    const indicators = await loadRoadmap(trx);
    await insertTargets(trx, targetsNear(indicators, demoActual(plan), 4005));
    return true;
  });
}

import {
  BadUserInput,
  NATIONAL,
  NotFound,
  parseRegionCode,
  parseText,
  parseYear,
  auditedTransaction,
  type RequestContext,
} from '../../kit/index.ts';
import type { Kysely } from 'kysely';
import { assertAdmin } from '../access.ts';
import { listIndicators, type Indicator } from '../indicator/indicator.repository.ts';
import type { RoadmapDB } from '../migrations/tables.ts';
import { FIGURES, isWholeUnit } from '../progress/figures.ts';
import { deleteTarget, lockTarget, upsertTarget, type Target } from './target.repository.ts';

/** The largest target: a KZT amount well within numeric(20,2) and exact as a double. */
const MAX_TARGET = 1e13;

/** A region code, or the nation when left out. */
export function parseScope(value: unknown, argument: string): string {
  return value === null || value === undefined ? NATIONAL : parseRegionCode(value, argument);
}

export async function findIndicatorByKey(db: Kysely<RoadmapDB>, key: unknown, argument: string): Promise<Indicator> {
  const wanted = parseText(key, argument, { max: 41, required: true, singleLine: true });
  const indicator = (await listIndicators(db)).find((i) => i.key === wanted);
  if (!indicator) throw new NotFound('RoadmapIndicator', wanted);
  return indicator;
}

/** A target value in the indicator's unit, as numeric text: above zero, whole for counts, at most 2 decimals otherwise. */
export function parseTargetValue(value: unknown, indicator: Indicator, argument: string): string {
  const unit = FIGURES[indicator.figure].unit;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadUserInput(argument, 'expected a number');
  if (value <= 0) throw new BadUserInput(argument, 'a target is above zero');
  if (value > MAX_TARGET) throw new BadUserInput(argument, `at most ${MAX_TARGET}`);
  if (isWholeUnit(unit) && !Number.isInteger(value)) throw new BadUserInput(argument, `a whole number (${unit.toLowerCase()})`);
  if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) throw new BadUserInput(argument, 'at most 2 decimals');
  return value.toFixed(2);
}

export interface SetTargetInput {
  indicatorKey: string;
  regionCode?: string | null;
  year: number;
  value: number;
}

/** Sets or replaces a target; the audit entry keeps the value it replaced. */
export async function setTarget(db: Kysely<RoadmapDB>, context: RequestContext, input: SetTargetInput): Promise<Target> {
  assertAdmin(context.viewer, 'set roadmap targets');
  const indicator = await findIndicatorByKey(db, input.indicatorKey, 'input.indicatorKey');
  const regionCode = parseScope(input.regionCode, 'input.regionCode');
  const year = parseYear(input.year, 'input.year');
  const value = parseTargetValue(input.value, indicator, 'input.value');
  return auditedTransaction(db, context, async (trx, audit) => {
    const before = await lockTarget(trx, indicator.id, regionCode, year);
    const target = await upsertTarget(trx, { indicatorId: indicator.id, regionCode, year, value });
    await audit({
      action: before ? 'target.replace' : 'target.set',
      entity: 'RoadmapTarget',
      entityId: target.id,
      details: { indicatorKey: indicator.key, regionCode, year, before: before ? before.value : null, after: target.value },
    });
    return target;
  });
}

export async function removeTarget(
  db: Kysely<RoadmapDB>,
  context: RequestContext,
  args: { indicatorKey: string; regionCode?: string | null; year: number },
): Promise<Target> {
  assertAdmin(context.viewer, 'remove roadmap targets');
  const indicator = await findIndicatorByKey(db, args.indicatorKey, 'indicatorKey');
  const regionCode = parseScope(args.regionCode, 'regionCode');
  const year = parseYear(args.year, 'year');
  return auditedTransaction(db, context, async (trx, audit) => {
    const before = await lockTarget(trx, indicator.id, regionCode, year);
    if (!before) throw new NotFound('RoadmapTarget', `${indicator.key}/${regionCode}/${year}`);
    await deleteTarget(trx, before.id);
    await audit({
      action: 'target.remove',
      entity: 'RoadmapTarget',
      entityId: before.id,
      details: { indicatorKey: indicator.key, regionCode, year, before: before.value, after: null },
    });
    return before;
  });
}

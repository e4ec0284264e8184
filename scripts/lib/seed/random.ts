import { prng } from '../../../subgraphs/kit/demo-plan.ts';

/** Random helpers over the demo plan's seeded PRNG (mulberry32): the same data on every machine. */
export interface Random {
  (): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  /** An index by weight (cumulative weights, ascending). */
  weighted(cumulative: Float64Array | readonly number[]): number;
  /** A log-normal draw with the given median and spread (sigma of the log). */
  logNormal(median: number, sigma: number): number;
}

/** A 32-bit seed from a label and a number (FNV-1a, then mixed), for per-entity streams. */
export function seedOf(label: string, n = 0): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ n, 0x9e3779b1) ^ (n >>> 16);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export function random(seed: number): Random {
  const next = prng(seed);
  const r = (() => next()) as Random;
  r.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  r.chance = (p) => next() < p;
  r.pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  r.weighted = (cumulative) => {
    const total = cumulative[cumulative.length - 1] as number;
    const x = next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  r.logNormal = (median, sigma) => {
    // Box–Muller; 1 - u keeps log() away from zero.
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return median * Math.exp(sigma * z);
  };
  return r;
}

export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

// ---- calendar days as integers (days since 1970-01-01, UTC) ------------

const MS_PER_DAY = 86_400_000;
export const dayNumber = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
const isoCache = new Map<number, string>();
export function isoDay(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}
/** A timestamp on a day, `minutes` after its midnight (UTC). */
export const at = (day: number, minutes: number): Date => new Date(day * MS_PER_DAY + Math.round(minutes) * 60_000);

import DataLoader from 'dataloader';
import { isRegionCode } from './regions.ts';
import { jsonKey } from './loaders.ts';

/**
 * RegionYear (`@key(fields: "regionCode year")`): one region in one calendar
 * year, or the whole nation (regionCode `national`). Every subgraph
 * contributes the figures it owns; the roadmap subgraph reads them through the
 * gateway (`@requires`) and stores none of them.
 */
export const NATIONAL = 'national';

export interface RegionYearKey {
  regionCode: string;
  year: number;
}

/** The key of a representation, or null (no such entity) for a malformed one. */
export function regionYearOf(ref: { regionCode?: unknown; year?: unknown }): RegionYearKey | null {
  const { regionCode, year } = ref;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1990 || year > 2100) return null;
  if (regionCode !== NATIONAL && !isRegionCode(regionCode)) return null;
  return { regionCode: regionCode as string, year };
}

/** The first and last instants of a calendar year in Kazakhstan's calendar (UTC+5), as UTC. */
export function yearBounds(year: number): { from: Date; to: Date } {
  return { from: new Date(Date.UTC(year, 0, 1, -5)), to: new Date(Date.UTC(year + 1, 0, 1, -5)) };
}

type Figure = number | bigint;

/** Figures of one region (or `national`) and year; several rows of one key add up. */
export interface RegionYearRow<F extends Record<string, Figure>> {
  regionCode: string;
  year: number;
  figures: Partial<F>;
}

function addInto<F extends Record<string, Figure>>(into: F, figures: Partial<F>): void {
  for (const [name, value] of Object.entries(figures) as [keyof F, Figure][]) {
    const current = into[name];
    into[name] = (typeof current === 'bigint' ? current + BigInt(value) : Number(current) + Number(value)) as F[keyof F];
  }
}

/**
 * The figures of a batch of RegionYear keys from a constant number of
 * statements: `fetch` reads every region of the years asked (at most 20 rows a
 * year per statement), told whether the nation is among the keys. National
 * figures are the sum over regions, except those `fetch` returns itself under
 * regionCode `national` (a count of distinct people, where a sum would count a
 * person active in two regions twice).
 */
export function regionYearLoader<F extends Record<string, Figure>>(
  zero: () => F,
  fetch: (years: readonly number[], national: boolean) => Promise<RegionYearRow<F>[]>,
): DataLoader<RegionYearKey, F, string> {
  return new DataLoader<RegionYearKey, F, string>(
    async (keys) => {
      const years = [...new Set(keys.map((k) => k.year))].sort((a, b) => a - b);
      const rows = await fetch(
        years,
        keys.some((k) => k.regionCode === NATIONAL),
      );
      const byKey = new Map<string, F>();
      const nationalOwn = new Map<number, Partial<F>>();
      const get = (regionCode: string, year: number) => {
        const id = jsonKey({ regionCode, year });
        const found = byKey.get(id) ?? zero();
        byKey.set(id, found);
        return found;
      };
      for (const row of rows) {
        if (row.regionCode === NATIONAL) nationalOwn.set(row.year, { ...nationalOwn.get(row.year), ...row.figures });
        else {
          addInto(get(row.regionCode, row.year), row.figures);
          addInto(get(NATIONAL, row.year), row.figures);
        }
      }
      for (const [year, own] of nationalOwn) Object.assign(get(NATIONAL, year), own);
      return keys.map((k) => byKey.get(jsonKey({ regionCode: k.regionCode, year: k.year })) ?? zero());
    },
    { cacheKeyFn: (k) => jsonKey({ regionCode: k.regionCode, year: k.year }) },
  );
}

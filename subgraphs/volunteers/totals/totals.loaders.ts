import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import { jsonKey, keyedLoader } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { regionAgeBandCounts, type RegionAgeBandCount } from './active-volunteers.repository.ts';
import {
  listReplacementRates,
  organizationHours,
  organizationVolunteerCounts,
  regionHours,
  regionVolunteerCounts,
  type WorkByYearAndType,
} from './totals.repository.ts';

/** Batches keys that share the same period into one statement per period. */
function byPeriod<K extends object, P>(
  periodOf: (key: K) => P,
  idOf: (key: K) => string,
  fetch: (ids: string[], period: P) => Promise<(WorkByYearAndType & { id: string })[]>,
): DataLoader<K, WorkByYearAndType[], string> {
  return new DataLoader<K, WorkByYearAndType[], string>(
    async (keys) => {
      const groups = new Map<string, K[]>();
      for (const key of keys) groups.set(jsonKey(periodOf(key)), [...(groups.get(jsonKey(periodOf(key))) ?? []), key]);
      const results = new Map<string, WorkByYearAndType[]>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const rows = await fetch([...new Set(group.map(idOf))], periodOf(group[0]!));
          for (const key of group)
            results.set(
              jsonKey(key),
              rows.filter((r) => r.id === idOf(key)),
            );
        }),
      );
      return keys.map((k) => results.get(jsonKey(k)) ?? []);
    },
    { cacheKeyFn: jsonKey },
  );
}

export function totalsLoaders(db: Kysely<VolunteersDB>) {
  return {
    organizationVolunteerCount: keyedLoader(
      (ids: readonly string[]) => organizationVolunteerCounts(db, ids),
      (r) => r.organization_id,
    ),
    regionVolunteerCount: keyedLoader(
      (codes: readonly string[]) => regionVolunteerCounts(db, codes),
      (r) => r.region_code,
    ),
    organizationHours: byPeriod(
      (k: { organizationId: string; from: string | null; to: string | null }) => ({ from: k.from, to: k.to }),
      (k) => k.organizationId,
      async (ids, { from, to }) => (await organizationHours(db, ids, from, to)).map((r) => ({ ...r, id: r.organizationId })),
    ),
    regionHours: byPeriod(
      (k: { regionCode: string; year: number; month: number | null }) => ({ year: k.year, month: k.month }),
      (k) => k.regionCode,
      async (codes, { year, month }) => (await regionHours(db, codes, year, month)).map((r) => ({ ...r, id: r.regionCode })),
    ),
    /** Active volunteers by region and age band of a year (every region: at most 120 rows); all years asked in one statement. */
    activeVolunteersOfYear: new DataLoader<number, RegionAgeBandCount[]>(async (years) => {
      const rows = await regionAgeBandCounts(db, years);
      return years.map((year) => rows.filter((r) => r.year === year));
    }),
    /** The whole (small) rate table, read at most once per request. */
    replacementRates: new DataLoader<'all', Awaited<ReturnType<typeof listReplacementRates>>>(async (keys) => {
      const rates = await listReplacementRates(db);
      return keys.map(() => rates);
    }),
  };
}

import DataLoader from 'dataloader';
import { jsonKey } from './loaders.ts';

/** Which parent's list, under which filter, and how many rows of it (`first + 1`). */
export interface FirstPageKey<F = null> {
  parentId: string;
  filter: F;
  limit: number;
}

/**
 * The first page of a one-to-many relation (an organization's opportunities,
 * a volunteer's hour records) for many parents in one statement per distinct
 * (filter, page size). Later pages (`after` given) are read directly: only
 * one parent's cursor can be followed at a time. `fetch` returns rows in page
 * order within each parent, at most `limit` per parent.
 */
export function firstPageLoader<R, F = null>(
  fetch: (parentIds: readonly string[], filter: F, limit: number) => Promise<readonly R[]>,
  parentOf: (row: R) => string,
): DataLoader<FirstPageKey<F>, R[], string> {
  return new DataLoader<FirstPageKey<F>, R[], string>(
    async (keys) => {
      const groups = new Map<string, FirstPageKey<F>[]>();
      for (const key of keys) {
        const group = jsonKey({ filter: key.filter, limit: key.limit });
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      const results = new Map<string, R[]>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { filter, limit } = group[0]!;
          const rows = await fetch([...new Set(group.map((k) => k.parentId))], filter, limit);
          const byParent = new Map<string, R[]>();
          for (const row of rows) byParent.set(parentOf(row), [...(byParent.get(parentOf(row)) ?? []), row]);
          for (const key of group) results.set(jsonKey(key), (byParent.get(key.parentId) ?? []).slice(0, key.limit));
        }),
      );
      return keys.map((k) => results.get(jsonKey(k)) ?? []);
    },
    { cacheKeyFn: jsonKey },
  );
}

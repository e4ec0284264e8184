import DataLoader from 'dataloader';
import { jsonKey } from '../kit/index.ts';

/**
 * First pages of a one-to-many relation for many parents at once (e.g. the
 * hour records of each volunteer in a list): keys that share the same filter
 * and page size are read in one statement. Later pages (`after` given) are read
 * directly, one parent at a time, as only one parent's cursor can be followed.
 * Belongs in kit beside groupedLoader.
 */
export interface FirstPageKey<F> {
  parentId: string;
  filter: F;
  limit: number;
}

export function firstPageLoader<F, R>(
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
          for (const key of group) results.set(jsonKey(key), rows.filter((r) => parentOf(r) === key.parentId));
        }),
      );
      return keys.map((k) => results.get(jsonKey(k)) ?? []);
    },
    { cacheKeyFn: jsonKey },
  );
}

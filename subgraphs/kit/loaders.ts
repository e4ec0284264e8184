import DataLoader from 'dataloader';

/**
 * A loader of one row per key. The batch function returns rows in any order;
 * they are matched back to the keys (same length and order, null when missing).
 */
export function keyedLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (row: V) => K,
  cacheKeyFn?: (key: K) => unknown,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null, unknown>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map<unknown, V>();
      for (const row of rows) byKey.set(cacheKeyFn ? cacheKeyFn(keyOf(row)) : keyOf(row), row);
      return keys.map((k) => byKey.get(cacheKeyFn ? cacheKeyFn(k) : k) ?? null);
    },
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}

/** A loader of many rows per key (a one-to-many relation), [] when there are none. */
export function groupedLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (row: V) => K,
  cacheKeyFn?: (key: K) => unknown,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[], unknown>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map<unknown, V[]>();
      for (const row of rows) {
        const k = cacheKeyFn ? cacheKeyFn(keyOf(row)) : keyOf(row);
        const list = byKey.get(k);
        if (list) list.push(row);
        else byKey.set(k, [row]);
      }
      return keys.map((k) => byKey.get(cacheKeyFn ? cacheKeyFn(k) : k) ?? []);
    },
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}

/** Cache key for loaders keyed by small objects (e.g. `{ regionCode, year }`). */
export const jsonKey = (key: unknown): string => JSON.stringify(key);

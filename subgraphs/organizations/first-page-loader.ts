import DataLoader from 'dataloader';
import { jsonKey } from '../kit/index.ts';

/** Which parent's list, and how many rows of it (`first + 1`). */
export interface FirstPageKey {
  parentId: string;
  limit: number;
}

/**
 * The first page of a child list (an organization's opportunities, a
 * front-office's trainings) for many parents in one statement. One batch
 * fetches the largest page asked for and each key gets its own slice. Later
 * pages (`after` given) are read directly: a client walks them one parent at a
 * time. `fetch` returns rows in page order within each parent.
 */
export function firstPageLoader<Row>(
  fetch: (parentIds: readonly string[], limit: number) => Promise<readonly Row[]>,
  parentOf: (row: Row) => string,
): DataLoader<FirstPageKey, Row[], string> {
  return new DataLoader<FirstPageKey, Row[], string>(
    async (keys) => {
      const limit = Math.max(...keys.map((k) => k.limit));
      const rows = await fetch([...new Set(keys.map((k) => k.parentId))], limit);
      const byParent = new Map<string, Row[]>();
      for (const row of rows) {
        const list = byParent.get(parentOf(row));
        if (list) list.push(row);
        else byParent.set(parentOf(row), [row]);
      }
      return keys.map((k) => (byParent.get(k.parentId) ?? []).slice(0, k.limit));
    },
    { cacheKeyFn: jsonKey },
  );
}

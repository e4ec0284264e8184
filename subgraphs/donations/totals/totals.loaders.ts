import type { Kysely } from 'kysely';
import { groupedLoader, jsonKey, keyedLoader } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { findRegionTotals, sumReceived } from './totals.repository.ts';

/** Keys of one batch that share a parameter (a date range, a year) share one statement. */
function groupBy<K, P>(keys: readonly K[], param: (k: K) => P): Map<string, { param: P; keys: K[] }> {
  const groups = new Map<string, { param: P; keys: K[] }>();
  for (const k of keys) {
    const p = param(k);
    const id = jsonKey(p);
    const group = groups.get(id) ?? { param: p, keys: [] };
    group.keys.push(k);
    groups.set(id, group);
  }
  return groups;
}

export interface ReceivedKey {
  organizationId: string;
  from: string | null;
  to: string | null;
}

export function totalsLoaders(db: Kysely<DonationsDB>) {
  return {
    receivedByOrganization: keyedLoader(
      async (keys: readonly ReceivedKey[]) => {
        const groups = groupBy(keys, (k) => ({ from: k.from, to: k.to }));
        const results = await Promise.all(
          [...groups.values()].map(async ({ param, keys: group }) =>
            (
              await sumReceived(
                db,
                group.map((k) => k.organizationId),
                param.from,
                param.to,
              )
            ).map((r) => ({ ...r, ...param })),
          ),
        );
        return results.flat();
      },
      (r): ReceivedKey => ({ organizationId: r.organizationId, from: r.from, to: r.to }),
      jsonKey,
    ),
    regionTotals: groupedLoader(
      async (keys: readonly { regionCode: string; year: number }[]) => {
        const groups = groupBy(keys, (k) => k.year);
        const results = await Promise.all(
          [...groups.values()].map(({ param: year, keys: group }) =>
            findRegionTotals(
              db,
              year,
              group.map((k) => k.regionCode),
            ),
          ),
        );
        return results.flat();
      },
      (r) => ({ regionCode: r.regionCode, year: r.year }),
      jsonKey,
    ),
  };
}

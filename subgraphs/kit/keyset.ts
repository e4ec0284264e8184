import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { invariant } from '../../platform/invariant.ts';
import type { CursorKey, CursorPart, Page } from './pagination.ts';

/** The direction a list runs in: every column of its keyset ascends, or every column descends. */
export type KeysetOrder = 'asc' | 'desc';

/** The SQL type a cursor's part is compared as. */
const SQL_TYPE: Record<CursorPart, string> = {
  id: 'uuid',
  day: 'date',
  timestamp: 'timestamptz',
  text: 'text',
  currency: 'text',
  integer: 'bigint',
};

/** One part of a cursor's key as a typed SQL value; a timestamp written without an offset is UTC. */
function cursorValue(kind: CursorPart, value: string | number): RawBuilder<unknown> {
  const text = kind === 'timestamp' && !/(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(String(value).slice(19)) ? `${value}Z` : value;
  return sql`${text}::${sql.raw(SQL_TYPE[kind])}`;
}

/** `col1 dir, col2 dir, …` for an `over (… order by …)` clause. */
function orderList(keyset: readonly string[], order: KeysetOrder): RawBuilder<unknown> {
  return sql.join(keyset.map((column) => sql`${sql.ref(column)} ${sql.raw(order)}`));
}

/**
 * The one way a list reads a page: the rows after the cursor's key, in keyset
 * order, `first + 1` of them (see `toConnection`). `keyset` names the columns of
 * the key, in the order of the codec's parts, qualified as the query needs
 * (`grants.award_date`); the last one makes the order total (an id).
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: Page<CursorKey>,
  keyset: readonly string[],
  order: KeysetOrder = 'asc',
): SelectQueryBuilder<DB, TB, O> {
  invariant(keyset.length === page.codec.parts.length, `the keyset of ${page.codec.list} has ${page.codec.parts.length} columns`);
  let paged = query;
  if (page.after) {
    const after = page.after;
    const columns = sql.join(keyset.map((column) => sql.ref(column)));
    const values = sql.join(page.codec.parts.map((kind, i) => cursorValue(kind, after[i]!)));
    paged = paged.where(sql<boolean>`(${columns}) ${sql.raw(order === 'asc' ? '>' : '<')} (${values})`);
  }
  for (const column of keyset) paged = paged.orderBy(sql.ref(column), order);
  return paged.limit(page.limit);
}

/**
 * The first `limit` rows of each parent in one statement (the fetch of a
 * `firstPageLoader`): `children` selects the rows of all the parents (`parent in
 * (…)` and any filter); they are numbered per `parent` in keyset order and cut
 * at `limit`. Rows come back grouped by parent, in keyset order within each.
 */
export async function firstPerParent<O>(
  db: Kysely<any>,
  children: SelectQueryBuilder<any, any, O>,
  parent: string,
  keyset: readonly string[],
  order: KeysetOrder,
  limit: number,
): Promise<O[]> {
  const ranked = children
    .select(sql<number>`row_number() over (partition by ${sql.ref(parent)} order by ${orderList(keyset, order)})`.as('keyset_rank'))
    .as('ranked');
  let query = db
    .selectFrom(ranked)
    .selectAll()
    .where('keyset_rank', '<=', limit)
    .orderBy(sql.ref(parent.split('.').at(-1)!));
  for (const column of keyset) query = query.orderBy(sql.ref(column.split('.').at(-1)!), order);
  const rows = (await query.execute()) as (O & { keyset_rank?: number })[];
  return rows.map(({ keyset_rank: _rank, ...row }) => row as O);
}

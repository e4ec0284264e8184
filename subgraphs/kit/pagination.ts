import { BadUserInput } from '../../platform/errors.ts';

/** The largest page any list field serves. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<K> {
  /** Rows to fetch: one more than asked, to learn whether a next page exists. */
  limit: number;
  first: number;
  /** The decoded keyset position to continue after, or null for the first page. */
  after: K | null;
}

export type CursorKey = readonly (string | number)[];

/** Validates `first` and `after`; a cursor is an opaque keyset position. */
export function parsePage<K extends CursorKey>(args: PageArgs, validate: (key: CursorKey) => key is K): Page<K> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  let after: K | null = null;
  if (args.after !== null && args.after !== undefined) {
    let key: unknown;
    try {
      key = JSON.parse(Buffer.from(args.after, 'base64url').toString('utf8'));
    } catch {
      throw new BadUserInput('after', 'not a cursor this list gave out');
    }
    if (!Array.isArray(key) || !validate(key as CursorKey) || !(key as CursorKey).every(isStorableCursorPart)) {
      throw new BadUserInput('after', 'not a cursor this list gave out');
    }
    after = key as unknown as K;
  }
  return { limit: first + 1, first, after };
}

// A whole part shaped as a day or a timestamp (a name that merely starts with digits is text).
const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * A cursor is the caller's text: each part goes to SQL as a parameter, so it
 * must be a value PostgreSQL takes (no NUL in text, a real calendar day where
 * a date or timestamp stands), or the statement fails as an internal error.
 */
function isStorableCursorPart(part: string | number): boolean {
  if (typeof part === 'number') return Number.isFinite(part);
  if (part.length > 1_000 || part.includes('\u0000')) return false;
  const day = DAY_SHAPE.exec(part);
  if (!day) return true;
  const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return part.length === 10 || Number.isFinite(Date.parse(part));
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Builds a Relay-style connection from `first + 1` fetched rows. */
export function toConnection<T>(rows: readonly T[], page: Page<CursorKey>, keyOf: (row: T) => CursorKey): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** Cursor validators for the common keysets. */
export const isIdKey = (k: CursorKey): k is readonly [string] => k.length === 1 && typeof k[0] === 'string';
export const isTextIdKey = (k: CursorKey): k is readonly [string, string] =>
  k.length === 2 && typeof k[0] === 'string' && typeof k[1] === 'string';

import { BadUserInput } from '../../platform/errors.ts';
import { invariant } from '../../platform/invariant.ts';

/** The largest page any list field serves. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<K extends CursorKey = CursorKey> {
  /** Rows to fetch: one more than asked, to learn whether a next page exists. */
  limit: number;
  first: number;
  /** The decoded keyset position to continue after, or null for the first page. */
  after: K | null;
  /** Writes the cursors of this page's rows. */
  codec: CursorCodec<K>;
}

export type CursorKey = readonly (string | number)[];

/**
 * The kinds of value a keyset cursor holds, each checked for type and range
 * before it goes to SQL as a parameter:
 * - `id`: a UUID;
 * - `day`: a real calendar day `YYYY-MM-DD`, years 1900–9999;
 * - `timestamp`: a real instant, `YYYY-MM-DD[T ]HH:MM:SS[.ffffff]` with an optional offset
 *   (`Z`, `±HH`, `±HH:MM`) of at most ±14:00, years 1900–9999;
 * - `text`: a string of at most 1,000 characters, without NUL or lone surrogates;
 * - `currency`: three capital letters;
 * - `integer`: a safe integer.
 */
export type CursorPart = 'id' | 'day' | 'timestamp' | 'text' | 'currency' | 'integer';
type PartValue<P> = P extends 'integer' ? number : string;
export type CursorKeyOf<P extends readonly CursorPart[]> = { readonly [I in keyof P]: PartValue<P[I]> };

/**
 * The one way a list's cursors are written and read. A cursor is base64url of
 * the JSON array `[list, ...key]`: bound to the list that gave it out (a cursor of
 * `donors` given to `donations` is refused), each part of the key checked. Any
 * other text as `after` is BAD_USER_INPUT, never a statement that fails.
 */
export interface CursorCodec<K extends CursorKey = CursorKey> {
  readonly list: string;
  readonly parts: readonly CursorPart[];
  encode(key: CursorKey): string;
  /** The key of a cursor this list gave out; BAD_USER_INPUT on `argument` otherwise. */
  decode(cursor: unknown, argument?: string): K;
}

/** The longest cursor text accepted (a key of a few parts is far shorter). */
export const MAX_CURSOR_LENGTH = 4_096;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const LIST_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;

function isCalendarDay(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 9999) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whether a decoded value is a valid part of the given kind (see CursorPart). */
export function isCursorPart(kind: CursorPart, value: unknown): boolean {
  switch (kind) {
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'id':
      return typeof value === 'string' && UUID.test(value);
    case 'currency':
      return typeof value === 'string' && /^[A-Z]{3}$/.test(value);
    case 'text':
      return typeof value === 'string' && value.length <= 1_000 && !value.includes('\u0000') && !/\p{Cs}/u.test(value);
    case 'day': {
      const m = typeof value === 'string' ? DAY.exec(value) : null;
      return m !== null && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    case 'timestamp': {
      const m = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
      if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
      const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
      if (hour > 23 || minute > 59 || second > 59) return false;
      if (m[7] === undefined) return true;
      const [offsetHours, offsetMinutes] = [Number(m[8]), Number(m[9] ?? 0)];
      return offsetMinutes <= 59 && offsetHours * 60 + offsetMinutes <= 14 * 60;
    }
  }
}

/** The codec of one list: its name (unique among the graph's lists) and the kinds of its key's parts. */
export function cursorCodec<const P extends readonly CursorPart[]>(list: string, parts: P): CursorCodec<CursorKeyOf<P>> {
  invariant(LIST_NAME.test(list), `invalid list name ${list}`);
  const refuse = (argument: string): never => {
    throw new BadUserInput(argument, `not a cursor of ${list}`);
  };
  return {
    list,
    parts,
    encode(key) {
      invariant(
        key.length === parts.length && parts.every((kind, i) => isCursorPart(kind, key[i])),
        `a ${list} cursor key does not fit its parts`,
      );
      return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
    },
    decode(cursor, argument = 'after') {
      if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor))
        return refuse(argument);
      const bytes = Buffer.from(cursor, 'base64url');
      // Only the canonical encoding: no trailing bits Buffer would silently drop.
      if (bytes.toString('base64url') !== cursor) return refuse(argument);
      let decoded: unknown;
      try {
        decoded = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        return refuse(argument);
      }
      if (!Array.isArray(decoded) || decoded.length !== parts.length + 1 || decoded[0] !== list) return refuse(argument);
      const key: unknown[] = decoded.slice(1);
      if (!parts.every((kind, i) => isCursorPart(kind, key[i]))) return refuse(argument);
      // Ids are compared as uuid in SQL; keep them as PostgreSQL prints them.
      return key.map((value, i) => (parts[i] === 'id' ? (value as string).toLowerCase() : value)) as unknown as CursorKeyOf<P>;
    },
  };
}

/** Validates `first` and `after` (a cursor that `codec`'s list gave out). */
export function parsePage<K extends CursorKey>(args: PageArgs, codec: CursorCodec<K>): Page<K> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  const after = args.after === null || args.after === undefined ? null : codec.decode(args.after, 'after');
  return { limit: first + 1, first, after, codec };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Builds a Relay-style connection from `first + 1` fetched rows. */
export function toConnection<T, K extends CursorKey>(rows: readonly T[], page: Page<K>, keyOf: (row: T) => CursorKey): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: page.codec.encode(keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

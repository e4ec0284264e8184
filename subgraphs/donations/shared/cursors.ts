import { isId, type CursorKey } from '../../kit/index.ts';

/** Keyset cursors of this subgraph's lists. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A PostgreSQL timestamptz as text (microseconds kept, so a page never skips or repeats a row). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)?$/;

export type DayIdKey = readonly [string, string];
export type TimestampIdKey = readonly [string, string];

export const isDayIdKey = (k: CursorKey): k is DayIdKey => k.length === 2 && typeof k[0] === 'string' && DAY.test(k[0]) && isId(k[1]);
export const isTimestampIdKey = (k: CursorKey): k is TimestampIdKey =>
  k.length === 2 && typeof k[0] === 'string' && TIMESTAMP.test(k[0]) && isId(k[1]);
export const isCurrencyDayKey = (k: CursorKey): k is readonly [string, string] =>
  k.length === 2 && typeof k[0] === 'string' && DAY.test(k[0]) && typeof k[1] === 'string' && /^[A-Z]{3}$/.test(k[1]);

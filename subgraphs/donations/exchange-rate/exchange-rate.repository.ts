import type { Kysely, Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { DonationsDB, ExchangeRateTable } from '../migrations/tables.ts';
import { sqlMinor } from '../money/money.ts';

export interface ExchangeRate {
  currency: string;
  date: string;
  rateMicro: bigint;
  source: string;
}

export function rowToExchangeRate(
  row: Pick<Selectable<ExchangeRateTable>, 'currency' | 'rate_date' | 'rate_micro' | 'source'>,
): ExchangeRate {
  return { currency: row.currency, date: row.rate_date, rateMicro: BigInt(row.rate_micro), source: row.source };
}

/** The official rate of a day, or of the latest earlier day that has one. */
export async function findRateOnOrBefore(db: Kysely<DonationsDB>, currency: string, date: string): Promise<ExchangeRate | null> {
  const row = await db
    .selectFrom('exchange_rates')
    .select(['currency', 'rate_date', 'rate_micro', 'source'])
    .where('currency', '=', currency)
    .where('rate_date', '<=', date)
    .orderBy('rate_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? rowToExchangeRate(row) : null;
}

export async function findRateOfDay(db: Kysely<DonationsDB>, currency: string, date: string): Promise<ExchangeRate | null> {
  const row = await db
    .selectFrom('exchange_rates')
    .select(['currency', 'rate_date', 'rate_micro', 'source'])
    .where('currency', '=', currency)
    .where('rate_date', '=', date)
    .executeTakeFirst();
  return row ? rowToExchangeRate(row) : null;
}

export interface ExchangeRateFilter {
  currency?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const exchangeRateCursor = (r: ExchangeRate): CursorKey => [r.date, r.currency];

/** Newest first, by (date desc, currency desc). */
export async function listExchangeRates(
  db: Kysely<DonationsDB>,
  filter: ExchangeRateFilter,
  page: Page<readonly [string, string]>,
): Promise<ExchangeRate[]> {
  let query = db.selectFrom('exchange_rates').select(['currency', 'rate_date', 'rate_micro', 'source']);
  if (filter.currency) query = query.where('currency', '=', filter.currency);
  if (filter.from) query = query.where('rate_date', '>=', filter.from);
  if (filter.to) query = query.where('rate_date', '<=', filter.to);
  const rows = await keysetPage(query, page, ['rate_date', 'currency'], 'desc').execute();
  return rows.map(rowToExchangeRate);
}

/** Inserts a rate; returns null when that currency already has a rate for that day. */
export async function insertExchangeRate(db: Kysely<DonationsDB>, rate: ExchangeRate): Promise<ExchangeRate | null> {
  const row = await db
    .insertInto('exchange_rates')
    .values({ currency: rate.currency, rate_date: rate.date, rate_micro: sqlMinor(rate.rateMicro), source: rate.source })
    .onConflict((oc) => oc.columns(['currency', 'rate_date']).doNothing())
    .returning(['currency', 'rate_date', 'rate_micro', 'source'])
    .executeTakeFirst();
  return row ? rowToExchangeRate(row) : null;
}

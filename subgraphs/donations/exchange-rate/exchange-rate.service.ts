import type { Kysely } from 'kysely';
import {
  auditedTransaction,
  BadUserInput,
  Conflict,
  DomainError,
  Forbidden,
  parseDay,
  parseText,
  recordAudit,
  today,
  type RequestContext,
} from '../../kit/index.ts';
import { isAdmin } from '../access.ts';
import { daysFrom } from '../../kit/dates.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { formatRate, KZT, parseForeignCurrency, parseRate } from '../money/money.ts';
import { findRateOfDay, findRateOnOrBefore, insertExchangeRate, type ExchangeRate } from './exchange-rate.repository.ts';

export interface RecordExchangeRateInput {
  currency: string;
  date: string;
  rate: string;
  source?: string | null;
}

/**
 * Records an official rate (admins). Official rates are published once and not
 * revised: the same rate again answers the stored one, another rate for a day
 * that has one is a CONFLICT. Donations keep a copy of the rate they were
 * converted at, so a rate never changes a past donation.
 */
export async function recordExchangeRate(
  db: Kysely<DonationsDB>,
  context: RequestContext,
  input: RecordExchangeRateInput,
): Promise<ExchangeRate> {
  if (!isAdmin(context.viewer)) throw new Forbidden('Only an admin may record official exchange rates');
  const rate: ExchangeRate = {
    currency: parseForeignCurrency(input.currency, 'input.currency'),
    date: parseDay(input.date, 'input.date'),
    rateMicro: parseRate(input.rate, 'input.rate'),
    source: parseText(input.source ?? 'National Bank of Kazakhstan', 'input.source', { max: 200 }),
  };
  if (rate.date > today()) throw new BadUserInput('input.date', 'an official rate is not published ahead of its day');
  return auditedTransaction(db, context, async (trx, audit) => {
    const inserted = await insertExchangeRate(trx, rate);
    if (!inserted) {
      const existing = await findRateOfDay(trx, rate.currency, rate.date);
      if (existing && existing.rateMicro === rate.rateMicro) return existing;
      throw new Conflict(
        `${rate.currency} already has the official rate ${existing ? formatRate(existing.rateMicro) : '?'} on ${rate.date}`,
        {
          argumentName: 'input.rate',
        },
      );
    }
    await audit({
      action: 'exchangeRate.record',
      entity: 'ExchangeRate',
      entityId: `${rate.currency}:${rate.date}`,
      details: { currency: rate.currency, date: rate.date, rate: formatRate(rate.rateMicro), source: rate.source },
    });
    return inserted;
  });
}

/**
 * The rate a foreign-currency amount of a day is converted at: that day's, or
 * the latest earlier day's. None at or before the day is the caller's mistake.
 */
export async function rateForDay(db: Kysely<DonationsDB>, currency: string, date: string, argument: string): Promise<ExchangeRate | null> {
  if (currency === KZT) return null;
  const rate = await findRateOnOrBefore(db, currency, date);
  const maxStaleness = ratesMaxStalenessDays();
  if (!rate || daysFrom(rate.date, date) > maxStaleness) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Invalid ${argument}: there is no official ${currency} rate for ${date}` +
        (rate
          ? ` (the latest is of ${rate.date}, more than ${maxStaleness} days earlier): import the National Bank's rates of ${date}`
          : ''),
      {
        argumentName: argument,
        reason: 'MISSING_OFFICIAL_RATE',
        missingRateDate: date,
        currency,
        latestRateDate: rate?.date ?? null,
        maxStalenessDays: maxStaleness,
      },
    );
  }
  return rate;
}

/**
 * How many days an official rate may be older than the day it converts
 * (RATES_MAX_STALENESS_DAYS, default 4): the National Bank publishes no rate on
 * weekends and holidays, and the last one published holds meanwhile; the
 * longest run of such days in Kazakhstan's calendar (a holiday joined to a
 * weekend) is four.
 */
export function ratesMaxStalenessDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RATES_MAX_STALENESS_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_RATES_MAX_STALENESS_DAYS;
  if (!/^\d{1,3}$/.test(raw)) throw new Error(`RATES_MAX_STALENESS_DAYS must be a whole number of days, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

export const DEFAULT_RATES_MAX_STALENESS_DAYS = 4;

export interface RatesImport {
  date: string;
  /** Rates written now. */
  recorded: number;
  /** Rates already stored with the same value. */
  unchanged: number;
}

/**
 * Writes one day's official rates (an import of the National Bank's file) in
 * one transaction with one audit entry: a rate already stored differently is a
 * CONFLICT and nothing of the file is written.
 */
export async function importOfficialRates(
  db: Kysely<DonationsDB>,
  context: Pick<RequestContext, 'requestId' | 'viewer'>,
  file: { date: string; rates: readonly ExchangeRate[]; origin: string },
): Promise<RatesImport> {
  return db.transaction().execute(async (trx) => {
    let recorded = 0;
    let unchanged = 0;
    for (const rate of file.rates) {
      if (await insertExchangeRate(trx, rate)) {
        recorded++;
        continue;
      }
      const existing = await findRateOfDay(trx, rate.currency, rate.date);
      if (existing?.rateMicro !== rate.rateMicro) {
        throw new Conflict(
          `${rate.currency} already has the official rate ${existing ? formatRate(existing.rateMicro) : '?'} on ${rate.date}`,
          {
            argumentName: 'file',
          },
        );
      }
      unchanged++;
    }
    await recordAudit(trx, context, {
      action: 'exchangeRate.import',
      entity: 'ExchangeRate',
      entityId: file.date,
      details: { date: file.date, origin: file.origin, recorded, unchanged, currencies: file.rates.map((r) => r.currency) },
    });
    return { date: file.date, recorded, unchanged };
  });
}

import type { Kysely } from 'kysely';
import { BadUserInput, Conflict, Forbidden, parseDay, parseText, auditedTransaction, today, type RequestContext } from '../../kit/index.ts';
import { isAdmin } from '../access.ts';
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
      throw new Conflict(`${rate.currency} already has the official rate ${existing ? formatRate(existing.rateMicro) : '?'} on ${rate.date}`, {
        argumentName: 'input.rate',
      });
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
export async function rateForDay(
  db: Kysely<DonationsDB>,
  currency: string,
  date: string,
  argument: string,
): Promise<ExchangeRate | null> {
  if (currency === KZT) return null;
  const rate = await findRateOnOrBefore(db, currency, date);
  if (!rate) throw new BadUserInput(argument, `there is no official ${currency} rate on or before ${date}`);
  return rate;
}

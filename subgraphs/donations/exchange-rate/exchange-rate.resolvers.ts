import { parseCurrency, parseDay, parsePage, toConnection, type PageArgs } from '../../kit/index.ts';
import type { DonationsContext } from '../context.ts';
import { exchangeRateCursors } from '../common/cursors.ts';
import { formatRate, parseForeignCurrency } from '../money/money.ts';
import { exchangeRateCursor, findRateOnOrBefore, listExchangeRates, type ExchangeRate } from './exchange-rate.repository.ts';
import { recordExchangeRate, type RecordExchangeRateInput } from './exchange-rate.service.ts';

interface ExchangeRatesArgs extends PageArgs {
  currency?: string | null;
  from?: string | null;
  to?: string | null;
}

export const exchangeRateResolvers = {
  Query: {
    exchangeRate: (_: unknown, args: { currency: string; date: string }, { db }: DonationsContext) =>
      findRateOnOrBefore(db, parseForeignCurrency(args.currency, 'currency'), parseDay(args.date, 'date')),
    exchangeRates: async (_: unknown, args: ExchangeRatesArgs, { db }: DonationsContext) => {
      const page = parsePage(args, exchangeRateCursors);
      const filter = {
        currency: args.currency ? parseCurrency(args.currency, 'currency') : undefined,
        from: args.from ? parseDay(args.from, 'from') : undefined,
        to: args.to ? parseDay(args.to, 'to') : undefined,
      };
      return toConnection(await listExchangeRates(db, filter, page), page, exchangeRateCursor);
    },
  },
  Mutation: {
    recordExchangeRate: (_: unknown, { input }: { input: RecordExchangeRateInput }, context: DonationsContext) =>
      recordExchangeRate(context.db, context, input),
  },
  ExchangeRate: {
    rate: (r: ExchangeRate) => formatRate(r.rateMicro),
  },
};

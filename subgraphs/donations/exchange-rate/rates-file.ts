import { readFileSync } from 'node:fs';
import { isCurrency, parseDay } from '../../kit/index.ts';
import { KZT, parseRate } from '../money/money.ts';

export interface OfficialRate {
  currency: string;
  date: string;
  rateMicro: bigint;
  source: string;
}

/** The official rates shipped with the project (`rates.csv`: date,currency,rate,source; `#` starts a comment). */
export const RATES_FILE = new URL('../rates.csv', import.meta.url);

export function parseRatesCsv(text: string, file = 'rates.csv'): OfficialRate[] {
  const rates: OfficialRate[] = [];
  let header = true;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (header) {
      header = false;
      if (line.replace(/\s/g, '') !== 'date,currency,rate,source')
        throw new Error(`${file}: expected the header date,currency,rate,source`);
      return;
    }
    const [date, currency, rate, ...source] = line.split(',');
    const where = `${file}:${index + 1}`;
    if (!isCurrency(currency) || currency === KZT) throw new Error(`${where}: unknown currency ${currency}`);
    rates.push({
      currency,
      date: parseDay(date, where),
      rateMicro: parseRate(rate, where),
      source: source.join(',').trim() || 'National Bank of Kazakhstan',
    });
  });
  return rates;
}

export function readShippedRates(): OfficialRate[] {
  return parseRatesCsv(readFileSync(RATES_FILE, 'utf8'));
}

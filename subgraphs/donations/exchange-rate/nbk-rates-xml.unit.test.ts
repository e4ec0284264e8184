import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MalformedRatesFile, nbkRatesUrl, parseNbkRatesXml } from './nbk-rates-xml.ts';

const sample = readFileSync(new URL('../../../test/fixtures/nbk/rates-2026-12-04.xml', import.meta.url), 'utf8');

describe('the National Bank rates XML', () => {
  it('reads the day and each rate per one unit', () => {
    const file = parseNbkRatesXml(sample);
    expect(file.date).toBe('2026-12-04');
    expect(file.rates.find((r) => r.currency === 'USD')).toEqual({
      currency: 'USD',
      date: '2026-12-04',
      rateMicro: 495_380_000n,
      source: 'National Bank of Kazakhstan',
    });
    expect(file.rates.find((r) => r.currency === 'KRW')!.rateMicro).toBe(351_800n);
    expect(file.skipped).toContain('XDR');
  });

  it.each([
    ['a decimal comma', sample.replace('<description>495.38</description>', '<description>495,38</description>')],
    ['a cut file', sample.slice(0, 400)],
    ['another root', sample.replace('<rates>', '<kurs>').replace('</rates>', '</kurs>')],
    ['a date in another format', sample.replace('<date>04.12.2026</date>', '<date>2026-12-04</date>')],
    ['a currency twice', sample.replace('<title>EUR</title>', '<title>USD</title>')],
    ['a quant that is not a power of ten', sample.replace('<quant>100</quant>', '<quant>3</quant>')],
    ['an item without a rate', sample.replace('<description>523.61</description>', '')],
    ['no items', '<rates><date>04.12.2026</date></rates>'],
  ])('refuses %s whole', (_, xml) => {
    expect(() => parseNbkRatesXml(xml)).toThrow(MalformedRatesFile);
  });

  it('names the feed of a day', () => {
    expect(nbkRatesUrl('2026-12-04')).toBe('https://nationalbank.kz/rss/get_rates.cfm?fdate=04.12.2026');
  });
});

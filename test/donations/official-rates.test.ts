import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../harness.ts';
import { importNbkRates } from '../../subgraphs/donations/exchange-rate/rates-import.ts';
import { MalformedRatesFile } from '../../subgraphs/donations/exchange-rate/nbk-rates-xml.ts';
import {
  foreignFoundation,
  key,
  ok,
  RECORD_DONATION,
  recordDonation,
  refused,
  registerDonor,
  registerOrganization,
  SHYMKENT,
  tokens,
} from './helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/nbk/${name}`, import.meta.url), 'utf8');
const RATES_OF_DAY = `query ($day: Date!) { exchangeRates(from: $day, to: $day, first: 100) { nodes { currency date rate source } } }`;

let graph: Graph;
let recipient: string;
let donor: string;

beforeAll(async () => {
  graph = await startGraph();
  recipient = await registerOrganization(graph, 'Rates Test Fund', SHYMKENT);
  donor = await registerDonor(graph, recipient, foreignFoundation());
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

const ratesOf = async (day: string) => (await ok(graph, RATES_OF_DAY, { day })).exchangeRates.nodes as Record<string, string>[];

describe('the National Bank rates file', () => {
  it('refuses a malformed file whole: nothing of it is written', async () => {
    await expect(importNbkRates(graph.db('donations'), fixture('malformed-rate.xml'), 'malformed-rate.xml')).rejects.toThrow(
      MalformedRatesFile,
    );
    await expect(
      importNbkRates(graph.db('donations'), '<rates><date>04.12.2026</date><item><title>USD</title>', 'cut.xml'),
    ).rejects.toThrow(/not well-formed/);
    await expect(
      importNbkRates(
        graph.db('donations'),
        '<rates><date>31.11.2026</date><item><title>USD</title><description>1</description><quant>1</quant></item></rates>',
        'day.xml',
      ),
    ).rejects.toThrow(/not a real day/);
    expect(await ratesOf('2026-12-04')).toEqual([]);
  });

  it('imports the real-format file: every currency the register knows, per one unit, audited', async () => {
    const result = await importNbkRates(graph.db('donations'), fixture('rates-2026-12-04.xml'), 'rates-2026-12-04.xml');
    expect(result.date).toBe('2026-12-04');
    expect(result.skipped).toEqual(expect.arrayContaining(['XDR', 'AUD', 'IRR']));
    const rates = await ratesOf('2026-12-04');
    expect(rates).toHaveLength(result.recorded);
    const byCode = Object.fromEntries(rates.map((r) => [r.currency, r]));
    expect(byCode.USD).toEqual({ currency: 'USD', date: '2026-12-04', rate: '495.38', source: 'National Bank of Kazakhstan' });
    expect(byCode.EUR!.rate).toBe('523.61');
    // <quant>100</quant>: 35.18 KZT for 100 won, 3.85 for 100 sum.
    expect(byCode.KRW!.rate).toBe('0.3518');
    expect(byCode.UZS!.rate).toBe('0.0385');
    expect(byCode.XDR).toBeUndefined();
    // The same file again changes nothing; one audit entry per import.
    expect(await importNbkRates(graph.db('donations'), fixture('rates-2026-12-04.xml'), 'again.xml')).toMatchObject({
      recorded: 0,
      unchanged: result.recorded,
    });
    const audit = await graph
      .db('donations')
      .selectFrom('audit_log')
      .select(['action', 'actor_subject'])
      .where('action', '=', 'exchangeRate.import')
      .execute();
    expect(audit).toEqual([
      { action: 'exchangeRate.import', actor_subject: 'service:rates-import' },
      { action: 'exchangeRate.import', actor_subject: 'service:rates-import' },
    ]);
  });

  it('refuses a file that contradicts a rate recorded before, writing none of it', async () => {
    const contradicting = fixture('rates-2026-12-04.xml')
      .replace('<date>04.12.2026</date>', '<date>25.11.2026</date>')
      .replace('<description>495.38</description>', '<description>495.99</description>');
    await expect(importNbkRates(graph.db('donations'), contradicting, 'contradicting.xml')).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });
    const rates = await ratesOf('2026-11-25');
    expect(rates.find((r) => r.currency === 'USD')!.rate).toBe('495.20');
    expect(rates.find((r) => r.currency === 'KWD')).toBeUndefined();
  });
});

describe('converting at an official rate no older than RATES_MAX_STALENESS_DAYS (4)', () => {
  it('converts at the rate of the day or of a recent earlier day, and says which', async () => {
    const friday = await recordDonation(graph, {
      donorId: donor,
      recipientId: recipient,
      amount: '100.00',
      currency: 'USD',
      date: '2026-12-04',
    });
    expect(friday.exchangeRate).toEqual({ rate: '495.38', date: '2026-12-04', source: 'National Bank of Kazakhstan' });
    expect(friday.amountKzt).toEqual({ amount: '49538.00', currency: 'KZT' });
    // Sunday: no rate is published; Friday's holds.
    const sunday = await recordDonation(graph, {
      donorId: donor,
      recipientId: recipient,
      amount: '10.00',
      currency: 'EUR',
      date: '2026-12-06',
    });
    expect(sunday.exchangeRate).toMatchObject({ rate: '523.61', date: '2026-12-04' });
    // Four days after 2026-11-25 is still within the allowed staleness.
    const within = await recordDonation(graph, {
      donorId: donor,
      recipientId: recipient,
      amount: '1.00',
      currency: 'USD',
      date: '2026-11-29',
    });
    expect(within.exchangeRate).toMatchObject({ rate: '495.20', date: '2026-11-25' });
  });

  it('refuses a write whose date has no official rate within the staleness, naming the missing date', async () => {
    const input = { donorId: donor, recipientId: recipient, amount: { amount: '10.00', currency: 'USD' }, date: '2026-12-01' };
    const refusal = await refused(graph, RECORD_DONATION, { input, key: key() }, tokens(graph).coordinatorOf(recipient));
    expect(refusal.code).toBe('BAD_USER_INPUT');
    expect(refusal.argumentName).toBe('input.date');
    expect(refusal.body.errors![0]!.extensions).toMatchObject({
      reason: 'MISSING_OFFICIAL_RATE',
      missingRateDate: '2026-12-01',
      currency: 'USD',
      latestRateDate: '2026-11-25',
      maxStalenessDays: 4,
    });
    expect(refusal.body.errors![0]!.message).toContain('2026-12-01');
    const count = await graph
      .db('donations')
      .selectFrom('donations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('donated_on', '=', '2026-12-01')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});

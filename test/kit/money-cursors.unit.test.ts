import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideHalfUp, formatRate, parseRate, toKzt } from '../../subgraphs/donations/money/money.ts';
import {
  BadUserInput,
  CURRENCY_DIGITS,
  cursorCodec,
  formatAmount,
  int8ToBigInt,
  maxAmountMinor,
  MAX_AMOUNT_UNITS,
  parseAmount,
  parsePage,
} from '../../subgraphs/kit/index.ts';
import { toHours } from '../../subgraphs/volunteers/totals/approved-hours.ts';

/**
 * Pure logic, no server: the money code (kit/money.ts, donations/money) and the
 * cursor codec (kit/pagination.ts) under seeded property tests. A failure
 * prints its seed and counterexample; the seed makes it reproducible.
 */
const SEED = 20261207;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

const currencies = Object.keys(CURRENCY_DIGITS);
const currency = fc.constantFrom(...currencies);
/** A minor amount within the per-entry cap of its currency, never zero. */
const amountIn = (c: string) => fc.bigInt({ min: 1n, max: maxAmountMinor(c) });

/** What the caller sees when refused: BadUserInput, never a TypeError or a RangeError. */
function refusal(run: () => unknown): BadUserInput | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInput);
    return error as BadUserInput;
  }
}

describe('money (kit/money.ts)', () => {
  it('formats and parses back every amount within the cap exactly, in every currency', () => {
    fc.assert(
      fc.property(
        currency.chain((c) => fc.tuple(fc.constant(c), amountIn(c), fc.boolean())),
        ([c, minor, negative]) => {
          const value = negative ? -minor : minor;
          const text = formatAmount(value, c);
          const digits = CURRENCY_DIGITS[c]!;
          expect(text).toMatch(digits ? new RegExp(`^-?(0|[1-9]\\d*)\\.\\d{${digits}}$`) : /^-?(0|[1-9]\d*)$/);
          expect(parseAmount(text, c, 'amount', { allowNegative: true })).toBe(value);
        },
      ),
      runs(2_000),
    );
  });

  it('takes the cap and refuses one minor unit more, as BAD_USER_INPUT', () => {
    for (const c of currencies) {
      const max = maxAmountMinor(c);
      expect(max).toBe(MAX_AMOUNT_UNITS * 10n ** BigInt(CURRENCY_DIGITS[c]!));
      expect(max <= BigInt(Number.MAX_SAFE_INTEGER)).toBe(true); // one entry is always a safe integer
      expect(parseAmount(formatAmount(max, c), c, 'amount')).toBe(max);
      expect(refusal(() => parseAmount(formatAmount(max + 1n, c), c, 'amount'))?.extensions.argumentName).toBe('amount');
    }
    expect(refusal(() => parseAmount('1000000000000.01', 'KZT', 'input.amount'))?.message).toMatch(/1000000000000\.00 KZT/);
  });

  it('refuses any other text as BAD_USER_INPUT and accepts only what it formats back the same', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.stringMatching(/^-?\d{0,20}(\.\d{0,5})?(e\d+)?$/),
      fc.constantFrom(
        '',
        ' 1.00',
        '1,00',
        '1e3',
        '0x10',
        'NaN',
        'Infinity',
        '-0',
        '00.10',
        '1.',
        '.5',
        '１２３',
        '1.0\u0000',
        '9'.repeat(400),
      ),
    );
    fc.assert(
      fc.property(hostile, currency, (text, c) => {
        let minor: bigint | null = null;
        const error = refusal(() => {
          minor = parseAmount(text, c, 'amount', { allowNegative: true, allowZero: true });
        });
        if (error) return;
        // Accepted: the text is the amount, padded to the currency's digits at most.
        const formatted = formatAmount(minor!, c);
        const [whole, fraction = ''] = text.replace(/^-/, '').split('.');
        expect(formatted.replace(/^-/, '')).toBe(CURRENCY_DIGITS[c] ? `${whole}.${fraction.padEnd(CURRENCY_DIGITS[c]!, '0')}` : whole);
      }),
      runs(3_000),
    );
  });

  it('refuses numbers, null and objects where a decimal string is expected', () => {
    for (const value of [1500, 1500.5, null, undefined, {}, [], 10n, true]) {
      expect(refusal(() => parseAmount(value, 'KZT', 'amount'))).not.toBeNull();
    }
  });
});

describe('money (donations/money)', () => {
  it('converts to KZT half-up to the tiyn, exactly as rational arithmetic says', () => {
    const rate = fc.bigInt({ min: 1n, max: 999_999_999_999_999n });
    fc.assert(
      fc.property(
        currency.chain((c) => fc.tuple(fc.constant(c), amountIn(c))),
        rate,
        ([c, minor], rateMicro) => {
          const kzt = toKzt(minor, c, rateMicro);
          // kzt = round_half_up(n / d) ⇔ 2n − d < 2·kzt·d ≤ 2n + d
          const n = minor * rateMicro * 100n;
          const d = 10n ** BigInt(CURRENCY_DIGITS[c]!) * 1_000_000n;
          expect(2n * n - d < 2n * kzt * d).toBe(true);
          expect(2n * kzt * d <= 2n * n + d).toBe(true);
          // Monotone: one minor unit more is never worth less.
          expect(toKzt(minor + 1n, c, rateMicro) >= kzt).toBe(true);
        },
      ),
      runs(2_000),
    );
  });

  it('rounds halves up and nothing else', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 20n }), (n, d) => {
        const q = divideHalfUp(n, d);
        expect(2n * n - d < 2n * q * d && 2n * q * d <= 2n * n + d).toBe(true);
      }),
      runs(2_000),
    );
  });

  it('formats and parses back every official rate', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 999_999_999_999_999n }), (micro) => {
        expect(parseRate(formatRate(micro), 'rate')).toBe(micro);
      }),
      runs(2_000),
    );
    for (const bad of ['0', '0.000000', '-1', '1.1234567', '1e3', '', 'abc']) expect(refusal(() => parseRate(bad, 'rate'))).not.toBeNull();
  });
});

describe('sums past 2^53 (kit/database.ts readers, volunteers hours)', () => {
  it('reads int8 and numeric text as exact BigInt, however large', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 9_223_372_036_854_775_807n }), { maxLength: 50 }), (values) => {
        const total = values.reduce((a, b) => a + b, 0n);
        expect(int8ToBigInt(total.toString())).toBe(total);
        expect(formatAmount(int8ToBigInt(total.toString()), 'KZT')).toBe(
          `${(total / 100n).toString()}.${(total % 100n).toString().padStart(2, '0')}`,
        );
      }),
      runs(1_000),
    );
    expect(int8ToBigInt(null)).toBe(0n);
    expect(int8ToBigInt('90071992547409930')).toBe(90071992547409930n);
  });

  it('shows hours of any sum of minutes half up to two decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (minutes) => {
        const hundredths = (minutes * 100n + 30n) / 60n;
        expect(toHours(minutes)).toBe(Number(hundredths) / 100);
      }),
      runs(1_000),
    );
  });
});

describe('cursors (kit/pagination.ts)', () => {
  const donors = cursorCodec('donors', ['timestamp', 'id']);
  const donations = cursorCodec('donations', ['day', 'id']);
  const partners = cursorCodec('partners', ['text', 'id']);
  const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
  const raw = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const decodeError = (codec: typeof donors | typeof donations | typeof partners, cursor: unknown) => refusal(() => codec.decode(cursor));

  it('reads back every key it writes, and only for its own list', () => {
    const day = fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.uuid(), (d, u) => {
        const cursor = donations.encode([d, u]);
        expect(donations.decode(cursor)).toEqual([d, u.toLowerCase()]);
        expect(decodeError(donors, cursor)?.extensions.argumentName).toBe('after');
      }),
      runs(1_000),
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }).filter((s) => !s.includes('\u0000')),
        fc.uuid(),
        (name, u) => {
          expect(partners.decode(partners.encode([name, u]))).toEqual([name, u.toLowerCase()]);
        },
      ),
      runs(1_000),
    );
  });

  it('refuses the review’s tampered cursor (an offset of +23:00) and other impossible instants', () => {
    for (const at of [
      '2026-12-07 01:44:32.292+23:00',
      '2026-12-07 24:00:00+00',
      '2026-02-30 10:00:00+00',
      '2026-12-07 01:60:00Z',
      '0001-01-01 00:00:00+00',
      '2026-12-07 01:44:32.1234567+00',
      '2026-12-07 01:44:32+05:60',
    ]) {
      expect(decodeError(donors, raw(['donors', at, id])), at).not.toBeNull();
    }
    for (const at of [
      '2026-12-07 01:44:32.292+00',
      '2026-12-07T01:44:32.292Z',
      '2026-12-07 06:44:32.292123+05',
      '2026-12-07 01:44:32-14:00',
    ]) {
      expect(donors.decode(raw(['donors', at, id]))).toEqual([at, id]);
    }
  });

  it('refuses anything else as BAD_USER_INPUT on after: no other error, whatever the text', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const keyish = fc.tuple(
      fc.constantFrom('donors', 'donations', 'partners', 'DONORS', ''),
      fc.oneof(fc.string(), fc.double(), fc.integer(), json),
      fc.oneof(fc.uuid(), fc.string(), json),
    );
    const anyCursor = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.base64String({ maxLength: 300 }),
      json.map(raw),
      keyish.map(raw),
      fc.array(fc.oneof(fc.string(), json), { maxLength: 6 }).map(raw),
      fc.constantFrom('', '=', '====', 'A'.repeat(5_000), 'WyJkb25vcnMiXQ', 'WyJkb25vcnMiXQ=='),
    );
    fc.assert(
      fc.property(anyCursor, (cursor) => {
        for (const codec of [donors, donations, partners]) {
          try {
            const key = codec.decode(cursor);
            // Accepted: a key of the codec's own list that it writes and reads back the same.
            expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))[0]).toBe(codec.list);
            expect(codec.decode(codec.encode(key))).toEqual(key);
          } catch (error) {
            expect(error).toBeInstanceOf(BadUserInput);
            expect((error as BadUserInput).extensions.argumentName).toBe('after');
          }
        }
      }),
      runs(3_000),
    );
  });

  it('refuses a page size that is not an integer from 0 to 100', () => {
    for (const first of [-1, 101, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(refusal(() => parsePage({ first }, donations))?.extensions.argumentName).toBe('first');
    }
    expect(parsePage({ first: 0 }, donations)).toMatchObject({ limit: 1, first: 0, after: null });
  });
});

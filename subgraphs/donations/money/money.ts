import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInput, CURRENCY_DIGITS, int8ToBigInt, invariant, MAX_AMOUNT_UNITS, parseAmount, parseCurrency } from '../../kit/index.ts';

/**
 * Money arithmetic of the donations subgraph. Amounts are BigInt minor units of
 * their currency; an official rate is a BigInt too: KZT per one unit, scaled by
 * 10^6 (`495.20` is 495_200_000). Nothing here ever touches a float.
 *
 * Rounding rule: a conversion to KZT is rounded half-up to the tiyn (amounts are
 * positive, so half-up and half-away-from-zero agree).
 */
export const KZT = 'KZT';
export const RATE_DIGITS = 6;
const RATE_SCALE = 10n ** BigInt(RATE_DIGITS);
const KZT_DIGITS = BigInt(CURRENCY_DIGITS[KZT] ?? 2);

/** The day the tenge was introduced (15 November 1993): no money of the register is dated before it. */
export const TENGE_INTRODUCED = '1993-11-15';

/**
 * The most one donation may be worth: 10^12 KZT (in tiyn), whatever its currency
 * (a foreign amount under the kit's per-entry cap may convert to more).
 */
export const MAX_DONATION_KZT_MINOR = MAX_AMOUNT_UNITS * 10n ** KZT_DIGITS;

/** n / d rounded half-up, for n >= 0 and d > 0. */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  invariant(n >= 0n && d > 0n, 'divideHalfUp takes a non-negative numerator and a positive denominator');
  return (2n * n + d) / (2n * d);
}

/** Minor units of `currency` to KZT tiyn at `rateMicro` (KZT per unit × 10^6), half-up to the tiyn. */
export function toKzt(amountMinor: bigint, currency: string, rateMicro: bigint): bigint {
  const digits = CURRENCY_DIGITS[currency];
  invariant(digits !== undefined, `unknown currency ${currency}`);
  return divideHalfUp(amountMinor * rateMicro * 10n ** KZT_DIGITS, 10n ** BigInt(digits) * RATE_SCALE);
}

const RATE = /^(\d{1,9})(?:\.(\d+))?$/;

/** An official rate as a decimal string ("495.20") to KZT × 10^6; more than 6 decimals is refused, not rounded. */
export function parseRate(value: unknown, argument: string): bigint {
  const m = typeof value === 'string' ? RATE.exec(value.trim()) : null;
  if (!m) throw new BadUserInput(argument, 'expected a positive decimal rate such as "495.20"');
  const [, whole, fraction = ''] = m;
  if (fraction.length > RATE_DIGITS) throw new BadUserInput(argument, `a rate has at most ${RATE_DIGITS} decimal places`);
  const micro = BigInt(whole + fraction.padEnd(RATE_DIGITS, '0'));
  if (micro === 0n) throw new BadUserInput(argument, 'must be more than zero');
  return micro;
}

/** KZT × 10^6 to the rate's decimal string, with at least two decimals ("495.20", "4.9412"). */
export function formatRate(micro: bigint | number): string {
  const text = BigInt(micro)
    .toString()
    .padStart(RATE_DIGITS + 1, '0');
  const whole = text.slice(0, -RATE_DIGITS);
  const fraction = text.slice(-RATE_DIGITS).replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${fraction}`;
}

/** A foreign currency the register accepts (anything but KZT, which needs no rate). */
export function parseForeignCurrency(value: unknown, argument: string): string {
  const currency = parseCurrency(value, argument);
  if (currency === KZT) throw new BadUserInput(argument, 'KZT has no exchange rate');
  return currency;
}

/**
 * A money input: its currency is known, its amount has no more decimals than the
 * currency, and it is positive (unless told otherwise). Arguments are named
 * `<argument>.currency` and `<argument>.amount`.
 */
export function parseMoneyInput(
  input: { amount: unknown; currency: unknown },
  argument: string,
  options: { currency?: string } = {},
): { minor: bigint; currency: string } {
  const currency = parseCurrency(input.currency, `${argument}.currency`);
  if (options.currency && currency !== options.currency) {
    throw new BadUserInput(`${argument}.currency`, `must be ${options.currency}`);
  }
  return { minor: parseAmount(input.amount, currency, `${argument}.amount`), currency };
}

/** Reads a bigint column or a sum (exact decimal text from the driver) as a BigInt; null is 0. */
export const bigintOf = int8ToBigInt;

/** A BigInt as the decimal string a bigint column takes. */
export const sqlMinor = (value: bigint): string => value.toString();

function strictString(name: string) {
  const fail = (): never => {
    throw new BadUserInput(name, `a ${name} is a string`);
  };
  return new GraphQLScalarType({
    name,
    serialize: (value) => (typeof value === 'string' ? value : fail()),
    parseValue: (value) => (typeof value === 'string' ? value : fail()),
    // undefined: graphql-js answers "Expected value of type ..." in validation.
    parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

/**
 * `Decimal` and `CurrencyCode` are strings on the wire. Numbers are refused (a
 * JSON number may already have passed through a float); the digits allowed
 * depend on the currency, so the services check them and name the argument.
 */
export const DecimalScalar = strictString('Decimal');
export const CurrencyCodeScalar = strictString('CurrencyCode');

/**
 * Splits `total` (≥ 0) by integer weights exactly: each part is floor(total × w / Σw), and the units
 * left over go one each to the parts with the largest remainders, ties to the earlier part. The parts
 * always sum to `total`; the same input always gives the same parts.
 */
export function allocateByWeights(total: bigint, weights: readonly number[]): bigint[] {
  invariant(
    total >= 0n && weights.length > 0 && weights.every((w) => Number.isSafeInteger(w) && w > 0),
    'allocate a non-negative total by positive integer weights',
  );
  const sum = BigInt(weights.reduce((a, w) => a + w, 0));
  const parts = weights.map((w) => (total * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * BigInt(w)) % sum }));
  let left = total - parts.reduce((a, p) => a + p, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts;
}

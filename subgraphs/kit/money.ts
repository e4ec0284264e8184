import { BadUserInput } from '../../platform/errors.ts';

/** ISO 4217 minor-unit digits of the currencies the register accepts. */
export const CURRENCY_DIGITS: Readonly<Record<string, number>> = {
  KZT: 2,
  USD: 2,
  EUR: 2,
  RUB: 2,
  GBP: 2,
  CNY: 2,
  CHF: 2,
  TRY: 2,
  KES: 2,
  THB: 2,
  UZS: 2,
  KGS: 2,
  AED: 2,
  SAR: 2,
  INR: 2,
  JPY: 0,
  KRW: 0,
  JOD: 3,
  KWD: 3,
  BHD: 3,
};

export function isCurrency(code: unknown): code is string {
  return typeof code === 'string' && Object.hasOwn(CURRENCY_DIGITS, code);
}

export function parseCurrency(value: unknown, argument: string): string {
  if (!isCurrency(value)) throw new BadUserInput(argument, `unknown currency ${JSON.stringify(value)}`);
  return value;
}

/**
 * The most one entry (a donation, a budget, a grant, a payment, a goal) may be:
 * one trillion units of its currency. Kazakhstan's yearly GDP is about 1.3 × 10^14
 * KZT; a gift or a grant of 10^12 KZT is already far beyond any real one, and a
 * typing slip of a few extra digits is refused instead of breaking totals. At this
 * cap every single amount is a safe integer of minor units (JOD: 10^15 < 2^53);
 * sums of many entries are not, and are carried as BigInt / decimal text.
 */
export const MAX_AMOUNT_UNITS = 1_000_000_000_000n;

/** MAX_AMOUNT_UNITS in minor units of the currency. */
export function maxAmountMinor(currency: string): bigint {
  const digits = CURRENCY_DIGITS[currency];
  if (digits === undefined) throw new BadUserInput('currency', `unknown currency ${currency}`);
  return MAX_AMOUNT_UNITS * 10n ** BigInt(digits);
}

// As written by a person or a ledger: no spaces, no exponent, no leading zeros ("0010").
const DECIMAL = /^(-?)(0|[1-9]\d{0,14})(?:\.(\d+))?$/;

/**
 * A decimal string ("1500.50") to integer minor units of the currency. Refuses
 * more fraction digits than the currency has: nothing is rounded away.
 */
export function parseAmount(
  value: unknown,
  currency: string,
  argument: string,
  options: { allowZero?: boolean; allowNegative?: boolean } = {},
): bigint {
  const digits = CURRENCY_DIGITS[currency];
  if (digits === undefined) throw new BadUserInput(argument, `unknown currency ${currency}`);
  const m = typeof value === 'string' ? DECIMAL.exec(value) : null;
  if (!m) throw new BadUserInput(argument, 'expected a decimal amount such as "1500.00"');
  const [, sign, whole, fraction = ''] = m;
  if (fraction.length > digits) throw new BadUserInput(argument, `${currency} has ${digits} decimal places, got ${fraction.length}`);
  const minor = BigInt(whole + fraction.padEnd(digits, '0')) * (sign ? -1n : 1n);
  if (minor < 0n && !options.allowNegative) throw new BadUserInput(argument, 'must not be negative');
  if (minor === 0n && !options.allowZero) throw new BadUserInput(argument, 'must be more than zero');
  const max = maxAmountMinor(currency);
  if (minor > max || minor < -max)
    throw new BadUserInput(argument, `more than ${formatAmount(max, currency)} ${currency}, the most one entry may be`);
  return minor;
}

/** Integer minor units to the decimal string of the currency ("1500.00"). */
export function formatAmount(minor: bigint | number, currency: string): string {
  const digits = CURRENCY_DIGITS[currency] ?? 2;
  const value = BigInt(minor);
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const whole = digits ? text.slice(0, -digits) : text;
  const fraction = digits ? `.${text.slice(-digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export interface Money {
  amount: string;
  currency: string;
}

export function money(minor: bigint | number, currency: string): Money {
  return { amount: formatAmount(minor, currency), currency };
}

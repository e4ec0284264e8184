import { BadUserInput } from '../../platform/errors.ts';
import { parseOptionalText } from './validate.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A phone number stored in E.164, +<country><number>. Spaces, dashes and
 * brackets are dropped; a domestic 8XXXXXXXXXX or 7XXXXXXXXXX becomes
 * +7XXXXXXXXXX; any other number is written with its + and country code
 * (which never starts with 0). Empty means none.
 */
export function parsePhone(value: unknown, argument: string): string | null {
  const text = parseOptionalText(value, argument, 40);
  if (text === null) return null;
  const compact = text.replace(/[\s().-]/g, '');
  const international = /^[78]\d{10}$/.test(compact) ? `+7${compact.slice(1)}` : compact;
  if (!/^\+[1-9]\d{7,14}$/.test(international)) {
    throw new BadUserInput(
      argument,
      'expected a phone number such as +7 701 234 5678 (or 8 701 234 5678; a foreign one with its + and country code)',
    );
  }
  // Kazakhstan's numbers are +7 and ten digits (+7 7xx mobile, +7 7xx… landlines).
  if (international.startsWith('+7') && international.length !== 12)
    throw new BadUserInput(argument, 'a +7 number has ten digits after +7');
  return international;
}

/** An e-mail address, lower-cased. Empty means none. */
export function parseEmail(value: unknown, argument: string): string | null {
  const text = parseOptionalText(value, argument, 254);
  if (text === null) return null;
  if (!EMAIL.test(text)) throw new BadUserInput(argument, 'expected an e-mail address');
  return text.toLowerCase();
}

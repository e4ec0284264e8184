import { BadUserInput } from './errors.ts';
import { parseOptionalText } from './validate.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A phone number stored as +<country><number>. Spaces, dashes and brackets are
 * dropped; a domestic 8XXXXXXXXXX becomes +7XXXXXXXXXX. Empty means none.
 */
export function parsePhone(value: unknown, argument: string): string | null {
  const text = parseOptionalText(value, argument, 40);
  if (text === null) return null;
  const compact = text.replace(/[\s()-]/g, '');
  const international = /^8\d{10}$/.test(compact) ? `+7${compact.slice(1)}` : compact.startsWith('+') ? compact : `+${compact}`;
  if (!/^\+\d{10,15}$/.test(international)) throw new BadUserInput(argument, 'expected a phone number such as +7 701 234 5678');
  return international;
}

/** An e-mail address, lower-cased. Empty means none. */
export function parseEmail(value: unknown, argument: string): string | null {
  const text = parseOptionalText(value, argument, 254);
  if (text === null) return null;
  if (!EMAIL.test(text)) throw new BadUserInput(argument, 'expected an e-mail address');
  return text.toLowerCase();
}

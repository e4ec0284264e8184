import { BadUserInput } from '../../platform/errors.ts';
import { isId } from '../../platform/ids.ts';

/** An opaque entity id (UUID); anything else is the caller's mistake. */
export function parseId(value: unknown, argument: string): string {
  if (typeof value !== 'string' || !isId(value)) throw new BadUserInput(argument, 'not a valid id');
  return value.toLowerCase();
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day 'YYYY-MM-DD' that exists (no 2023-02-30). */
export function parseDay(value: unknown, argument: string): string {
  const m = typeof value === 'string' ? DAY.exec(value) : null;
  if (!m) throw new BadUserInput(argument, 'expected a date as YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900) throw new BadUserInput(argument, `${String(value)} is before 1900-01-01, the earliest date accepted`);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    throw new BadUserInput(argument, `${String(value)} is not a calendar date`);
  }
  return value as string;
}

export function parseYear(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1990 || value > 2100) {
    throw new BadUserInput(argument, 'expected a year between 1990 and 2100');
  }
  return value;
}

/** Trimmed text of bounded length; empty is refused when required. */
export function parseText(value: unknown, argument: string, options: { max: number; required?: boolean; singleLine?: boolean }): string {
  if (typeof value !== 'string') throw new BadUserInput(argument, 'expected text');
  const text = value.trim();
  // Zero-width characters alone (U+200B…) look empty and are: a name or a reason needs visible text.
  const visible = text.replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '').trim();
  if ((options.required ?? true) && visible.length === 0) throw new BadUserInput(argument, 'must not be empty');
  if (text.length > options.max) throw new BadUserInput(argument, `longer than ${options.max} characters`);
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) throw new BadUserInput(argument, 'contains control characters');
  // Bidirectional embeddings and overrides make a name display as other text than it holds ("Trojan Source").
  if (/[\u202A-\u202E]/.test(text)) throw new BadUserInput(argument, 'contains bidirectional override characters');
  if (options.singleLine && /[\n\r\t\u2028\u2029]/.test(text)) throw new BadUserInput(argument, 'must be a single line');
  return text;
}

export function parseOptionalText(value: unknown, argument: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const text = parseText(value, argument, { max, required: false });
  return text.length ? text : null;
}

/** A whole number within bounds. */
export function parseInteger(value: unknown, argument: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInput(argument, `expected a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A value of a known set (GraphQL enums are already checked; this is for strings). */
export function parseOneOf<T extends string>(value: unknown, argument: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new BadUserInput(argument, `expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A point on the Earth (WGS 84 degrees). */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** Latitude −90…90 and longitude −180…180, both finite. */
export function parseGeoPoint(value: { latitude?: unknown; longitude?: unknown }, argument: string): GeoPoint {
  const { latitude, longitude } = value;
  if (typeof latitude !== 'number' || !Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
    throw new BadUserInput(`${argument}.latitude`, 'expected degrees from -90 to 90');
  }
  if (typeof longitude !== 'number' || !Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
    throw new BadUserInput(`${argument}.longitude`, 'expected degrees from -180 to 180');
  }
  return { latitude, longitude };
}

/** Two-letter ISO 639-1 language codes (kk, ru, en…), lower-cased, without repeats. */
export function parseLanguages(value: readonly unknown[], argument: string): string[] {
  if (value.length > 20) throw new BadUserInput(argument, 'at most 20 languages');
  return [
    ...new Set(
      value.map((code, i) => {
        if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code))
          throw new BadUserInput(`${argument}[${i}]`, 'expected a two-letter language code (kk, ru, en)');
        return code.toLowerCase();
      }),
    ),
  ];
}

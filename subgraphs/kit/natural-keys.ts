import { BadUserInput } from '../../platform/errors.ts';

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The 12th digit of an IIN or BIN from the first 11, or null when none is valid. */
export function checkDigit(first11: string): number | null {
  const digits = [...first11].map(Number);
  const sum = (w: number[]) => digits.reduce((acc, d, i) => acc + d * (w[i] ?? 0), 0) % 11;
  let c = sum(WEIGHTS_1);
  if (c === 10) c = sum(WEIGHTS_2);
  return c === 10 ? null : c;
}

function hasValidCheckDigit(value: string): boolean {
  return /^\d{12}$/.test(value) && checkDigit(value.slice(0, 11)) === Number(value[11]);
}

/** A BIN (organization number): 12 digits with a valid check digit. */
export function parseBin(value: unknown, argument: string): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) throw new BadUserInput(argument, 'a BIN is 12 digits');
  if (!hasValidCheckDigit(value)) throw new BadUserInput(argument, 'wrong check digit');
  return value;
}

export type Sex = 'MALE' | 'FEMALE';

/**
 * An IIN (personal number): 12 digits, a valid check digit, digits 1–6 the birth
 * date (YYMMDD) and digit 7 the century and sex, agreeing with the birth date
 * (and sex, when given).
 */
export function parseIin(value: unknown, argument: string, birthDate: string, sex?: Sex | null): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) throw new BadUserInput(argument, 'an IIN is 12 digits');
  if (!hasValidCheckDigit(value)) throw new BadUserInput(argument, 'wrong check digit');
  const centuryDigit = Number(value[6]);
  if (centuryDigit < 1 || centuryDigit > 6) throw new BadUserInput(argument, 'digit 7 must be 1 to 6 (century and sex)');
  const century = 1800 + Math.floor((centuryDigit - 1) / 2) * 100;
  const iinBirth = `${century + Number(value.slice(0, 2))}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
  if (iinBirth !== birthDate) throw new BadUserInput(argument, `encodes birth date ${iinBirth}, not ${birthDate}`);
  const iinSex: Sex = centuryDigit % 2 === 1 ? 'MALE' : 'FEMALE';
  if (sex && sex !== iinSex) throw new BadUserInput(argument, `encodes sex ${iinSex}, not ${sex}`);
  return value;
}

/** 12 digits, a valid check digit and a century digit of 1–6: an IIN someone could hold, whatever birth date it is given with. */
export function isWellFormedIin(value: unknown): value is string {
  return typeof value === 'string' && /^\d{12}$/.test(value) && hasValidCheckDigit(value) && Number(value[6]) >= 1 && Number(value[6]) <= 6;
}

/** Builds a valid IIN for a birth date and sex (demo data and tests). */
export function makeIin(birthDate: string, sex: Sex, serial: number): string {
  const year = Number(birthDate.slice(0, 4));
  const centuryDigit = (Math.floor((year - 1800) / 100) * 2 + (sex === 'MALE' ? 1 : 2)).toString();
  for (let s = serial; ; s++) {
    const first11 = `${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${birthDate.slice(8, 10)}${centuryDigit}${String(s % 10000).padStart(4, '0')}`;
    const c = checkDigit(first11);
    if (c !== null) return `${first11}${c}`;
  }
}

/** Builds a valid BIN from a serial (demo data and tests). */
export function makeBin(serial: number, registered = '0901'): string {
  for (let s = serial; ; s++) {
    const first11 = `${registered}4${String(s % 1_000_000).padStart(6, '0')}`;
    const c = checkDigit(first11);
    if (c !== null) return `${first11}${c}`;
  }
}

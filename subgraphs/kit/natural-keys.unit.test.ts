import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDigit, makeBin, makeIin, parseBin, parseIin } from './natural-keys.ts';

const day = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const sex = fc.constantFrom('MALE' as const, 'FEMALE' as const);
const SEED = { seed: 20261207, numRuns: 500 };

describe('IIN and BIN', () => {
  it('take the second weights when the first give 10, and are invalid when both do', () => {
    // A 1 in the tenth place: weight 10 in the first round (sum 10), weight 1 in the second.
    expect(checkDigit('00000000010')).toBe(1);
    const bothTen = [...Array(10_000).keys()].map((n) => String(n).padStart(11, '0')).find((s) => checkDigit(s) === null);
    expect(bothTen).toBeDefined();
  });

  it('accept the README example and refuse it with a wrong check digit or birth date', () => {
    expect(parseIin('900115300013', 'iin', '1990-01-15', 'MALE')).toBe('900115300013');
    expect(() => parseIin('900115300014', 'iin', '1990-01-15')).toThrow(/check digit/);
    expect(() => parseIin('900115300013', 'iin', '1990-01-16')).toThrow(/encodes birth date 1990-01-15/);
    expect(() => parseIin('900115300013', 'iin', '1990-01-15', 'FEMALE')).toThrow(/encodes sex MALE/);
    expect(() => parseIin('90011530001', 'iin', '1990-01-15')).toThrow(/12 digits/);
    expect(() => parseIin(900115300013, 'iin', '1990-01-15')).toThrow(/12 digits/);
  });

  it('an IIN made for any birth date and sex parses back with that date and sex', () => {
    fc.assert(
      fc.property(day, sex, fc.nat(9999), (birthDate, s, serial) => {
        const iin = makeIin(birthDate, s, serial);
        expect(parseIin(iin, 'iin', birthDate, s)).toBe(iin);
        expect(() => parseIin(iin, 'iin', birthDate, s === 'MALE' ? 'FEMALE' : 'MALE')).toThrow();
      }),
      SEED,
    );
  });

  it('a BIN with any other check digit is refused', () => {
    fc.assert(
      fc.property(fc.nat(999_999), fc.integer({ min: 1, max: 9 }), (serial, delta) => {
        const bin = makeBin(serial);
        expect(parseBin(bin, 'bin')).toBe(bin);
        const tampered = bin.slice(0, 11) + String((Number(bin[11]) + delta) % 10);
        expect(() => parseBin(tampered, 'bin')).toThrow(/check digit/);
      }),
      SEED,
    );
  });
});

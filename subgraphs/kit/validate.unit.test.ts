import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePhone, parseEmail } from './contact.ts';
import { calendarDay, today } from '../../platform/calendar.ts';
import { addDays, daysFrom, lastDayOfYears } from './dates.ts';
import { parseDay, parseId, parseInteger, parseOneOf, parseText, parseYear } from './validate.ts';

const SEED = { seed: 20261207, numRuns: 300 };

/** The BadUserInput a parser throws, with the argument it names. */
function refusal(run: () => unknown): { code: unknown; argumentName: unknown; message: string } {
  try {
    run();
  } catch (error) {
    const e = error as { message: string; extensions: Record<string, unknown> };
    return { code: e.extensions.code, argumentName: e.extensions.argumentName, message: e.message };
  }
  throw new Error('expected a refusal');
}

describe('validators name the argument and the reason', () => {
  it('ids are UUIDs, lower-cased', () => {
    expect(parseId('0B8F6D1E-6A3B-4C57-9D2E-1F00A1B2C3D4', 'id')).toBe('0b8f6d1e-6a3b-4c57-9d2e-1f00a1b2c3d4');
    expect(refusal(() => parseId("1' OR '1'='1", 'input.id'))).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.id' });
    expect(refusal(() => parseId(42, 'id')).code).toBe('BAD_USER_INPUT');
  });

  it('days are real calendar days from 1900 on', () => {
    expect(parseDay('2024-02-29', 'd')).toBe('2024-02-29');
    expect(refusal(() => parseDay('2023-02-29', 'd')).message).toMatch(/not a calendar date/);
    expect(refusal(() => parseDay('1899-12-31', 'd')).message).toMatch(/before 1900/);
    expect(refusal(() => parseDay('2026-1-05', 'd')).message).toMatch(/YYYY-MM-DD/);
    expect(refusal(() => parseDay('2026-01-05T00:00:00Z', 'd')).message).toMatch(/YYYY-MM-DD/);
  });

  it('text: trimmed, bounded, no control or bidirectional-override characters, single line when asked', () => {
    expect(parseText('  Taza Álem  ', 't', { max: 20 })).toBe('Taza Álem');
    expect(refusal(() => parseText('\u200b\u200d', 't', { max: 20 })).message).toMatch(/must not be empty/);
    expect(refusal(() => parseText('a\u0000b', 't', { max: 20 })).message).toMatch(/control characters/);
    expect(refusal(() => parseText('abc\u202Egnp.exe', 't', { max: 20 })).message).toMatch(/bidirectional/);
    expect(refusal(() => parseText('two\nlines', 't', { max: 20, singleLine: true })).message).toMatch(/single line/);
    expect(refusal(() => parseText('x'.repeat(21), 't', { max: 20 })).message).toMatch(/longer than 20/);
    expect(parseText('', 't', { max: 5, required: false })).toBe('');
  });

  it('numbers are whole and in range; years 1990–2100; enums from their list', () => {
    expect(parseInteger(5, 'n', 1, 10)).toBe(5);
    for (const bad of [0, 11, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5', null])
      expect(refusal(() => parseInteger(bad, 'n', 1, 10)).code).toBe('BAD_USER_INPUT');
    expect(refusal(() => parseYear(1989, 'year')).argumentName).toBe('year');
    expect(parseOneOf('QAMQOR', 'direction', ['BILIM', 'QAMQOR'] as const)).toBe('QAMQOR');
    expect(refusal(() => parseOneOf('qamqor', 'direction', ['BILIM', 'QAMQOR'] as const)).argumentName).toBe('direction');
  });

  it('phones are stored in E.164; a +7 number has ten digits', () => {
    expect(parsePhone('8 (701) 234-56-78', 'phone')).toBe('+77012345678');
    expect(parsePhone('+90 212 555 1234', 'phone')).toBe('+902125551234');
    expect(parsePhone('', 'phone')).toBeNull();
    for (const bad of ['0000000000', '+7701234567', '+77012345678901', '+0123456789', 'call me']) {
      expect(refusal(() => parsePhone(bad, 'phone')).code).toBe('BAD_USER_INPUT');
    }
    expect(parseEmail('Aigerim@Example.KZ', 'email')).toBe('aigerim@example.kz');
    expect(refusal(() => parseEmail('not an address', 'email')).argumentName).toBe('email');
  });
});

describe('the register calendar', () => {
  it("is Kazakhstan's day (UTC+5): 19:30 UTC is already tomorrow in Astana", () => {
    expect(today(new Date('2026-12-06T18:59:59Z'))).toBe('2026-12-06');
    expect(today(new Date('2026-12-06T19:00:00Z'))).toBe('2026-12-07');
    expect(calendarDay(-1, new Date('2026-03-01T19:30:00Z'))).toBe('2026-03-01');
  });

  it('adds days across months and leap years, and daysFrom undoes it', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(lastDayOfYears('2026-01-01', 1)).toBe('2026-12-31');
    expect(lastDayOfYears('2024-02-29', 1)).toBe('2025-02-28');
    fc.assert(
      fc.property(
        fc
          .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
        fc.integer({ min: -20_000, max: 20_000 }),
        (day, n) => {
          expect(daysFrom(day, addDays(day, n))).toBe(n);
        },
      ),
      SEED,
    );
  });
});

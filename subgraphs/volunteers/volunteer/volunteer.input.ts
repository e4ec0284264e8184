import { BadUserInput, parseText } from '../../kit/index.ts';

/** Validators for a person's contact details and lists; kit holds the general ones. */

export { parseEmail, parsePhone } from '../../kit/index.ts';

/** A short list of short texts, deduplicated (skills). */
export function parseTextList(value: unknown, argument: string, options: { maxItems: number; maxLength: number }): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new BadUserInput(argument, 'expected a list');
  if (value.length > options.maxItems) throw new BadUserInput(argument, `at most ${options.maxItems} items`);
  return [...new Set(value.map((v, i) => parseText(v, `${argument}[${i}]`, { max: options.maxLength })))];
}

/** ISO 639 language codes (kk, ru, en…), lower-cased and deduplicated. */
export function parseLanguages(value: unknown, argument: string): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new BadUserInput(argument, 'expected a list');
  if (value.length > 20) throw new BadUserInput(argument, 'at most 20 languages');
  return [
    ...new Set(
      value.map((v, i) => {
        const code = typeof v === 'string' ? v.trim().toLowerCase() : '';
        if (!/^[a-z]{2,3}$/.test(code))
          throw new BadUserInput(`${argument}[${i}]`, 'expected an ISO 639 language code such as kk, ru or en');
        return code;
      }),
    ),
  ];
}

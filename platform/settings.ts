/**
 * Settings are read from the environment once per process, by one module per
 * process (`gateway/settings.ts`, `subgraphs/kit/settings.ts`), each listing its
 * settings with their defaults and meaning. The README's configuration tables are
 * generated from those lists (`npm run settings`), and a unit test checks that the
 * tables are current and that every variable the code reads is listed.
 */
export interface SettingDoc {
  /** The variable(s), as written in the README's first column (backticked names, with any flag). */
  variables: string;
  default: string;
  meaning: string;
}

/** The variable names a setting row documents. */
export function variableNames(doc: SettingDoc): string[] {
  return [...doc.variables.matchAll(/`([A-Z][A-Z0-9_]*(?:<NAME>)?[A-Z0-9_]*)`/g)].map((m) => m[1]!);
}

/** The README table of a list of settings. */
export function settingsTable(docs: readonly SettingDoc[]): string {
  return ['| variable | default | meaning |', '|---|---|---|', ...docs.map((d) => `| ${d.variables} | ${d.default} | ${d.meaning} |`)].join(
    '\n',
  );
}

/** NODE_ENV=production: secrets required, errors masked, introspection and trusted documents enforced. */
export const isProduction = (env: NodeJS.ProcessEnv = process.env): boolean => env.NODE_ENV === 'production';

/** `1`, `true`, `on`, `yes` (any case) are true; empty or unset is the fallback. */
export function parseBool(value: string | undefined, fallback: boolean): boolean {
  return value === undefined || value === '' ? fallback : ['1', 'true', 'on', 'yes'].includes(value.toLowerCase());
}

/** A finite number, or undefined when unset; anything else is a configuration error naming the variable. */
export function parseNumber(value: string | undefined, name = 'setting'): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name}: not a number: ${value}`);
  return n;
}

/** A comma-separated list, trimmed, empty items dropped; undefined when unset. */
export function parseList(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

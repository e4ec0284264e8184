/**
 * Writes the README's configuration tables from the settings lists of each process
 * (gateway/settings.ts, subgraphs/kit/settings.ts):
 *   npm run settings            rewrite the tables
 *   npm run settings -- --check fail when the README is stale (CI)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GATEWAY_SETTINGS } from '../gateway/settings.ts';
import { installedPath } from '../platform/paths.ts';
import { settingsTable, type SettingDoc } from '../platform/settings.ts';
import { SUBGRAPH_SETTINGS } from '../subgraphs/kit/settings.ts';

export const SETTINGS_TABLES: Record<string, readonly SettingDoc[]> = { subgraphs: SUBGRAPH_SETTINGS, gateway: GATEWAY_SETTINGS };

/** The README with every generated table replaced by its current rendering. */
export function renderSettingsTables(readme: string): string {
  let text = readme;
  for (const [name, docs] of Object.entries(SETTINGS_TABLES)) {
    const pattern = new RegExp(`(<!-- settings:${name}\\b[^>]*-->\\n)[\\s\\S]*?(\\n<!-- /settings:${name} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- settings:${name} --> … <!-- /settings:${name} --> block`);
    text = text.replace(pattern, (_m, open: string, close: string) => `${open}${settingsTable(docs)}${close}`);
  }
  return text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const path = installedPath('README.md');
  const readme = readFileSync(path, 'utf8');
  const rendered = renderSettingsTables(readme);
  if (values.check) {
    if (rendered !== readme) {
      console.error('README.md configuration tables are stale: run `npm run settings` and commit README.md.');
      process.exit(1);
    }
    console.log('README.md configuration tables match the settings lists.');
  } else {
    writeFileSync(path, rendered);
    console.log(
      `README.md configuration tables written (${Object.entries(SETTINGS_TABLES)
        .map(([n, d]) => `${n}: ${d.length}`)
        .join(', ')}).`,
    );
  }
}

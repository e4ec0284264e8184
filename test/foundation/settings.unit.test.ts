import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GATEWAY_SETTINGS } from '../../gateway/settings.ts';
import { variableNames } from '../../platform/settings.ts';
import { renderSettingsTables } from '../../scripts/settings.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';
import { SUBGRAPH_SETTINGS } from '../../subgraphs/kit/settings.ts';

/** Variables read but set by the runtime or by us for libraries, not settings a deployer gives. */
const NOT_SETTINGS = new Set(['APOLLO_TELEMETRY_DISABLED', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);

const documented = new Set([...GATEWAY_SETTINGS, ...SUBGRAPH_SETTINGS].flatMap(variableNames));
const runtimeFiles = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'gateway', 'platform', 'subgraphs'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const read = new Map<string, string>();
for (const file of runtimeFiles) {
  for (const m of readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b(?!\s*=[^=])|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g))
    read.set(m[1] ?? m[2]!, file);
}
// The registry's per-subgraph variables are read through their names (env[entry.urlEnv]).
for (const s of SUBGRAPHS) for (const name of [s.urlEnv, s.databaseUrlEnv]) read.set(name, 'subgraphs/registry.ts');

describe('settings', () => {
  it("the README's configuration tables are generated from the settings lists (npm run settings)", () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(renderSettingsTables(readme) === readme, 'README.md tables are stale: run `npm run settings`').toBe(true);
  });

  it('every variable the gateway, the platform and the subgraphs read is documented', () => {
    const undocumented = [...read]
      .filter(([name]) => !documented.has(name) && !NOT_SETTINGS.has(name))
      .map(([name, file]) => `${name} (${file})`);
    expect(undocumented).toEqual([]);
  });

  it('every documented variable is read somewhere (scripts included), so the docs never list a dead setting', () => {
    const everything = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'gateway', 'platform', 'subgraphs', 'scripts'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const dead = [...documented].filter((name) => !name.includes('<NAME>') && !everything.includes(name));
    expect(dead).toEqual([]);
  });
});

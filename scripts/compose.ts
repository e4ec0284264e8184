/**
 * npm run compose        — writes schema/supergraph.graphql from the subgraph SDLs, and the
 *                          contracts cut from it by @tag (schema/contracts/<name>.graphql)
 * npm run compose:check  — exits 1 when composition fails or a committed file is stale
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from './lib/compose.ts';
import { CONTRACTS_DIR, cutContracts } from '../gateway/contracts/cut.ts';

const SUPERGRAPH = 'schema/supergraph.graphql';
const check = process.argv.includes('--check');
const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
const sdl = result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`;
const { contracts } = await cutContracts(sdl);
const outputs: { path: string; text: string }[] = [
  { path: SUPERGRAPH, text: sdl },
  ...contracts.map((c) => ({ path: join(CONTRACTS_DIR, `${c.definition.name}.graphql`), text: c.sdl })),
];
for (const contract of contracts) {
  if (contract.warnings.length) {
    console.warn(`The ${contract.definition.name} contract drops tagged fields:\n${contract.warnings.map((w) => `  - ${w}`).join('\n')}`);
  }
}

function showDifferences(committed: string, composed: string): void {
  const a = committed.split('\n');
  const b = composed.split('\n');
  let shown = 0;
  for (let i = 0; i < Math.max(a.length, b.length) && shown < 40; i++) {
    if (a[i] !== b[i]) {
      console.error(`  line ${i + 1}:\n    committed: ${a[i] ?? '(none)'}\n    composed:  ${b[i] ?? '(none)'}`);
      shown++;
    }
  }
}

if (check) {
  let stale = false;
  for (const { path, text } of outputs) {
    const committed = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (committed === text) continue;
    stale = true;
    console.error(`${path} is stale: run \`npm run compose\` and commit it. Differences:`);
    showDifferences(committed, text);
  }
  if (stale) process.exit(1);
  console.log(`${outputs.map((o) => o.path).join(', ')} are up to date.`);
} else {
  mkdirSync(CONTRACTS_DIR, { recursive: true });
  for (const { path, text } of outputs) writeFileSync(path, text);
  console.log(`Wrote ${outputs.map((o) => o.path).join(', ')}${result.hints.length ? ` (${result.hints.length} composition hints)` : ''}.`);
}

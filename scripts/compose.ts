/**
 * npm run compose        — writes schema/supergraph.graphql from the subgraph SDLs
 * npm run compose:check  — exits 1 when composition fails or the committed file is stale
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph } from './lib/compose.ts';

const SUPERGRAPH = 'schema/supergraph.graphql';
const check = process.argv.includes('--check');
const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
const sdl = result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`;
if (check) {
  const committed = existsSync(SUPERGRAPH) ? readFileSync(SUPERGRAPH, 'utf8') : '';
  if (committed !== sdl) {
    console.error(`${SUPERGRAPH} is stale: run \`npm run compose\` and commit it. Differences:`);
    const a = committed.split('\n');
    const b = sdl.split('\n');
    let shown = 0;
    for (let i = 0; i < Math.max(a.length, b.length) && shown < 40; i++) {
      if (a[i] !== b[i]) {
        console.error(`  line ${i + 1}:\n    committed: ${a[i] ?? '(none)'}\n    composed:  ${b[i] ?? '(none)'}`);
        shown++;
      }
    }
    process.exit(1);
  }
  console.log(`${SUPERGRAPH} is up to date.`);
} else {
  writeFileSync(SUPERGRAPH, sdl);
  console.log(`Wrote ${SUPERGRAPH}${result.hints.length ? ` (${result.hints.length} composition hints)` : ''}.`);
}

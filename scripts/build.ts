/**
 * npm run build — the gateway, the subgraphs and the scripts as JavaScript in dist/, for plain `node`:
 *   tsc -p tsconfig.build.json (relative `.ts` imports rewritten to `.js`), then the files the code
 *   reads at run time copied beside it, at the same relative places: the subgraph SDLs, rates.csv,
 *   the explorer's files, the composed supergraph and the trusted-document manifest (schema/).
 * dist/ mirrors the sources, so code finds its files through import.meta.url in both.
 * Entry points: dist/gateway/main.js, dist/subgraphs/<name>/main.js, dist/scripts/migrate.js,
 * dist/scripts/start.js (`npm run start:prod`, the whole graph).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist');

/** Run-time files: everything under these folders that is not TypeScript or a README. */
const ASSET_FOLDERS = ['gateway', 'subgraphs'];
/** …and these files and folders of schema/. */
const SCHEMA_ASSETS = ['schema/supergraph.graphql', 'schema/operations'];

function assetsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return assetsUnder(path);
    return name.endsWith('.ts') || name === 'README.md' ? [] : [path];
  });
}

const started = performance.now();
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

const copied: string[] = [];
for (const folder of ASSET_FOLDERS) {
  for (const file of assetsUnder(join(root, folder))) {
    cpSync(file, join(out, relative(root, file)));
    copied.push(relative(root, file));
  }
}
for (const asset of SCHEMA_ASSETS) {
  const from = join(root, asset);
  if (!existsSync(from)) throw new Error(`${asset} is missing: run \`npm run compose\` / \`npm run operations\` first`);
  cpSync(from, join(out, asset), { recursive: true });
  copied.push(asset);
}
console.log(
  `dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s; assets: ${copied.length} (${[...new Set(copied.map((f) => dirname(f)))].join(', ')})`,
);

// Lint: typescript-eslint's recommended rules, and the layers of the house held by
// import-x: no import cycles, and arrows that point down only —
//   scripts, test, examples  → anything
//   gateway                  → platform (and the subgraph addresses of the registry)
//   subgraphs/<name>         → subgraphs/kit, platform, the registry; never another subgraph
//   subgraphs/kit            → platform
//   platform                 → nothing of ours
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const SUBGRAPHS = ['volunteers', 'organizations', 'donations', 'cooperation', 'roadmap'];

const zones = [
  // Nothing at run time imports the scripts.
  { target: ['./gateway', './subgraphs', './platform'], from: './scripts', message: 'scripts/ is tooling: runtime code never imports it.' },
  { target: ['./gateway', './subgraphs', './platform'], from: './test', message: 'runtime code never imports tests.' },
  // The platform stands alone.
  { target: './platform', from: ['./gateway', './subgraphs'], message: 'platform/ is shared by every process and imports no service.' },
  // The gateway knows subgraphs only through the supergraph (and their default addresses).
  { target: './gateway', from: './subgraphs', except: ['./registry.ts'], message: 'the gateway reaches subgraphs over HTTP only.' },
  // The kit serves every subgraph and imports none.
  {
    target: './subgraphs/kit',
    from: ['./gateway', ...SUBGRAPHS.map((s) => `./subgraphs/${s}`), './subgraphs/servers.ts', './subgraphs/process.ts'],
    message: 'the kit imports no service.',
  },
  // A subgraph never imports another one, nor the gateway.
  ...SUBGRAPHS.map((name) => ({
    target: `./subgraphs/${name}`,
    from: [
      './gateway',
      './subgraphs/servers.ts',
      './subgraphs/process.ts',
      ...SUBGRAPHS.filter((s) => s !== name).map((s) => `./subgraphs/${s}`),
    ],
    message: 'a subgraph reads other subgraphs through the graph only (entity references, service calls).',
  })),
];

// A subgraph's main.ts is its process entry: it starts the subgraph through subgraphs/process.ts.
const entryZones = zones.map((zone) =>
  Array.isArray(zone.from) ? { ...zone, from: zone.from.filter((f) => f !== './subgraphs/process.ts') } : zone,
);

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'bench/node_modules/**',
      'bench/peers/**',
      '.data/**',
      'exports/**',
      'examples/portal-client/generated/**',
      'gateway/explorer/*.js',
      'gateway/dashboards/*.js',
      '**/*.generated.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-self-import': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['subgraphs/*/main.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: entryZones }] },
  },
);

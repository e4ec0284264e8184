import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GatewayMetrics } from '../../../gateway/metrics.ts';
import { SUBGRAPHS } from '../../../subgraphs/registry.ts';

/**
 * What the deployment files must agree with, read from the code itself: the
 * subgraphs and their ports (the registry), the settings each process reads
 * (its source, followed through its imports), the routes it serves, which
 * subgraph calls which at write time, the gateway's metric names, the image
 * name and the commands CI runs.
 */
export interface SubgraphFacts {
  name: string;
  port: number;
  urlEnv: string;
  databaseUrlEnv: string;
  /** Subgraphs it calls for write-time facts (an `_entities` call through kit/service-client). */
  calls: string[];
}

export type Component = { kind: 'gateway' } | { kind: 'subgraph'; name: string } | { kind: 'migrate' } | { kind: 'rates-import' };

export interface Entrypoint {
  /** The command of the container, e.g. `node dist/gateway/main.js`. */
  command: string[];
  component: Component;
  /** The TypeScript file it is compiled from. */
  source: string;
  /** The source the settings are read from (the entrypoint, or a stand-in while it does not exist yet). */
  readsFrom: string;
}

export interface CodeFacts {
  root: string;
  imageName: string;
  gatewayPort: number;
  subgraphs: SubgraphFacts[];
  entrypoints: Entrypoint[];
  /** Whether package.json has a build script (dist/ exists only with one). */
  hasBuild: boolean;
  /** Environment variables read by each component's code. */
  envRead: Map<string, Set<string>>;
  /** Routes served: `GET /health`, … for the gateway and for every subgraph. */
  routes: { gateway: Set<string>; subgraph: Set<string> };
  /** Every metric name the gateway exposes (histograms with _bucket/_sum/_count). */
  metricNames: Set<string>;
  /** Commands of .ci/run, one per line, trimmed. */
  ciCommands: string[];
  notes: string[];
}

export const componentKey = (c: Component): string => (c.kind === 'subgraph' ? `subgraph:${c.name}` : c.kind);

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const ENV_READ = /\benv\.([A-Z][A-Z0-9_]*)\b|\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g;

/** The .ts files a module loads, following relative imports (type-only imports excluded). */
export function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [resolve(entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (!spec) continue;
      let target = resolve(dirname(file), spec);
      if (!target.endsWith('.ts') && existsSync(`${target}.ts`)) target = `${target}.ts`;
      if (target.endsWith('.ts')) queue.push(target);
    }
  }
  return [...seen];
}

/** Environment variables read in the given files: `env.NAME`, `process.env.NAME`, `env['NAME']`. */
export function envReadIn(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(ENV_READ)) names.add((match[1] ?? match[2])!);
  }
  return names;
}

function tsFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? tsFilesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Routes a file registers as `'GET /path'` keys. */
function routesIn(file: string): Set<string> {
  return new Set([...readFileSync(file, 'utf8').matchAll(/'GET (\/[a-z-]*)'/g)].map((m) => m[1]!));
}

export function readCodeFacts(root: string): CodeFacts {
  const notes: string[] = [];
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; scripts?: Record<string, string> };
  const hasBuild = Boolean(pkg.scripts?.build);

  // Who calls whom: a subgraph's write-time reads (kit readEntitiesForWrite, `owner: '<name>'`),
  // or its code naming another subgraph's registry entry.
  const names = SUBGRAPHS.map((s) => s.name as string);
  const subgraphs: SubgraphFacts[] = SUBGRAPHS.map((s) => {
    const calls = new Set<string>();
    for (const file of tsFilesUnder(join(root, 'subgraphs', s.name))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/subgraphEntry\(\s*['"]([a-z]+)['"]\s*\)|\bowner:\s*['"]([a-z]+)['"]/g)) {
        const callee = m[1] ?? m[2]!;
        if (callee !== s.name && names.includes(callee)) calls.add(callee);
      }
    }
    return { name: s.name, port: s.port, urlEnv: s.urlEnv, databaseUrlEnv: s.databaseUrlEnv, calls: [...calls].sort() };
  });

  const entrypoints: Entrypoint[] = [];
  const entry = (distPath: string, component: Component, standIn?: string): void => {
    const source = distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    let readsFrom = source;
    if (!existsSync(join(root, source)) && standIn) {
      readsFrom = standIn;
      notes.push(`${source} does not exist yet: its settings are taken from ${standIn}`);
    }
    entrypoints.push({ command: ['node', distPath], component, source, readsFrom });
  };
  entry('dist/gateway/main.js', { kind: 'gateway' });
  for (const s of subgraphs) entry(`dist/subgraphs/${s.name}/main.js`, { kind: 'subgraph', name: s.name }, 'scripts/start-subgraph.ts');
  entry('dist/scripts/migrate.js', { kind: 'migrate' });
  // The daily import of the National Bank's official rates into the donations schema (a CronJob).
  entry('dist/scripts/rates-import.js', { kind: 'rates-import' });

  // Settings each process reads: its own code and everything it imports; the
  // registry reads the per-subgraph URL and database variables by name.
  const registryEnv = SUBGRAPHS.flatMap((s) => [s.urlEnv, s.databaseUrlEnv]);
  const envRead = new Map<string, Set<string>>();
  const closures = new Map<string, string[]>();
  for (const e of entrypoints) {
    const files = importClosure(join(root, e.readsFrom));
    closures.set(componentKey(e.component), files);
    const read = envReadIn(files);
    if (files.some((f) => f.endsWith(join('subgraphs', 'registry.ts')))) for (const name of registryEnv) read.add(name);
    envRead.set(componentKey(e.component), read);
  }
  const routesOf = (key: string) => new Set((closures.get(key) ?? []).flatMap((f) => [...routesIn(f)]));

  // The gateway's default port, where its server applies it.
  const gatewayPorts = new Set(
    (closures.get('gateway') ?? []).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/port:\s*options\.port\s*\?\?\s*(\d+)/g)].map((m) => Number(m[1])).filter((port) => port > 0),
    ),
  );
  if (gatewayPorts.size !== 1)
    throw new Error(`the gateway's code gives ${gatewayPorts.size} default ports (\`port: options.port ?? N\`); expected one`);
  const gatewayPort = [...gatewayPorts][0]!;

  const metrics = new GatewayMetrics();
  const metricNames = new Set<string>();
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    metricNames.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) metricNames.add(`${name}${suffix}`);
  }

  const ciPath = join(root, '.ci/run');
  const ciCommands = existsSync(ciPath)
    ? readFileSync(ciPath, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
    : [];

  return {
    root,
    imageName: pkg.name,
    gatewayPort,
    subgraphs,
    entrypoints,
    hasBuild,
    envRead,
    routes: { gateway: routesOf('gateway'), subgraph: routesOf(`subgraph:${subgraphs[0]!.name}`) },
    metricNames,
    ciCommands,
    notes,
  };
}

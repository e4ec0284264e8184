/**
 * npm run seed [-- --scale demo|regional|national|max] [--reset] [--only volunteers,donations] [--quiet]
 * npm run seed -- --check [--only …]
 *
 * Loads a data set into every subgraph's own database and schema
 * (<NAME>_DATABASE_URL or DATABASE_URL: PostgreSQL; else PGlite under DATA_DIR):
 * migrations, the demo data through each subgraph's demo loader, and — beyond
 * `demo` — a deterministic, generated data set in bulk (COPY … FROM STDIN on
 * PostgreSQL, COPY from a blob on PGlite), with every rollup rebuilt from the
 * rows, one transaction per subgraph. Scales: scripts/lib/seed/scales.ts.
 * A database that already holds data is refused (nothing is written) unless
 * --reset, which drops each subgraph's schema and loads from scratch.
 * --check loads nothing: it runs the invariants the services enforce as SQL
 * over the loaded databases, one query per rule (scripts/lib/seed/check.ts),
 * prints the violations per rule and exits 1 when there is any.
 */
import { parseArgs } from 'node:util';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/registry.ts';
import { createProgress } from './lib/seed/progress.ts';
import { formatResults } from './lib/seed/check.ts';
import { AlreadySeeded, checkSeeded, seed } from './lib/seed/run.ts';
import { SCALE_NAMES, type ScaleName } from './lib/seed/scales.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'demo' },
    reset: { type: 'boolean', default: false },
    only: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});
const scale = values.scale as ScaleName;
if (!SCALE_NAMES.includes(scale)) {
  console.error(`--scale must be one of ${SCALE_NAMES.join(', ')}; got ${values.scale}`);
  process.exit(2);
}
const only = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean) as SubgraphName[] | undefined;
const unknown = only?.filter((name) => !SUBGRAPHS.some((s) => s.name === name));
if (unknown && unknown.length > 0) {
  console.error(`--only: unknown subgraph ${unknown.join(', ')}`);
  process.exit(2);
}

if (values.check) {
  const started = performance.now();
  const results = await checkSeeded(only ? { only } : {});
  const failed = results.filter((r) => r.violations > 0);
  console.log(formatResults(results));
  console.log(
    `\n${results.length} rules checked in ${((performance.now() - started) / 1000).toFixed(1)} s: ${failed.length === 0 ? 'no violations' : `${failed.length} broken (${failed.map((r) => r.rule).join(', ')})`}`,
  );
  process.exit(failed.length === 0 ? 0 : 1);
}

const started = performance.now();
const progress = createProgress(process.stderr, values.quiet);
try {
  const results = await seed({ scale, reset: values.reset, ...(only ? { only } : {}), progress });
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${scale} data set loaded in ${seconds.toFixed(1)} s (${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s)`);
  for (const r of results) {
    const big = Object.entries(r.rows)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6);
    console.log(
      `  ${r.name.padEnd(14)} ${r.driver.padEnd(8)} ${r.method.padEnd(16)} ${r.seconds.toFixed(1).padStart(6)} s  ${big.map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')}`,
    );
  }
} catch (error) {
  if (error instanceof AlreadySeeded) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

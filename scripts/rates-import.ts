/**
 * npm run rates:import -- --file rates.xml        — one day's official rates from a National Bank file
 * npm run rates:import -- --url <feed URL>          — the same, fetched (e.g. https://nationalbank.kz/rss/get_rates.cfm?fdate=07.12.2026)
 * npm run rates:import -- --date 2026-12-07         — the National Bank's feed of that day (default: today)
 *
 * Writes into the donations schema (DONATIONS_DATABASE_URL / DATABASE_URL, or the PGlite data under
 * DATA_DIR), migrating it first. A malformed file writes nothing; exits 1 on any refusal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { today } from '../platform/calendar.ts';
import { createDatabase, dataDir, migrateToLatest } from '../subgraphs/kit/index.ts';
import { migrations } from '../subgraphs/donations/migrations/index.ts';
import type { DonationsDB } from '../subgraphs/donations/migrations/tables.ts';
import { nbkRatesUrl } from '../subgraphs/donations/exchange-rate/nbk-rates-xml.ts';
import { importNbkRates } from '../subgraphs/donations/exchange-rate/rates-import.ts';
import { subgraphDatabaseUrl, subgraphEntry } from '../subgraphs/registry.ts';

const { values } = parseArgs({ options: { file: { type: 'string' }, url: { type: 'string' }, date: { type: 'string' } } });
if (values.file && values.url) throw new Error('either --file or --url');

async function readSource(): Promise<{ xml: string; origin: string }> {
  if (values.file) return { xml: readFileSync(values.file, 'utf8'), origin: values.file };
  const url = values.url ?? nbkRatesUrl(values.date ?? today());
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { xml: await response.text(), origin: url };
}

const entry = subgraphEntry('donations');
const url = subgraphDatabaseUrl(entry);
const { xml, origin } = await readSource();
const database = await createDatabase<DonationsDB>({ schema: entry.dbSchema, url, dataDir: url ? undefined : join(dataDir(), entry.name) });
try {
  await migrateToLatest(database.db, entry.dbSchema, migrations);
  const result = await importNbkRates(database.db, xml, origin);
  console.log(
    `rates of ${result.date}: ${result.recorded} recorded, ${result.unchanged} already stored` +
      (result.skipped.length ? `; not imported (unknown to the register): ${result.skipped.join(', ')}` : ''),
  );
} catch (error) {
  console.error(`rates:import refused ${origin}: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}

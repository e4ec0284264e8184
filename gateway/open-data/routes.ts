import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from '../../platform/http.ts';
import { OPEN_DATA_PAGE_CSP, openDataPage, wantsOpenDataPage } from './index-page.ts';
import { DATASETS, exportDataset, OpenDataError, publisherFromEnv, type Dataset, type GraphQLSource, type Publisher } from './datasets.ts';

export interface OpenDataRoutesOptions {
  /** Where the exports' GraphQL queries go: `apolloSource(apollo, log)` inside the gateway. */
  source: GraphQLSource;
  /** @default publisherFromEnv() (OPEN_DATA_PUBLISHER_REF, OPEN_DATA_PUBLISHER_NAME, OPEN_DATA_360G_PREFIX, …) */
  publisher?: Publisher;
  /** @default '/open-data' */
  path?: string;
  /** How long an export is kept before it is built again. @default 300 (OPEN_DATA_CACHE_S) */
  cacheSeconds?: number;
  /** Year of the register when none is asked for. @default the current year */
  defaultYear?: () => number;
  now?: () => Date;
}

const PUBLIC_HEADERS = {
  // Open data: anyone may fetch it, from any origin; it carries no personal data and no credential.
  'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff',
};

function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...PUBLIC_HEADERS, ...headers });
  res.end(body);
}

function problem(res: ServerResponse, status: number, message: string): void {
  sendText(res, status, JSON.stringify({ error: message }), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
}

/**
 * Download routes of the open data: `GET <path>` lists the datasets,
 * `GET <path>/iati-activities.xml`, `GET <path>/360giving-grants.json` and
 * `GET <path>/register-by-region.csv?year=2025` serve them. Each export is
 * built from GraphQL queries through the gateway and kept for a few minutes.
 */
export function openDataRoutes(options: OpenDataRoutesOptions): Record<string, RouteHandler> {
  const base = options.path ?? '/open-data';
  const publisher = options.publisher ?? publisherFromEnv();
  const cacheMs = (options.cacheSeconds ?? Number(process.env.OPEN_DATA_CACHE_S ?? 300)) * 1000;
  const now = options.now ?? (() => new Date());
  const defaultYear = options.defaultYear ?? (() => now().getUTCFullYear());
  const cache = new Map<string, { expires: number; body: Promise<string> }>();

  function build(dataset: Dataset, year: number): Promise<string> {
    const key = `${dataset.name}:${year}`;
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.body;
    const body = exportDataset(dataset.name, options.source, publisher, { year, now: now() });
    cache.set(key, { expires: Date.now() + cacheMs, body });
    body.catch(() => cache.delete(key)); // a failed export is not kept
    return body;
  }

  const routes: Record<string, RouteHandler> = {
    [`GET ${base}`]: (req, res) => {
      const index = {
        publisher: { name: publisher.name, ref: publisher.ref },
        license: publisher.license,
        personalData: 'none',
        datasets: DATASETS.map((d) => ({ ...d, url: `${base}/${d.file}` })),
      };
      // Browsers get the page (index-page.ts); machines keep the JSON.
      if (wantsOpenDataPage(req)) {
        const lastBuilt = (d: Dataset) => {
          const started = [...cache].filter(([key]) => key.startsWith(`${d.name}:`)).map(([, entry]) => entry.expires - cacheMs);
          return started.length ? new Date(Math.max(...started)) : null;
        };
        const page = openDataPage({ publisher, datasets: index.datasets, lastBuilt, defaultYear: defaultYear(), cacheSeconds: Math.round(cacheMs / 1000) });
        return sendText(res, 200, page, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', vary: 'accept', 'content-security-policy': OPEN_DATA_PAGE_CSP });
      }
      sendText(res, 200, `${JSON.stringify(index, null, 2)}\n`, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=60', vary: 'accept' });
    },
  };
  for (const dataset of DATASETS) {
    routes[`GET ${base}/${dataset.file}`] = async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const yearText = url.searchParams.get('year');
      const year = yearText === null ? defaultYear() : Number(yearText);
      if (!Number.isInteger(year) || year < 2000 || year > 2100) return problem(res, 400, 'year must be a whole number between 2000 and 2100');
      let body: string;
      try {
        body = await build(dataset, year);
      } catch (error) {
        if (error instanceof OpenDataError) return problem(res, 502, `the export could not be built: ${error.message}`);
        throw error;
      }
      sendText(res, 200, body, {
        'content-type': dataset.mediaType,
        'content-disposition': `attachment; filename="${dataset.name === 'register' ? dataset.file.replace('.csv', `-${year}.csv`) : dataset.file}"`,
        'cache-control': `public, max-age=${Math.round(cacheMs / 1000)}`,
      });
    };
  }
  return routes;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from '../../platform/http.ts';
import { today } from '../../platform/calendar.ts';
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
  /**
   * The first year the register has data for: the Law on Volunteer Activity
   * came into force on 1 January 2016. Years from it up to the current year of
   * the register's calendar (Kazakhstan, UTC+5) may be asked for.
   * @default 2016 (OPEN_DATA_FIRST_YEAR)
   */
  firstYear?: number;
  /** Year of the register when none is asked for. @default the current year in Kazakhstan (UTC+5) */
  defaultYear?: () => number;
  now?: () => Date;
}

/** The query parameters each export takes; anything else is refused, so that no request can miss the cache on purpose. */
/** The parameters each export takes (anything else is refused); the yearly ones are built and cached per year. */
const PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  iati: [],
  '360giving': [],
  register: ['year'],
  roadmap: ['year'],
  donations: ['year'],
};
const yearly = (dataset: Dataset): boolean => (PARAMETERS[dataset.name] ?? []).includes('year');

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
  sendText(res, status, JSON.stringify({ error: message }), {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
}

/**
 * Download routes of the open data: `GET <path>` lists the datasets,
 * `GET <path>/iati-activities.xml`, `GET <path>/360giving-grants.json` and
 * `GET <path>/register-by-region.csv?year=2025` serve them. Each export is
 * built from GraphQL queries through the gateway and kept for a few minutes
 * under its real key (unknown parameters and years without data are refused
 * with 400); concurrent requests for one export share one build.
 */
export function openDataRoutes(options: OpenDataRoutesOptions): Record<string, RouteHandler> {
  const base = options.path ?? '/open-data';
  const publisher = options.publisher ?? publisherFromEnv();
  const cacheMs = (options.cacheSeconds ?? Number(process.env.OPEN_DATA_CACHE_S ?? 300)) * 1000;
  const now = options.now ?? (() => new Date());
  const firstYear = options.firstYear ?? Number(process.env.OPEN_DATA_FIRST_YEAR || 2016);
  const currentYear = () => Number(today(now()).slice(0, 4));
  const defaultYear = options.defaultYear ?? currentYear;
  /** Built exports by their real key (the dataset, and the year for the register only). */
  const cache = new Map<string, { expires: number; body: string }>();
  /** Builds under way: concurrent requests for one export share one build. */
  const building = new Map<string, Promise<string>>();

  function build(dataset: Dataset, year: number): Promise<string> {
    const key = yearly(dataset) ? `${dataset.name}:${year}` : dataset.name;
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return Promise.resolve(hit.body);
    const underWay = building.get(key);
    if (underWay) return underWay;
    const body = exportDataset(dataset.name, options.source, publisher, { year, now: now() });
    building.set(key, body);
    // A failed export is not kept; the next request builds it again.
    body.then(
      (text) => {
        building.delete(key);
        if (cacheMs > 0) cache.set(key, { expires: Date.now() + cacheMs, body: text });
      },
      () => building.delete(key),
    );
    return body;
  }

  /** The year asked for, or a reason to refuse the request (400). */
  function yearOf(dataset: Dataset, params: URLSearchParams): number | string {
    const allowed = PARAMETERS[dataset.name] ?? [];
    for (const name of new Set(params.keys())) {
      if (!allowed.includes(name)) {
        return allowed.length
          ? `unknown parameter "${name}": ${dataset.file} takes only ${allowed.join(', ')}`
          : `unknown parameter "${name}": ${dataset.file} takes no parameters`;
      }
      if (params.getAll(name).length > 1) return `parameter "${name}" given more than once`;
    }
    const text = params.get('year');
    if (text === null) return defaultYear();
    const last = currentYear();
    if (!/^\d{4}$/.test(text) || Number(text) < firstYear || Number(text) > last) return `year must be a year from ${firstYear} to ${last}`;
    return Number(text);
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
        const page = openDataPage({
          publisher,
          datasets: index.datasets,
          lastBuilt,
          defaultYear: defaultYear(),
          cacheSeconds: Math.round(cacheMs / 1000),
        });
        return sendText(res, 200, page, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-cache',
          vary: 'accept',
          'content-security-policy': OPEN_DATA_PAGE_CSP,
        });
      }
      sendText(res, 200, `${JSON.stringify(index, null, 2)}\n`, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'public, max-age=60',
        vary: 'accept',
      });
    },
  };
  for (const dataset of DATASETS) {
    routes[`GET ${base}/${dataset.file}`] = async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const year = yearOf(dataset, url.searchParams);
      if (typeof year === 'string') return problem(res, 400, year);
      let body: string;
      try {
        body = await build(dataset, year);
      } catch (error) {
        if (error instanceof OpenDataError) return problem(res, 502, `the export could not be built: ${error.message}`);
        throw error;
      }
      sendText(res, 200, body, {
        'content-type': dataset.mediaType,
        'content-disposition': `attachment; filename="${yearly(dataset) ? dataset.file.replace('.csv', `-${year}.csv`) : dataset.file}"`,
        'cache-control': `public, max-age=${Math.round(cacheMs / 1000)}`,
      });
    };
  }
  return routes;
}

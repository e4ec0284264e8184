import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteHandler } from '../../platform/http.ts';
import { assetCache, ECHARTS_FILE, escapeHtml, load, loadExamples, send } from '../explorer/index.ts';
import { installedPath } from '../../platform/paths.ts';

export interface DashboardsOptions {
  /** Where the page is served. @default '/dashboards' */
  path?: string;
  /** The GraphQL endpoint the page calls (same origin). @default '/graphql' */
  graphqlPath?: string;
  /** The explorer, where each figure's operation opens. @default '/explorer' */
  explorerPath?: string;
  /** The operations the figures run, read at each page load. @default 'schema/operations' */
  operationsDir?: string;
}

/** The operations of schema/operations each figure is drawn from, by figure. */
export const DASHBOARD_OPERATIONS = {
  activeVolunteers: 'ActiveVolunteersByRegion',
  approvedHours: 'ApprovedHoursByMonth',
  donations: 'DonationsByMonth',
  campaigns: 'CampaignProgress',
  grants: 'GrantTranches',
  frontOffices: 'FrontOfficeCapacity',
  missions: 'MissionsByHostCountry',
  roadmap: 'RoadmapByRegion',
} as const;

const here = dirname(fileURLToPath(import.meta.url));
const ASSETS: Record<string, { file: string; type: string }> = {
  'dashboards.js': { file: join(here, 'dashboards.js'), type: 'text/javascript; charset=utf-8' },
  'dashboards.css': { file: join(here, 'dashboards.css'), type: 'text/css; charset=utf-8' },
  'echarts.js': { file: ECHARTS_FILE, type: 'text/javascript; charset=utf-8' },
};

function page(options: Required<DashboardsOptions>): string {
  const base = options.path;
  const config = JSON.stringify({
    graphqlPath: options.graphqlPath,
    explorerPath: options.explorerPath,
    operationsPath: `${base}/operations.json`,
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml('Volunteer Graph dashboards')}</title>
<link rel="icon" href="${options.explorerPath}/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${base}/dashboards.css">
</head>
<body>
<a class="skip" href="#figures">Skip to the figures</a>
<header>
  <h1>Volunteer Graph dashboards</h1>
  <p>Every figure is an operation of <code>schema/operations/</code> run through the gateway with your credential; its link opens it in the <a href="${options.explorerPath}">explorer</a>.</p>
  <form id="controls" class="controls">
    <label>Year <select id="year" name="year"></select></label>
    <span id="who" role="status"></span>
  </form>
  <form id="sign-in" class="sign-in" hidden>
    <label for="token">Analyst token (<code>npm run token -- --role analyst</code>)</label>
    <input id="token" name="token" type="password" autocomplete="off" spellcheck="false">
    <button type="submit">Use this token</button>
    <p class="hint">Kept with the explorer's shared headers in this browser (the explorer's Forget button clears it).</p>
  </form>
</header>
<main id="figures" tabindex="-1"></main>
<script id="dashboards-config" type="application/json">${config}</script>
<script src="${base}/echarts.js"></script>
<script src="${base}/dashboards.js"></script>
</body>
</html>
`;
}

/**
 * The analysts' dashboards: `GET <path>` (the page), its script, style and
 * ECharts under `<path>/…`, and `GET <path>/operations.json` (the operations
 * of the figures, read from schema/operations at each load). The page runs
 * them through the gateway with the caller's own credential.
 */
export function dashboardsRoutes(options: DashboardsOptions = {}): Record<string, RouteHandler> {
  const resolved: Required<DashboardsOptions> = {
    path: options.path ?? '/dashboards',
    graphqlPath: options.graphqlPath ?? '/graphql',
    explorerPath: options.explorerPath ?? '/explorer',
    operationsDir: options.operationsDir ?? installedPath('schema', 'operations'),
  };
  const base = resolved.path;
  const html = load(Buffer.from(page(resolved)));
  const asset = assetCache(ASSETS);
  const routes: Record<string, RouteHandler> = {
    [`GET ${base}`]: (req, res) => send(req, res, html, 'text/html; charset=utf-8', 'no-cache'),
    [`GET ${base}/`]: (req, res) => send(req, res, html, 'text/html; charset=utf-8', 'no-cache'),
    [`GET ${base}/operations.json`]: (req, res) => {
      const wanted = new Set<string>(Object.values(DASHBOARD_OPERATIONS));
      const operations = Object.fromEntries(
        loadExamples(resolved.operationsDir)
          .filter((e) => wanted.has(e.name))
          // The manifest's exact text: trusted even where the public is held to the manifest.
          .map((e) => [e.name, { file: e.file, description: e.description, query: e.body, variables: JSON.parse(e.variables) as unknown }]),
      );
      send(
        req,
        res,
        load(Buffer.from(JSON.stringify({ figures: DASHBOARD_OPERATIONS, operations }))),
        'application/json; charset=utf-8',
        'no-cache',
      );
    },
  };
  for (const [name, { type }] of Object.entries(ASSETS)) {
    routes[`GET ${base}/${name}`] = (req, res) => send(req, res, asset(name), type, 'public, max-age=3600');
  }
  return routes;
}

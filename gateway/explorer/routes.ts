import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteHandler } from '../../platform/http.ts';
import { installedPath } from '../../platform/paths.ts';
import { FALLBACK_EXAMPLES_DIR, loadExamples } from './examples.ts';
import { assetCache, ECHARTS_FILE, escapeHtml, load, send } from './static.ts';

export interface ExplorerOptions {
  /** Where the explorer is served. @default '/explorer' */
  path?: string;
  /** The GraphQL endpoint the explorer calls (same origin). @default '/graphql' */
  graphqlPath?: string;
  /** Operations offered as tabs, read at each page load. @default schema/operations of the installed code */
  operationsDir?: string;
  /** Examples used when the operations folder has none. @default gateway/explorer/examples */
  fallbackExamplesDir?: string;
  /** Page title. @default 'Volunteer Graph explorer' */
  title?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

interface Asset {
  file: string;
  type: string;
}

/** The explorer's assets: all from node_modules or this folder; nothing from a CDN. */
const ASSETS: Record<string, Asset> = {
  'react.js': { file: join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'react-dom.js': { file: join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.js': { file: join(packageDir('graphiql'), 'dist/index.umd.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.css': { file: join(packageDir('graphiql'), 'dist/style.css'), type: 'text/css; charset=utf-8' },
  'echarts.js': { file: ECHARTS_FILE, type: 'text/javascript; charset=utf-8' },
  'views.js': { file: join(here, 'views.js'), type: 'text/javascript; charset=utf-8' },
  'explorer.js': { file: join(here, 'explorer.js'), type: 'text/javascript; charset=utf-8' },
  'explorer.css': { file: join(here, 'explorer.css'), type: 'text/css; charset=utf-8' },
  'favicon.svg': { file: join(here, 'favicon.svg'), type: 'image/svg+xml' },
};

function page(options: Required<ExplorerOptions>): string {
  const base = options.path;
  const config = JSON.stringify({ graphqlPath: options.graphqlPath, examplesPath: `${base}/examples.json` }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="${base}/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${base}/graphiql.css">
<link rel="stylesheet" href="${base}/explorer.css">
</head>
<body>
<div id="explorer"><p class="vg-loading">Loading the explorer…</p></div>
<script id="explorer-config" type="application/json">${config}</script>
<script src="${base}/react.js"></script>
<script src="${base}/react-dom.js"></script>
<script src="${base}/graphiql.js"></script>
<script src="${base}/echarts.js"></script>
<script src="${base}/views.js"></script>
<script src="${base}/explorer.js"></script>
</body>
</html>
`;
}

/** Whether a GET of the GraphQL path comes from a browser wanting a page rather than a GraphQL answer. */
export function wantsExplorer(req: IncomingMessage): boolean {
  if ((req.method ?? 'GET') !== 'GET') return false;
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.searchParams.has('query') || url.searchParams.has('extensions') || url.searchParams.has('documentId')) return false;
  const accept = String(req.headers.accept ?? '');
  return accept.includes('text/html');
}

/**
 * The offline GraphiQL explorer: `GET <path>` (the page), its assets under
 * `<path>/…`, and `GET <path>/examples.json` (the operations of
 * schema/operations as tabs). Mount these routes on the gateway; a browser's
 * GET of /graphql can be redirected to the page (see `wantsExplorer`).
 */
export function explorerRoutes(options: ExplorerOptions = {}): Record<string, RouteHandler> {
  const resolved: Required<ExplorerOptions> = {
    path: options.path ?? '/explorer',
    graphqlPath: options.graphqlPath ?? '/graphql',
    operationsDir: options.operationsDir ?? installedPath('schema', 'operations'),
    fallbackExamplesDir: options.fallbackExamplesDir ?? FALLBACK_EXAMPLES_DIR,
    title: options.title ?? 'Volunteer Graph explorer',
  };
  const base = resolved.path;
  const html = load(Buffer.from(page(resolved)));
  const asset = assetCache(ASSETS);

  const routes: Record<string, RouteHandler> = {
    [`GET ${base}`]: (req, res) => send(req, res, html, 'text/html; charset=utf-8', 'no-cache'),
    [`GET ${base}/`]: (req, res) => send(req, res, html, 'text/html; charset=utf-8', 'no-cache'),
    [`GET ${base}/examples.json`]: (req, res) => {
      const examples = loadExamples(resolved.operationsDir, resolved.fallbackExamplesDir);
      send(req, res, load(Buffer.from(JSON.stringify({ examples }))), 'application/json; charset=utf-8', 'no-cache');
    },
  };
  for (const [name, { type }] of Object.entries(ASSETS)) {
    // Assets change only with a deploy; the ETag revalidates them.
    routes[`GET ${base}/${name}`] = (req, res) => send(req, res, asset(name), type, 'public, max-age=3600');
  }
  return routes;
}

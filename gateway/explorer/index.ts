export { explorerRoutes, wantsExplorer, type ExplorerOptions } from './routes.ts';
export { loadExamples, FALLBACK_EXAMPLES_DIR, type ExplorerExample } from './examples.ts';
export { assetCache, CONTENT_SECURITY_POLICY, ECHARTS_FILE, escapeHtml, load, send, type Loaded } from './static.ts';

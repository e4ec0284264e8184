export { explorerRoutes, wantsExplorer, type ExplorerOptions } from './routes.ts';
export { loadExamples, FALLBACK_EXAMPLES_DIR, type ExplorerExample } from './examples.ts';

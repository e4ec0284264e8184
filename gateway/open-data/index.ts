export { openDataRoutes, type OpenDataRoutesOptions } from './routes.ts';
export { apolloSource, OPEN_DATA_VIEWER } from './source.ts';
export { openDataPage, wantsOpenDataPage, DATASET_SCHEMAS } from './index-page.ts';

export { dashboardsRoutes, DASHBOARD_OPERATIONS, type DashboardsOptions } from './routes.ts';

import type { SettingDoc } from '../../platform/settings.ts';

/** Every setting of a subgraph process (README "Configuration", generated from this list by `npm run settings`). */
export const SUBGRAPH_SETTINGS: readonly SettingDoc[] = [
  { variables: '`DATABASE_URL`', default: '—', meaning: 'PostgreSQL for every subgraph (each in its own schema); without it, PGlite' },
  {
    variables:
      '`VOLUNTEERS_DATABASE_URL`, `ORGANIZATIONS_DATABASE_URL`, `DONATIONS_DATABASE_URL`, `COOPERATION_DATABASE_URL`, `ROADMAP_DATABASE_URL`',
    default: '`DATABASE_URL`',
    meaning: "one subgraph's own database",
  },
  {
    variables: '`DATA_DIR`',
    default: '`.data/` beside `package.json` (never the working directory)',
    meaning: "where PGlite keeps each subgraph's data (`<DATA_DIR>/<subgraph>`), and the API-key file",
  },
  { variables: '`PORT` (`--port`)', default: '4001 / 4002 / 4003 / 4004 / 4005', meaning: "a subgraph's port (`npm run start:subgraph`)" },
  { variables: '`HOST`', default: '`127.0.0.1`', meaning: 'address to listen on' },
  { variables: '`SEED_DEMO` (`--seed-demo`)', default: '`npm start`: on', meaning: 'load the demo data when the subgraph is empty' },
  {
    variables: '`INTERNAL_TOKEN_SECRET`',
    default: 'development secret outside production (refused in production)',
    meaning: 'verifies the identity the gateway signs (the same value in the gateway and every subgraph)',
  },
  {
    variables: '`REQUIRE_GATEWAY`',
    default: 'on in production',
    meaning: 'refuse requests without a gateway-signed identity (no bypass through a subgraph port)',
  },
  {
    variables: '`VOLUNTEERS_URL`, `ORGANIZATIONS_URL`, `DONATIONS_URL`, `COOPERATION_URL`, `ROADMAP_URL`',
    default: '`http://127.0.0.1:<port>/graphql`',
    meaning: 'where subgraphs reach each other for write-time rules, and where the gateway reaches them',
  },
  {
    variables: '`RATES_MAX_STALENESS_DAYS`',
    default: '4',
    meaning:
      'donations: a foreign amount is converted at the official rate of its day or of at most this many days before (weekends, holidays); older is refused naming the missing date',
  },
  {
    variables: '`REDIS_URL`',
    default: '—',
    meaning: 'subgraph events (subscriptions) over Redis pub/sub; without it every replica LISTENs on its database',
  },
  {
    variables: '`SMTP_URL`',
    default: '— (development: each e-mail is logged instead)',
    meaning:
      'notifications and reminders by e-mail through nodemailer, e.g. `smtp://user:pass@mail.example.kz:587` (`smtps://` for implicit TLS)',
  },
  { variables: '`MAIL_FROM`', default: '`Volunteer Graph <no-reply@volunteer-graph.local>`', meaning: 'the sender of those e-mails' },
  {
    variables: '`JOBS_INTERVAL_MS`',
    default: '`300000` (5 minutes); `0` turns the in-process jobs off',
    meaning: 'how often a subgraph runs its scheduled jobs (notification e-mails, overdue grant-report reminders)',
  },
  { variables: '`NODE_ENV`', default: '—', meaning: '`production`: secrets required, masked errors, introspection off, gateway required' },
  { variables: '`LOG_LEVEL`', default: '`info` (`silent` in tests)', meaning: 'pino level' },
  { variables: '`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_SERVICE_NAME`', default: '—', meaning: 'OpenTelemetry tracing (see below)' },
];

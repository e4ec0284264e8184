import type { SettingDoc } from '../platform/settings.ts';

/** Every setting of the gateway process (README "Configuration", generated from this list by `npm run settings`). */
export const GATEWAY_SETTINGS: readonly SettingDoc[] = [
  {
    variables: '`SUPERGRAPH_PATH` (`--supergraph`)',
    default: '`schema/supergraph.graphql` of the installed code',
    meaning: 'supergraph file; hot-reloaded, a broken file keeps the old one',
  },
  {
    variables: '`SUPERGRAPH_URL`',
    default: '—',
    meaning:
      "poll this URL for the supergraph instead of the file (a fleet fed by one published composition): `If-None-Match`/ETag, the last good composition kept when a fetch or a load fails; the served supergraph's SHA-256 is on `/ready` (`supergraph.hash`) and in `/metrics` (`supergraph_info{hash}`)",
  },
  { variables: '`SUPERGRAPH_POLL_MS`', default: '`10000`', meaning: 'how often `SUPERGRAPH_URL` is polled' },
  { variables: '`GATEWAY_PORT` (`--port`)', default: '`4000`', meaning: 'port' },
  { variables: '`HOST` (`--host`)', default: '`127.0.0.1`', meaning: 'address to listen on' },
  {
    variables: '`SUBGRAPH_URL_<NAME>` or `<NAME>_URL` (`VOLUNTEERS_URL`, …, `ROADMAP_URL`)',
    default: "the supergraph's URLs",
    meaning: 'the URL of any subgraph the supergraph names (`<NAME>`: its name in capitals, other characters `_`; the first form wins)',
  },
  {
    variables: '`TRUSTED_SUBGRAPHS`',
    default: "the registry's subgraphs (`volunteers,organizations,donations,cooperation,roadmap`)",
    meaning:
      "subgraphs sent the caller's identity signed by the gateway (`x-internal-identity`); any other subgraph never receives it; `none` for none (then no `INTERNAL_TOKEN_SECRET` is needed)",
  },
  {
    variables: '`BEARER_TOKENS`',
    default: '`on`',
    meaning: '`off`: a gateway without signed-in users (API keys and the public only) refuses bearer tokens and needs no `JWT_SECRET`/JWKS',
  },
  {
    variables: '`NODE_ENV`',
    default: '—',
    meaning:
      '`production`: masked errors, introspection for analysts/admins only, trusted documents enforced, rate limiting on, the secrets of the features in use required (never the development ones)',
  },
  { variables: '`LOG_LEVEL`', default: '`info` (`silent` under test)', meaning: 'pino level' },
  { variables: '`JWT_SECRET`', default: 'development secret outside production', meaning: 'HS256 secret (≥ 32 chars)' },
  {
    variables: '`JWKS_URL` / `JWKS_FILE`',
    default: '—',
    meaning: 'identity provider keys (RS256, ES256, PS256, EdDSA); the file is re-read on change',
  },
  { variables: '`JWT_ISSUER`', default: '`volunteer-graph-dev`', meaning: 'expected `iss`' },
  { variables: '`JWT_AUDIENCE`', default: '`volunteer-graph`', meaning: 'expected `aud`' },
  { variables: '`JWT_CLOCK_TOLERANCE_S`', default: '`5`', meaning: 'allowed clock skew for `exp`/`nbf`' },
  {
    variables: '`INTERNAL_TOKEN_SECRET`',
    default: 'development secret outside production',
    meaning: 'secret of the identity signed for subgraphs (same value in every subgraph)',
  },
  { variables: '`API_KEYS_STORE`', default: '`file`', meaning: '`file` or `redis`' },
  { variables: '`API_KEYS_FILE`', default: '`<DATA_DIR>/api-keys.json`', meaning: 'partner keys (hashed), re-read on change' },
  { variables: '`API_KEYS_REDIS_KEY`', default: '`vg:api-keys`', meaning: 'Redis hash of partner keys (with `API_KEYS_STORE=redis`)' },
  { variables: '`REDIS_URL`', default: '—', meaning: 'Redis for shared rate-limit budgets, APQ and (optionally) API keys' },
  { variables: '`RATE_LIMIT`', default: 'on in production, off otherwise', meaning: '`on`/`off`' },
  {
    variables: '`RATE_LIMIT_TIERS`',
    default: '`anonymous=300/60,user=1200/60,partner=600/60,partner-plus=6000/60`',
    meaning:
      'operations (and requests of the other routes: open data, explorer) per seconds, per tier (anonymous per IP, users per subject, partners per key)',
  },
  {
    variables: '`RATE_LIMIT_FAILURE_MODE`',
    default: '`open`',
    meaning: 'when Redis fails: `open` lets requests through, `closed` answers 503',
  },
  { variables: '`RATE_LIMIT_KEY_PREFIX`', default: '`vg:rl`', meaning: 'prefix of the Redis keys' },
  { variables: '`TRUST_PROXY`', default: '`false`', meaning: 'client IP from `X-Forwarded-For`' },
  { variables: '`MAX_DEPTH`', default: '`12`', meaning: 'deepest field nesting' },
  { variables: '`MAX_ALIASES`', default: '`30`', meaning: 'aliases per operation' },
  { variables: '`MAX_ROOT_FIELDS`', default: '`20`', meaning: 'root fields per operation' },
  { variables: '`MAX_DIRECTIVES`', default: '`20`', meaning: 'directive uses per operation' },
  {
    variables: '`MAX_FIELDS`',
    default: '`1000`',
    meaning: 'field selections per operation once fragments are expanded (counted, never expanded)',
  },
  { variables: '`MAX_TOKENS`', default: '`4000`', meaning: 'lexical tokens per document (checked before parsing)' },
  { variables: '`MAX_PAGE_SIZE`', default: '`100`', meaning: 'largest `first`/`last`/slicing argument' },
  {
    variables: '`COST_BUDGETS`',
    default: '`public=5000,volunteer=10000,partner=20000,coordinator=50000,front_office=50000,analyst=100000,admin=100000,service=200000`',
    meaning: 'cost budget per caller kind',
  },
  { variables: '`DEFAULT_LIST_SIZE`', default: '`10`', meaning: 'size assumed for a list without `@listSize`' },
  { variables: '`MAX_BODY_BYTES`', default: '`1000000`', meaning: 'largest request body (413 beyond)' },
  { variables: '`MAX_BATCH_SIZE`', default: '`10`', meaning: 'operations per batched request (`1` turns batching off)' },
  { variables: '`TRUSTED_DOCUMENTS`', default: '`enforce` in production, else `allow`', meaning: '`off`, `allow` or `enforce`' },
  {
    variables: '`TRUSTED_DOCUMENTS_MANIFEST`',
    default: '`schema/operations/manifest.json` of the installed code',
    meaning: 'manifest (re-read on change)',
  },
  {
    variables: '`TRUSTED_DOCUMENTS_ENFORCE_FOR`',
    default: '`public,partner`',
    meaning: 'caller kinds held to the manifest in `enforce` mode',
  },
  { variables: '`APQ`', default: '`on`', meaning: 'automatic persisted queries' },
  { variables: '`APQ_TTL_S`', default: '`86400`', meaning: 'APQ entry lifetime (in Redis when `REDIS_URL` is set)' },
  {
    variables: '`INTROSPECTION`',
    default: '`everyone` outside production',
    meaning: '`everyone`, or anything else for `INTROSPECTION_ROLES` only',
  },
  { variables: '`INTROSPECTION_ROLES`', default: '`analyst,admin`', meaning: 'who may introspect in production' },
  { variables: '`SUBGRAPH_TIMEOUT_MS`', default: '`10000`', meaning: 'deadline of one subgraph call (retry included)' },
  { variables: '`SUBGRAPH_RETRY`', default: '`on`', meaning: 'one retry of a query after a connection error (never a mutation)' },
  { variables: '`CIRCUIT_BREAKER`', default: '`on`', meaning: 'a breaker per subgraph' },
  { variables: '`CIRCUIT_BREAKER_ERROR_PERCENT`', default: '`50`', meaning: 'failure share that opens it' },
  { variables: '`CIRCUIT_BREAKER_VOLUME`', default: '`5`', meaning: 'calls in the window before it may open' },
  { variables: '`CIRCUIT_BREAKER_RESET_MS`', default: '`10000`', meaning: 'open time before the probe' },
  { variables: '`CIRCUIT_BREAKER_WINDOW_MS`', default: '`10000`', meaning: 'rolling window of the statistics' },
  { variables: '`SHUTDOWN_GRACE_MS`', default: '`10000`', meaning: 'time in-flight requests get on shutdown' },
  { variables: '`CORS_ORIGINS`', default: 'none', meaning: 'browser origins allowed, comma-separated (`*` for any)' },
  { variables: '`CSRF_PREVENTION`', default: '`on`', meaning: "Apollo Server's CSRF prevention" },
  {
    variables: '`OVERRIDE_LABELS`',
    default: 'none',
    meaning: 'custom progressive-override labels switched on (`percent(N)` labels need nothing)',
  },
  { variables: '`SUBSCRIPTIONS`', default: '`on`', meaning: 'subscriptions over SSE (`/graphql/stream`) and WebSocket (`/graphql`)' },
  {
    variables: '`SUBSCRIPTIONS_PER_CALLER`',
    default: '`20`',
    meaning: 'open subscriptions per caller on one replica (`RATE_LIMITED` beyond)',
  },
  { variables: '`SUBSCRIPTIONS_PER_REPLICA`', default: '`10000`', meaning: 'open subscriptions on one gateway replica' },
  { variables: '`SUBSCRIPTION_HEARTBEAT_MS`', default: '`12000`', meaning: 'WebSocket ping interval' },
  {
    variables: '`OTEL_EXPORTER_OTLP_ENDPOINT`',
    default: '—',
    meaning: 'turns OpenTelemetry tracing on (gateway and subgraphs), e.g. `http://127.0.0.1:4318`',
  },
  { variables: '`OTEL_SERVICE_NAME`', default: "`gateway` / the subgraph's name", meaning: 'service name of the traces' },
  {
    variables: '`CONTRACTS`',
    default: '`partner=partner`',
    meaning:
      'contract served per caller kind (`partner=partner,public=public` holds anonymous callers to the public contract; `off` for none)',
  },
  { variables: '`EXPLORER`', default: '`on`', meaning: 'the GraphiQL explorer at `/explorer`' },
  { variables: '`DASHBOARDS`', default: '`on`', meaning: "the analysts' dashboards at `/dashboards`" },
  { variables: '`OPEN_DATA_CACHE_S`', default: '`300`', meaning: 'how long an open-data export is kept before it is built again' },
  {
    variables: '`OPEN_DATA_FIRST_YEAR`',
    default: '`2016`',
    meaning: "first year of the register export (`?year=` from it to Kazakhstan's current year)",
  },
  {
    variables:
      '`OPEN_DATA_PUBLISHER_REF`, `OPEN_DATA_PUBLISHER_NAME`, `OPEN_DATA_PUBLISHER_TYPE`, `OPEN_DATA_360G_PREFIX`, `OPEN_DATA_LICENSE`',
    default: 'see `gateway/open-data/README.md`',
    meaning: 'the publisher named in IATI and 360Giving files',
  },
  { variables: '`OPEN_DATA_TOKEN`', default: '—', meaning: '`npm run export`: the analyst token it uses against a remote gateway' },
];

import { parseContractsSetting, type ContractsOptions } from './contracts/index.ts';
import type { DashboardsOptions } from './dashboards/index.ts';
import type { ExplorerOptions } from './explorer/index.ts';
import type { OpenDataRoutesOptions } from './open-data/index.ts';
import type { ApolloServer } from '@apollo/server';
import { join } from 'node:path';
import {
  dataDir,
  installedPath,
  isProduction,
  parseBool,
  parseList,
  parseNumber,
  type CallerKind,
  type Logger,
  type RouteHandler,
} from '../platform/index.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';
import type { GatewayContext } from './context.ts';
import { identityOptionsFromEnv, type IdentityOptions } from './identity.ts';
import type { GatewayPlugin } from './plugin.ts';
import type { AuthorizationOptions } from './plugins/useAuthorization.ts';
import type { CircuitBreakerOptions } from './plugins/useCircuitBreaker.ts';
import type { LiveOptions } from './live/liveGateway.ts';
import type { IntrospectionPolicyOptions } from './plugins/useIntrospectionPolicy.ts';
import type { LimitsOptions } from './plugins/useLimits.ts';
import type { ProgressiveOverrideOptions } from './plugins/useProgressiveOverride.ts';
import type { QueryPlanOptions } from './plugins/useQueryPlan.ts';
import { parseRateTiers, type RateLimitOptions } from './plugins/useRateLimit.ts';
import type { TrustedDocumentsMode, TrustedDocumentsOptions } from './plugins/useTrustedDocuments.ts';

/**
 * Everything the gateway can be told. Each setting has an environment
 * variable (see `gatewayOptionsFromEnv`); what is not given takes its default.
 */
export interface GatewayOptions {
  /** Path of the supergraph SDL file; reloaded when it changes. @default schema/supergraph.graphql of the installed code (SUPERGRAPH_PATH) */
  supergraphPath: string;
  /** @default 4000 (GATEWAY_PORT); 0 picks a free port */
  port?: number;
  /** @default '127.0.0.1' (HOST) */
  host?: string;
  /**
   * A URL to poll for the supergraph instead of the file (a fleet fed by one published composition):
   * If-None-Match/ETag, last good composition kept on failure. @default none (SUPERGRAPH_URL)
   */
  supergraphUrl?: string;
  /** How often `supergraphUrl` is polled. @default 10_000 (SUPERGRAPH_POLL_MS) */
  supergraphPollMs?: number;
  /**
   * Subgraph URL by name, overriding the supergraph's: the subgraph's name as given, or its
   * environment key (`subgraphEnvKey`): SUBGRAPH_URL_<NAME>, else <NAME>_URL (VOLUNTEERS_URL, …).
   */
  serviceUrls?: Record<string, string>;
  /**
   * Subgraphs that receive the caller's identity signed by the gateway (`x-internal-identity`); any
   * other subgraph of the supergraph never sees it. @default the subgraphs of this repository's registry (TRUSTED_SUBGRAPHS)
   */
  trustedSubgraphs?: string[];
  /** @default production when NODE_ENV=production */
  production?: boolean;
  identity?: IdentityOptions;
  /** Secret of the identity the gateway signs for subgraphs. @default INTERNAL_TOKEN_SECRET (development secret outside production) */
  internalSecret?: Uint8Array;
  /** Partner API keys: a JSON file (re-read on change) or Redis. */
  apiKeys?: {
    /** @default 'file' (API_KEYS_STORE) */
    store?: 'file' | 'redis';
    /** @default `<DATA_DIR>/api-keys.json` (API_KEYS_FILE) */
    file?: string;
    /** How often the file is checked for changes. @default 500 */
    pollMs?: number;
    /** The Redis hash holding the keys. @default 'vg:api-keys' (API_KEYS_REDIS_KEY) */
    redisKey?: string;
  };
  /** Redis for shared rate-limit budgets, APQ and (optionally) API keys. @default none (REDIS_URL) */
  redisUrl?: string;
  /** Deadline of one subgraph call, retry included. @default 10_000 (SUBGRAPH_TIMEOUT_MS) */
  subgraphTimeoutMs?: number;
  /** Retry a query once after a connection error (never a mutation). @default true (SUBGRAPH_RETRY) */
  retryQueries?: boolean;
  /** Largest request body. @default 1_000_000 (MAX_BODY_BYTES) */
  maxBodyBytes?: number;
  /** Operations per batched request; 1 turns batching off. @default 10 (MAX_BATCH_SIZE) */
  maxBatchSize?: number;
  /** Browser origins allowed (CORS); `*` for any. @default [] (CORS_ORIGINS, comma-separated) */
  corsOrigins?: string[];
  /** Apollo Server's CSRF prevention (refuses simple cross-site requests). @default true (CSRF_PREVENTION) */
  csrfPrevention?: boolean;
  /** Take the client IP from X-Forwarded-For. @default false (TRUST_PROXY) */
  trustProxy?: boolean;
  /** Grace period for in-flight requests at shutdown. @default 10_000 (SHUTDOWN_GRACE_MS) */
  shutdownGraceMs?: number;
  /** Automatic persisted queries for callers not held to trusted documents. @default true (APQ) */
  apq?: boolean;
  /** Seconds an APQ document is kept. @default 86_400 (APQ_TTL_S) */
  apqTtlSeconds?: number;
  limits?: LimitsOptions;
  trustedDocuments?: Omit<TrustedDocumentsOptions, 'logger'>;
  rateLimit?: Omit<RateLimitOptions, 'redis' | 'metrics' | 'logger'>;
  circuitBreaker?: Omit<CircuitBreakerOptions, 'metrics' | 'logger'>;
  introspection?: IntrospectionPolicyOptions;
  authorization?: AuthorizationOptions;
  progressiveOverride?: ProgressiveOverrideOptions;
  /** The query plan in `extensions.queryPlan` for analysts and admins who send `x-query-plan`. */
  queryPlan?: QueryPlanOptions;
  /** Schema contracts served by caller kind (partners get the partner contract); false turns them off. @default {} (CONTRACTS) */
  contracts?: Omit<ContractsOptions, 'onWarnings' | 'onError'> | false;
  /** The offline GraphiQL explorer at /explorer (and a browser's GET /graphql); false turns it off. @default {} */
  explorer?: ExplorerOptions | false;
  /** The analysts' dashboards at /dashboards; false turns them off. @default {} */
  dashboards?: DashboardsOptions | false;
  /** Open-data downloads at /open-data; false turns them off. @default {} (OPEN_DATA_CACHE_S, OPEN_DATA_PUBLISHER_*) */
  openData?: Omit<OpenDataRoutesOptions, 'source'> | false;
  /**
   * Subscriptions over SSE (/graphql/stream, or /graphql with accept: text/event-stream) and
   * WebSocket (/graphql, graphql-ws); false turns them off.
   * @default {} (SUBSCRIPTIONS, SUBSCRIPTIONS_PER_CALLER, SUBSCRIPTIONS_PER_REPLICA, SUBSCRIPTION_HEARTBEAT_MS)
   */
  live?: LiveOptions | false;
  /** More plugins, after the built-in ones (innermost around execution). @default [] */
  plugins?: GatewayPlugin[];
  /** More HTTP routes by `METHOD /path` (e.g. an explorer), given the gateway's Apollo Server. */
  routes?: (gateway: { apollo: ApolloServer<GatewayContext>; log: Logger }) => Record<string, RouteHandler>;
  logger?: Logger;
}

/** A subgraph's name as it appears in environment variables: `cooperation` → `COOPERATION`, `open-data` → `OPEN_DATA`. */
export const subgraphEnvKey = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/**
 * Subgraph URLs from the environment, by env key, for any subgraph a supergraph may name:
 * SUBGRAPH_URL_<NAME>, or the short <NAME>_URL (the registry's VOLUNTEERS_URL, … are of this form).
 * The gateway's own *_URL settings are not subgraph URLs.
 */
export function serviceUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const own = new Set(['SUPERGRAPH', 'JWKS', 'REDIS', 'DATABASE']);
  const short: Record<string, string> = {};
  const long: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    const explicit = /^SUBGRAPH_URL_([A-Z0-9_]+)$/.exec(name);
    if (explicit?.[1]) long[explicit[1]] = value;
    const plain = /^([A-Z0-9_]+)_URL$/.exec(name);
    if (plain?.[1] && !own.has(plain[1]) && !plain[1].endsWith('_DATABASE') && !plain[1].startsWith('SUBGRAPH_URL_'))
      short[plain[1]] = value;
  }
  return { ...short, ...long };
}

/** Subgraphs trusted with the signed identity when none are listed: the ones this repository builds. */
export const defaultTrustedSubgraphs = (): string[] => SUBGRAPHS.map((s) => s.name);

/** The supergraph served when no path is given: the one composed into the installed code. */
export const defaultSupergraphPath = (): string => installedPath('schema', 'supergraph.graphql');
/** The partner-key file when none is given: in the data folder (DATA_DIR, else `.data/` of the package). */
export const defaultApiKeysFile = (env: NodeJS.ProcessEnv = process.env): string => join(dataDir(env), 'api-keys.json');

const bool = parseBool;
const num = parseNumber;
const list = parseList;

/** Parses `public=2000,partner=10000`. */
function parseBudgets(text: string | undefined): Partial<Record<CallerKind, number>> | undefined {
  if (!text) return undefined;
  return Object.fromEntries(
    text.split(',').map((part) => {
      const [kind, value] = part.split('=').map((s) => s.trim());
      if (!kind || !value || !Number.isFinite(Number(value))) throw new Error(`COST_BUDGETS: "${part}" is not kind=number`);
      return [kind, Number(value)];
    }),
  );
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The gateway's settings from the environment (every one is listed in the README). */
export function gatewayOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  return withoutUndefined<GatewayOptions>({
    supergraphPath: env.SUPERGRAPH_PATH ?? defaultSupergraphPath(),
    supergraphUrl: env.SUPERGRAPH_URL || undefined,
    supergraphPollMs: num(env.SUPERGRAPH_POLL_MS),
    trustedSubgraphs: env.TRUSTED_SUBGRAPHS === undefined ? undefined : list(env.TRUSTED_SUBGRAPHS === 'none' ? '' : env.TRUSTED_SUBGRAPHS),
    port: num(env.GATEWAY_PORT),
    host: env.HOST,
    serviceUrls: serviceUrlsFromEnv(env),
    production: isProduction(env),
    identity: identityOptionsFromEnv(env),
    apiKeys: withoutUndefined({
      store: env.API_KEYS_STORE as 'file' | 'redis' | undefined,
      file: env.API_KEYS_FILE,
      redisKey: env.API_KEYS_REDIS_KEY,
    }),
    redisUrl: env.REDIS_URL || undefined,
    subgraphTimeoutMs: num(env.SUBGRAPH_TIMEOUT_MS),
    retryQueries: env.SUBGRAPH_RETRY === undefined ? undefined : bool(env.SUBGRAPH_RETRY, true),
    maxBodyBytes: num(env.MAX_BODY_BYTES),
    maxBatchSize: num(env.MAX_BATCH_SIZE),
    corsOrigins: list(env.CORS_ORIGINS),
    csrfPrevention: env.CSRF_PREVENTION === undefined ? undefined : bool(env.CSRF_PREVENTION, true),
    trustProxy: env.TRUST_PROXY === undefined ? undefined : bool(env.TRUST_PROXY, false),
    shutdownGraceMs: num(env.SHUTDOWN_GRACE_MS),
    apq: env.APQ === undefined ? undefined : bool(env.APQ, true),
    apqTtlSeconds: num(env.APQ_TTL_S),
    limits: withoutUndefined<LimitsOptions>({
      maxDepth: num(env.MAX_DEPTH),
      maxAliases: num(env.MAX_ALIASES),
      maxRootFields: num(env.MAX_ROOT_FIELDS),
      maxDirectives: num(env.MAX_DIRECTIVES),
      maxFields: num(env.MAX_FIELDS),
      maxTokens: num(env.MAX_TOKENS),
      maxPageSize: num(env.MAX_PAGE_SIZE),
      costBudgets: parseBudgets(env.COST_BUDGETS),
      defaultListSize: num(env.DEFAULT_LIST_SIZE),
    }),
    trustedDocuments: withoutUndefined<Omit<TrustedDocumentsOptions, 'logger'>>({
      mode: env.TRUSTED_DOCUMENTS as TrustedDocumentsMode | undefined,
      manifestPath: env.TRUSTED_DOCUMENTS_MANIFEST,
      enforceFor: list(env.TRUSTED_DOCUMENTS_ENFORCE_FOR) as CallerKind[] | undefined,
    }),
    rateLimit: withoutUndefined<Omit<RateLimitOptions, 'redis' | 'metrics' | 'logger'>>({
      enabled: env.RATE_LIMIT === undefined ? undefined : bool(env.RATE_LIMIT, true),
      tiers: env.RATE_LIMIT_TIERS ? parseRateTiers(env.RATE_LIMIT_TIERS) : undefined,
      failureMode: env.RATE_LIMIT_FAILURE_MODE as 'open' | 'closed' | undefined,
      keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
    }),
    circuitBreaker: withoutUndefined<Omit<CircuitBreakerOptions, 'metrics' | 'logger'>>({
      enabled: env.CIRCUIT_BREAKER === undefined ? undefined : bool(env.CIRCUIT_BREAKER, true),
      errorThresholdPercentage: num(env.CIRCUIT_BREAKER_ERROR_PERCENT),
      volumeThreshold: num(env.CIRCUIT_BREAKER_VOLUME),
      resetTimeoutMs: num(env.CIRCUIT_BREAKER_RESET_MS),
      rollingWindowMs: num(env.CIRCUIT_BREAKER_WINDOW_MS),
    }),
    introspection: withoutUndefined<IntrospectionPolicyOptions>({
      allowEveryone: env.INTROSPECTION === undefined ? undefined : env.INTROSPECTION === 'everyone',
      roles: list(env.INTROSPECTION_ROLES) as CallerKind[] | undefined,
    }),
    progressiveOverride: withoutUndefined<ProgressiveOverrideOptions>({ enabledLabels: list(env.OVERRIDE_LABELS) }),
    contracts: env.CONTRACTS === undefined ? undefined : { byCallerKind: parseContractsSetting(env.CONTRACTS) },
    explorer: env.EXPLORER === undefined ? undefined : bool(env.EXPLORER, true) ? {} : false,
    dashboards: env.DASHBOARDS === undefined ? undefined : bool(env.DASHBOARDS, true) ? {} : false,
    live:
      env.SUBSCRIPTIONS !== undefined && !bool(env.SUBSCRIPTIONS, true)
        ? false
        : withoutUndefined<LiveOptions>({
            maxPerCaller: num(env.SUBSCRIPTIONS_PER_CALLER),
            maxPerReplica: num(env.SUBSCRIPTIONS_PER_REPLICA),
            heartbeatMs: num(env.SUBSCRIPTION_HEARTBEAT_MS),
          }),
    openData: withoutUndefined<Omit<OpenDataRoutesOptions, 'source'>>({
      cacheSeconds: num(env.OPEN_DATA_CACHE_S),
      firstYear: num(env.OPEN_DATA_FIRST_YEAR),
    }),
  });
}

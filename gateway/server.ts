// This system holds personal data and runs offline: no usage telemetry to Apollo, ever.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Redis } from 'ioredis';
import {
  createLogger,
  IDENTITY_HEADER,
  internalSecret,
  sendJson,
  signIdentity,
  type Logger,
  type RunningServer,
} from '../platform/index.ts';
import { FileApiKeyStore, RedisApiKeyStore, type ApiKeyStore } from './api-keys.ts';
import { defaultApiKeysFile, defaultTrustedSubgraphs, subgraphEnvKey, type GatewayOptions } from './config.ts';
import type { GatewayContext } from './context.ts';
import { SERVICE_VIEWER, SubgraphDataSource } from './data-source.ts';
import { useContracts } from './contracts/index.ts';
import { maskGatewayErrors } from './errors.ts';
import { dashboardsRoutes } from './dashboards/index.ts';
import { explorerRoutes } from './explorer/index.ts';
import { apolloSource, openDataRoutes } from './open-data/index.ts';
import { serveGateway } from './http.ts';
import { createCallerResolver, createIdentityVerifier, identityOptionsFromEnv } from './identity.ts';
import { GatewayMetrics } from './metrics.ts';
import type { GatewayInterface, GatewayPlugin } from './plugin.ts';
import { useAuthorization } from './plugins/useAuthorization.ts';
import { SubgraphFailure, useCircuitBreaker, type BreakerState } from './plugins/useCircuitBreaker.ts';
import { useIntrospectionPolicy } from './plugins/useIntrospectionPolicy.ts';
import { useLimits } from './plugins/useLimits.ts';
import { useOperationName } from './plugins/useOperationName.ts';
import { useProgressiveOverride } from './plugins/useProgressiveOverride.ts';
import { useQueryPlan } from './plugins/useQueryPlan.ts';
import { useRateLimit } from './plugins/useRateLimit.ts';
import { useTrustedDocuments } from './plugins/useTrustedDocuments.ts';
import { LiveGateway } from './live/liveGateway.ts';
import { subscriptionExecutor } from './live/subscriptionExecutor.ts';
import { sseTransport, wsTransport } from './live/transports.ts';
import { connectRedis, redisKeyValueCache } from './redis.ts';
import { supergraphFromFile, supergraphFromUrl } from './supergraph.ts';
import { readSupergraphMetadata, type SubgraphOfSupergraph, type SupergraphMetadata } from './supergraph-metadata.ts';
import { isProduction } from '../platform/settings.ts';

export type { GatewayOptions } from './config.ts';

export interface RunningGateway extends RunningServer {
  /** Subgraphs that do not answer now (empty when all are up). */
  unavailableSubgraphs(): Promise<string[]>;
  /** Circuit state per subgraph called so far. */
  breakerStates(): Record<string, BreakerState>;
  metrics: GatewayMetrics;
  /** Subscriptions (null when turned off). */
  live: LiveGateway | null;
  /** The supergraph now served. */
  supergraph(): SupergraphMetadata | undefined;
  /** SHA-256 (hex) of the text of the supergraph now served. */
  supergraphHash(): string | undefined;
  readonly draining: boolean;
}

function apolloLogger(log: Logger) {
  return {
    debug: (m: unknown) => log.debug(String(m)),
    info: (m: unknown) => log.debug(String(m)),
    warn: (m: unknown) => log.warn(String(m)),
    error: (m: unknown) => log.error(String(m)),
  };
}

/**
 * Builds and starts the gateway: Apollo Gateway inside Apollo Server behind the
 * gateway's own HTTP front, with its plugins (rate limit, trusted documents,
 * introspection policy, limits, authorization, progressive override, circuit
 * breakers). Options not given take their documented defaults.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const log = options.logger ?? createLogger('gateway');
  const production = options.production ?? isProduction();
  const metrics = new GatewayMetrics();
  const trusted = new Set(options.trustedSubgraphs ?? defaultTrustedSubgraphs());
  // The internal secret is needed (and, in production, must be strong) only when some subgraph is trusted with the identity.
  const secret = options.internalSecret ?? (trusted.size ? internalSecret() : undefined);
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  const maxBatchSize = options.maxBatchSize ?? 10;
  const urlOf = (name: string, url: string) => options.serviceUrls?.[name] ?? options.serviceUrls?.[subgraphEnvKey(name)] ?? url;
  const secretFor = (name: string): Uint8Array | undefined => (trusted.has(name) ? secret : undefined);

  const redis: Redis | null = options.redisUrl ? await connectRedis(options.redisUrl, log) : null;
  let apiKeys: ApiKeyStore;
  if (options.apiKeys?.store === 'redis') {
    if (!redis) throw new Error('API_KEYS_STORE=redis needs REDIS_URL');
    apiKeys = new RedisApiKeyStore(redis, options.apiKeys.redisKey);
  } else {
    apiKeys = new FileApiKeyStore(options.apiKeys?.file ?? defaultApiKeysFile(), log, options.apiKeys?.pollMs ?? 500);
  }
  const identity = await createIdentityVerifier(options.identity ?? identityOptionsFromEnv(), log);
  const callers = createCallerResolver({ identity, apiKeys, trustProxy: options.trustProxy ?? false });

  const breakers = useCircuitBreaker({ ...options.circuitBreaker, metrics, logger: log });
  const probeOf = (name: string, url: string) => async () => {
    let response: Response;
    const signWith = secretFor(name);
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signWith ? { [IDENTITY_HEADER]: await signIdentity(SERVICE_VIEWER, signWith) } : {}),
        },
        body: '{"query":"{ __typename }"}',
        signal: AbortSignal.timeout(Math.min(timeoutMs, 2_000)),
      });
      await response.arrayBuffer();
    } catch (error) {
      throw new SubgraphFailure(name, 'unavailable', 'probe failed', { cause: error });
    }
    if (!response.ok) throw new SubgraphFailure(name, 'status', `probe answered ${response.status}`);
  };

  let supergraphHash: string | undefined;
  const supergraphEvents = {
    onReloaded: () => metrics.supergraphReloads.inc({ outcome: 'loaded' }),
    onReloadFailed: () => metrics.supergraphReloads.inc({ outcome: 'failed' }),
    onLoaded: (hash: string) => {
      supergraphHash = hash;
      metrics.supergraphInfo.reset();
      metrics.supergraphInfo.set({ hash }, 1);
    },
  };
  const queryPlans = useQueryPlan(options.queryPlan);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphUrl
      ? supergraphFromUrl(
          options.supergraphUrl,
          log,
          { ...(options.supergraphPollMs ? { pollMs: options.supergraphPollMs } : {}) },
          supergraphEvents,
        )
      : supergraphFromFile(options.supergraphPath, log, supergraphEvents),
    buildService: ({ name, url }) => {
      const target = urlOf(name, url ?? '');
      return new SubgraphDataSource({
        name,
        url: target,
        secret: secretFor(name),
        timeoutMs,
        retryQueries: options.retryQueries ?? true,
        breaker: breakers.breakerFor(name, probeOf(name, target)),
        metrics,
        log,
      });
    },
    logger: apolloLogger(log),
    // The plan goes to analysts and admins only (useQueryPlan), never to whoever sends Apollo's experimental header.
    __exposeQueryPlanExperimental: false,
    experimental_didResolveQueryPlan: queryPlans.didResolveQueryPlan,
  });

  const trustedDocuments = useTrustedDocuments({ mode: production ? 'enforce' : 'allow', ...options.trustedDocuments, logger: log });
  const plugins: GatewayPlugin[] = [
    useRateLimit({ enabled: production, ...options.rateLimit, redis, metrics, logger: log }),
    trustedDocuments,
    useIntrospectionPolicy({ allowEveryone: !production, ...options.introspection }),
    // Partners are held to their contract before anything is priced or planned.
    ...(options.contracts === false
      ? []
      : [
          useContracts({
            ...options.contracts,
            onWarnings: (contract, warnings) => log.warn({ contract, warnings }, 'the contract drops tagged fields'),
            onError: (error) => log.error({ err: error }, 'contracts not cut from the new supergraph; the previous ones stay'),
          }),
        ]),
    useLimits(options.limits),
    useOperationName(),
    queryPlans,
    useAuthorization(options.authorization),
    useProgressiveOverride(gateway, options.progressiveOverride),
    breakers,
    ...(options.plugins ?? []),
  ];

  let supergraph: SupergraphMetadata | undefined;
  let subgraphs: SubgraphOfSupergraph[] = [];
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    supergraph = readSupergraphMetadata(coreSupergraphSdl);
    subgraphs = supergraph.subgraphs.map((s) => ({ name: s.name, url: urlOf(s.name, s.url) }));
    for (const plugin of plugins) plugin.onSupergraph?.(supergraph);
  });

  // Apollo Server drives this interface; the plugins wrap the executor (planning and execution).
  const gatewayInterface: GatewayInterface = {
    async load(loadOptions) {
      const loaded = await gateway.load(loadOptions);
      // Subscriptions are planned and executed innermost, under every plugin (authorization first).
      let executor = loaded.executor ? subscriptionExecutor(gateway, loaded.executor) : loaded.executor;
      for (const plugin of [...plugins].reverse()) if (executor && plugin.wrapExecutor) executor = plugin.wrapExecutor(executor);
      return { ...loaded, executor };
    },
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
  };

  const armor = production
    ? new ApolloArmor({
        blockFieldSuggestion: { enabled: true },
        maxTokens: { enabled: false },
        costLimit: { enabled: false },
        maxAliases: { enabled: false },
        maxDirectives: { enabled: false },
        maxDepth: { enabled: false },
      }).protect().plugins
    : [];
  const apq = options.apq ?? true;
  const apollo = new ApolloServer<GatewayContext>({
    gateway: gatewayInterface,
    formatError: maskGatewayErrors(log, { production, metrics }),
    includeStacktraceInErrorResponses: false,
    introspection: true, // decided per caller by the introspection policy
    csrfPrevention: options.csrfPrevention ?? true,
    allowBatchedHttpRequests: maxBatchSize > 1,
    persistedQueries: apq ? { ...(redis ? { cache: redisKeyValueCache(redis) } : {}), ttl: options.apqTtlSeconds ?? 86_400 } : false,
    stopOnTerminationSignals: false, // main.ts drains first, then stops
    logger: apolloLogger(log),
    plugins: [ApolloServerPluginLandingPageDisabled(), ...(armor as never[]), ...plugins.flatMap((p) => (p.apollo ? [p.apollo] : []))],
  });
  await apollo.start();

  async function unavailableSubgraphs(): Promise<string[]> {
    const results = await Promise.all(
      subgraphs.map(async ({ name, url }) => {
        try {
          await probeOf(name, url)();
          return null;
        } catch {
          return name;
        }
      }),
    );
    return results.filter((n): n is string => n !== null);
  }

  const live = options.live === false ? null : new LiveGateway({ apollo: () => apollo, plugins, secretFor, metrics, log }, options.live);
  const liveTransports = live
    ? {
        sse: sseTransport(live, (req) => callers.callerOf(req), options.maxBodyBytes ?? 1_000_000),
        ws: wsTransport(live, (req) => callers.callerOf(req), log),
      }
    : undefined;

  const http = await serveGateway({
    ...(liveTransports ? { live: liveTransports } : {}),
    apollo,
    callers,
    plugins,
    metrics,
    log,
    port: options.port ?? 4000,
    host: options.host ?? '127.0.0.1',
    maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
    maxBatchSize,
    trustProxy: options.trustProxy ?? false,
    corsOrigins: options.corsOrigins ?? [],
    shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
    routes: {
      ...(options.explorer === false ? {} : explorerRoutes(options.explorer)),
      ...(options.dashboards === false ? {} : dashboardsRoutes(options.dashboards)),
      ...(options.openData === false ? {} : openDataRoutes({ ...options.openData, source: apolloSource(apollo, log) })),
      ...options.routes?.({ apollo, log }),
    },
    probes: {
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      'GET /ready': async (_req, res) => {
        if (http.draining) return sendJson(res, 503, { status: 'draining' });
        if (subgraphs.length === 0) return sendJson(res, 503, { status: 'unavailable', reason: 'no supergraph loaded' });
        const unavailable = await unavailableSubgraphs();
        const circuits = breakers.states();
        sendJson(res, unavailable.length ? 503 : 200, {
          status: unavailable.length ? 'degraded' : 'ready',
          supergraph: { hash: supergraphHash },
          subgraphs: subgraphs.map((s) => ({ name: s.name, up: !unavailable.includes(s.name), circuit: circuits[s.name] ?? 'closed' })),
          unavailable,
        });
      },
      'GET /metrics': async (_req, res) => {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      },
    },
  });
  log.info({ url: http.url, subgraphs }, 'gateway listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Subscribers are told to reconnect (to another replica) before the server drains.
      live?.close();
      await liveTransports?.ws.close();
      await http.close();
      await apollo.stop();
      for (const plugin of plugins) await plugin.close?.();
      identity.close();
      await apiKeys.close();
      redis?.disconnect();
    })());

  return {
    url: http.url,
    port: http.port,
    server: http.server,
    close,
    [Symbol.asyncDispose]: close,
    unavailableSubgraphs,
    breakerStates: () => breakers.states(),
    metrics,
    live,
    supergraph: () => supergraph,
    supergraphHash: () => supergraphHash,
    get draining() {
      return http.draining;
    },
  };
}

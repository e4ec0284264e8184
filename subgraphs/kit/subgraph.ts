import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { Kysely } from 'kysely';
import { internalSecret } from '../../platform/identity.ts';
import { resolveRequestContext, type RequestContext } from './context.ts';
import type { Database } from './database.ts';
import { DomainError } from '../../platform/errors.ts';
import { sendJson, serveHttp, type RunningServer } from '../../platform/http.ts';
import { createLogger, type Logger } from '../../platform/logger.ts';
import { migrateToLatest, type MigrationIndex } from './migrations.ts';
import { startTelemetry } from '../../platform/telemetry.ts';
import { isProduction } from '../../platform/settings.ts';
import { EventBus } from './events.ts';
import { subscriptionEndpoint } from './subscriptions.ts';
import { createMailer, mailSettingsFromEnv, type Mailer, type MailSettings } from './mail.ts';
import { DEFAULT_JOBS_INTERVAL_MS, JobRunner, type Job } from './jobs.ts';
import { parseNumber } from '../../platform/settings.ts';

/** Everything a subgraph is: its SDL, resolvers, migrations and per-request context. */
export interface SubgraphDefinition<DB, TContext extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<TContext>;
  migrations: MigrationIndex;
  /** Adds the subgraph's own db handle and per-request DataLoaders to the base context. */
  createContext(base: RequestContext, db: Kysely<DB>): TContext;
  /** Jobs the subgraph runs in-process every JOBS_INTERVAL_MS (idempotent: replicas run them too). */
  jobs?: readonly Job<DB>[];
}

export interface SubgraphServerOptions {
  port?: number;
  host?: string;
  logger?: Logger;
  /** Refuse requests without a gateway-signed identity. @default true when NODE_ENV=production or REQUIRE_GATEWAY=1 */
  requireGateway?: boolean;
  secret?: Uint8Array;
  /**
   * Where the subgraph's events travel between replicas (a subgraph with a
   * Subscription type): Redis pub/sub when `redisUrl` is set (REDIS_URL), else
   * LISTEN/NOTIFY on its database.
   */
  events?: { redisUrl?: string | undefined; redisChannel?: string | undefined };
  /** Where the jobs' e-mails go. @default SMTP_URL and MAIL_FROM (no SMTP_URL: logged) */
  mail?: MailSettings | Mailer;
  /** How often the jobs run; 0: only when `runJobs` is called. @default JOBS_INTERVAL_MS, else 5 minutes */
  jobsIntervalMs?: number;
  /** The jobs' clock. @default the system clock */
  now?: () => Date;
}

/**
 * Domain errors and errors of the request itself (parse, validation, variable
 * coercion) reach the caller as they are; anything else is a bug: logged with
 * its request id, and masked.
 */
export function maskErrors(log: Logger): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) return formatted;
    // A domain error wrapped by Apollo Server (e.g. "Context creation failed: …") keeps its code too.
    if ((original as { originalError?: unknown } | null)?.originalError instanceof DomainError) return formatted;
    if (original instanceof GraphQLError && (!original.originalError || original.originalError instanceof GraphQLError)) return formatted;
    // Errors of the request itself (variable coercion by a scalar, validation) are the caller's.
    const code = formatted.extensions?.code;
    if (!formatted.path && (code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED'))
      return formatted;
    log.error({ err: original, path: formatted.path }, 'internal error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function requestLogging<TContext extends RequestContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (!(original instanceof DomainError) && !(original instanceof GraphQLError && !original.originalError)) {
              contextValue.log.error({ err: original }, 'resolver failed');
            }
          }
        },
        async willSendResponse({ operationName }) {
          contextValue.log.debug({ operationName, ms: Math.round(performance.now() - started) }, 'request done');
        },
      };
    },
  };
}

export function requireGatewayDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.REQUIRE_GATEWAY !== undefined) return env.REQUIRE_GATEWAY === '1' || env.REQUIRE_GATEWAY === 'true';
  return isProduction(env);
}

/** The subgraph's executable schema (federation fields included). */
export function buildSchemaOf<DB, TContext extends RequestContext>(definition: SubgraphDefinition<DB, TContext>) {
  return buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> }]);
}

/** Builds the subgraph's Apollo Server (no listen). */
export function buildSubgraphServer<DB, TContext extends RequestContext>(
  definition: SubgraphDefinition<DB, TContext>,
  log: Logger,
  schema = buildSchemaOf(definition),
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema,
    formatError: maskErrors(log),
    includeStacktraceInErrorResponses: false,
    introspection: !isProduction(),
    // The process drains its HTTP server on SIGTERM first (scripts/lib/run-subgraph.ts), then stops Apollo.
    stopOnTerminationSignals: false,
    plugins: [requestLogging<TContext>(), ApolloServerPluginInlineTraceDisabled()],
  });
}

export interface RunningSubgraph extends RunningServer {
  name: string;
  /** The subgraph's event bus, when it owns subscription fields. */
  events?: EventBus;
  /** Runs the subgraph's jobs once now (waits for a run under way): items handled per job. */
  runJobs(): Promise<Record<string, number>>;
}

/** Migrates the subgraph's schema and serves it; `port: 0` picks a free port (tests). */
export async function startSubgraph<DB, TContext extends RequestContext>(
  definition: SubgraphDefinition<DB, TContext>,
  database: Database<DB>,
  options: SubgraphServerOptions = {},
): Promise<RunningSubgraph> {
  const log = options.logger ?? createLogger(definition.name);
  await startTelemetry(definition.name); // OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set
  const applied = await migrateToLatest(database.db, database.schema, definition.migrations);
  log.info(
    { schema: database.schema, applied },
    applied.length ? `migrations applied: ${applied.length}` : 'schema up to date: no migration to apply',
  );
  const schema = buildSchemaOf(definition);
  const apollo = buildSubgraphServer(definition, log, schema);
  await apollo.start();
  const policy = {
    secret: options.secret ?? internalSecret(),
    requireGateway: options.requireGateway ?? requireGatewayDefault(),
  };
  // A subgraph that owns subscription fields serves them over graphql-sse from its outbox's events.
  const events =
    'Subscription' in definition.resolvers
      ? await EventBus.start({
          database,
          log,
          redisUrl: options.events?.redisUrl ?? process.env.REDIS_URL,
          redisChannel: options.events?.redisChannel,
        })
      : undefined;
  const stream = events
    ? subscriptionEndpoint({
        schema,
        db: database.db,
        events,
        createContext: definition.createContext,
        policy,
        log,
        formatError: maskErrors(log),
      })
    : undefined;
  const running = await serveHttp<TContext>({
    apollo,
    port: options.port ?? 0,
    name: definition.name,
    ...(options.host ? { host: options.host } : {}),
    context: async (req: IncomingMessage) =>
      definition.createContext({ ...(await resolveRequestContext(req, policy, log)), ...(events ? { events } : {}) }, database.db),
    routes: {
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok', service: definition.name }),
      ...(stream ? { 'POST /graphql/stream': stream.handle, 'GET /graphql/stream': stream.handle } : {}),
    },
  });
  const mail = options.mail ?? mailSettingsFromEnv();
  const jobs = new JobRunner(
    definition.jobs ?? [],
    { db: database.db, log, mailer: 'send' in mail ? mail : createMailer(mail, log), now: options.now ?? (() => new Date()) },
    options.jobsIntervalMs ?? parseNumber(process.env.JOBS_INTERVAL_MS, 'JOBS_INTERVAL_MS') ?? DEFAULT_JOBS_INTERVAL_MS,
  );
  log.info({ url: running.url, driver: database.driver, events: events?.transport ?? 'none' }, 'subgraph listening');
  const close = async () => {
    // Open event streams end first (their subscribers reconnect elsewhere), then the server drains.
    await events?.close();
    await jobs.close();
    await running.close();
  };
  return {
    ...running,
    close,
    [Symbol.asyncDispose]: close,
    name: definition.name,
    ...(events ? { events } : {}),
    runJobs: () => jobs.runAll(),
  };
}

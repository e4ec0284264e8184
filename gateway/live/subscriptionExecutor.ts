import { buildOperationContext, executeQueryPlan, type ApolloGateway, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument } from '@apollo/federation-internals';
import type { FetchNode, QueryPlan, SubscriptionNode } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from '../../platform/graphql.ts';
import type { GatewayContext, LiveRequest } from '../context.ts';
import type { GatewayExecutor, GatewayRequestContext } from '../plugin.ts';

/** What @apollo/gateway keeps to itself and a subscription needs: its planner, schemas and data sources. */
interface GatewayInternals {
  queryPlanner: { buildQueryPlan(operation: unknown, options?: Record<string, unknown>): QueryPlan };
  schema: GraphQLSchema;
  apiSchema: Parameters<typeof operationFromDocument>[0];
  supergraphSchema: Parameters<typeof executeQueryPlan>[4];
  serviceMap: Record<string, { url?: string; dataSource: GraphQLDataSource }>;
  config: { telemetry?: Parameters<typeof executeQueryPlan>[6] };
}

/** The subscription field's fetch: which subgraph serves the stream, and the operation it is sent. */
export interface PrimaryFetch {
  serviceName: string;
  /** The subgraph's URL for its queries (its event stream is at `<url>/stream`). */
  url: string;
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

const PLAN_CACHE_SIZE = 500;

/**
 * The innermost executor for subscriptions, in the manner of Hive Gateway: the
 * query planner plans the operation into the subscription field's fetch from
 * the subgraph that owns it (the primary) and the rest of the selection
 * (entity fetches from the other subgraphs). When a subscription opens
 * (`live` without an event) the primary is handed back to be opened as an
 * event stream; for each event, the plan is executed with the event as the
 * primary's answer, so the rest runs through @apollo/gateway's executor
 * exactly as a query's would. Every wrapper outside this one (authorization,
 * progressive override, contracts, limits) applies to each event as to a query.
 * Queries and mutations go on to @apollo/gateway.
 */
export function subscriptionExecutor(gateway: ApolloGateway, next: GatewayExecutor): GatewayExecutor {
  const internals = gateway as unknown as GatewayInternals;
  const plans = new Map<string, SubscriptionNode>();

  const planOf = (rc: GatewayRequestContext): SubscriptionNode => {
    const key = `${rc.queryHash}:${rc.request.operationName ?? ''}`;
    const cached = plans.get(key);
    if (cached) return cached;
    const operation = operationFromDocument(internals.apiSchema, rc.document, { operationName: rc.request.operationName });
    const node = internals.queryPlanner.buildQueryPlan(operation).node;
    if (node?.kind !== 'Subscription') throw new Error('the query planner did not plan a subscription');
    if (plans.size >= PLAN_CACHE_SIZE) plans.delete(plans.keys().next().value!);
    plans.set(key, node);
    return node;
  };

  return async (rc) => {
    if (rc.operation.operation !== 'subscription') return next(rc);
    const live: LiveRequest | undefined = (rc.context as GatewayContext).live;
    if (!live) {
      return {
        errors: [
          new GraphQLError(
            'Subscriptions are served as event streams: POST /graphql/stream (Server-Sent Events, graphql-sse) or a WebSocket on /graphql (graphql-ws)',
            {
              extensions: { code: 'BAD_REQUEST' },
            },
          ),
        ],
      };
    }
    const node = planOf(rc);
    const primary: FetchNode = node.primary;
    if (!live.event) {
      const service = internals.serviceMap[primary.serviceName];
      const url = (service?.dataSource as { url?: string } | undefined)?.url ?? service?.url;
      if (!url) throw new Error(`no URL for subgraph ${primary.serviceName}`);
      const provided = rc.request.variables ?? {};
      live.primary = {
        serviceName: primary.serviceName,
        url,
        query: primary.operation,
        operationName: primary.operationName,
        variables: Object.fromEntries(
          (primary.variableUsages ?? []).filter((name) => provided[name] !== undefined).map((name) => [name, provided[name]]),
        ),
      };
      return { data: {} };
    }

    // One event: the primary fetch answers with the event, then the rest of the plan runs.
    const event = live.event;
    let answered = false;
    const real = internals.serviceMap[primary.serviceName]?.dataSource;
    const eventSource: GraphQLDataSource = {
      process: async (request) => {
        if (!answered && request.request.query === primary.operation) {
          answered = true;
          return { data: event.data ?? null, ...(event.errors ? { errors: event.errors } : {}) } as never;
        }
        if (!real) throw new Error(`no data source for subgraph ${primary.serviceName}`);
        return real.process(request);
      },
    };
    const serviceMap: ServiceMap = Object.fromEntries(
      Object.entries(internals.serviceMap).map(([name, { dataSource }]) => [name, dataSource]),
    );
    serviceMap[primary.serviceName] = eventSource;
    const plan: QueryPlan = { kind: 'QueryPlan', node: node.rest ? { kind: 'Sequence', nodes: [primary, node.rest] } : primary };
    const operationContext = buildOperationContext({
      schema: internals.schema,
      operationDocument: rc.document,
      operationName: rc.request.operationName,
    });
    return executeQueryPlan(
      plan,
      serviceMap,
      rc,
      operationContext,
      internals.supergraphSchema,
      internals.apiSchema,
      internals.config.telemetry,
    );
  };
}

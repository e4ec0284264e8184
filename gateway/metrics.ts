import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Distinct operation names kept as label values; later ones count as `other`. @default 200 */
  maxOperationNames?: number;
  /** Node process metrics (memory, event loop lag, GC). @default true */
  processMetrics?: boolean;
}

/** The gateway's Prometheus metrics, served at GET /metrics; one registry per gateway instance. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'caller_kind' | 'status'>;
  readonly requestDuration: Histogram<'operation' | 'caller_kind'>;
  readonly errors: Counter<'code'>;
  readonly subgraphDuration: Histogram<'subgraph'>;
  readonly subgraphFailures: Counter<'subgraph' | 'reason'>;
  readonly subgraphRetries: Counter<'subgraph'>;
  readonly rateLimited: Counter<'tier' | 'caller_kind'>;
  readonly breakerState: Gauge<'subgraph'>;
  readonly supergraphReloads: Counter<'outcome'>;
  readonly supergraphInfo: Gauge<'hash'>;
  readonly liveOpen: Gauge<'transport'>;
  readonly liveEvents: Counter<'service'>;
  readonly liveRefused: Counter<'limit'>;
  private readonly operationNames = new Set<string>();
  private readonly maxOperationNames: number;

  constructor(options: MetricsOptions = {}) {
    this.maxOperationNames = options.maxOperationNames ?? 200;
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
    this.requests = new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests by operation name, caller kind and HTTP status',
      labelNames: ['operation', 'caller_kind', 'status'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'Latency of GraphQL requests by operation name and caller kind',
      labelNames: ['operation', 'caller_kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors returned, by extensions.code',
      labelNames: ['code'],
      registers,
    });
    this.subgraphDuration = new Histogram({
      name: 'subgraph_fetch_duration_seconds',
      help: 'Latency of calls to subgraphs',
      labelNames: ['subgraph'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.subgraphFailures = new Counter({
      name: 'subgraph_fetch_failures_total',
      help: 'Failed calls to subgraphs by reason (unavailable, timeout, status, circuit_open)',
      labelNames: ['subgraph', 'reason'],
      registers,
    });
    this.subgraphRetries = new Counter({
      name: 'subgraph_fetch_retries_total',
      help: 'Query calls retried after a connection error',
      labelNames: ['subgraph'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'rate_limit_refusals_total',
      help: 'Requests refused by the rate limiter',
      labelNames: ['tier', 'caller_kind'],
      registers,
    });
    this.breakerState = new Gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker per subgraph: 0 closed, 1 half-open, 2 open',
      labelNames: ['subgraph'],
      registers,
    });
    this.supergraphReloads = new Counter({
      name: 'supergraph_reloads_total',
      help: 'Supergraph hot reloads by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.supergraphInfo = new Gauge({
      name: 'supergraph_info',
      help: 'The supergraph served: 1 for the SHA-256 (hex) of its text, as published',
      labelNames: ['hash'],
      registers,
    });
    this.liveOpen = new Gauge({
      name: 'graphql_subscriptions_open',
      help: 'Subscriptions open on this replica, by transport (sse, ws)',
      labelNames: ['transport'],
      registers,
    });
    this.liveEvents = new Counter({
      name: 'graphql_subscription_events_total',
      help: 'Events delivered to subscriptions, by the subgraph that owns the field (rate() of it: events per second)',
      labelNames: ['service'],
      registers,
    });
    this.liveRefused = new Counter({
      name: 'graphql_subscriptions_refused_total',
      help: 'Subscriptions refused by a limit (per caller, per replica)',
      labelNames: ['limit'],
      registers,
    });
  }

  /** A bounded label value for an operation name (client-chosen names must not grow the series without end). */
  operationLabel(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= this.maxOperationNames || !/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(name)) return 'other';
    this.operationNames.add(name);
    return name;
  }

  countErrorCode(code: unknown): void {
    this.errors.inc({ code: typeof code === 'string' && /^[A-Z_]{1,60}$/.test(code) ? code : 'OTHER' });
  }
}

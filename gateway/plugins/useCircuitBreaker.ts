import CircuitBreaker from 'opossum';
import type { Logger } from '../../platform/index.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { GatewayPlugin } from '../plugin.ts';

export interface CircuitBreakerOptions {
  /** @default true */
  enabled?: boolean;
  /** Share of failed calls (in the rolling window) that opens the breaker. @default 50 */
  errorThresholdPercentage?: number;
  /** Calls in the window before the breaker may open. @default 5 */
  volumeThreshold?: number;
  /** How long an open breaker fails fast before it probes the subgraph. @default 10_000 */
  resetTimeoutMs?: number;
  /** Length of the rolling window of statistics. @default 10_000 */
  rollingWindowMs?: number;
  metrics?: GatewayMetrics;
  logger?: Logger;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A failure of the subgraph itself (down, too slow, 5xx): what a breaker counts. */
export class SubgraphFailure extends Error {
  constructor(
    readonly serviceName: string,
    readonly reason: 'unavailable' | 'timeout' | 'status',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class CircuitOpen extends Error {
  constructor(readonly serviceName: string) {
    super(`circuit of ${serviceName} is open`);
  }
}

export interface SubgraphBreaker {
  /** Runs a call through the breaker; throws CircuitOpen at once while it is open. */
  run<T>(call: () => Promise<T>): Promise<T>;
  readonly state: BreakerState;
}

const PASS_THROUGH: SubgraphBreaker = { run: (call) => call(), state: 'closed' };

/**
 * A circuit breaker per subgraph (opossum): after enough failures it opens and
 * calls fail fast with SERVICE_UNAVAILABLE instead of waiting for a dead
 * service; after `resetTimeoutMs` it lets one probe (`{ __typename }`, not a
 * caller's request) through, and closes when the probe succeeds.
 */
export function useCircuitBreaker(options: CircuitBreakerOptions = {}): GatewayPlugin & {
  breakerFor(serviceName: string, probe: () => Promise<void>): SubgraphBreaker;
  states(): Record<string, BreakerState>;
} {
  const breakers = new Map<string, { breaker: CircuitBreaker<[() => Promise<unknown>], unknown>; handle: SubgraphBreaker }>();
  const stateOf = (breaker: CircuitBreaker): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed');
  const gauge = { closed: 0, 'half-open': 1, open: 2 } as const;

  return {
    name: 'circuit-breaker',
    breakerFor(serviceName, probe) {
      if (options.enabled === false) return PASS_THROUGH;
      const existing = breakers.get(serviceName);
      if (existing) return existing.handle;
      const breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
        name: serviceName,
        timeout: false, // the data source has its own deadline
        errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
        volumeThreshold: options.volumeThreshold ?? 5,
        resetTimeout: options.resetTimeoutMs ?? 10_000,
        rollingCountTimeout: options.rollingWindowMs ?? 10_000,
        // Only the subgraph's own failures count; a GraphQL error in a good answer does not.
        errorFilter: (error: unknown) => !(error instanceof SubgraphFailure),
      });
      const report = () => options.metrics?.breakerState.set({ subgraph: serviceName }, gauge[stateOf(breaker)]);
      report();
      breaker.on('open', () => {
        report();
        options.logger?.warn({ subgraph: serviceName, resetTimeoutMs: options.resetTimeoutMs ?? 10_000 }, 'circuit opened: failing fast');
      });
      breaker.on('halfOpen', () => {
        report();
        // The one trial call of the half-open state is our probe, not a caller's request.
        breaker.fire(probe).catch(() => options.logger?.warn({ subgraph: serviceName }, 'probe failed: circuit stays open'));
      });
      breaker.on('close', () => {
        report();
        options.logger?.info({ subgraph: serviceName }, 'circuit closed: subgraph answers again');
      });
      const handle: SubgraphBreaker = {
        async run<T>(call: () => Promise<T>): Promise<T> {
          try {
            return (await breaker.fire(call)) as T;
          } catch (error) {
            if ((error as { code?: string }).code === 'EOPENBREAKER') throw new CircuitOpen(serviceName);
            throw error;
          }
        },
        get state() {
          return stateOf(breaker);
        },
      };
      breakers.set(serviceName, { breaker, handle });
      return handle;
    },
    states() {
      return Object.fromEntries([...breakers].map(([name, { breaker }]) => [name, stateOf(breaker)]));
    },
    async close() {
      for (const { breaker } of breakers.values()) breaker.shutdown();
    },
  };
}

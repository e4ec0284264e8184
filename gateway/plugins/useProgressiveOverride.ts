import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayContext } from '../context.ts';
import type { GatewayPlugin } from '../plugin.ts';

export interface ProgressiveOverrideOptions {
  /** Custom (non-percentage) labels switched on for every request. @default [] */
  enabledLabels?: string[];
  /** Decides a custom label per request (feature-flag style); `enabledLabels` apply when absent. */
  decide?(label: string, context: GatewayContext): boolean;
  /** Random source for `percent(N)` labels, in [0, 1). @default Math.random */
  random?: () => number;
}

const PERCENT = /^percent\((\d+(?:\.\d+)?)\)$/;

interface Planner {
  buildQueryPlan(operation: unknown, options?: { overrideConditions?: Map<string, boolean> } & Record<string, unknown>): unknown;
}

/**
 * Progressive `@override(from:, label:)`: for each request the gateway decides
 * every label of the supergraph — `percent(N)` is on for N % of requests, other
 * labels by `decide` or `enabledLabels` — and plans with those conditions, as
 * Apollo's router and Hive Gateway do. @apollo/gateway's planner supports
 * override conditions but the gateway never passes them: the decision reaches
 * the planner through AsyncLocalStorage, and the plan cache key carries it.
 */
export function useProgressiveOverride(gateway: ApolloGateway, options: ProgressiveOverrideOptions = {}): GatewayPlugin {
  const random = options.random ?? Math.random;
  const enabled = new Set(options.enabledLabels ?? []);
  const conditions = new AsyncLocalStorage<Map<string, boolean>>();
  let labels: readonly string[] = [];

  // The gateway builds a new planner on every supergraph load; wrap each one as it is installed.
  let planner: Planner | undefined;
  Object.defineProperty(gateway, 'queryPlanner', {
    configurable: true,
    get: () => planner,
    set(next: Planner | undefined) {
      if (next) {
        const build = next.buildQueryPlan.bind(next);
        next.buildQueryPlan = (operation, planOptions) => {
          const overrideConditions = conditions.getStore();
          return build(operation, overrideConditions ? { ...planOptions, overrideConditions } : planOptions);
        };
      }
      planner = next;
    },
  });

  const decideAll = (context: GatewayContext): Map<string, boolean> =>
    new Map(
      labels.map((label) => {
        const percent = PERCENT.exec(label);
        if (percent) return [label, random() * 100 < Number(percent[1])];
        return [label, options.decide ? options.decide(label, context) : enabled.has(label)];
      }),
    );

  return {
    name: 'progressive-override',
    onSupergraph(supergraph) {
      labels = supergraph.overrideLabels;
    },
    wrapExecutor(next) {
      return async (rc) => {
        if (labels.length === 0) return next(rc);
        const decided = decideAll(rc.context as GatewayContext);
        const key = [...decided].map(([label, on]) => `${label}=${on ? 1 : 0}`).join(',');
        return conditions.run(decided, () => next({ ...rc, queryHash: `${rc.queryHash}:override:${key}` }));
      };
    },
  };
}

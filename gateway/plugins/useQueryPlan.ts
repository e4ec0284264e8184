import { AsyncLocalStorage } from 'node:async_hooks';
import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import { hasRole, type CallerKind } from '../../platform/index.ts';
import type { GatewayContext } from '../context.ts';
import type { GatewayPlugin } from '../plugin.ts';

type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
/** Any node of the planner's tree (a subscription's root included). */
type PlanNode = NonNullable<QueryPlan['node']>;
type FetchNode = Extract<PlanNode, { kind: 'Fetch' }>;

export interface QueryPlanOptions {
  /** Roles the plan is shown to. @default ['analyst', 'admin'] */
  roles?: CallerKind[];
  /** The request header that asks for the plan (any value but `0`/`false`). @default 'x-query-plan' */
  header?: string;
}

/** The header a caller sends to be given the plan, in `extensions.queryPlan`. */
export const QUERY_PLAN_HEADER = 'x-query-plan';

/** One node of a query plan as the gateway answers it: the planner's tree without its internals (AST, rewrites). */
export interface QueryPlanNode {
  kind: 'Sequence' | 'Parallel' | 'Fetch' | 'Flatten' | 'Defer' | 'Condition' | 'Subscription';
  /** Fetch: the subgraph called. */
  service?: string;
  /** Fetch: the operation sent to the subgraph. */
  operation?: string;
  /** Fetch: the variables of the caller's operation it passes on. */
  variables?: string[];
  /** Fetch of entities: the types whose representations it sends (`_entities`). */
  requires?: string[];
  /** Flatten: where in the response the nested fetch's answers go (`@` for each item of a list). */
  path?: string;
  /** Condition: the variable deciding between the branches. */
  condition?: string;
  nodes?: QueryPlanNode[];
}

function requiredTypes(node: FetchNode): string[] | undefined {
  if (!node.requires?.length) return undefined;
  return node.requires.map((s) => (s.kind === 'InlineFragment' ? (s.typeCondition ?? '…') : s.name));
}

const describeAll = (nodes: readonly (PlanNode | undefined)[]): QueryPlanNode[] => nodes.flatMap((n) => (n ? [describeQueryPlan(n)] : []));

/** The plan as a small JSON tree a client can draw. */
export function describeQueryPlan(node: PlanNode): QueryPlanNode {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return { kind: node.kind, nodes: describeAll(node.nodes) };
    case 'Fetch':
      return {
        kind: 'Fetch',
        service: node.serviceName,
        operation: node.operation,
        ...(node.variableUsages?.length ? { variables: node.variableUsages } : {}),
        ...(node.requires?.length ? { requires: requiredTypes(node) } : {}),
      };
    case 'Flatten':
      return { kind: 'Flatten', path: node.path.join('.'), nodes: [describeQueryPlan(node.node)] };
    case 'Condition':
      return {
        kind: 'Condition',
        condition: node.condition,
        nodes: describeAll([node.ifClause, node.elseClause]),
      };
    case 'Defer':
      return {
        kind: 'Defer',
        nodes: describeAll([node.primary.node, ...node.deferred.map((d) => d.node)]),
      };
    case 'Subscription':
      return { kind: 'Subscription', nodes: describeAll([node.primary, node.rest]) };
  }
}

/**
 * The query plan for analysts and admins, as Apollo's query-plan viewer shows
 * it: a request with the `x-query-plan` header from one of those roles is
 * answered with `extensions.queryPlan` (the tree of fetches the gateway ran);
 * anyone else gets the answer without it. The gateway hands the plan over
 * through its `experimental_didResolveQueryPlan` hook — pass `didResolveQueryPlan`
 * to `new ApolloGateway(…)` — and this plugin's executor wrapper picks it up for
 * the operation it runs (AsyncLocalStorage, so batched operations never mix).
 */
export function useQueryPlan(
  options: QueryPlanOptions = {},
): GatewayPlugin & { didResolveQueryPlan: Experimental_DidResolveQueryPlanCallback } {
  const roles = options.roles ?? ['analyst', 'admin'];
  const header = (options.header ?? QUERY_PLAN_HEADER).toLowerCase();
  const current = new AsyncLocalStorage<{ plan?: QueryPlan }>();
  return {
    name: 'query-plan',
    didResolveQueryPlan({ queryPlan }) {
      const holder = current.getStore();
      if (holder) holder.plan = queryPlan;
    },
    wrapExecutor(next) {
      return async (rc) => {
        const asked = rc.request.http?.headers.get(header);
        const context = rc.context as GatewayContext;
        if (!asked || /^(0|false|no)$/i.test(asked) || !hasRole(context.viewer, ...roles)) return next(rc);
        const holder: { plan?: QueryPlan } = {};
        const result = await current.run(holder, () => next(rc));
        if (!holder.plan) return result;
        const queryPlan = holder.plan.node ? describeQueryPlan(holder.plan.node) : null;
        return { ...result, extensions: { ...result.extensions, queryPlan } };
      };
    },
  };
}

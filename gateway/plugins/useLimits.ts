import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  valueFromASTUntyped,
} from '../../platform/graphql.ts';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import type { CallerKind } from '../../platform/index.ts';
import type { GatewayContext } from '../context.ts';
import { HttpRefusal, type GatewayPlugin } from '../plugin.ts';
import type { SupergraphMetadata } from '../supergraph-metadata.ts';

export interface LimitsOptions {
  /** Deepest field nesting (introspection not counted). @default 12 */
  maxDepth?: number;
  /** Aliased fields per operation. @default 30 */
  maxAliases?: number;
  /** Fields selected at the root. @default 20 */
  maxRootFields?: number;
  /** Directive uses per operation. @default 20 */
  maxDirectives?: number;
  /** Lexical tokens per document. @default 4_000 */
  maxTokens?: number;
  /** Largest page (`first`, `last` or a @listSize slicing argument). @default 100 */
  maxPageSize?: number;
  /**
   * Cost budget per caller kind, computed from @cost/@listSize (Federation's
   * demand control): objects cost 1, scalars 0, lists multiply by their size.
   * @default { public: 5_000, volunteer: 10_000, partner: 20_000, coordinator: 50_000, front_office: 50_000, analyst: 100_000, admin: 100_000, service: 200_000 }
   */
  costBudgets?: Partial<Record<CallerKind, number>>;
  /** Size assumed for a list without @listSize. @default 10 */
  defaultListSize?: number;
  /** Cost added per mutation root field. @default 10 */
  mutationCost?: number;
}

export const DEFAULT_COST_BUDGETS: Readonly<Record<CallerKind, number>> = {
  public: 5_000,
  volunteer: 10_000,
  partner: 20_000,
  coordinator: 50_000,
  front_office: 50_000,
  analyst: 100_000,
  admin: 100_000,
  service: 200_000,
};

/** Measurements of an operation that do not depend on its variables. */
export interface StaticMeasure {
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
}

function tooComplex(limit: string, measured: number, max: number, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'OPERATION_TOO_COMPLEX', limit, measured, max, http: { status: 400 } },
  });
}

/** Counts lexical tokens, stopping once past `stopAfter` (a document past the limit is not lexed whole). */
export function countTokens(source: string, stopAfter = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > stopAfter) break;
    }
  } catch {
    // A lexical error: the parser reports it properly.
  }
  return count;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}

export function measureStatic(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): StaticMeasure {
  let aliases = 0;
  let directives = operation.directives?.length ?? 0;
  let rootFields = 0;
  const depthOf = (selectionSet: SelectionSetNode, level: number, spreads: ReadonlySet<string>, root: boolean): number => {
    let deepest = level;
    for (const selection of selectionSet.selections) {
      directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (root) rootFields += 1;
        if (selection.alias) aliases += 1;
        // Introspection is governed by its own policy and is deep by nature.
        if (selection.name.value === '__schema' || selection.name.value === '__type') continue;
        deepest = Math.max(deepest, selection.selectionSet ? depthOf(selection.selectionSet, level + 1, spreads, false) : level + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, level, spreads, root));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spreads.has(fragment.name.value)) continue;
        directives += fragment.directives?.length ?? 0;
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, level, new Set([...spreads, fragment.name.value]), root));
      }
    }
    return deepest;
  };
  const depth = depthOf(operation.selectionSet, 0, new Set(), true);
  return { depth, aliases, rootFields, directives };
}

export interface CostResult {
  cost: number;
  /** The largest page asked for, and by which argument (for the page-size limit). */
  largestPage: { argument: string; field: string; size: number } | null;
}

/**
 * Cost of an operation after Federation's demand-control rules: an object
 * (composite) field costs 1 (or its @cost), a scalar 0 (or its @cost);
 * arguments add their @cost; a list multiplies its items' cost by its size —
 * the value of a slicing argument, else @listSize(assumedSize), else the default;
 * @listSize(sizedFields) applies that size to the named child lists (connections).
 */
export function measureCost(
  schema: GraphQLSchema,
  supergraph: SupergraphMetadata | undefined,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  options: { defaultListSize: number; mutationCost: number; pageArguments: readonly string[] },
): CostResult {
  const root = schema.getRootType(operation.operation);
  let largestPage: CostResult['largestPage'] = null;
  if (!root) return { cost: 0, largestPage };
  const variableDefaults = new Map(
    (operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue ? valueFromASTUntyped(d.defaultValue) : undefined]),
  );
  const valueOf = (node: ValueNode): unknown => {
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      return name in variables ? variables[name] : variableDefaults.get(name);
    }
    return valueFromASTUntyped(node, variables);
  };
  const argumentValue = (field: FieldNode, definition: GraphQLField<unknown, unknown>, name: string): unknown => {
    const node = field.arguments?.find((a) => a.name.value === name);
    if (node) return valueOf(node.value);
    return definition.args.find((a) => a.name === name)?.defaultValue;
  };

  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number>,
    spreads: ReadonlySet<string>,
    isRoot: boolean,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += selectionCost(selection.selectionSet, type, sized, spreads, isRoot);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
        if (fragment && type && isCompositeType(type) && !spreads.has(fragment.name.value)) {
          total += selectionCost(fragment.selectionSet, type, sized, new Set([...spreads, fragment.name.value]), isRoot);
        }
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__')) continue;
      const definition = 'getFields' in parent ? parent.getFields()[name] : undefined;
      if (!definition) continue;
      const coordinate = `${parent.name}.${name}`;
      const named = getNamedType(definition.type);
      let cost = supergraph?.fieldCost.get(coordinate) ?? supergraph?.typeCost.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
      for (const arg of selection.arguments ?? []) cost += supergraph?.argumentCost.get(`${coordinate}.${arg.name.value}`) ?? 0;
      if (isRoot && operation.operation === 'mutation') cost += options.mutationCost;

      const listSize = supergraph?.listSize.get(coordinate);
      let size: number | null = null;
      for (const argument of new Set([...(listSize?.slicingArguments ?? []), ...options.pageArguments])) {
        const value = argumentValue(selection, definition, argument);
        if (typeof value === 'number' && Number.isFinite(value)) {
          if (!largestPage || value > largestPage.size) largestPage = { argument, field: coordinate, size: value };
          if (listSize?.slicingArguments.includes(argument)) size = Math.max(size ?? 0, value);
        }
      }
      size ??= listSize?.assumedSize ?? null;
      const childSized = new Map<string, number>();
      if (listSize?.sizedFields.length) {
        for (const child of listSize.sizedFields) childSized.set(child, size ?? options.defaultListSize);
      }
      const children = selection.selectionSet && isCompositeType(named) ? selectionCost(selection.selectionSet, named, childSized, new Set(spreads), false) : 0;
      const nullable = isNonNullType(definition.type) ? definition.type.ofType : definition.type;
      if (isListType(nullable)) {
        const items = sized.get(name) ?? (listSize?.sizedFields.length ? null : size) ?? options.defaultListSize;
        total += (cost + children) * items;
      } else {
        total += cost + children;
      }
    }
    return total;
  };
  return { cost: selectionCost(operation.selectionSet, root, new Map(), new Set(), true), largestPage };
}

/**
 * Refuses expensive operations before any subgraph is called: tokens (before
 * parsing), depth, aliases, root fields, directives, page size and a cost
 * budget per caller kind. A refusal is OPERATION_TOO_COMPLEX naming the limit,
 * the measured value and the maximum (BAD_USER_INPUT naming the argument for a
 * page too large).
 */
export function useLimits(options: LimitsOptions = {}): GatewayPlugin {
  const maxDepth = options.maxDepth ?? 12;
  const maxAliases = options.maxAliases ?? 30;
  const maxRootFields = options.maxRootFields ?? 20;
  const maxDirectives = options.maxDirectives ?? 20;
  const maxTokens = options.maxTokens ?? 4_000;
  const maxPageSize = options.maxPageSize ?? 100;
  const budgets = { ...DEFAULT_COST_BUDGETS, ...options.costBudgets };
  const costOptions = { defaultListSize: options.defaultListSize ?? 10, mutationCost: options.mutationCost ?? 10, pageArguments: ['first', 'last'] };
  let supergraph: SupergraphMetadata | undefined;
  const tokenCounts = new Map<string, number>();
  let staticMeasures = new WeakMap<DocumentNode, Map<string, StaticMeasure>>();

  const tokensOf = (query: string): number => {
    let tokens = tokenCounts.get(query);
    if (tokens === undefined) {
      tokens = countTokens(query, maxTokens);
      if (query.length <= 20_000) {
        if (tokenCounts.size >= 2_000) tokenCounts.clear();
        tokenCounts.set(query, tokens);
      }
    }
    return tokens;
  };

  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (!operation) return;
          const fragments = fragmentsOf(document);
          let byName = staticMeasures.get(document);
          if (!byName) staticMeasures.set(document, (byName = new Map()));
          const key = operation.name?.value ?? '';
          let measure = byName.get(key);
          if (!measure) byName.set(key, (measure = measureStatic(operation, fragments)));

          if (measure.depth > maxDepth) throw tooComplex('depth', measure.depth, maxDepth, `The operation is ${measure.depth} levels deep; the limit is ${maxDepth}`);
          if (measure.aliases > maxAliases) throw tooComplex('aliases', measure.aliases, maxAliases, `The operation has ${measure.aliases} aliases; the limit is ${maxAliases}`);
          if (measure.rootFields > maxRootFields) {
            throw tooComplex('rootFields', measure.rootFields, maxRootFields, `The operation selects ${measure.rootFields} root fields; the limit is ${maxRootFields}`);
          }
          if (measure.directives > maxDirectives) {
            throw tooComplex('directives', measure.directives, maxDirectives, `The operation uses ${measure.directives} directives; the limit is ${maxDirectives}`);
          }

          const { cost, largestPage } = measureCost(schema, supergraph, operation, fragments, request.variables ?? {}, costOptions);
          if (largestPage && largestPage.size > maxPageSize) {
            throw new GraphQLError(`Invalid ${largestPage.argument}: must be between 0 and ${maxPageSize} (${largestPage.field} asked for ${largestPage.size})`, {
              extensions: {
                code: 'BAD_USER_INPUT',
                argumentName: largestPage.argument,
                field: largestPage.field,
                limit: 'pageSize',
                measured: largestPage.size,
                max: maxPageSize,
                http: { status: 400 },
              },
            });
          }
          const budget = budgets[contextValue.viewer.kind] ?? budgets.public;
          if (cost > budget) {
            throw tooComplex('cost', cost, budget, `The operation costs ${cost}; the budget of a ${contextValue.viewer.kind} caller is ${budget}`);
          }
        },
      };
    },
  };
  return {
    name: 'limits',
    // Tokens are counted before Apollo Server parses the document.
    onRequest({ operations }) {
      for (const operation of operations) {
        if (typeof operation.query !== 'string') continue;
        const tokens = tokensOf(operation.query);
        if (tokens > maxTokens) {
          throw new HttpRefusal(400, 'OPERATION_TOO_COMPLEX', `The document has more than ${maxTokens} tokens`, { limit: 'tokens', measured: tokens, max: maxTokens });
        }
      }
    },
    apollo,
    onSupergraph(next) {
      supergraph = next;
      staticMeasures = new WeakMap();
    },
  };
}

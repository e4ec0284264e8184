import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Lexer, Source, TokenKind, parse } from '../../platform/graphql.ts';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { CallerKind } from '../../platform/index.ts';
import type { GatewayContext } from '../context.ts';
import { HttpRefusal, type GatewayPlugin } from '../plugin.ts';
import type { SupergraphMetadata } from '../supergraph-metadata.ts';
import { describeCount, fragmentsOf, measureCost, measureStatic, selectOperation, type StaticMeasure } from './measureOperation.ts';

export { measureCost, measureStatic, type CostResult, type StaticMeasure } from './measureOperation.ts';

export interface LimitsOptions {
  /** Deepest field nesting (introspection not counted). @default 12 */
  maxDepth?: number;
  /** Aliased fields per operation. @default 30 */
  maxAliases?: number;
  /** Fields selected at the root. @default 20 */
  maxRootFields?: number;
  /** Directive uses per operation. @default 20 */
  maxDirectives?: number;
  /** Field selections once fragments are expanded (counted, never expanded). @default 1_000 */
  maxFields?: number;
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

/** A limit an operation is over: which, by how much, and the message for the caller. */
interface Excess {
  limit: string;
  measured: number;
  max: number;
  message: string;
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

function tooComplex({ limit, measured, max, message }: Excess): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'OPERATION_TOO_COMPLEX', limit, measured, max, http: { status: 400 } },
  });
}

/**
 * Refuses expensive operations before any subgraph is called, each measure in
 * time linear in the document (fragments measured once, never expanded):
 * tokens (before parsing), then depth, aliases, root fields, directives and
 * fields (before Apollo Server parses and validates, and again for a document
 * it takes from the APQ cache), then page size and a cost budget per caller
 * kind (before planning). A refusal is OPERATION_TOO_COMPLEX naming the limit,
 * the measured value and the maximum (BAD_USER_INPUT naming the argument for a
 * page too large).
 */
export function useLimits(options: LimitsOptions = {}): GatewayPlugin {
  const maxDepth = options.maxDepth ?? 12;
  const maxAliases = options.maxAliases ?? 30;
  const maxRootFields = options.maxRootFields ?? 20;
  const maxDirectives = options.maxDirectives ?? 20;
  const maxFields = options.maxFields ?? 1_000;
  const maxTokens = options.maxTokens ?? 4_000;
  const maxPageSize = options.maxPageSize ?? 100;
  const budgets = { ...DEFAULT_COST_BUDGETS, ...options.costBudgets };
  const costOptions = {
    defaultListSize: options.defaultListSize ?? 10,
    mutationCost: options.mutationCost ?? 10,
    pageArguments: ['first', 'last'],
  };
  let supergraph: SupergraphMetadata | undefined;
  /** Per query text (short ones): its token count and the static measure of each operation asked for. */
  const byText = new Map<string, { tokens: number; measures: Map<string, StaticMeasure | null> }>();
  let byDocument = new WeakMap<DocumentNode, Map<string, StaticMeasure>>();

  const excessOf = (measure: StaticMeasure): Excess | null => {
    const { depth, aliases, rootFields, directives, fields } = measure;
    if (depth > maxDepth)
      return {
        limit: 'depth',
        measured: depth,
        max: maxDepth,
        message: `The operation is ${describeCount(depth)} levels deep; the limit is ${maxDepth}`,
      };
    if (aliases > maxAliases)
      return {
        limit: 'aliases',
        measured: aliases,
        max: maxAliases,
        message: `The operation has ${describeCount(aliases)} aliases; the limit is ${maxAliases}`,
      };
    if (rootFields > maxRootFields) {
      return {
        limit: 'rootFields',
        measured: rootFields,
        max: maxRootFields,
        message: `The operation selects ${describeCount(rootFields)} root fields; the limit is ${maxRootFields}`,
      };
    }
    if (directives > maxDirectives) {
      return {
        limit: 'directives',
        measured: directives,
        max: maxDirectives,
        message: `The operation uses ${describeCount(directives)} directives; the limit is ${maxDirectives}`,
      };
    }
    if (fields > maxFields) {
      return {
        limit: 'fields',
        measured: fields,
        max: maxFields,
        message: `The operation selects ${describeCount(fields)} fields once its fragments are expanded; the limit is ${maxFields}`,
      };
    }
    return null;
  };

  const textEntry = (query: string) => {
    let entry = byText.get(query);
    if (!entry) {
      entry = { tokens: countTokens(query, maxTokens), measures: new Map() };
      if (query.length <= 20_000) {
        if (byText.size >= 2_000) byText.clear();
        byText.set(query, entry);
      }
    }
    return entry;
  };

  /** The static measure of the operation a query text runs; null when it does not parse or names no operation (Apollo Server says why). */
  const measureText = (query: string, operationName: string | undefined, entry: ReturnType<typeof textEntry>): StaticMeasure | null => {
    const key = operationName ?? '';
    if (entry.measures.has(key)) return entry.measures.get(key)!;
    let measure: StaticMeasure | null = null;
    try {
      const document = parse(query, { noLocation: true, maxTokens });
      const operation = selectOperation(document, operationName);
      if (operation) measure = measureStatic(operation, fragmentsOf(document));
    } catch {
      // A syntax error: Apollo Server answers it.
    }
    if (entry.measures.size < 16) entry.measures.set(key, measure);
    return measure;
  };

  const measureDocument = (document: DocumentNode, operation: OperationDefinitionNode): StaticMeasure => {
    let byName = byDocument.get(document);
    if (!byName) byDocument.set(document, (byName = new Map()));
    const key = operation.name?.value ?? '';
    let measure = byName.get(key);
    if (!measure) byName.set(key, (measure = measureStatic(operation, fragmentsOf(document))));
    return measure;
  };

  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (!operation) return;
          const excess = excessOf(measureDocument(document, operation));
          if (excess) throw tooComplex(excess);

          const { cost, largestPage } = measureCost(
            schema,
            supergraph,
            operation,
            fragmentsOf(document),
            request.variables ?? {},
            costOptions,
          );
          if (largestPage && largestPage.size > maxPageSize) {
            throw new GraphQLError(
              `Invalid ${largestPage.argument}: must be between 0 and ${maxPageSize} (${largestPage.field} asked for ${largestPage.size})`,
              {
                extensions: {
                  code: 'BAD_USER_INPUT',
                  argumentName: largestPage.argument,
                  field: largestPage.field,
                  limit: 'pageSize',
                  measured: largestPage.size,
                  max: maxPageSize,
                  http: { status: 400 },
                },
              },
            );
          }
          const budget = budgets[contextValue.viewer.kind] ?? budgets.public;
          if (cost > budget) {
            throw tooComplex({
              limit: 'cost',
              measured: cost,
              max: budget,
              message: `The operation costs ${describeCount(cost)}; the budget of a ${contextValue.viewer.kind} caller is ${budget}`,
            });
          }
        },
      };
    },
  };
  return {
    name: 'limits',
    // Tokens, then the static measures, before Apollo Server parses or validates the document.
    onRequest({ operations }) {
      for (const operation of operations) {
        if (typeof operation.query !== 'string') continue;
        const entry = textEntry(operation.query);
        if (entry.tokens > maxTokens) {
          throw new HttpRefusal(400, 'OPERATION_TOO_COMPLEX', `The document has more than ${maxTokens} tokens`, {
            limit: 'tokens',
            measured: entry.tokens,
            max: maxTokens,
          });
        }
        const operationName = typeof operation.operationName === 'string' ? operation.operationName : undefined;
        const measure = measureText(operation.query, operationName, entry);
        const excess = measure && excessOf(measure);
        if (excess)
          throw new HttpRefusal(400, 'OPERATION_TOO_COMPLEX', excess.message, {
            limit: excess.limit,
            measured: excess.measured,
            max: excess.max,
          });
      }
    },
    apollo,
    onSupergraph(next) {
      supergraph = next;
      byDocument = new WeakMap();
    },
  };
}

import { Kind, getNamedType, isCompositeType, isListType, isNonNullType, valueFromASTUntyped } from '../../platform/graphql.ts';
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
import type { SupergraphMetadata } from '../supergraph-metadata.ts';

/**
 * The static measures of an operation, in time linear in the size of the
 * document: each fragment is measured once (memoised, a cycle counted as
 * empty) and a spread adds its fragment's measure, so that a chain of
 * fragments each spreading the next twice is 2^n by arithmetic, not by
 * walking 2^n selections. Counts saturate at SATURATED instead of
 * overflowing into nonsense.
 */

/** Where counts stop growing (2^53 - 1): a count at it means "at least this much". */
export const SATURATED = Number.MAX_SAFE_INTEGER;

/** a + b, saturating. */
export function saturatingAdd(a: number, b: number): number {
  return Math.min(SATURATED, a + b);
}

/** a × b for non-negative a and b, saturating. */
export function saturatingMultiply(a: number, b: number): number {
  if (a <= 0 || b <= 0) return 0;
  return a >= SATURATED / b ? SATURATED : Math.min(SATURATED, a * b);
}

/** A count for a message: the number, or "more than …" once saturated. */
export function describeCount(count: number): string {
  return count >= SATURATED ? `more than ${SATURATED - 1}` : String(count);
}

/** Measurements of an operation that do not depend on its variables (fragments expanded, by arithmetic). */
export interface StaticMeasure {
  /** Deepest field nesting (introspection fields do not add depth). */
  depth: number;
  /** Aliased fields. */
  aliases: number;
  /** Fields selected at the root. */
  rootFields: number;
  /** Directive uses (a fragment's own directives once per spread). */
  directives: number;
  /** Field selections once every fragment is expanded (introspection included). */
  fields: number;
}

interface SelectionMeasure {
  depth: number;
  aliases: number;
  /** Fields at the top of the selection set (the root fields when it is the operation's). */
  topFields: number;
  directives: number;
  fields: number;
}

const EMPTY: SelectionMeasure = { depth: 0, aliases: 0, topFields: 0, directives: 0, fields: 0 };

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}

/** The operation a request runs, as graphql-js picks it: by name, or the only one. */
export function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName) ?? null;
  return operations.length === 1 ? operations[0]! : null;
}

export function measureStatic(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): StaticMeasure {
  const measured = new Map<string, SelectionMeasure | 'measuring'>();

  const ofFragment = (name: string): SelectionMeasure => {
    const known = measured.get(name);
    // A cycle (a validation error anyway): the fragment adds nothing more.
    if (known === 'measuring') return EMPTY;
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) return EMPTY;
    measured.set(name, 'measuring');
    const inner = ofSelectionSet(fragment.selectionSet);
    const measure = { ...inner, directives: saturatingAdd(inner.directives, fragment.directives?.length ?? 0) };
    measured.set(name, measure);
    return measure;
  };

  const ofSelectionSet = (selectionSet: SelectionSetNode): SelectionMeasure => {
    let { depth, aliases, topFields, directives, fields } = EMPTY;
    const add = (inner: SelectionMeasure, nested: boolean) => {
      aliases = saturatingAdd(aliases, inner.aliases);
      directives = saturatingAdd(directives, inner.directives);
      fields = saturatingAdd(fields, inner.fields);
      if (!nested) {
        topFields = saturatingAdd(topFields, inner.topFields);
        depth = Math.max(depth, inner.depth);
      }
    };
    for (const selection of selectionSet.selections) {
      directives = saturatingAdd(directives, selection.directives?.length ?? 0);
      if (selection.kind === Kind.FIELD) {
        topFields = saturatingAdd(topFields, 1);
        fields = saturatingAdd(fields, 1);
        if (selection.alias) aliases = saturatingAdd(aliases, 1);
        const inner = selection.selectionSet ? ofSelectionSet(selection.selectionSet) : EMPTY;
        add(inner, true);
        // Introspection is governed by its own policy and is deep by nature.
        const introspection = selection.name.value === '__schema' || selection.name.value === '__type';
        if (!introspection) depth = Math.max(depth, 1 + inner.depth);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(ofSelectionSet(selection.selectionSet), false);
      } else {
        add(ofFragment(selection.name.value), false);
      }
    }
    return { depth, aliases, topFields, directives, fields };
  };

  const measure = ofSelectionSet(operation.selectionSet);
  return {
    depth: measure.depth,
    aliases: measure.aliases,
    rootFields: measure.topFields,
    directives: saturatingAdd(measure.directives, operation.directives?.length ?? 0),
    fields: measure.fields,
  };
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
 * Each fragment is priced once per (root or not, sized lists in force), saturating.
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
    (operation.variableDefinitions ?? []).map((d) => [
      d.variable.name.value,
      d.defaultValue ? valueFromASTUntyped(d.defaultValue) : undefined,
    ]),
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
  const priced = new Map<string, number | 'pricing'>();
  const NO_SIZES: ReadonlyMap<string, number> = new Map();

  const fragmentCost = (name: string, sized: ReadonlyMap<string, number>, isRoot: boolean): number => {
    const fragment = fragments.get(name);
    const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
    if (!fragment || !type || !isCompositeType(type)) return 0;
    const key = `${name}|${isRoot ? 'root' : ''}|${[...sized].map(([field, size]) => `${field}=${size}`).join(',')}`;
    const known = priced.get(key);
    if (known === 'pricing') return 0; // a cycle (a validation error anyway)
    if (known !== undefined) return known;
    priced.set(key, 'pricing');
    const cost = selectionCost(fragment.selectionSet, type, sized, isRoot);
    priced.set(key, cost);
    return cost;
  };

  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number>,
    isRoot: boolean,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total = saturatingAdd(total, selectionCost(selection.selectionSet, type, sized, isRoot));
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        total = saturatingAdd(total, fragmentCost(selection.name.value, sized, isRoot));
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
      let childSized = NO_SIZES;
      if (listSize?.sizedFields.length) {
        childSized = new Map(listSize.sizedFields.map((child) => [child, size ?? options.defaultListSize]));
      }
      const children =
        selection.selectionSet && isCompositeType(named) ? selectionCost(selection.selectionSet, named, childSized, false) : 0;
      const nullable = isNonNullType(definition.type) ? definition.type.ofType : definition.type;
      if (isListType(nullable)) {
        const items = sized.get(name) ?? (listSize?.sizedFields.length ? null : size) ?? options.defaultListSize;
        total = saturatingAdd(total, saturatingMultiply(saturatingAdd(Math.max(0, cost), children), items));
      } else {
        total = saturatingAdd(total, saturatingAdd(Math.max(0, cost), children));
      }
    }
    return total;
  };
  return { cost: selectionCost(operation.selectionSet, root, NO_SIZES, true), largestPage };
}

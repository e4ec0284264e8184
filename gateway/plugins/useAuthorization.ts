import { createHash } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  visit,
  visitWithTypeInfo,
} from '../../platform/graphql.ts';
import type {
  DefinitionNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import type { Viewer } from '../../platform/index.ts';
import type { GatewayContext } from '../context.ts';
import type { GatewayPlugin, GatewayRequestContext, GatewayResult } from '../plugin.ts';
import type { AccessRule, SupergraphMetadata } from '../supergraph-metadata.ts';

export interface AuthorizationOptions {
  /**
   * Named rules for `@policy`: policy name → whether the viewer satisfies it.
   * A policy used in the supergraph but not listed here denies.
   * @default {}
   */
  policies?: Record<string, (viewer: Viewer) => boolean>;
  /** Errors listed per response for withheld fields; beyond it fields are still nulled. @default 100 */
  maxErrors?: number;
}

type DenialCode = 'UNAUTHENTICATED' | 'FORBIDDEN';

/** What one caller may see: the facts the access rules test. */
export interface Access {
  authenticated: boolean;
  scopes: ReadonlySet<string>;
  policies: ReadonlyMap<string, boolean>;
  /** Identifies the access for caching filtered operations. */
  key: string;
}

interface Step {
  /** Response key (alias or field name). */
  key: string;
  /** The field's declared type (for null propagation). */
  type: GraphQLOutputType;
}

interface FieldDenial {
  steps: Step[];
  code: DenialCode;
  coordinate: string;
  /** The object type the field was selected on, when reached through a type condition. */
  onType: string | null;
}

interface FragmentDenial {
  steps: Step[];
  code: DenialCode;
  typeName: string;
}

export interface AuthorizationPlan {
  fieldDenials: FieldDenial[];
  fragmentDenials: FragmentDenial[];
  /** The operation without the forbidden selections; null when nothing is left to execute. */
  document: DocumentNode | null;
  operation: OperationDefinitionNode | null;
  /** Placeholder `__typename`s were added to selection sets that became empty. */
  placeholders: boolean;
  /** Identifies what was removed: operations filtered alike share one query plan. */
  signature: string;
}

const PLACEHOLDER = '__authorizationPlaceholder';
const placeholderField: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: PLACEHOLDER },
  name: { kind: Kind.NAME, value: '__typename' },
};

export function accessOf(viewer: Viewer, supergraph: SupergraphMetadata, policies: AuthorizationOptions['policies'] = {}): Access {
  const authenticated = viewer.kind !== 'public';
  const scopes = new Set(viewer.scopes);
  const policyResults = new Map(supergraph.policyNames.map((name) => [name, policies[name]?.(viewer) ?? false] as const));
  const granted = [...policyResults].filter(([, ok]) => ok).map(([name]) => name);
  return {
    authenticated,
    scopes,
    policies: policyResults,
    key: `${authenticated ? 'a' : 'p'}|${[...scopes].sort().join(' ')}|${granted.sort().join(' ')}`,
  };
}

function satisfies(rule: AccessRule, access: Access): boolean {
  if (rule.authenticated && !access.authenticated) return false;
  if (rule.scopes && !rule.scopes.some((all) => all.every((s) => access.scopes.has(s)))) return false;
  if (rule.policies && !rule.policies.some((all) => all.every((p) => access.policies.get(p) === true))) return false;
  return true;
}

/** Decides, per field and type, whether a caller may select it. */
class AccessDecider {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly supergraph: SupergraphMetadata,
    private readonly access: Access,
  ) {}

  private deny(rules: (AccessRule | undefined)[]): DenialCode | null {
    for (const rule of rules) {
      if (rule && !satisfies(rule, this.access)) return this.access.authenticated ? 'FORBIDDEN' : 'UNAUTHENTICATED';
    }
    return null;
  }

  field(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): DenialCode | null {
    const rules = [
      this.supergraph.fieldAccess.get(`${parent.name}.${field.name}`),
      this.supergraph.typeAccess.get(getNamedType(field.type).name),
    ];
    // Through an interface, a field is as restricted as its most restricted implementation.
    if (isAbstractType(parent)) {
      for (const type of this.schema.getPossibleTypes(parent)) rules.push(this.supergraph.fieldAccess.get(`${type.name}.${field.name}`));
    }
    return this.deny(rules);
  }

  type(type: GraphQLNamedType): DenialCode | null {
    return this.deny([this.supergraph.typeAccess.get(type.name)]);
  }
}

const pathKey = (steps: readonly Step[]): string => steps.map((s) => s.key).join('.');

function fieldDefinition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}

/** Denials found in one selection set, their steps relative to it, each path once. */
interface RelativeDenials {
  fields: Map<string, FieldDenial>;
  fragments: Map<string, FragmentDenial>;
}

/**
 * The forbidden selections of one operation, with their response paths. Each
 * fragment is walked once (per whether it is reached through a type
 * condition) and its denials put under every path it is spread at, so the
 * walk is linear in the document and in the denials found, never in the
 * fragments' expansion.
 */
function collectDenials(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  decide: AccessDecider,
): { fieldDenials: FieldDenial[]; fragmentDenials: FragmentDenial[] } {
  const root = schema.getRootType(operation.operation);
  if (!root) return { fieldDenials: [], fragmentDenials: [] };
  const walked = new Map<string, RelativeDenials | 'walking'>();

  const addUnder = (into: RelativeDenials, prefix: Step | null, from: RelativeDenials) => {
    for (const denial of from.fields.values()) {
      const steps = prefix ? [prefix, ...denial.steps] : denial.steps;
      into.fields.set(`${pathKey(steps)}|${denial.onType ?? ''}`, prefix ? { ...denial, steps } : denial);
    }
    for (const denial of from.fragments.values()) {
      const steps = prefix ? [prefix, ...denial.steps] : denial.steps;
      into.fragments.set(`${pathKey(steps)}|${denial.typeName}`, prefix ? { ...denial, steps } : denial);
    }
  };

  const ofFragment = (fragment: FragmentDefinitionNode, type: GraphQLCompositeType, viaCondition: boolean): RelativeDenials | null => {
    const key = `${fragment.name.value}|${viaCondition ? 'c' : ''}`;
    const known = walked.get(key);
    if (known === 'walking') return null; // a cycle (a validation error anyway)
    if (known) return known;
    walked.set(key, 'walking');
    const denials = walk(fragment.selectionSet, type, viaCondition);
    walked.set(key, denials);
    return denials;
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, viaCondition: boolean): RelativeDenials => {
    const found: RelativeDenials = { fields: new Map(), fragments: new Map() };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const definition = fieldDefinition(parent, name);
        if (!definition) continue;
        const step: Step = { key: selection.alias?.value ?? name, type: definition.type };
        const code = decide.field(parent, definition);
        if (code) {
          const onType = viaCondition && isObjectType(parent) ? parent.name : null;
          found.fields.set(`${step.key}|${onType ?? ''}`, { steps: [step], code, coordinate: `${parent.name}.${name}`, onType });
          continue;
        }
        const named = getNamedType(definition.type);
        if (selection.selectionSet && isCompositeType(named)) addUnder(found, step, walk(selection.selectionSet, named, false));
        continue;
      }
      const typeName =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.typeCondition?.name.value
          : fragments.get(selection.name.value)?.typeCondition.name.value;
      const type = typeName ? schema.getType(typeName) : parent;
      if (!type || !isCompositeType(type)) continue;
      const code = decide.type(type);
      if (code) {
        found.fragments.set(`|${type.name}`, { steps: [], code, typeName: type.name });
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        addUnder(found, null, walk(selection.selectionSet, type, viaCondition || type !== parent));
      } else {
        const fragment = fragments.get(selection.name.value);
        const denials = fragment ? ofFragment(fragment, type, viaCondition || type !== parent) : null;
        if (denials) addUnder(found, null, denials);
      }
    }
    return found;
  };
  const denials = walk(operation.selectionSet, root, false);
  return { fieldDenials: [...denials.fields.values()], fragmentDenials: [...denials.fragments.values()] };
}

/** The document without forbidden fields and fragments, unused fragments and variables pruned. */
function filterDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  decide: AccessDecider,
): { document: DocumentNode; placeholders: boolean } {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  let placeholders = false;
  const typeInfo = new TypeInfo(schema);
  const filtered = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          if (node.name.value.startsWith('__')) return undefined;
          const parent = typeInfo.getParentType();
          const definition = typeInfo.getFieldDef();
          if (!parent || !definition) return undefined;
          return decide.field(parent, definition) ? null : undefined;
        },
      },
      InlineFragment: {
        enter(node) {
          const type = node.typeCondition ? schema.getType(node.typeCondition.name.value) : undefined;
          return type && decide.type(type) ? null : undefined;
        },
      },
      FragmentSpread: {
        enter(node) {
          const name = fragments.get(node.name.value)?.typeCondition.name.value;
          const type = name ? schema.getType(name) : undefined;
          return type && decide.type(type) ? null : undefined;
        },
      },
      SelectionSet: {
        leave(node) {
          if (node.selections.length > 0) return undefined;
          placeholders = true;
          return { ...node, selections: [placeholderField] };
        },
      },
    }),
  );
  return { document: pruneUnused(filtered), placeholders };
}

/** Drops fragments no longer spread and variable definitions no longer used (per operation). */
function pruneUnused(document: DocumentNode): DocumentNode {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const usage = (node: SelectionSetNode | FragmentDefinitionNode | OperationDefinitionNode) => {
    const spreads = new Set<string>();
    const variables = new Set<string>();
    visit(node, {
      FragmentSpread: (n) => void spreads.add(n.name.value),
      Variable: (n) => void variables.add(n.name.value),
      VariableDefinition: () => false,
    });
    return { spreads, variables };
  };
  const usedFragments = new Set<string>();
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const prunedOperations = new Map<OperationDefinitionNode, OperationDefinitionNode>();
  for (const operation of operations) {
    const variables = new Set<string>();
    const queue = [...usage(operation.selectionSet).spreads];
    for (const v of usage(operation).variables) variables.add(v);
    const seen = new Set<string>();
    while (queue.length) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      usedFragments.add(name);
      const fragment = fragments.get(name);
      if (!fragment) continue;
      const used = usage(fragment);
      queue.push(...used.spreads);
      for (const v of used.variables) variables.add(v);
    }
    prunedOperations.set(operation, {
      ...operation,
      variableDefinitions: operation.variableDefinitions?.filter((d) => variables.has(d.variable.name.value)),
    });
  }
  return {
    ...document,
    definitions: document.definitions.flatMap((d): DefinitionNode[] => {
      if (d.kind === Kind.OPERATION_DEFINITION) return [prunedOperations.get(d) ?? d];
      if (d.kind === Kind.FRAGMENT_DEFINITION) return usedFragments.has(d.name.value) ? [d] : [];
      return [d];
    }),
  };
}

function selectedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName) ?? null;
  return operations.length === 1 ? operations[0]! : null;
}

/** Works out what to remove from an operation for one access (pure; cached by the plugin). */
export function planAuthorization(
  schema: GraphQLSchema,
  supergraph: SupergraphMetadata,
  access: Access,
  document: DocumentNode,
  operationName: string | null | undefined,
): AuthorizationPlan {
  const operation = selectedOperation(document, operationName);
  const none: AuthorizationPlan = { fieldDenials: [], fragmentDenials: [], document, operation, placeholders: false, signature: '' };
  if (!operation || (supergraph.fieldAccess.size === 0 && supergraph.typeAccess.size === 0)) return none;
  const decide = new AccessDecider(schema, supergraph, access);
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const { fieldDenials, fragmentDenials } = collectDenials(schema, operation, fragments, decide);
  if (fieldDenials.length === 0 && fragmentDenials.length === 0) return none;
  const filtered = filterDocument(schema, document, decide);
  const filteredOperation = selectedOperation(filtered.document, operationName);
  // Everything at the root was forbidden: nothing is left to plan or execute.
  const rootEmpty =
    filteredOperation?.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.alias?.value === PLACEHOLDER) ?? true;
  return {
    fieldDenials,
    fragmentDenials,
    document: rootEmpty ? null : filtered.document,
    operation: rootEmpty ? null : filteredOperation,
    placeholders: filtered.placeholders,
    signature: createHash('sha256')
      .update(
        [
          ...fieldDenials.map((d) => `${pathKey(d.steps)}|${d.onType ?? ''}`),
          ...fragmentDenials.map((d) => `${pathKey(d.steps)}|${d.typeName}`),
        ]
          .sort()
          .join('\n'),
      )
      .digest('hex')
      .slice(0, 16),
  };
}

interface Slot {
  container: Record<string, unknown> | unknown[];
  key: string | number;
  nullable: boolean;
}

/** Calls `visitObject` for every object the steps lead to in the data, with the slots on the way. */
function locateObjects(
  root: Record<string, unknown>,
  steps: Step[],
  visitObject: (object: Record<string, unknown>, slots: Slot[], path: (string | number)[]) => void,
): void {
  const atObject = (object: Record<string, unknown>, index: number, slots: Slot[], path: (string | number)[]) => {
    if (index === steps.length) return visitObject(object, slots, path);
    const step = steps[index]!;
    descend(
      object[step.key],
      step.type,
      index,
      [...slots, { container: object, key: step.key, nullable: !isNonNullType(step.type) }],
      [...path, step.key],
    );
  };
  const descend = (value: unknown, type: GraphQLOutputType, index: number, slots: Slot[], path: (string | number)[]) => {
    if (value === null || value === undefined) return;
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) =>
        descend(
          item,
          inner.ofType as GraphQLOutputType,
          index,
          [...slots, { container: value, key: i, nullable: !isNonNullType(inner.ofType) }],
          [...path, i],
        ),
      );
      return;
    }
    if (typeof value === 'object') atObject(value as Record<string, unknown>, index + 1, slots, path);
  };
  atObject(root, 0, [], []);
}

function stripPlaceholders(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) stripPlaceholders(item);
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    delete object[PLACEHOLDER];
    for (const child of Object.values(object)) stripPlaceholders(child);
  }
}

/**
 * Puts the withheld fields back into the result: null at each of their paths
 * (propagated to the nearest nullable parent, as GraphQL does for a non-null
 * field), with an UNAUTHENTICATED or FORBIDDEN error there.
 */
export function applyAuthorization(result: GatewayResult, plan: AuthorizationPlan, maxErrors: number): GatewayResult {
  let data: Record<string, unknown> | null | undefined = result.data ?? (plan.document === null ? {} : result.data);
  const errors: GraphQLError[] = [];
  const addError = (message: string, code: DenialCode, path: (string | number)[], extensions: Record<string, unknown>) => {
    if (errors.length < maxErrors) errors.push(new GraphQLError(message, { path, extensions: { ...extensions, code } }));
  };
  if (data) {
    if (plan.placeholders) stripPlaceholders(data);
    const root = data;
    for (const denial of plan.fieldDenials) {
      const last = denial.steps[denial.steps.length - 1]!;
      locateObjects(root, denial.steps.slice(0, -1), (object, slots, path) => {
        if (denial.onType && typeof object.__typename === 'string' && object.__typename !== denial.onType) return;
        if (!isNonNullType(last.type)) object[last.key] = null;
        else {
          const nullable = [...slots].reverse().find((slot) => slot.nullable);
          if (nullable) (nullable.container as Record<string | number, unknown>)[nullable.key] = null;
          else data = null;
        }
        const mutation = denial.coordinate.startsWith('Mutation.');
        const reason =
          denial.code === 'UNAUTHENTICATED'
            ? mutation
              ? 'Sign in to call'
              : 'Sign in to read'
            : mutation
              ? 'You may not call'
              : 'You may not read';
        addError(`${reason} ${denial.coordinate}`, denial.code, [...path, last.key], { field: denial.coordinate });
      });
    }
    for (const denial of plan.fragmentDenials) {
      locateObjects(root, denial.steps, (_object, _slots, path) => {
        addError(`You may not read ${denial.typeName} here`, denial.code, path, { type: denial.typeName });
      });
    }
  }
  return { ...result, data, errors: [...errors, ...(result.errors ?? [])] };
}

/**
 * Enforces the supergraph's `@authenticated`, `@requiresScopes` and `@policy`
 * before planning: forbidden fields are removed from the operation (so no
 * subgraph is asked for them), answered null with an error at their path, and
 * the rest of the operation is served.
 */
export function useAuthorization(options: AuthorizationOptions = {}): GatewayPlugin {
  const maxErrors = options.maxErrors ?? 100;
  let supergraph: SupergraphMetadata | undefined;
  let plans = new WeakMap<DocumentNode, Map<string, AuthorizationPlan>>();

  const planFor = (rc: GatewayRequestContext, access: Access): AuthorizationPlan => {
    let byAccess = plans.get(rc.document);
    if (!byAccess) plans.set(rc.document, (byAccess = new Map()));
    const key = `${rc.request.operationName ?? ''}\n${access.key}`;
    let plan = byAccess.get(key);
    if (!plan) {
      plan = planAuthorization(rc.schema, supergraph!, access, rc.document, rc.request.operationName);
      if (byAccess.size >= 64) byAccess.clear();
      byAccess.set(key, plan);
    }
    return plan;
  };

  return {
    name: 'authorization',
    onSupergraph(next) {
      supergraph = next;
      plans = new WeakMap();
    },
    wrapExecutor(next) {
      return async (rc) => {
        if (!supergraph) return next(rc);
        const access = accessOf((rc.context as GatewayContext).viewer, supergraph, options.policies);
        const plan = planFor(rc, access);
        if (plan.fieldDenials.length === 0 && plan.fragmentDenials.length === 0) return next(rc);
        const result: GatewayResult =
          plan.document && plan.operation
            ? await next({
                ...rc,
                document: plan.document,
                operation: plan.operation,
                queryHash: `${rc.queryHash}:authz:${plan.signature}`,
              })
            : { data: {} };
        return applyAuthorization(result, plan, maxErrors);
      };
    },
  };
}

import { Kind, parse, valueFromASTUntyped } from '../platform/graphql.ts';
import type { ConstDirectiveNode, DefinitionNode, DocumentNode, FieldDefinitionNode } from 'graphql';

/** What a field or type demands of the caller (Federation's @authenticated, @requiresScopes, @policy). */
export interface AccessRule {
  authenticated: boolean;
  /** Any one inner list, all of its scopes (OR of ANDs); null when not required. */
  scopes: string[][] | null;
  /** Any one inner list, all of its policies (OR of ANDs); null when not required. */
  policies: string[][] | null;
}

/** Federation's @listSize (demand control). */
export interface ListSize {
  assumedSize: number | null;
  slicingArguments: string[];
  sizedFields: string[];
  requireOneSlicingArgument: boolean;
}

export interface SubgraphOfSupergraph {
  name: string;
  url: string;
}

/**
 * The facts of a supergraph the gateway enforces, read once per load from its
 * SDL: access rules, demand-control weights, progressive-override labels and
 * the subgraphs. Directive names are resolved through the supergraph's `@link`s,
 * so a renamed import (`as:`) is honoured.
 */
export interface SupergraphMetadata {
  sdl: string;
  subgraphs: SubgraphOfSupergraph[];
  /** Rule on a field (by `Type.field`) or a type (by name). */
  fieldAccess: ReadonlyMap<string, AccessRule>;
  typeAccess: ReadonlyMap<string, AccessRule>;
  /** Every policy name used anywhere. */
  policyNames: readonly string[];
  fieldCost: ReadonlyMap<string, number>;
  typeCost: ReadonlyMap<string, number>;
  /** By `Type.field.argument`. */
  argumentCost: ReadonlyMap<string, number>;
  listSize: ReadonlyMap<string, ListSize>;
  /** Labels of progressive @override (`percent(N)` or custom). */
  overrideLabels: readonly string[];
}

interface LinkedName {
  /** Name of the directive in this schema, for a spec directive name. */
  resolve(spec: string, directive: string): string;
}

/** Resolves spec directive names through `@link(url:, as:, import:)` on the schema. */
function linkedNames(document: DocumentNode): LinkedName {
  const byFeature = new Map<string, { prefix: string; imports: Map<string, string> }>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const args = directiveArgs(directive);
      if (typeof args.url !== 'string') continue;
      const match = /\/([A-Za-z_][A-Za-z0-9_]*)\/v\d+\.\d+\/?$/.exec(args.url);
      if (!match?.[1]) continue;
      const feature = match[1];
      const imports = new Map<string, string>();
      for (const entry of Array.isArray(args.import) ? args.import : []) {
        if (typeof entry === 'string') imports.set(entry.replace(/^@/, ''), entry.replace(/^@/, ''));
        else if (entry && typeof entry === 'object') {
          const { name, as } = entry as { name?: string; as?: string };
          if (name) imports.set(name.replace(/^@/, ''), (as ?? name).replace(/^@/, ''));
        }
      }
      byFeature.set(feature, { prefix: typeof args.as === 'string' ? args.as : feature, imports });
    }
  }
  return {
    resolve(spec, directive) {
      const link = byFeature.get(spec);
      if (!link) return directive === spec ? spec : `${spec}__${directive}`;
      const imported = link.imports.get(directive);
      if (imported) return imported;
      return directive === spec ? link.prefix : `${link.prefix}__${directive}`;
    },
  };
}

function directiveArgs(directive: ConstDirectiveNode): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const arg of directive.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value);
  return args;
}

function stringMatrix(value: unknown): string[][] | null {
  if (!Array.isArray(value)) return null;
  return value.map((inner) => (Array.isArray(inner) ? inner.filter((s): s is string => typeof s === 'string') : []));
}

/** Combines two rules on one element (a field or type carrying several directives): all must hold. */
function andRules(a: AccessRule | undefined, b: AccessRule): AccessRule {
  if (!a) return b;
  const and = (x: string[][] | null, y: string[][] | null) =>
    x && y ? x.flatMap((xi) => y.map((yi) => [...new Set([...xi, ...yi])])) : (x ?? y);
  return { authenticated: a.authenticated || b.authenticated, scopes: and(a.scopes, b.scopes), policies: and(a.policies, b.policies) };
}

type TypeLikeDefinition = Extract<DefinitionNode, { name: { value: string }; directives?: readonly ConstDirectiveNode[] }>;

export function readSupergraphMetadata(sdl: string): SupergraphMetadata {
  const document = parse(sdl, { noLocation: true });
  const names = linkedNames(document);
  const directiveName = {
    authenticated: names.resolve('authenticated', 'authenticated'),
    requiresScopes: names.resolve('requiresScopes', 'requiresScopes'),
    policy: names.resolve('policy', 'policy'),
    cost: names.resolve('cost', 'cost'),
    listSize: names.resolve('cost', 'listSize'),
    joinField: names.resolve('join', 'field'),
    joinGraph: names.resolve('join', 'graph'),
    joinGraphEnum: names.resolve('join', 'Graph'),
  };

  const fieldAccess = new Map<string, AccessRule>();
  const typeAccess = new Map<string, AccessRule>();
  const policyNames = new Set<string>();
  const fieldCost = new Map<string, number>();
  const typeCost = new Map<string, number>();
  const argumentCost = new Map<string, number>();
  const listSize = new Map<string, ListSize>();
  const overrideLabels = new Set<string>();
  const subgraphs: SubgraphOfSupergraph[] = [];

  const accessOf = (directives: readonly ConstDirectiveNode[] | undefined): AccessRule | undefined => {
    let rule: AccessRule | undefined;
    for (const directive of directives ?? []) {
      const name = directive.name.value;
      if (name === directiveName.authenticated) rule = andRules(rule, { authenticated: true, scopes: null, policies: null });
      else if (name === directiveName.requiresScopes) {
        rule = andRules(rule, { authenticated: true, scopes: stringMatrix(directiveArgs(directive).scopes) ?? [[]], policies: null });
      } else if (name === directiveName.policy) {
        const policies = stringMatrix(directiveArgs(directive).policies) ?? [[]];
        for (const p of policies.flat()) policyNames.add(p);
        rule = andRules(rule, { authenticated: false, scopes: null, policies });
      }
    }
    return rule;
  };
  const costOf = (directives: readonly ConstDirectiveNode[] | undefined): number | undefined => {
    const directive = directives?.find((d) => d.name.value === directiveName.cost);
    const weight = directive ? directiveArgs(directive).weight : undefined;
    return typeof weight === 'number' ? weight : typeof weight === 'string' ? Number(weight) : undefined;
  };

  const readField = (typeName: string, field: FieldDefinitionNode) => {
    const coordinate = `${typeName}.${field.name.value}`;
    const rule = accessOf(field.directives);
    if (rule) fieldAccess.set(coordinate, rule);
    const weight = costOf(field.directives);
    if (weight !== undefined) fieldCost.set(coordinate, weight);
    for (const arg of field.arguments ?? []) {
      const argWeight = costOf(arg.directives);
      if (argWeight !== undefined) argumentCost.set(`${coordinate}.${arg.name.value}`, argWeight);
    }
    for (const directive of field.directives ?? []) {
      if (directive.name.value === directiveName.listSize) {
        const args = directiveArgs(directive);
        listSize.set(coordinate, {
          assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : null,
          slicingArguments: Array.isArray(args.slicingArguments) ? (args.slicingArguments as string[]) : [],
          sizedFields: Array.isArray(args.sizedFields) ? (args.sizedFields as string[]) : [],
          requireOneSlicingArgument: args.requireOneSlicingArgument !== false,
        });
      } else if (directive.name.value === directiveName.joinField) {
        const label = directiveArgs(directive).overrideLabel;
        if (typeof label === 'string' && label) overrideLabels.add(label);
      }
    }
  };

  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) readField(definition.name.value, field);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
        if (definition.name.value === directiveName.joinGraphEnum) {
          for (const value of definition.values ?? []) {
            const graph = value.directives?.find((d) => d.name.value === directiveName.joinGraph);
            const args = graph ? directiveArgs(graph) : {};
            if (typeof args.name === 'string') subgraphs.push({ name: args.name, url: typeof args.url === 'string' ? args.url : '' });
          }
        }
        break;
      default:
        break;
    }
    if ('name' in definition && definition.name && 'directives' in definition) {
      const typed = definition as TypeLikeDefinition;
      if (
        typed.kind === Kind.OBJECT_TYPE_DEFINITION ||
        typed.kind === Kind.INTERFACE_TYPE_DEFINITION ||
        typed.kind === Kind.SCALAR_TYPE_DEFINITION ||
        typed.kind === Kind.ENUM_TYPE_DEFINITION ||
        typed.kind === Kind.UNION_TYPE_DEFINITION
      ) {
        const rule = accessOf(typed.directives);
        if (rule) typeAccess.set(typed.name.value, rule);
        const weight = costOf(typed.directives);
        if (weight !== undefined) typeCost.set(typed.name.value, weight);
      }
    }
  }

  return {
    sdl,
    subgraphs,
    fieldAccess,
    typeAccess,
    policyNames: [...policyNames],
    fieldCost,
    typeCost,
    argumentCost,
    listSize,
    overrideLabels: [...overrideLabels],
  };
}

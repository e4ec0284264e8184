/**
 * Contract schemas: variants of the API schema cut from the supergraph by
 * `@tag`, after Apollo GraphOS contracts with one included tag.
 *
 * The rule (documented in schema/contracts/README.md):
 * - A field of an object or interface type is in the contract when it carries
 *   the tag, or its type does (a type's tag applies to all its fields).
 * - An object or interface type without the tag on itself or any field is a
 *   *value type* (PageInfo, Money, connections and edges, totals): when a kept
 *   field returns it, it comes along with all its fields that are themselves
 *   keepable. An untagged *entity* (a type with a federation `@key`) never
 *   comes along: a kept field that returns one is dropped, and reported.
 * - Arguments of a kept field are kept, with their input types (whole), enums
 *   (whole) and scalars.
 * - A type left with no fields is dropped, and so is every field returning it;
 *   then every type not reachable from the root types is dropped.
 *
 * Runtime graphql-js is the CommonJS copy Apollo Server and @apollo/gateway use,
 * so contract schemas can validate the documents the gateway parsed.
 */
import { graphql } from '../../platform/graphql.ts';
import type {
  ConstDirectiveNode,
  DirectiveNode,
  DefinitionNode,
  DocumentNode,
  FieldDefinitionNode,
  GraphQLSchema,
  InputValueDefinitionNode,
  NamedTypeNode,
  TypeNode,
} from 'graphql';

const { Kind, buildASTSchema, parse, printSchema, lexicographicSortSchema } = graphql;

/** A contract: its name (file name, release name) and the tag it includes. */
export interface ContractDefinition {
  name: string;
  tag: string;
  /** Who is served this contract. */
  audience: string;
}

export const CONTRACTS: readonly ContractDefinition[] = [
  { name: 'partner', tag: 'partner', audience: 'partner agencies (API key)' },
  { name: 'public', tag: 'public', audience: 'anonymous callers' },
];

export const CONTRACTS_DIR = 'schema/contracts';

export function contractDefinition(name: string): ContractDefinition {
  const found = CONTRACTS.find((c) => c.name === name);
  if (!found) throw new Error(`unknown contract "${name}" (known: ${CONTRACTS.map((c) => c.name).join(', ')})`);
  return found;
}

/** The tags and entity keys of a supergraph, by type and by `Type.field`. */
export interface TagIndex {
  types: ReadonlyMap<string, ReadonlySet<string>>;
  fields: ReadonlyMap<string, ReadonlySet<string>>;
  /** Types with a federation `@key` in some subgraph. */
  entities: ReadonlySet<string>;
}

function linkedName(document: DocumentNode, specPrefix: string, fallback: string): string {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const url = directive.arguments?.find((a) => a.name.value === 'url')?.value;
      if (url?.kind !== Kind.STRING || !url.value.startsWith(specPrefix)) continue;
      const as = directive.arguments?.find((a) => a.name.value === 'as')?.value;
      return as?.kind === Kind.STRING ? as.value : fallback;
    }
  }
  return fallback;
}

function tagsOf(directives: readonly (ConstDirectiveNode | DirectiveNode)[] | undefined, tagName: string): Set<string> {
  const tags = new Set<string>();
  for (const directive of directives ?? []) {
    if (directive.name.value !== tagName) continue;
    const name = directive.arguments?.find((a) => a.name.value === 'name')?.value;
    if (name?.kind === Kind.STRING) tags.add(name.value);
  }
  return tags;
}

/** Reads `@tag` applications (through the supergraph's `@link`, so a renamed import is honoured) and entity keys. */
export function readTags(supergraphSdl: string): TagIndex {
  const document = parse(supergraphSdl, { noLocation: true });
  const tagName = linkedName(document, 'https://specs.apollo.dev/tag/', 'tag');
  const joinType = `${linkedName(document, 'https://specs.apollo.dev/join/', 'join')}__type`;
  const types = new Map<string, Set<string>>();
  const fields = new Map<string, Set<string>>();
  const entities = new Set<string>();
  const addAll = (map: Map<string, Set<string>>, key: string, tags: Set<string>) => {
    if (!tags.size) return;
    const existing = map.get(key) ?? new Set<string>();
    for (const tag of tags) existing.add(tag);
    map.set(key, existing);
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    addAll(types, typeName, tagsOf(definition.directives, tagName));
    for (const directive of definition.directives ?? []) {
      if (directive.name.value === joinType && directive.arguments?.some((a) => a.name.value === 'key')) entities.add(typeName);
    }
    if ('fields' in definition) {
      for (const field of (definition.fields ?? []) as readonly (FieldDefinitionNode | InputValueDefinitionNode)[]) {
        addAll(fields, `${typeName}.${field.name.value}`, tagsOf(field.directives, tagName));
      }
    }
  }
  return { types, fields, entities };
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

type TypeDefinition = Extract<DefinitionNode, { name: { value: string } }> & { kind: string };

export interface Contract {
  definition: ContractDefinition;
  schema: GraphQLSchema;
  /** The contract as SDL, sorted, with a header naming the contract and its rule. */
  sdl: string;
  /** Fields dropped because they return an untagged entity: a tagging mistake to look at. */
  warnings: string[];
}

/**
 * Cuts a contract out of the API schema (as @apollo/gateway serves it) by the
 * tags of the supergraph it came from.
 */
export function cutContract(apiSchema: GraphQLSchema, tags: TagIndex, definition: ContractDefinition): Contract {
  const tag = definition.tag;
  const document = parse(printSchema(apiSchema), { noLocation: true });
  const byName = new Map<string, TypeDefinition>();
  for (const d of document.definitions) if ('name' in d && d.name) byName.set(d.name.value, d as TypeDefinition);
  const rootNames = new Set(
    [apiSchema.getQueryType(), apiSchema.getMutationType(), apiSchema.getSubscriptionType()].flatMap((t) => (t ? [t.name] : [])),
  );

  const typeTagged = (name: string) => tags.types.get(name)?.has(tag) ?? false;
  const fieldTagged = (type: string, field: string) => typeTagged(type) || (tags.fields.get(`${type}.${field}`)?.has(tag) ?? false);
  const fieldsOf = (d: TypeDefinition): readonly FieldDefinitionNode[] =>
    d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION
      ? ((d as { fields?: readonly FieldDefinitionNode[] }).fields ?? [])
      : [];
  const anyTag = (d: TypeDefinition) => typeTagged(d.name.value) || fieldsOf(d).some((f) => fieldTagged(d.name.value, f.name.value));

  // The fields each object/interface type may keep before pruning; why a type is out.
  const kept = new Map<string, Set<string>>();
  const valueTypes = new Set<string>();
  const excluded = new Map<string, string>();
  for (const [name, d] of byName) {
    if (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    if (rootNames.has(name) || anyTag(d)) {
      kept.set(
        name,
        new Set(
          fieldsOf(d)
            .filter((f) => fieldTagged(name, f.name.value))
            .map((f) => f.name.value),
        ),
      );
    } else if (tags.entities.has(name)) {
      excluded.set(name, `an entity with no "${tag}" tag`);
    } else {
      kept.set(name, new Set(fieldsOf(d).map((f) => f.name.value)));
      valueTypes.add(name);
    }
  }
  const unionMembers = new Map<string, Set<string>>();
  for (const [name, d] of byName) {
    if (d.kind === Kind.UNION_TYPE_DEFINITION)
      unionMembers.set(name, new Set(((d as { types?: readonly NamedTypeNode[] }).types ?? []).map((t) => t.name.value)));
  }

  // Prune to a fixpoint: a field returning an excluded type goes; a tagged type left
  // with no fields is out; a value type comes whole or not at all.
  const dropped = new Map<string, string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, fields] of kept) {
      if (excluded.has(name)) continue;
      for (const field of fieldsOf(byName.get(name)!)) {
        const returns = namedTypeOf(field.type);
        if (!fields.has(field.name.value) || !excluded.has(returns)) continue;
        fields.delete(field.name.value);
        dropped.set(`${name}.${field.name.value}`, `returns ${returns}, ${excluded.get(returns)}`);
        changed = true;
        if (valueTypes.has(name))
          excluded.set(name, `a value type whose field ${field.name.value} returns ${returns}, ${excluded.get(returns)}`);
      }
      if (fields.size === 0 && !excluded.has(name)) {
        excluded.set(name, `left with no "${tag}" fields`);
        changed = true;
      }
    }
    for (const [name, members] of unionMembers) {
      if (excluded.has(name)) continue;
      for (const member of members) if (excluded.has(member)) members.delete(member);
      if (members.size === 0) {
        excluded.set(name, 'a union left with no members');
        changed = true;
      }
    }
  }
  const warnings = [...dropped]
    .filter(([coordinate]) => {
      const [type, field] = coordinate.split('.') as [string, string];
      return !valueTypes.has(type) && fieldTagged(type, field);
    })
    .map(([coordinate, why]) => `${coordinate} is tagged "${tag}" but ${why}: dropped`);

  // Reachability from the root types, through kept fields, their arguments, input fields, union members and interfaces.
  const reachable = new Set<string>();
  const visitType = (name: string): void => {
    if (reachable.has(name) || excluded.has(name)) return;
    const d = byName.get(name);
    if (!d) return; // a built-in scalar
    reachable.add(name);
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      const fields = kept.get(name) ?? new Set<string>();
      for (const field of fieldsOf(d)) {
        if (!fields.has(field.name.value)) continue;
        visitType(namedTypeOf(field.type));
        for (const argument of field.arguments ?? []) visitType(namedTypeOf(argument.type));
      }
      for (const iface of (d as { interfaces?: readonly NamedTypeNode[] }).interfaces ?? []) visitType(iface.name.value);
    } else if (d.kind === Kind.UNION_TYPE_DEFINITION) {
      for (const member of unionMembers.get(name) ?? []) visitType(member);
    } else if (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      for (const field of (d as { fields?: readonly InputValueDefinitionNode[] }).fields ?? []) visitType(namedTypeOf(field.type));
    }
  };
  for (const root of rootNames) visitType(root);
  // Objects implementing a reachable interface are possible types of it.
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, d] of byName) {
      if (reachable.has(name) || excluded.has(name) || d.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      if (((d as { interfaces?: readonly NamedTypeNode[] }).interfaces ?? []).some((i) => reachable.has(i.name.value))) {
        visitType(name);
        grew = true;
      }
    }
  }

  const definitions: DefinitionNode[] = [];
  for (const d of document.definitions) {
    if (d.kind === Kind.SCHEMA_DEFINITION) {
      const operationTypes = d.operationTypes.filter((o) => reachable.has(o.type.name.value));
      definitions.push({ ...d, operationTypes });
      continue;
    }
    if (d.kind === Kind.DIRECTIVE_DEFINITION) continue;
    if (!('name' in d) || !d.name || !reachable.has(d.name.value)) continue;
    const name = d.name.value;
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      const fields = kept.get(name)!;
      // An object keeps the fields of the interfaces it keeps, so that it still implements them.
      const interfaces = (d.interfaces ?? []).filter((i) => reachable.has(i.name.value));
      const required = new Set(interfaces.flatMap((i) => [...(kept.get(i.name.value) ?? [])]));
      definitions.push({
        ...d,
        interfaces,
        fields: (d.fields ?? []).filter((f) => fields.has(f.name.value) || required.has(f.name.value)),
      } as DefinitionNode);
    } else if (d.kind === Kind.UNION_TYPE_DEFINITION) {
      definitions.push({ ...d, types: (d.types ?? []).filter((t) => unionMembers.get(name)?.has(t.name.value)) });
    } else {
      definitions.push(d);
    }
  }
  const schema = lexicographicSortSchema(buildASTSchema({ kind: Kind.DOCUMENT, definitions }));
  const header = [
    `# The ${definition.name} contract of the Volunteer Graph API, for ${definition.audience}.`,
    `# Cut from schema/supergraph.graphql by @tag(name: "${tag}") (rule: schema/contracts/README.md).`,
    '# Generated by `npm run compose`; checked fresh by `npm run compose:check`. Do not edit.',
  ].join('\n');
  return { definition, schema, sdl: `${header}\n\n${printSchema(schema)}\n`, warnings: warnings.sort() };
}

/** The API schema of a supergraph, exactly as @apollo/gateway computes and serves it. */
export async function apiSchemaOf(supergraphSdl: string): Promise<GraphQLSchema> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const [{ ApolloGateway }, { prepareSupergraphForGateway }] = await Promise.all([import('@apollo/gateway'), import('../supergraph.ts')]);
  const quiet = { debug() {}, info() {}, warn() {}, error: console.error };
  const gateway = new ApolloGateway({ supergraphSdl: prepareSupergraphForGateway(supergraphSdl), logger: quiet });
  try {
    const { schema } = await gateway.load();
    return schema as unknown as GraphQLSchema;
  } finally {
    await gateway.stop();
  }
}

/** Every contract of a supergraph, and its API schema. */
export async function cutContracts(
  supergraphSdl: string,
  definitions: readonly ContractDefinition[] = CONTRACTS,
): Promise<{ api: GraphQLSchema; contracts: Contract[] }> {
  const api = await apiSchemaOf(supergraphSdl);
  const tags = readTags(supergraphSdl);
  return { api, contracts: definitions.map((d) => cutContract(api, tags, d)) };
}

/** The API schema as SDL, sorted (what schema/releases/api.graphql holds). */
export function printApiSchema(api: GraphQLSchema): string {
  return `# The API schema of the Volunteer Graph (the supergraph without federation machinery).\n\n${printSchema(lexicographicSortSchema(api))}\n`;
}

/** Builds a contract schema back from its file (comments and all). */
export function contractSchemaFromSdl(sdl: string): GraphQLSchema {
  return buildASTSchema(parse(sdl));
}

/**
 * An operation file of schema/operations (or the explorer's examples), with
 * what its leading comment says:
 *   # A sentence or two: what it is for.          (description)
 *   # contract: partner, public                   (contracts it must validate against)
 *   # caller: partner                             (who sends it: public, volunteer, analyst, partner, …)
 *   # variables: {"code": "710000000"}            (example variables, JSON)
 */
export interface OperationFile {
  file: string;
  text: string;
  description: string;
  contracts: string[];
  caller: string | null;
  variables: Record<string, unknown> | null;
  /** Named operations of the file, in order. */
  operations: { name: string; type: 'query' | 'mutation' | 'subscription' }[];
}

export function readOperationFile(file: string, text: string): OperationFile {
  const description: string[] = [];
  let contracts: string[] = [];
  let caller: string | null = null;
  let variables: Record<string, unknown> | null = null;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('#')) break;
    const comment = trimmed.replace(/^#+\s?/, '');
    const header = /^(contracts?|caller|variables)\s*:\s*(.*)$/i.exec(comment);
    if (!header) {
      description.push(comment);
      continue;
    }
    const key = header[1]!.toLowerCase();
    const value = header[2]!.trim();
    if (key.startsWith('contract')) contracts = value.split(/[\s,]+/).filter(Boolean);
    else if (key === 'caller') caller = value || null;
    else {
      try {
        variables = JSON.parse(value) as Record<string, unknown>;
      } catch {
        throw new Error(`${file}: the variables header is not JSON: ${value}`);
      }
    }
  }
  const document = parse(text);
  const operations = document.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION && d.name
      ? [{ name: d.name.value, type: d.operation as 'query' | 'mutation' | 'subscription' }]
      : [],
  );
  return { file, text, description: description.join(' ').trim(), contracts, caller, variables, operations };
}

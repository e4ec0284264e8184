import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type {
  DefinitionNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError as GraphQLErrorType,
  GraphQLSchema,
  InlineFragmentNode,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';
import type { CallerKind, Viewer } from '../../platform/index.ts';
import { graphql } from '../../platform/graphql.ts';
import { CONTRACTS, cutContract, readTags, type Contract, type ContractDefinition } from './cut.ts';
import type { GatewayContext } from '../context.ts';
import type { GatewayPlugin } from '../plugin.ts';

const { GraphQLError, Kind, execute, validate } = graphql;

export interface ContractsOptions {
  /**
   * The contract each caller kind is served (by contract name); kinds not listed
   * get the whole API schema. (CONTRACTS, e.g. `partner=partner,public=public`)
   * @default { partner: 'partner' }
   */
  byCallerKind?: Partial<Record<CallerKind, string>>;
  /** The contracts that can be cut. @default CONTRACTS of scripts/lib/contracts.ts (partner, public) */
  definitions?: readonly ContractDefinition[];
  /** Validation results kept per contract (by document hash). @default 1_000 */
  cacheSize?: number;
  /** Told when a supergraph's contract drops tagged fields (a tagging mistake). */
  onWarnings?(contract: string, warnings: string[]): void;
  /** Told when contracts cannot be cut from a new supergraph (the previous ones stay in force). */
  onError?(error: unknown): void;
}

/** Parses `partner=partner,public=public` (CONTRACTS); `off` serves no contract. */
export function parseContractsSetting(text: string): Partial<Record<CallerKind, string>> {
  if (text.trim() === 'off') return {};
  return Object.fromEntries(
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [kind, contract] = part.split('=').map((s) => s.trim());
        if (!kind || !contract) throw new Error(`CONTRACTS: "${part}" is not kind=contract`);
        return [kind, contract];
      }),
  );
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}

interface IntrospectionCut {
  selectionSet: SelectionSetNode;
  responseKeys: ReadonlySet<string>;
}

/**
 * The operation cut down to its introspection fields (`__schema`, `__type`)
 * at the root, through inline fragments and named fragments (each fragment cut
 * once and kept named, so that neither the cut nor its execution expands a
 * fragment more than once); null when it asks for no introspection.
 */
function introspectionOperation(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): { document: DocumentNode; responseKeys: string[] } | null {
  const cutFragments = new Map<string, IntrospectionCut | null | 'cutting'>();
  const cutFragment = (name: string): IntrospectionCut | null => {
    const known = cutFragments.get(name);
    if (known === 'cutting') return null; // a cycle (a validation error anyway)
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) return null;
    cutFragments.set(name, 'cutting');
    const cut = cutSelectionSet(fragment.selectionSet);
    cutFragments.set(name, cut);
    return cut;
  };
  const cutSelectionSet = (selectionSet: SelectionSetNode): IntrospectionCut | null => {
    const selections: SelectionNode[] = [];
    const responseKeys = new Set<string>();
    for (const selection of selectionSet.selections) {
      let cut: IntrospectionCut | null = null;
      if (selection.kind === Kind.FIELD) {
        if (!INTROSPECTION_FIELDS.has(selection.name.value)) continue;
        selections.push(selection);
        responseKeys.add((selection as FieldNode).alias?.value ?? selection.name.value);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        cut = cutSelectionSet(selection.selectionSet);
        if (cut) selections.push({ ...selection, selectionSet: cut.selectionSet } satisfies InlineFragmentNode);
      } else {
        cut = cutFragment(selection.name.value);
        if (cut) selections.push(selection);
      }
      for (const key of cut?.responseKeys ?? []) responseKeys.add(key);
    }
    return responseKeys.size ? { selectionSet: { kind: Kind.SELECTION_SET, selections }, responseKeys } : null;
  };
  const cut = cutSelectionSet(operation.selectionSet);
  if (!cut) return null;
  const definitions: DefinitionNode[] = [{ ...operation, selectionSet: cut.selectionSet }];
  for (const [name, fragmentCut] of cutFragments) {
    const fragment = fragments.get(name);
    if (fragment && fragmentCut && fragmentCut !== 'cutting') definitions.push({ ...fragment, selectionSet: fragmentCut.selectionSet });
  }
  return { document: { kind: Kind.DOCUMENT, definitions }, responseKeys: [...cut.responseKeys] };
}

function validationFailed(contract: string, errors: readonly GraphQLErrorType[]): GraphQLErrorType {
  const [first] = errors;
  const more =
    errors.length > 1
      ? ` (and ${errors.length - 1} more: ${errors
          .slice(1, 4)
          .map((e) => e.message)
          .join(' ')})`
      : '';
  return new GraphQLError(`${first!.message}${more}`, {
    nodes: first!.nodes,
    source: first!.source,
    positions: first!.positions,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', contract, http: { status: 400 } },
  });
}

/**
 * Apollo Server validates every document against the whole API schema before
 * the contract sees it, and its messages suggest fields and name types outside
 * the contract ("Did you mean …?"). A contract caller's validation errors are
 * replaced by those of the contract schema, so they name only what it holds.
 */
function hideWholeSchemaValidation(contract: Contract, requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>): void {
  const { document, response } = requestContext;
  if (!document || response.body.kind !== 'single') return;
  const errors = response.body.singleResult.errors;
  // Only Apollo's own (whole-schema) validation errors: the contract's carry `contract` already.
  if (!errors?.length || !errors.every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && e.extensions.contract === undefined))
    return;
  const contractErrors = validate(contract.schema, document);
  if (!contractErrors.length) return;
  const { message, locations } = validationFailed(contract.definition.name, contractErrors);
  response.body.singleResult.errors = [
    { message, ...(locations ? { locations } : {}), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', contract: contract.definition.name } },
  ];
}

export interface ContractsPlugin extends GatewayPlugin {
  /** The contract schema served to a viewer, or null when it is served the whole API schema. */
  contractSchemaFor(viewer: Viewer): GraphQLSchema | null;
  /** The contracts cut from the supergraph now served (empty before the first load). */
  contracts(): ReadonlyMap<string, Contract>;
}

/**
 * Contract schemas at the gateway: callers of the configured kinds (partner
 * agencies by default) are served a contract cut from the supergraph by
 * `@tag`. Their operations are validated against the contract (a field outside
 * it is GRAPHQL_VALIDATION_FAILED, as if it did not exist) and their
 * introspection is answered from the contract. The contracts are cut afresh at
 * every supergraph load (hot reload included), by the same code as
 * schema/contracts/*.graphql.
 *
 * Put it before the limits plugin, so that a field outside the contract is a
 * validation error before it is priced.
 */
export function useContracts(options: ContractsOptions = {}): ContractsPlugin {
  const byCallerKind = options.byCallerKind ?? { partner: 'partner' };
  const definitions = options.definitions ?? CONTRACTS;
  const cacheSize = options.cacheSize ?? 1_000;
  for (const name of Object.values(byCallerKind)) {
    if (name && !definitions.some((d) => d.name === name))
      throw new Error(`unknown contract "${name}" (known: ${definitions.map((d) => d.name).join(', ')})`);
  }
  let contracts = new Map<string, Contract>();
  let validations = new Map<string, readonly GraphQLErrorType[]>();

  const contractFor = (viewer: Viewer): Contract | null => {
    const name = byCallerKind[viewer.kind];
    return name ? (contracts.get(name) ?? null) : null;
  };

  function validateAgainst(contract: Contract, document: DocumentNode, queryHash: string | undefined): readonly GraphQLErrorType[] {
    const key = queryHash ? `${contract.definition.name}:${queryHash}` : undefined;
    const cached = key ? validations.get(key) : undefined;
    if (cached) return cached;
    const errors = validate(contract.schema, document);
    if (key) {
      if (validations.size >= cacheSize * definitions.length) validations.clear();
      validations.set(key, errors);
    }
    return errors;
  }

  /** Answers the introspection fields of a contract caller's query from the contract schema. */
  async function answerIntrospection(
    contract: Contract,
    requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>,
  ): Promise<void> {
    const { document, operation, response, request } = requestContext;
    if (!document || !operation || operation.operation !== 'query' || response.body.kind !== 'single') return;
    const data = response.body.singleResult.data as Record<string, unknown> | null | undefined;
    if (!data) return;
    const cut = introspectionOperation(operation, fragmentsOf(document));
    if (!cut || !cut.responseKeys.some((key) => key in data)) return;
    const result = await execute({ schema: contract.schema, document: cut.document, variableValues: request.variables ?? {} });
    const answered = (result.data ?? {}) as Record<string, unknown>;
    for (const key of cut.responseKeys) if (key in data && key in answered) data[key] = answered[key];
  }

  return {
    name: 'contracts',
    contractSchemaFor: (viewer) => contractFor(viewer)?.schema ?? null,
    contracts: () => contracts,
    apollo: {
      async serverWillStart() {
        return {
          schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
            if (!coreSupergraphSdl) return;
            try {
              const tags = readTags(coreSupergraphSdl);
              const next = new Map<string, Contract>();
              for (const definition of definitions) {
                const contract = cutContract(apiSchema as unknown as GraphQLSchema, tags, definition);
                if (contract.warnings.length) options.onWarnings?.(definition.name, contract.warnings);
                next.set(definition.name, contract);
              }
              contracts = next;
              validations = new Map();
            } catch (error) {
              options.onError?.(error);
            }
          },
        };
      },
      async requestDidStart({ contextValue }) {
        const name = byCallerKind[contextValue.viewer.kind];
        if (!name) return;
        // Fail closed: a contract caller is never served the whole schema.
        const contract = contracts.get(name);
        if (!contract) {
          return {
            async didResolveOperation() {
              throw new GraphQLError(`The ${name} contract is not available yet`, {
                extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
              });
            },
          };
        }
        return {
          async didResolveOperation({ document, queryHash }) {
            const errors = validateAgainst(contract, document, queryHash);
            if (errors.length) throw validationFailed(contract.definition.name, errors);
          },
          async willSendResponse(requestContext) {
            hideWholeSchemaValidation(contract, requestContext);
            await answerIntrospection(contract, requestContext);
          },
        };
      },
    },
  };
}

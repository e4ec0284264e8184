import { GraphQLError, Kind } from '../../platform/graphql.ts';
import type { FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import { hasRole, type CallerKind } from '../../platform/index.ts';
import type { GatewayPlugin } from '../plugin.ts';
import { isProduction } from '../../platform/settings.ts';

export interface IntrospectionPolicyOptions {
  /** Everyone may introspect (development). @default NODE_ENV !== 'production' */
  allowEveryone?: boolean;
  /** Roles that may introspect in production. @default ['analyst', 'admin'] */
  roles?: CallerKind[];
}

/** Whether a selection asks for `__schema` or `__type` (through fragments too). */
function introspects(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '__schema' || selection.name.value === '__type';
    if (selection.kind === Kind.INLINE_FRAGMENT) return introspects(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return false;
    seen.add(fragment.name.value);
    return introspects(fragment.selectionSet, fragments, seen);
  });
}

/** Schema introspection only for analysts and admins (everyone in development); `__typename` is always allowed. */
export function useIntrospectionPolicy(options: IntrospectionPolicyOptions = {}): GatewayPlugin {
  const allowEveryone = options.allowEveryone ?? !isProduction();
  const roles = options.roles ?? ['analyst', 'admin'];
  return {
    name: 'introspection-policy',
    apollo: {
      async requestDidStart() {
        if (allowEveryone) return;
        return {
          async didResolveOperation({ document, operation, contextValue }) {
            if (!operation || hasRole(contextValue.viewer, ...roles)) return;
            const fragments = new Map(
              document.definitions
                .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
                .map((d) => [d.name.value, d]),
            );
            if (!introspects(operation.selectionSet, fragments)) return;
            const signedIn = contextValue.viewer.kind !== 'public';
            throw new GraphQLError(`Schema introspection is open to ${roles.join(' and ')} callers only`, {
              extensions: { code: signedIn ? 'FORBIDDEN' : 'UNAUTHENTICATED', http: { status: signedIn ? 403 : 401 } },
            });
          },
        };
      },
    },
  };
}

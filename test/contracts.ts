import { expect } from 'vitest';
import type { Graph, GraphQLResponseBody } from './harness.ts';

// What every subgraph's tests assert about the partner contract, written once.

/**
 * A partner's operation that selects a field outside the partner contract
 * (schema/contracts/partner.graphql): the gateway answers 400
 * GRAPHQL_VALIDATION_FAILED naming the field, as if it did not exist, and no
 * subgraph is called.
 */
export async function outsidePartnerContract(
  graph: Graph,
  document: string,
  variables: Record<string, unknown>,
  token: string,
  field: string,
): Promise<GraphQLResponseBody> {
  graph.resetSubgraphCalls();
  const { status, body } = await graph.query(document, { variables, token });
  expect(body.errors?.[0]?.extensions, JSON.stringify(body.errors)).toMatchObject({
    code: 'GRAPHQL_VALIDATION_FAILED',
    contract: 'partner',
  });
  // The field is named (an input type used only outside the contract is reported too, before it).
  expect(body.errors!.map((e) => e.message).join('\n')).toContain(`"${field}"`);
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(graph.subgraphCalls()).toBe(0);
  return body;
}

/**
 * Runs `use` against another gateway in front of the same subgraphs with
 * contracts off (closed after): what the subgraphs and authorization refuse a
 * partner on their own, behind the contract.
 */
export async function withoutContracts<T>(
  graph: Graph,
  use: (query: (document: string, variables: Record<string, unknown>, token?: string) => Promise<GraphQLResponseBody>) => Promise<T>,
): Promise<T> {
  const gateway = await graph.startGateway({ contracts: false });
  try {
    return await use(
      async (document, variables, token) => (await graph.queryAt(gateway.url, document, { variables, ...(token ? { token } : {}) })).body,
    );
  } finally {
    await gateway.close();
  }
}

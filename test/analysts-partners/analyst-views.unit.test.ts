import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { wantsOpenDataPage } from '../../gateway/open-data/index.ts';
import { describeQueryPlan } from '../../gateway/plugins/useQueryPlan.ts';

const request = (accept?: string) => ({ headers: accept === undefined ? {} : { accept } }) as IncomingMessage;

describe('the open-data index’s content negotiation', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true], // a browser
    ['text/html', true],
    ['application/json, text/html;q=0.5', false],
    ['text/html;q=0.5, application/json', false],
    ['text/html, application/json;q=0.9', true],
    ['application/json', false],
    ['*/*', false], // curl, fetch
    [undefined, false],
  ])('Accept %s → page: %s', (accept, page) => {
    expect(wantsOpenDataPage(request(accept))).toBe(page);
  });
});

describe('the query plan as the gateway answers it', () => {
  it('keeps the tree, the subgraphs and operations, and drops the planner’s internals', () => {
    const fetch = (serviceName: string, extra: Record<string, unknown> = {}) => ({
      kind: 'Fetch' as const,
      serviceName,
      operation: `{ ${serviceName} }`,
      operationName: undefined,
      operationKind: 'query' as never,
      operationDocumentNode: { kind: 'Document', definitions: [] } as never,
      inputRewrites: [],
      ...extra,
    });
    const plan = describeQueryPlan({
      kind: 'Sequence',
      nodes: [
        fetch('organizations', { variableUsages: ['code'] }),
        {
          kind: 'Parallel',
          nodes: [
            { kind: 'Flatten', path: ['regions', '@'], node: fetch('volunteers', { requires: [{ kind: 'InlineFragment', typeCondition: 'Region', selections: [] }] }) },
            { kind: 'Condition', condition: 'withMissions', ifClause: fetch('cooperation') },
          ],
        },
      ],
    });
    expect(plan).toEqual({
      kind: 'Sequence',
      nodes: [
        { kind: 'Fetch', service: 'organizations', operation: '{ organizations }', variables: ['code'] },
        {
          kind: 'Parallel',
          nodes: [
            { kind: 'Flatten', path: 'regions.@', nodes: [{ kind: 'Fetch', service: 'volunteers', operation: '{ volunteers }', requires: ['Region'] }] },
            { kind: 'Condition', condition: 'withMissions', nodes: [{ kind: 'Fetch', service: 'cooperation', operation: '{ cooperation }' }] },
          ],
        },
      ],
    });
  });
});

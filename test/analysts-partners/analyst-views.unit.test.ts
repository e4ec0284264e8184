import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_OPERATIONS } from '../../gateway/dashboards/index.ts';
import { loadExamples } from '../../gateway/explorer/index.ts';
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
            {
              kind: 'Flatten',
              path: ['regions', '@'],
              node: fetch('volunteers', { requires: [{ kind: 'InlineFragment', typeCondition: 'Region', selections: [] }] }),
            },
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
            {
              kind: 'Flatten',
              path: 'regions.@',
              nodes: [{ kind: 'Fetch', service: 'volunteers', operation: '{ volunteers }', requires: ['Region'] }],
            },
            {
              kind: 'Condition',
              condition: 'withMissions',
              nodes: [{ kind: 'Fetch', service: 'cooperation', operation: '{ cooperation }' }],
            },
          ],
        },
      ],
    });
  });
});

describe('the dashboards’ operations', () => {
  it('are operations of schema/operations, sent as the manifest’s exact text (trusted where the manifest is enforced)', () => {
    const manifest = JSON.parse(readFileSync('schema/operations/manifest.json', 'utf8')) as {
      operations: { name: string; body: string }[];
    };
    const examples = loadExamples('schema/operations');
    for (const name of Object.values(DASHBOARD_OPERATIONS)) {
      const example = examples.find((e) => e.name === name);
      expect(example, name).toBeDefined();
      expect(example!.body).toBe(manifest.operations.find((o) => o.name === name)?.body);
    }
  });
});

/**
 * The gateway's static measures of a document, as pure functions (no server):
 * each costs time linear in the document, never in its fragments' expansion,
 * and counts past 2^53 saturate instead of turning into nonsense.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Supergraph } from '@apollo/federation-internals';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { accessOf, planAuthorization } from '../../gateway/plugins/useAuthorization.ts';
import {
  fragmentsOf,
  measureCost,
  measureStatic,
  SATURATED,
  saturatingAdd,
  saturatingMultiply,
  selectOperation,
} from '../../gateway/plugins/measureOperation.ts';
import { prepareSupergraphForGateway } from '../../gateway/supergraph.ts';
import { readSupergraphMetadata } from '../../gateway/supergraph-metadata.ts';
import { PUBLIC_VIEWER } from '../../subgraphs/kit/index.ts';

// graphql-js as the gateway loads it (CommonJS), not vitest's ESM copy.
const { parse, buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const supergraphSdl = readFileSync('schema/supergraph.graphql', 'utf8');
const api = Supergraph.build(prepareSupergraphForGateway(supergraphSdl)).apiSchema().toGraphQLJSSchema();
const metadata = readSupergraphMetadata(supergraphSdl);

/** `fragment F0 on <type> { ...F1 ...F1 } … fragment F<n> on <type> { <leaf> }`: 2^n copies of the leaf. */
export function doublingFragments(n: number, type: string, leaf = '__typename'): string {
  const fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on ${type} { ...F${i + 1} ...F${i + 1} }`);
  return `${fragments.join('\n')}\nfragment F${n} on ${type} { ${leaf} }`;
}

function operationOf(text: string): { document: DocumentNode; operation: OperationDefinitionNode } {
  const document = parse(text, { noLocation: true });
  return { document, operation: selectOperation(document, undefined)! };
}

/** The fastest of three runs, in ms. */
function fastest(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('saturating arithmetic', () => {
  it('stops at 2^53 - 1 instead of losing precision or reaching Infinity', () => {
    expect(saturatingAdd(SATURATED, 1)).toBe(SATURATED);
    expect(saturatingMultiply(2 ** 30, 2 ** 30)).toBe(SATURATED);
    expect(saturatingMultiply(1e300, 1e300)).toBe(SATURATED);
    expect(saturatingMultiply(2 ** 20, 2 ** 20)).toBe(2 ** 40);
    expect(saturatingMultiply(0, SATURATED)).toBe(0);
  });
});

describe('measureStatic', () => {
  it('counts 2^25 root fields of 25 doubling fragments without expanding them', () => {
    const { document, operation } = operationOf(`query FanOut { ...F0 }\n${doublingFragments(25, 'Query')}`);
    let measure = measureStatic(operation, fragmentsOf(document));
    expect(fastest(() => (measure = measureStatic(operation, fragmentsOf(document))))).toBeLessThan(20);
    expect(measure).toEqual({ depth: 1, aliases: 0, rootFields: 2 ** 25, directives: 0, fields: 2 ** 25 });
  });

  it('counts the fields of a fan-out under a list', () => {
    const { document, operation } = operationOf(`{ regions { ...F0 } }\n${doublingFragments(25, 'Region', 'code nameEn')}`);
    expect(measureStatic(operation, fragmentsOf(document))).toEqual({
      depth: 2,
      aliases: 0,
      rootFields: 1,
      directives: 0,
      fields: 1 + 2 ** 26,
    });
  });

  it('saturates past 2^53: sixty doublings are "at least 2^53 - 1", not a wrong number', () => {
    const { document, operation } = operationOf(`{ ...F0 }\n${doublingFragments(60, 'Query', 'a: __typename @skip(if: false)')}`);
    const measure = measureStatic(operation, fragmentsOf(document));
    expect(measure).toMatchObject({ rootFields: SATURATED, aliases: SATURATED, directives: SATURATED, fields: SATURATED });
    expect(Number.isSafeInteger(measure.fields)).toBe(true);
  });

  it('keeps the depth, aliases and directives of fragments as written', () => {
    const { document, operation } = operationOf(`query Q @a { x: regions { ...R } ...Q2 }
      fragment R on Region @b { code organizations(first: 1) { nodes { ... on Organization { name @c } } } }
      fragment Q2 on Query { y: regions { ...R } }`);
    expect(measureStatic(operation, fragmentsOf(document))).toEqual({ depth: 4, aliases: 2, rootFields: 2, directives: 5, fields: 10 });
  });

  it('ends on fragment cycles whatever the order (validation refuses them; the measure must not hang first)', () => {
    for (const text of [
      `{ ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A }`,
      `{ ...B } fragment A on Query { ...B __typename } fragment B on Query { ...A ...A }`,
      `{ regions { ...A } } fragment A on Region { code organizations(first: 1) { nodes { region { ...A } } } }`,
    ]) {
      const { document, operation } = operationOf(text);
      expect(measureStatic(operation, fragmentsOf(document)).fields).toBeGreaterThan(0);
    }
  });

  it('takes time linear in the document: 10 more doublings cost no more than a few more fragments', () => {
    const timeOf = (n: number) => {
      const { document, operation } = operationOf(`{ regions { ...F0 } }\n${doublingFragments(n, 'Region')}`);
      return fastest(() => measureStatic(operation, fragmentsOf(document)));
    };
    timeOf(20);
    expect(timeOf(40)).toBeLessThan(20);
  });
});

describe('measureCost', () => {
  const options = { defaultListSize: 10, mutationCost: 10, pageArguments: ['first', 'last'] };

  it('prices 25 doubling fragments of objects by multiplication, each fragment once', () => {
    const { document, operation } = operationOf(`{ regions { ...F0 } }\n${doublingFragments(25, 'Region', 'frontOffice { id }')}`);
    let cost = 0;
    const ms = fastest(() => (cost = measureCost(api, metadata, operation, fragmentsOf(document), {}, options).cost));
    expect(ms).toBeLessThan(20);
    // regions: a list of the 20 regions (@listSize) or the default; each with 2^25 frontOffice objects.
    const perRegion = 1 + 2 ** 25;
    expect(cost % perRegion).toBe(0);
    expect(cost).toBeGreaterThanOrEqual(perRegion * 10);
  });

  it('saturates rather than overflowing to Infinity', () => {
    const schema = buildSchema(`type Query { items: [Item] } type Item { id: ID items: [Item] }`);
    const { document, operation } = operationOf(`{ items { ...F0 } }\n${doublingFragments(200, 'Item', 'items { items { id } }')}`);
    const { cost } = measureCost(schema, undefined, operation, fragmentsOf(document), {}, options);
    expect(cost).toBe(SATURATED);
  });

  it('gives the same price through fragments as written out', () => {
    const inline = operationOf(`{ organizations(first: 5) { nodes { name opportunities(first: 7) { nodes { id } } } } }`);
    const viaFragments = operationOf(
      `{ organizations(first: 5) { ...Page } } fragment Page on OrganizationConnection { nodes { ...Org } } fragment Org on Organization { name opportunities(first: 7) { nodes { id } } }`,
    );
    const price = (o: ReturnType<typeof operationOf>) => measureCost(api, metadata, o.operation, fragmentsOf(o.document), {}, options);
    expect(price(viaFragments)).toEqual(price(inline));
    expect(price(inline).cost).toBeGreaterThan(5);
  });
});

describe('planAuthorization', () => {
  it('walks 25 doubling fragments once each and finds the one forbidden field once', () => {
    const text = `query FanOut { ...F0 }\n${doublingFragments(25, 'Query', 'cooperationTotals(year: 2026) { __typename }')}`;
    const document = parse(text, { noLocation: true });
    const access = accessOf(PUBLIC_VIEWER, metadata);
    let plan = planAuthorization(api, metadata, access, document, 'FanOut');
    expect(fastest(() => (plan = planAuthorization(api, metadata, access, document, 'FanOut')))).toBeLessThan(50);
    expect(plan.fieldDenials.map((d) => ({ path: d.steps.map((s) => s.key), code: d.code, coordinate: d.coordinate }))).toEqual([
      { path: ['cooperationTotals'], code: 'UNAUTHENTICATED', coordinate: 'Query.cooperationTotals' },
    ]);
  });

  it('puts a fragment’s denials under every path it is spread at', () => {
    const text = `{ a: organizations(first: 1) { nodes { ...O } } b: organization(id: "x") { ...O ...O } }
      fragment O on Organization { name ...C } fragment C on Organization { contact { phone } }`;
    const plan = planAuthorization(api, metadata, accessOf(PUBLIC_VIEWER, metadata), parse(text, { noLocation: true }), undefined);
    expect(plan.fieldDenials.map((d) => `${d.steps.map((s) => s.key).join('.')} ${d.code}`)).toEqual([
      'a.nodes.contact UNAUTHENTICATED',
      'b.contact UNAUTHENTICATED',
    ]);
    expect(plan.document).not.toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { prepareSupergraphForGateway } from '../../gateway/supergraph.ts';

// graphql-js as @apollo/federation-internals loads it (CommonJS), not vitest's ESM copy.
const { parse, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** The README's operations are what a new user pastes first: they must stay valid against the graph. */
const api = Supergraph.build(prepareSupergraphForGateway(readFileSync('schema/supergraph.graphql', 'utf8'))).apiSchema().toGraphQLJSSchema();
const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
const curls = [...readme.matchAll(/"query":"(.*?)"\}'/g)].map((m) => m[1]!.replace(/\\"/g, '"'));

describe('the README', () => {
  it('has example operations', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(curls.length).toBeGreaterThan(0);
  });
  it.each([...blocks, ...curls].map((d, i) => [i, d] as const))('example %i validates against the supergraph', (_i, document) => {
    // Variables are left to the reader; everything else must validate.
    const errors = validate(api, parse(document)).filter((e) => !/Variable ".*" is not defined/.test(e.message));
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});

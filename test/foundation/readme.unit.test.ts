import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { prepareSupergraphForGateway } from '../../gateway/supergraph.ts';
import { ERROR_CODES } from '../../platform/errors.ts';
import { graphql } from '../../platform/graphql.ts';

const { parse, validate } = graphql;

/** The README's operations are what a new user pastes first: they must stay valid against the graph. */
const api = Supergraph.build(prepareSupergraphForGateway(readFileSync('schema/supergraph.graphql', 'utf8')))
  .apiSchema()
  .toGraphQLJSSchema();
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

  it('lists every error code the graph answers with', () => {
    const section = readme.slice(readme.indexOf('## Errors'));
    expect(section.length).toBeLessThan(readme.length);
    for (const code of ERROR_CODES) expect(section, code).toContain(`\`${code}\``);
  });
});

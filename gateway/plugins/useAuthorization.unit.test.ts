import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { viewerFromClaims } from '../../platform/identity.ts';
import { parse, print } from '../../platform/graphql.ts';
import { apiSchemaOf } from '../contracts/cut.ts';
import { withRoleScopes } from '../scopes.ts';
import { readSupergraphMetadata, type SupergraphMetadata } from '../supergraph-metadata.ts';
import { accessOf, applyAuthorization, planAuthorization } from './useAuthorization.ts';

const sdl = readFileSync(fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url)), 'utf8');
let schema: GraphQLSchema;
let supergraph: SupergraphMetadata;

beforeAll(async () => {
  schema = await apiSchemaOf(sdl);
  supergraph = readSupergraphMetadata(sdl);
});

const plan = (claims: Parameters<typeof viewerFromClaims>[0], query: string) =>
  planAuthorization(schema, supergraph, accessOf(withRoleScopes(viewerFromClaims(claims)), supergraph), parse(query), undefined);

const VOLUNTEERS = `{ volunteers(first: 2) { nodes { id ageBand iin firstName } } }`;

describe('authorization planning (pure, on the committed supergraph)', () => {
  it('withholds personal data from an analyst, and only that', () => {
    const p = plan({ role: 'analyst', sub: 'a' }, VOLUNTEERS);
    expect(p.fieldDenials.map((d) => [d.coordinate, d.code])).toEqual(
      expect.arrayContaining([
        ['Volunteer.iin', 'FORBIDDEN'],
        ['Volunteer.firstName', 'FORBIDDEN'],
      ]),
    );
    expect(p.fieldDenials.map((d) => d.coordinate)).not.toContain('Volunteer.ageBand');
    const sent = print(p.document!);
    expect(sent).toContain('ageBand');
    expect(sent).not.toMatch(/\biin\b/);
  });

  it('an admin keeps the whole operation, planned as sent', () => {
    const p = plan({ role: 'admin', sub: 'root' }, VOLUNTEERS);
    expect(p.fieldDenials).toEqual([]);
    expect(print(p.document!)).toBe(print(parse(VOLUNTEERS)));
  });

  it('an anonymous caller is UNAUTHENTICATED for a mutation that needs a sign-in', () => {
    const p = plan({}, `mutation { registerPartner(input: { name: "x", kind: UN_AGENCY, country: "KE" }) { id } }`);
    expect(p.fieldDenials.map((d) => [d.coordinate, d.code])).toEqual([['Mutation.registerPartner', 'UNAUTHENTICATED']]);
    expect(p.document).toBeNull();
  });

  it('withheld fields come back null with an error at their path; a non-null one nulls its nearest nullable parent', () => {
    const p = plan({ role: 'analyst', sub: 'a' }, VOLUNTEERS);
    const result = applyAuthorization({ data: { volunteers: { nodes: [{ id: '1', ageBand: 'A18_24' }] } } } as never, p, 100);
    expect(result.data).toEqual({ volunteers: { nodes: [{ id: '1', ageBand: 'A18_24', iin: null, firstName: null }] } });
    expect(result.errors!.map((e) => [e.path?.join('.'), e.extensions.code])).toEqual(
      expect.arrayContaining([
        ['volunteers.nodes.0.iin', 'FORBIDDEN'],
        ['volunteers.nodes.0.firstName', 'FORBIDDEN'],
      ]),
    );
  });
});

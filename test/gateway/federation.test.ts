/**
 * Federation features the gateway adds to @apollo/gateway, on a small graph of
 * two test-only subgraphs composed here: @requiresScopes / @policy / type-level
 * @authenticated enforced before planning (with GraphQL's null propagation),
 * the scopes the gateway derives from roles, and progressive @override.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from '../../gateway/api-keys.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import {
  createLogger,
  internalSecret,
  resolveRequestContext,
  serveHttp,
  type RequestContext,
  type RunningServer,
} from '../../subgraphs/kit/index.ts';
import { signDevToken } from '../harness.ts';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@policy", "@override", "@listSize"])`;

const catalogSdl = `${FEDERATION}
  type Query {
    people: [Person!]! @listSize(assumedSize: 3)
    person(id: ID!): Person
    stats: Stats @requiresScopes(scopes: [["analytics:read"]])
    audit: AuditLog
    "The identity this subgraph received from the gateway."
    viewer: ViewerInfo!
  }
  type Person @key(fields: "id") {
    id: ID!
    nickname: String!
    iin: String @requiresScopes(scopes: [["pii:read"]])
    birthDate: String! @requiresScopes(scopes: [["pii:read"]])
    region: String @policy(policies: [["sameRegion"]])
    rating: Int
    score: Int
    level: Int
    badge: String
  }
  type AuditLog @authenticated { entries: [String!]! @listSize(assumedSize: 5) }
  type Stats { people: Int! }
  type ViewerInfo { kind: String! scopes: [String!]! @listSize(assumedSize: 5) }
`;

const ratingsSdl = `${FEDERATION}
  type Person @key(fields: "id") {
    id: ID!
    rating: Int @override(from: "catalog", label: "percent(50)")
    score: Int @override(from: "catalog", label: "percent(100)")
    level: Int @override(from: "catalog", label: "percent(0)")
    badge: String @override(from: "catalog", label: "new-badges")
  }
`;

const PEOPLE = [
  { id: '1', nickname: 'ak', iin: '900412400321', birthDate: '1990-04-12', region: '710000000' },
  { id: '2', nickname: 'bo', iin: '850101300222', birthDate: '1985-01-01', region: '750000000' },
  { id: '3', nickname: 'cy', iin: '010203500333', birthDate: '2001-02-03', region: '710000000' },
];

interface Fixture extends RunningServer {
  queries: string[];
}

/** A test-only subgraph behind the gateway's credential, recording the queries it receives. */
async function serveFixture(name: string, sdl: string, resolvers: Record<string, Record<string, unknown>>): Promise<Fixture> {
  const queries: string[] = [];
  const apollo = new ApolloServer<RequestContext>({
    schema: buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as never }]),
    plugins: [{ requestDidStart: async ({ request }) => void queries.push(request.query ?? '') }],
  });
  await apollo.start();
  const log = createLogger(name);
  const running = await serveHttp<RequestContext>({
    apollo,
    port: 0,
    name,
    context: (req) => resolveRequestContext(req, { secret: internalSecret(), requireGateway: true }, log),
  });
  return { ...running, queries };
}

let dir: string;
let catalog: Fixture;
let ratings: Fixture;
let gateway: RunningGateway;
let withBadges: RunningGateway;
let partnerKey: string;

const query = async (target: RunningGateway, document: string, headers: Record<string, string> = {}) => {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: document }),
  });
  return (await response.json()) as {
    data?: any;
    errors?: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[];
  };
};
const as = (role: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${signDevToken({ role, sub: `${role}-1`, ...extra })}`,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vg-federation-'));
  const byId = new Map(PEOPLE.map((p) => [p.id, p]));
  catalog = await serveFixture('catalog', catalogSdl, {
    Query: {
      people: () => PEOPLE,
      person: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
      stats: () => ({ people: PEOPLE.length }),
      audit: () => ({ entries: ['created 1'] }),
      viewer: (_: unknown, __: unknown, context: RequestContext) => ({ kind: context.viewer.kind, scopes: context.viewer.scopes }),
    },
    Person: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id),
      rating: () => 1,
      score: () => 1,
      level: () => 1,
      badge: () => 'catalog',
    },
  });
  ratings = await serveFixture('ratings', ratingsSdl, {
    Person: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      rating: () => 2,
      score: () => 2,
      level: () => 2,
      badge: () => 'ratings',
    },
  });
  const composed = composeServices([
    { name: 'catalog', url: catalog.url, typeDefs: parse(catalogSdl) },
    { name: 'ratings', url: ratings.url, typeDefs: parse(ratingsSdl) },
  ]);
  if (composed.errors?.length || !composed.supergraphSdl) throw new Error(composed.errors?.map((e) => e.message).join('\n'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);

  // A partner key whose stored record (edited by hand) claims pii:read: the gateway still never grants it.
  const { key, record } = generateApiKey({ partnerId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a10', scopes: ['partner'] });
  partnerKey = key;
  const keysFile = join(dir, 'api-keys.json');
  writeFileSync(keysFile, JSON.stringify({ keys: [{ ...record, scopes: ['partner', 'pii:read'], hash: hashApiKey(key) }] }));

  const options = {
    supergraphPath,
    port: 0,
    apiKeys: { file: keysFile },
    rateLimit: { enabled: false },
    // These test-only subgraphs carry no contract tags; authorization alone is under test here.
    contracts: false as const,
    // The test's own subgraphs read the caller's identity: trusted with it by name.
    trustedSubgraphs: ['catalog', 'ratings'],
    authorization: { policies: { sameRegion: (viewer: { regionCode: string | null }) => viewer.regionCode === '710000000' } },
  };
  gateway = await startGateway(options);
  withBadges = await startGateway({ ...options, progressiveOverride: { enabledLabels: ['new-badges'] } });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await withBadges?.close();
  await catalog?.close();
  await ratings?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scopes derived from roles, passed to subgraphs', () => {
  it('give personal-data scope to the person and their staff, aggregates to analysts, never to partners', async () => {
    const scopesOf = async (headers: Record<string, string>) => (await query(gateway, '{ viewer { kind scopes } }', headers)).data.viewer;
    expect(await scopesOf(as('volunteer'))).toEqual({ kind: 'volunteer', scopes: ['pii:read'] });
    expect(await scopesOf(as('coordinator'))).toEqual({ kind: 'coordinator', scopes: ['pii:read'] });
    expect(await scopesOf(as('front_office'))).toEqual({ kind: 'front_office', scopes: ['pii:read'] });
    expect(await scopesOf(as('analyst'))).toEqual({ kind: 'analyst', scopes: ['analytics:read'] });
    expect(await scopesOf(as('admin'))).toEqual({ kind: 'admin', scopes: ['admin', 'analytics:read', 'pii:read'] });
    expect(await scopesOf({ 'x-api-key': partnerKey })).toEqual({ kind: 'partner', scopes: ['partner'] });
    // A token claiming what its role does not grant, or the service role, gets neither.
    expect(await scopesOf(as('analyst', { scope: 'pii:read reports:export' }))).toEqual({
      kind: 'analyst',
      scopes: ['analytics:read', 'reports:export'],
    });
    expect(await scopesOf(as('service'))).toEqual({ kind: 'public', scopes: [] });
  });
});

describe('@requiresScopes, @policy and @authenticated types, enforced before planning', () => {
  it('withholds a field from callers without the scope, at every path, without asking the subgraph for it', async () => {
    catalog.queries.length = 0;
    const analyst = await query(gateway, '{ people { id nickname iin } }', as('analyst'));
    expect(analyst.data.people).toEqual(PEOPLE.map((p) => ({ id: p.id, nickname: p.nickname, iin: null })));
    expect(analyst.errors!.map((e) => [e.path!.join('.'), e.extensions.code])).toEqual([
      ['people.0.iin', 'FORBIDDEN'],
      ['people.1.iin', 'FORBIDDEN'],
      ['people.2.iin', 'FORBIDDEN'],
    ]);
    const anonymous = await query(gateway, '{ people { id iin } }');
    expect(anonymous.errors!.every((e) => e.extensions.code === 'UNAUTHENTICATED')).toBe(true);
    const partner = await query(gateway, '{ people { id iin } }', { 'x-api-key': partnerKey });
    expect(partner.errors!.every((e) => e.extensions.code === 'FORBIDDEN')).toBe(true);
    expect(catalog.queries.length).toBeGreaterThan(0);
    expect(catalog.queries.some((q) => q.includes('iin'))).toBe(false);

    const staff = await query(gateway, '{ people { id iin } }', as('front_office'));
    expect(staff.errors).toBeUndefined();
    expect(staff.data.people.map((p: { iin: string }) => p.iin)).toEqual(PEOPLE.map((p) => p.iin));
  });

  it('propagates the null of a withheld non-null field to the nearest nullable parent', async () => {
    const one = await query(gateway, '{ person(id: "1") { id birthDate } stats { people } }', as('analyst'));
    expect(one.data).toEqual({ person: null, stats: { people: 3 } });
    expect(one.errors).toMatchObject([{ path: ['person', 'birthDate'], extensions: { code: 'FORBIDDEN' } }]);
    // `people: [Person!]!` has no nullable parent below the root: the whole data is null, as GraphQL requires.
    const all = await query(gateway, '{ people { id birthDate } }', as('analyst'));
    expect(all.data).toBeNull();
    expect(all.errors![0]!.extensions.code).toBe('FORBIDDEN');
  });

  it('grants aggregates to analytics:read only', async () => {
    expect((await query(gateway, '{ stats { people } }', as('analyst'))).data).toEqual({ stats: { people: 3 } });
    const coordinator = await query(gateway, '{ stats { people } }', as('coordinator'));
    expect(coordinator).toMatchObject({ data: { stats: null }, errors: [{ path: ['stats'], extensions: { code: 'FORBIDDEN' } }] });
  });

  it('evaluates @policy with the policies given to the gateway', async () => {
    const inRegion = await query(gateway, '{ person(id: "2") { region } }', as('front_office', { region: '710000000' }));
    expect(inRegion.data).toEqual({ person: { region: '750000000' } });
    const elsewhere = await query(gateway, '{ person(id: "2") { nickname region } }', as('front_office', { region: '190000000' }));
    expect(elsewhere).toMatchObject({
      data: { person: { nickname: 'bo', region: null } },
      errors: [{ path: ['person', 'region'], extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('withholds every field returning an @authenticated type, and fragments on it, from the public', async () => {
    catalog.queries.length = 0;
    const anonymous = await query(gateway, '{ audit { entries } viewer { kind } }');
    expect(anonymous).toMatchObject({
      data: { audit: null, viewer: { kind: 'public' } },
      errors: [{ path: ['audit'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(catalog.queries.some((q) => q.includes('audit'))).toBe(false);
    const signedIn = await query(gateway, '{ audit { entries } }', as('volunteer'));
    expect(signedIn.data).toEqual({ audit: { entries: ['created 1'] } });
  });
});

describe('progressive @override', () => {
  it('sends percent(N) of requests to the overriding subgraph, planning each request with its own labels', async () => {
    const counts = { catalog: 0, ratings: 0 };
    for (let i = 0; i < 200; i++) {
      const { data, errors } = await query(gateway, '{ people { id rating } }');
      expect(errors).toBeUndefined();
      const values = new Set(data.people.map((p: { rating: number }) => p.rating));
      expect(values.size).toBe(1); // one plan per request
      if (values.has(2)) counts.ratings += 1;
      else counts.catalog += 1;
    }
    expect(counts.ratings).toBeGreaterThan(60);
    expect(counts.catalog).toBeGreaterThan(60);
  });

  it('honours percent(100) and percent(0)', async () => {
    for (let i = 0; i < 20; i++) {
      const { data } = await query(gateway, '{ person(id: "1") { score level } }');
      expect(data.person).toEqual({ score: 2, level: 1 });
    }
  });

  it('switches custom labels per gateway configuration (feature-flag style)', async () => {
    expect((await query(gateway, '{ person(id: "3") { badge } }')).data.person.badge).toBe('catalog');
    expect((await query(withBadges, '{ person(id: "3") { badge } }')).data.person.badge).toBe('ratings');
  });
});

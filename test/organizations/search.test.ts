import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../harness.ts';
import { ALMATY, ASTANA, callers, expectError, expectNoErrors, isoDay, postOpportunity, registerOrganization } from './helpers.ts';

/**
 * searchOpportunities and the front-office directory, through the gateway: words in Kazakh,
 * Russian and English, every filter, facets and totalCount, strict cursors, a constant number
 * of statements, and frontOffices(near:) by distance.
 */
let graph: Graph;
let as: ReturnType<typeof callers>;

const ASTANA_POINT = { latitude: 51.1282, longitude: 71.4307 };
const ALMATY_POINT = { latitude: 43.2389, longitude: 76.8897 };

const SEARCH = `
  query ($query: String, $filter: OpportunitySearchFilter, $orderBy: OpportunitySearchOrder, $first: Int, $after: String) {
    searchOpportunities(query: $query, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      edges { cursor distanceKm node { title } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

async function titles(variables: Record<string, unknown>, token?: string): Promise<string[]> {
  const { body } = await graph.query(SEARCH, { variables, ...(token ? { token } : {}) });
  expectNoErrors(body);
  return body.data!.searchOpportunities.edges.map((e: { node: { title: string } }) => e.node.title);
}

beforeAll(async () => {
  graph = await startGraph();
  as = callers(graph);
  const astana = await registerOrganization(graph, { regionCode: ASTANA, directions: ['BILIM', 'TAZA_ALEM'] });
  const almaty = await registerOrganization(graph, { regionCode: ALMATY, directions: ['TAZA_ALEM'] });
  // In start-date order: past, kitap, subbotnik, english; and a draft nobody outside sees.
  await postOpportunity(graph, almaty, {
    title: 'Past clean-up',
    description: 'Litter picking that already happened.',
    regionCode: ALMATY,
    direction: 'TAZA_ALEM',
    startsOn: isoDay(-10),
    endsOn: isoDay(-5),
    minimumAge: 14,
    skillsNeeded: ['teamwork'],
    languages: ['kk'],
    open: true,
  });
  await postOpportunity(graph, astana, {
    title: 'Кітап оқу клубы',
    description: 'Балаларға кітап оқып беру, қалалық кітапханада.',
    regionCode: ASTANA,
    direction: 'BILIM',
    startsOn: isoDay(10),
    endsOn: isoDay(12),
    minimumAge: 14,
    skillsNeeded: ['reading'],
    languages: ['kk'],
    location: ASTANA_POINT,
    open: true,
  });
  await postOpportunity(graph, almaty, {
    title: 'Субботник в парке',
    description: 'Уборка территории парка и посадка деревьев.',
    regionCode: ALMATY,
    direction: 'TAZA_ALEM',
    startsOn: isoDay(20),
    endsOn: isoDay(21),
    minimumAge: 16,
    skillsNeeded: ['teamwork'],
    languages: ['ru'],
    location: ALMATY_POINT,
    open: true,
  });
  await postOpportunity(graph, astana, {
    title: 'Online English lessons',
    description: 'Conversational English for pensioners, by video.',
    regionCode: ASTANA,
    direction: 'BILIM',
    startsOn: isoDay(30),
    endsOn: isoDay(40),
    minimumAge: 18,
    skillsNeeded: ['teaching'],
    languages: ['en', 'ru'],
    online: true,
    open: true,
  });
  await postOpportunity(graph, astana, {
    title: 'Draft clean-up',
    description: 'Not yet published.',
    regionCode: ASTANA,
    direction: 'TAZA_ALEM',
    startsOn: isoDay(15),
    endsOn: isoDay(15),
  });
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

describe('searchOpportunities', () => {
  it('finds a Kazakh, a Russian and an English word (any case, word prefixes, all words required), for anyone', async () => {
    expect(await titles({ query: 'кітап' })).toEqual(['Кітап оқу клубы']);
    expect(await titles({ query: 'КІТАПХАНА' })).toEqual(['Кітап оқу клубы']);
    expect(await titles({ query: 'суббот' })).toEqual(['Субботник в парке']);
    expect(await titles({ query: 'деревьев парк' })).toEqual(['Субботник в парке']);
    expect(await titles({ query: 'ENGLISH pension' })).toEqual(['Online English lessons']);
    expect(await titles({ query: 'english парк' })).toEqual([]);
    expect(await titles({ query: 'clean-up' })).toEqual(['Past clean-up']);
    // Drafts only for those who may see them.
    expect(await titles({ query: 'draft' })).toEqual([]);
    expect(await titles({ query: 'draft' }, as.admin)).toEqual(['Draft clean-up']);
    // Operators are not syntax: they are dropped, never a failing statement.
    expect(await titles({ query: "english & !(pension) | 'x" })).toEqual([]);
    expectError((await graph.query(SEARCH, { variables: { query: '!!! ???' } })).body, 'BAD_USER_INPUT', 'query');
  });

  it('applies each filter', async () => {
    expect(await titles({ filter: { regionCodes: [ALMATY] } })).toEqual(['Past clean-up', 'Субботник в парке']);
    expect(await titles({ filter: { directions: ['BILIM'] } })).toEqual(['Кітап оқу клубы', 'Online English lessons']);
    expect(await titles({ filter: { skills: ['reading', 'teaching'] } })).toEqual(['Кітап оқу клубы', 'Online English lessons']);
    expect(await titles({ filter: { languages: ['RU'] } })).toEqual(['Субботник в парке', 'Online English lessons']);
    expect(await titles({ filter: { from: isoDay(11), to: isoDay(25) } })).toEqual(['Кітап оқу клубы', 'Субботник в парке']);
    expect(await titles({ filter: { from: isoDay(35) } })).toEqual(['Online English lessons']);
    expect(await titles({ filter: { age: 15 } })).toEqual(['Past clean-up', 'Кітап оқу клубы']);
    expect(await titles({ filter: { acceptingApplications: true } })).toEqual([
      'Кітап оқу клубы',
      'Субботник в парке',
      'Online English lessons',
    ]);
    expect(await titles({ filter: { acceptingApplications: false } })).toEqual(['Past clean-up']);
    expect(await titles({ filter: { online: true } })).toEqual(['Online English lessons']);
    expect(await titles({ filter: { online: false } })).toEqual(['Past clean-up', 'Кітап оқу клубы', 'Субботник в парке']);
    expect(await titles({ filter: { near: { ...ASTANA_POINT, radiusKm: 5 } } })).toEqual(['Кітап оқу клубы']);
    expect(await titles({ filter: { near: { latitude: 43.3, longitude: 76.9, radiusKm: 10 } } })).toEqual(['Субботник в парке']);
    expect(await titles({ query: 'парк', filter: { regionCodes: [ASTANA] } })).toEqual([]);
    for (const [filter, argument] of [
      [{ regionCodes: ['123'] }, 'filter.regionCodes[0]'],
      [{ from: isoDay(5), to: isoDay(1) }, 'filter.to'],
      [{ languages: ['russian'] }, 'filter.languages[0]'],
      [{ age: -1 }, 'filter.age'],
      [{ near: { latitude: 91, longitude: 0 } }, 'filter.near.latitude'],
      [{ near: { ...ASTANA_POINT, radiusKm: 0 } }, 'filter.near.radiusKm'],
    ] as const) {
      expectError((await graph.query(SEARCH, { variables: { filter } })).body, 'BAD_USER_INPUT', argument);
    }
  });

  it('counts all matches and facets them by direction and region, whatever the page', async () => {
    const COUNTS = `query ($filter: OpportunitySearchFilter) {
      searchOpportunities(filter: $filter, first: 1) {
        nodes { title } totalCount
        facets { directions { direction count } regions { region { code } count } }
      } }`;
    const { body } = await graph.query(COUNTS, {});
    expectNoErrors(body);
    expect(body.data!.searchOpportunities).toEqual({
      nodes: [{ title: 'Past clean-up' }],
      totalCount: 4,
      facets: {
        directions: [
          { direction: 'BILIM', count: 2 },
          { direction: 'TAZA_ALEM', count: 2 },
        ],
        regions: [
          { region: { code: ASTANA }, count: 2 },
          { region: { code: ALMATY }, count: 2 },
        ],
      },
    });
    const accepting = await graph.query(COUNTS, { variables: { filter: { acceptingApplications: true, regionCodes: [ALMATY, ASTANA] } } });
    expect(accepting.body.data!.searchOpportunities.totalCount).toBe(3);
    expect(accepting.body.data!.searchOpportunities.facets.regions).toEqual([
      { region: { code: ASTANA }, count: 2 },
      { region: { code: ALMATY }, count: 1 },
    ]);
    const none = await graph.query(COUNTS, { variables: { filter: { directions: ['SAULYQ'] } } });
    expect(none.body.data!.searchOpportunities).toEqual({ nodes: [], totalCount: 0, facets: { directions: [], regions: [] } });
  });

  it('pages with strict cursors in each order; a tampered or foreign cursor is BAD_USER_INPUT', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await graph.query(SEARCH, { variables: { first: 1, after } });
      expectNoErrors(body);
      const { edges, pageInfo } = body.data!.searchOpportunities;
      seen.push(...edges.map((e: { node: { title: string } }) => e.node.title));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(['Past clean-up', 'Кітап оқу клубы', 'Субботник в парке', 'Online English lessons']);

    // By distance: nearest first, with the distance on the edge.
    const near = { near: { ...ALMATY_POINT, radiusKm: 2000 } };
    const first = await graph.query(SEARCH, { variables: { filter: near, orderBy: 'DISTANCE', first: 1 } });
    expectNoErrors(first.body);
    const edge = first.body.data!.searchOpportunities.edges[0];
    expect(edge).toMatchObject({ node: { title: 'Субботник в парке' }, distanceKm: 0 });
    const second = await graph.query(SEARCH, { variables: { filter: near, orderBy: 'DISTANCE', first: 5, after: edge.cursor } });
    expectNoErrors(second.body);
    const rest = second.body.data!.searchOpportunities.edges;
    expect(rest.map((e: { node: { title: string } }) => e.node.title)).toEqual(['Кітап оқу клубы']);
    expect(rest[0].distanceKm).toBeGreaterThan(950);
    expect(rest[0].distanceKm).toBeLessThan(1000);

    // By relevance: paged with its own cursors, every match once.
    expect(await titles({ query: 'парк', orderBy: 'RELEVANCE' })).toEqual(['Субботник в парке']);
    const relevance = await graph.query(SEARCH, { variables: { query: 'clean', orderBy: 'RELEVANCE', first: 1 }, token: as.admin });
    expectNoErrors(relevance.body);
    const next = await graph.query(SEARCH, {
      variables: { query: 'clean', orderBy: 'RELEVANCE', first: 1, after: relevance.body.data!.searchOpportunities.pageInfo.endCursor },
      token: as.admin,
    });
    expectNoErrors(next.body);
    expect(
      [...relevance.body.data!.searchOpportunities.edges, ...next.body.data!.searchOpportunities.edges]
        .map((e: { node: { title: string } }) => e.node.title)
        .sort(),
    ).toEqual(['Draft clean-up', 'Past clean-up']);

    const cursor = first.body.data!.searchOpportunities.pageInfo.endCursor as string;
    const [list, metres] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, number, string];
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    for (const variables of [
      { after: 'garbage' },
      { after: `${cursor}A` },
      { filter: near, orderBy: 'DISTANCE', after: encode([list, metres, 'not-a-uuid']) },
      { filter: near, orderBy: 'DISTANCE', after: encode([list, 'far', '00000000-0000-4000-8000-000000000001']) },
      { filter: near, orderBy: 'DISTANCE', after: encode(['opportunities', metres, '00000000-0000-4000-8000-000000000001']) },
      { after: encode(['searchOpportunities', 'not-a-day', '00000000-0000-4000-8000-000000000001']) },
      // A distance cursor given to the start-date order, and a start-date cursor to the distance order.
      { after: cursor },
      { filter: near, orderBy: 'DISTANCE', after: encode(['searchOpportunities', isoDay(0), '00000000-0000-4000-8000-000000000001']) },
    ]) {
      expectError((await graph.query(SEARCH, { variables })).body, 'BAD_USER_INPUT', 'after');
    }
    expectError((await graph.query(SEARCH, { variables: { orderBy: 'RELEVANCE' } })).body, 'BAD_USER_INPUT', 'orderBy');
    expectError((await graph.query(SEARCH, { variables: { orderBy: 'DISTANCE' } })).body, 'BAD_USER_INPUT', 'orderBy');
    expectError((await graph.query(SEARCH, { variables: { first: 101 } })).body, 'BAD_USER_INPUT', 'first');
  });

  it('costs the same statements for a page of one and a page of four, with organizations, regions, counts and facets', async () => {
    const RICH = `query ($first: Int) {
      searchOpportunities(first: $first) {
        nodes { title acceptingApplications languages online location { latitude } organization { name } region { nameEn } }
        totalCount facets { directions { count } regions { count } }
      } }`;
    const WITH_FACET_REGIONS = RICH.replace('regions { count }', 'regions { region { nameEn } count }');
    const run = async (document: string, first: number) => {
      graph.resetStatements();
      const { body } = await graph.query(document, { variables: { first } });
      expectNoErrors(body);
      expect(body.data!.searchOpportunities.nodes).toHaveLength(first);
      return graph.statements('organizations');
    };
    await run(RICH, 2); // warm-up: per-process caches filled before counting
    const one = await run(RICH, 1);
    const four = await run(RICH, 4);
    expect(four).toBe(one);
    // The page, totalCount with facets, organizations, regions: one statement each.
    expect(one).toBeLessThanOrEqual(4);
    // Naming the facets' regions costs at most one more (none when the page's regions already hold them).
    for (const first of [1, 4]) expect(await run(WITH_FACET_REGIONS, first)).toBeLessThanOrEqual(one + 1);
  });

  it('is in the partner contract, without personal data', async () => {
    const { body } = await graph.query(
      `{ searchOpportunities(query: "english", filter: { acceptingApplications: true }) { totalCount nodes { title languages online organization { name } } } }`,
      { token: as.partner },
    );
    expectNoErrors(body);
    expect(body.data!.searchOpportunities).toEqual({
      totalCount: 1,
      nodes: [{ title: 'Online English lessons', languages: ['en', 'ru'], online: true, organization: expect.objectContaining({}) }],
    });
  });
});

describe("the public portal's trusted documents", () => {
  it('FindOpportunity answers an anonymous caller with words, filters, facets and distances', async () => {
    const document = readFileSync('schema/operations/portal-find-opportunity.graphql', 'utf8');
    const { body } = await graph.query(document, {
      variables: {
        query: 'субботник',
        filter: { acceptingApplications: true, near: { ...ALMATY_POINT, radiusKm: 20 } },
        orderBy: 'DISTANCE',
      },
    });
    expectNoErrors(body);
    expect(body.data!.searchOpportunities).toMatchObject({
      totalCount: 1,
      facets: { directions: [{ direction: 'TAZA_ALEM', count: 1 }], regions: [{ region: { code: ALMATY }, count: 1 }] },
      edges: [
        {
          distanceKm: 0,
          node: { title: 'Субботник в парке', languages: ['ru'], online: false, acceptingApplications: true, location: ALMATY_POINT },
        },
      ],
    });
  });
});

describe('front-office directory', () => {
  const OPEN = `mutation ($input: OpenFrontOfficeInput!) { openFrontOffice(input: $input) { id } }`;
  const DIRECTORY = `mutation ($id: ID!, $input: FrontOfficeDirectoryInput!) {
    updateFrontOfficeDirectory(id: $id, input: $input) { address phone email openingHours location { latitude longitude } } }`;
  const NEAR = `query ($near: GeoPointInput, $first: Int) { frontOffices(near: $near, first: $first) { name address phone email openingHours distanceKm } }`;
  const offices: Record<string, string> = {};

  beforeAll(async () => {
    for (const [key, input] of Object.entries({
      national: { name: 'National Volunteer Front-Office' },
      astana: { name: 'Astana Front-Office', regionCode: ASTANA },
      almaty: { name: 'Almaty Front-Office', regionCode: ALMATY },
    })) {
      const { body } = await graph.query(OPEN, { token: as.admin, variables: { input } });
      expectNoErrors(body);
      offices[key] = body.data!.openFrontOffice.id;
    }
  });

  it('its staff (or an admin) replace the entry, audited; other staff FORBIDDEN, anonymous UNAUTHENTICATED, bad values BAD_USER_INPUT', async () => {
    const input = {
      address: '8 Mangilik El Ave, Astana',
      phone: '8 7172 55 44 33',
      email: 'Office@Astana.example.kz',
      openingHours: 'Mon–Fri 09:00–18:00',
      location: ASTANA_POINT,
    };
    expectError((await graph.query(DIRECTORY, { variables: { id: offices.astana, input } })).body, 'UNAUTHENTICATED');
    expectError(
      (await graph.query(DIRECTORY, { token: as.frontOffice(ALMATY), variables: { id: offices.astana, input } })).body,
      'FORBIDDEN',
    );
    expectError(
      (
        await graph.query(DIRECTORY, {
          token: as.frontOffice(ASTANA),
          variables: { id: offices.astana, input: { ...input, phone: '123' } },
        })
      ).body,
      'BAD_USER_INPUT',
      'input.phone',
    );
    expectError(
      (
        await graph.query(DIRECTORY, {
          token: as.frontOffice(ASTANA),
          variables: { id: offices.astana, input: { ...input, location: { latitude: 0, longitude: 181 } } },
        })
      ).body,
      'BAD_USER_INPUT',
      'input.location.longitude',
    );
    const { body } = await graph.query(DIRECTORY, { token: as.frontOffice(ASTANA), variables: { id: offices.astana, input } });
    expectNoErrors(body);
    expect(body.data!.updateFrontOfficeDirectory).toEqual({
      address: '8 Mangilik El Ave, Astana',
      phone: '+77172554433',
      email: 'office@astana.example.kz',
      openingHours: 'Mon–Fri 09:00–18:00',
      location: ASTANA_POINT,
    });
    const audit = await graph.query(
      `query ($id: ID!) { organizationsAuditLog(entityId: $id, first: 5) { nodes { action actorKind details } } }`,
      { token: as.admin, variables: { id: offices.astana } },
    );
    expect(audit.body.data!.organizationsAuditLog.nodes[0]).toMatchObject({
      action: 'frontOffice.updateDirectory',
      actorKind: 'front_office',
    });
    expect(JSON.parse(audit.body.data!.organizationsAuditLog.nodes[0].details)).toEqual({
      changed: ['address', 'phone', 'email', 'openingHours', 'latitude', 'longitude'],
    });
    const almaty = await graph.query(DIRECTORY, {
      token: as.admin,
      variables: { id: offices.almaty, input: { address: '1 Abai Ave, Almaty', location: ALMATY_POINT } },
    });
    expectNoErrors(almaty.body);
  });

  it('frontOffices(near:) lists the nearest first with distances, those without a location last; public and partner callers read it', async () => {
    for (const token of [undefined, as.partner]) {
      const { body } = await graph.query(NEAR, { variables: { near: { latitude: 43.25, longitude: 76.9 } }, ...(token ? { token } : {}) });
      expectNoErrors(body);
      const list = body.data!.frontOffices as { name: string; distanceKm: number | null; phone: string | null }[];
      expect(list.map((o) => o.name)).toEqual(['Almaty Front-Office', 'Astana Front-Office', 'National Volunteer Front-Office']);
      expect(list[0]!.distanceKm).toBeLessThan(2);
      expect(list[1]!.distanceKm).toBeGreaterThan(950);
      expect(list[1]!.phone).toBe('+77172554433');
      expect(list[2]!.distanceKm).toBeNull();
    }
    const nearest = await graph.query(NEAR, { variables: { near: ASTANA_POINT, first: 1 } });
    expect(nearest.body.data!.frontOffices.map((o: { name: string }) => o.name)).toEqual(['Astana Front-Office']);
    const plain = await graph.query(NEAR, {});
    expect(plain.body.data!.frontOffices.map((o: { name: string; distanceKm: number | null }) => [o.name, o.distanceKm])).toEqual([
      ['National Volunteer Front-Office', null],
      ['Astana Front-Office', null],
      ['Almaty Front-Office', null],
    ]);
    expectError(
      (await graph.query(NEAR, { variables: { near: { latitude: -91, longitude: 0 } } })).body,
      'BAD_USER_INPUT',
      'near.latitude',
    );
    const trusted = await graph.query(readFileSync('schema/operations/portal-front-offices-near.graphql', 'utf8'), {
      variables: { ...ALMATY_POINT, first: 1 },
    });
    expectNoErrors(trusted.body);
    expect(trusted.body.data!.frontOffices).toEqual([
      expect.objectContaining({ name: 'Almaty Front-Office', address: '1 Abai Ave, Almaty', distanceKm: 0 }),
    ]);
  });
});

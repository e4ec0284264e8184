import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDemoPlan } from '../../subgraphs/kit/demo-plan.ts';
import { seedSubgraphDemo } from '../../subgraphs/servers.ts';
import { startGraph, type Graph } from '../harness.ts';
import { expectNoErrors, isoDay } from './helpers.ts';

/**
 * What a newcomer finds after `npm start`, through the gateway: the national
 * front-office and all 20 regional ones with their directory entries, and an
 * open opportunity per organization in the coming weeks that accepts applications.
 */
let graph: Graph;
beforeAll(async () => {
  graph = await startGraph();
  expect(await seedSubgraphDemo('organizations', graph.db('organizations'))).toBe(true);
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

it('has the national front-office and all 20 regional ones, each with address, phone, e-mail, hours and location', async () => {
  const { body } = await graph.query(
    `{ frontOffices { isNational region { code } address phone email openingHours location { latitude longitude } } }`,
  );
  expectNoErrors(body);
  const offices = body.data!.frontOffices as {
    isNational: boolean;
    region: { code: string } | null;
    address: string;
    phone: string;
    location: unknown;
  }[];
  expect(offices).toHaveLength(21);
  expect(offices.filter((o) => o.isNational)).toHaveLength(1);
  expect(new Set(offices.map((o) => o.region?.code ?? 'national')).size).toBe(21);
  for (const office of offices) {
    expect(office).toMatchObject({
      address: expect.any(String),
      phone: expect.stringMatching(/^\+7\d{10}$/),
      email: expect.stringContaining('@'),
      openingHours: expect.any(String),
    });
    expect(office.location).toEqual({ latitude: expect.any(Number), longitude: expect.any(Number) });
  }
  const near = await graph.query(
    `{ frontOffices(near: { latitude: 42.32, longitude: 69.59 }, first: 1) { region { nameEn } distanceKm } }`,
  );
  expect(near.body.data!.frontOffices).toEqual([{ region: { nameEn: 'Shymkent' }, distanceKm: expect.any(Number) }]);
});

it('has an opportunity of every organization in the coming weeks that accepts applications, found by a word', async () => {
  const plan = buildDemoPlan();
  const { body } = await graph.query(`{
    searchOpportunities(filter: { acceptingApplications: true }, first: 50) {
      totalCount nodes { startsOn acceptingApplications organization { id } }
    } }`);
  expectNoErrors(body);
  const { totalCount, nodes } = body.data!.searchOpportunities;
  expect(totalCount).toBe(plan.organizations.length);
  expect(new Set(nodes.map((n: { organization: { id: string } }) => n.organization.id))).toEqual(
    new Set(plan.organizations.map((o) => o.id)),
  );
  for (const n of nodes) {
    expect(n.acceptingApplications).toBe(true);
    expect(n.startsOn > isoDay(0) && n.startsOn <= isoDay(35)).toBe(true);
  }
  const found = await graph.query(`{ searchOpportunities(query: "кітап") { nodes { title acceptingApplications } } }`);
  expect(found.body.data!.searchOpportunities.nodes).toEqual([{ title: 'Кітап оқу клубы', acceptingApplications: true }]);
});

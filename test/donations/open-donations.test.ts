import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apolloSource, openDataRoutes } from '../../gateway/open-data/index.ts';
import { startGraph, type Graph } from '../harness.ts';
import { ALMATY, corporate, individual, recordDonation, registerDonor, registerOrganization, SHYMKENT } from './helpers.ts';

let graph: Graph;
let origin: string;
let donorName: string;

beforeAll(async () => {
  graph = await startGraph({
    gateway: { routes: ({ apollo, log }) => openDataRoutes({ source: apolloSource(apollo, log), cacheSeconds: 0 }) },
  });
  origin = new URL(graph.gatewayUrl).origin;
  const almaty = await registerOrganization(graph, 'Almaty Open Fund', ALMATY);
  const shymkent = await registerOrganization(graph, 'Shymkent Open Fund', SHYMKENT);
  const person = individual();
  donorName = person.name as string;
  const people = await registerDonor(graph, almaty, person);
  const company = await registerDonor(graph, shymkent, corporate());
  // Almaty, March 2026, KZT, individuals: 5 donations — published. Shymkent, March, KZT, corporate: 4 — suppressed.
  for (let i = 0; i < 5; i++)
    await recordDonation(graph, { donorId: people, recipientId: almaty, amount: `${1000 + i}.00`, date: '2026-03-10' });
  for (let i = 0; i < 4; i++)
    await recordDonation(graph, { donorId: company, recipientId: shymkent, amount: '50000.00', date: '2026-03-11' });
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

describe('the donations open dataset', () => {
  it('is listed and served through the gateway: aggregates by region, month, currency and donor type, no cell under 5 donations, no donor', async () => {
    const index = (await (await fetch(`${origin}/open-data`)).json()) as { datasets: { name: string }[] };
    expect(index.datasets.map((d) => d.name)).toContain('donations');

    const response = await fetch(`${origin}/open-data/donations-aggregates.csv?year=2026`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await response.text();
    expect(text.split('\r\n')).toEqual([
      'year,month,region_code,currency,donor_type,donations,amount,amount_kzt',
      `2026,3,${ALMATY},KZT,INDIVIDUAL,5,5010.00,5010.00`,
      '',
    ]);
    expect(text).not.toContain(SHYMKENT);
    expect(text).not.toContain(donorName);

    const { body } = await graph.query(
      `{ donationAggregates(year: 2026) { minimumCount suppressedCells suppressedDonations cells { regionCode donations } } }`,
    );
    expect(body.data!.donationAggregates).toEqual({
      minimumCount: 5,
      suppressedCells: 1,
      suppressedDonations: 4,
      cells: [{ regionCode: ALMATY, donations: 5 }],
    });
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missionInput, PLAN_MISSION, registerPartner } from '../cooperation/arrange.ts';
import { individual, isoDay, key, RECORD_DONATION, registerDonor, registerOrganization, tokens } from '../donations/helpers.ts';
import { startGraph, type Graph } from '../harness.ts';

/**
 * Every subgraph reads another subgraph's facts at write time the same way
 * (kit `readEntitiesForWrite`): when the owner does not answer, the write is
 * refused with SERVICE_UNAVAILABLE naming the owner, and nothing is written.
 */
let graph: Graph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  await graph?.close();
});

const rows = async (subgraph: 'donations' | 'cooperation', table: string): Promise<number> =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(graph.db(subgraph))).rows[0]!.n);

describe('a write that needs another subgraph while that subgraph is down', () => {
  it('is refused as SERVICE_UNAVAILABLE naming the owner, writes nothing, and goes through once the owner is back', async () => {
    const organization = await registerOrganization(graph, 'Write-time reads');
    const donor = await registerDonor(graph, organization, individual());
    const partner = await registerPartner(graph);
    const donation = {
      input: { donorId: donor, recipientId: organization, date: isoDay(), amount: { amount: '1500.00', currency: 'KZT' } },
      key: key(),
    };
    const mission = { input: missionInput(organization, partner) };
    const before = { donations: await rows('donations', 'donations'), missions: await rows('cooperation', 'exchange_missions') };

    await graph.stopSubgraph('organizations');
    try {
      for (const [document, variables, token] of [
        [RECORD_DONATION, donation, tokens(graph).coordinatorOf(organization)],
        [PLAN_MISSION, mission, tokens(graph).admin],
      ] as const) {
        const { body } = await graph.query(document, { variables, token });
        expect(body.errors?.[0]?.extensions, JSON.stringify(body.errors)).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          service: 'organizations',
        });
        expect(body.errors?.[0]?.message).toMatch(/nothing was written/);
      }
    } finally {
      await graph.restartSubgraph('organizations');
    }
    expect(await rows('donations', 'donations')).toBe(before.donations);
    expect(await rows('cooperation', 'exchange_missions')).toBe(before.missions);

    const retried = await graph.query(RECORD_DONATION, { variables: donation, token: tokens(graph).coordinatorOf(organization) });
    expect(retried.body.errors).toBeUndefined();
    expect(await rows('donations', 'donations')).toBe(before.donations + 1);
    const planned = await graph.query(PLAN_MISSION, { variables: mission, token: tokens(graph).admin });
    expect(planned.body.errors).toBeUndefined();
  });
});

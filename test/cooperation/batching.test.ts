import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../harness.ts';
import {
  addParticipant,
  eligibleVolunteer,
  missionInput,
  ok,
  planMission,
  registerOrganization,
  registerPartner,
  signAgreement,
  tokens,
} from './arrange.ts';

/**
 * Reading a list of N missions with their partner, agreement, parties and
 * participants costs the cooperation subgraph the same number of SQL
 * statements for 5 missions as for 50 (per-request DataLoaders), whoever asks.
 */
let graph: Graph;
let t: ReturnType<typeof tokens>;
let small: string; // organizes 5 missions
let large: string; // organizes 50
let partners: string[];
let volunteers: string[];

const MISSIONS = `query ($org: ID!, $first: Int!) {
  exchangeMissions(first: $first, filter: { organizationId: $org }) {
    nodes {
      id title status hostCountryName sdgGoals participantCount
      hostPartner { id name countryName }
      agreement { id title parties { role partner { name } organization { id } } }
      organizingOrganization { id }
      participants { id role outcome volunteer { id } mission { id } }
      fundingGrants { id }
      results { summary }
    }
  }
}`;

beforeAll(async () => {
  graph = await startGraph();
  t = tokens(graph);
  small = await registerOrganization(graph, 'Five Missions');
  large = await registerOrganization(graph, 'Fifty Missions');
  partners = [];
  for (let i = 0; i < 5; i++) partners.push(await registerPartner(graph, { name: `Host ${i}`, country: 'KE' }));
  volunteers = [await eligibleVolunteer(graph, large), await eligibleVolunteer(graph, large)];
  const agreement = await signAgreement(graph, {
    title: 'Framework memorandum',
    type: 'MEMORANDUM',
    parties: [
      ...partners.map((partnerId) => ({ partnerId, role: 'IMPLEMENTING' })),
      { organizationId: small, role: 'ACCOUNTABLE' },
      { organizationId: large, role: 'ACCOUNTABLE' },
    ],
    validFrom: '2025-01-01',
  });
  for (const [organization, count] of [
    [small, 5],
    [large, 50],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const mission = await planMission(graph, missionInput(organization, partners[i % partners.length]!, { agreementId: agreement }));
      for (const volunteer of volunteers) await addParticipant(graph, mission, volunteer);
    }
  }
}, 600_000);

afterAll(async () => {
  await graph?.close();
});

async function statementsFor(organization: string, first: number, token: string): Promise<number> {
  graph.resetStatements();
  const data = await ok(graph, MISSIONS, { org: organization, first }, token);
  expect(data.exchangeMissions.nodes).toHaveLength(first);
  for (const mission of data.exchangeMissions.nodes) {
    expect(mission.participants).toHaveLength(2);
    expect(mission.agreement.parties).toHaveLength(7);
  }
  return graph.statements('cooperation');
}

describe('batching', () => {
  it('costs the same statements for 5 and for 50 missions, for an admin', async () => {
    const five = await statementsFor(small, 5, t.admin);
    const fifty = await statementsFor(large, 50, t.admin);
    expect(fifty).toBe(five);
    expect(five).toBeLessThanOrEqual(8);
  });

  it('and for a partner, whose every mission and agreement is checked through the same loaders', async () => {
    // A partner to the agreement reads every mission run under it.
    const token = t.partner(partners[0]!);
    const five = await statementsFor(small, 5, token);
    const fifty = await statementsFor(large, 50, token);
    expect(fifty).toBe(five);
  });

  it('and for a volunteer reading their missions', async () => {
    const QUERY = `query ($id: ID!) { volunteer(id: $id) { missions { role mission { id hostPartner { name } participants { volunteer { id } } } } } }`;
    graph.resetStatements();
    const data = await ok(graph, QUERY, { id: volunteers[0] }, t.volunteer(volunteers[0]!));
    expect(data.volunteer.missions).toHaveLength(55);
    expect(graph.statements('cooperation')).toBeLessThanOrEqual(5);
  });
});

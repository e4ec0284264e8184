import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSubgraphDemo } from '../../subgraphs/servers.ts';
import { insertTarget } from '../../scripts/lib/seed/bulk.ts';
import { buildSeedPlan, type SeedPlan } from '../../scripts/lib/seed/plan.ts';
import { createProgress } from '../../scripts/lib/seed/progress.ts';
import { loadGenerated, SEEDERS } from '../../scripts/lib/seed/run.ts';
import { tinyScale } from '../../scripts/lib/seed/scales.ts';
import { hourRecordsOf } from '../../scripts/lib/seed/volunteers.ts';
import { SUBGRAPHS, type SubgraphName } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';

/**
 * Batching, proven: every list whose items are completed by another subgraph
 * (`_entities` with one representation per item, or a field resolved per item)
 * costs the same number of SQL statements in every subgraph for 5 items as
 * for 100. The data set is the seed's own (demo + generated rows, loaded with
 * its bulk path into the test databases), big enough for lists of 100.
 */
let graph: Graph;
let plan: SeedPlan;
let admin: string;
let busiestOrganization: string;
let mostOpportunities: string;

beforeAll(async () => {
  graph = await startGraph({ gateway: { limits: { costBudgets: { admin: 10_000_000 } } } });
  plan = buildSeedPlan(tinyScale());
  const quiet = createProgress(process.stderr, true);
  for (const name of ['organizations', 'volunteers', 'donations', 'cooperation'] as SubgraphName[]) {
    await seedSubgraphDemo(name, graph.db(name));
    await loadGenerated(SEEDERS[name], insertTarget(graph.db(name)), plan, quiet);
  }
  admin = graph.token({ role: 'admin' });
  // The organization with the most hour records, and the one with the most opportunities, from the plan.
  const records = new Map<string, number>();
  for (const v of plan.volunteers())
    for (const h of hourRecordsOf(v, plan)) records.set(h.organizationId, (records.get(h.organizationId) ?? 0) + 1);
  busiestOrganization = [...records].sort((a, b) => b[1] - a[1])[0]![0];
  const byOpportunities = plan.opportunitiesByOrganization
    .map((list, i) => ({ id: plan.organizations[i]!.id, n: list.length }))
    .sort((a, b) => b.n - a.n);
  mostOpportunities = byOpportunities[0]!.id;
}, 600_000);

afterAll(async () => {
  await graph?.close();
});

interface ListCase {
  name: string;
  /** The subgraphs that complete the items (each must be called for the 100). */
  completedBy: SubgraphName[];
  /** A connection query taking $n and $after, its list as `edges { cursor node { … } }`. */
  query: string;
  variables?: () => Record<string, unknown>;
  /** The connection in the response. */
  connection: (data: any) => { edges: { cursor: string; node: any }[] };
  /** Something on an item that only the other subgraph could have answered. */
  crossField: (item: any) => unknown;
}

const page = (field: string, args: string, node: string) =>
  `${field}(first: $n, after: $after${args}) { edges { cursor node { ${node} } } }`;

const CASES: ListCase[] = [
  {
    name: 'organizations → volunteers, donations, cooperation (counts, hours, money, campaigns, grants, agreements, missions)',
    completedBy: ['volunteers', 'donations', 'cooperation'],
    query: `query ($n: Int!, $after: String) { ${page(
      'organizations',
      ', filter: { status: REGISTERED }',
      `id volunteerCount approvedHours { minutes records } donationsReceived { amount currency }
      campaigns(first: 2) { nodes { id } } grants(first: 2) { nodes { id } } agreements { id } missions { id }`,
    )} }`,
    connection: (d) => d.organizations,
    crossField: (o) => o.donationsReceived.currency,
  },
  {
    name: "organizations' regions → volunteers (active volunteers by age band, approved hours)",
    completedBy: ['volunteers'],
    query: `query ($n: Int!, $after: String) { ${page(
      'organizations',
      ', filter: { status: REGISTERED }',
      `id region { code nameEn activeVolunteers(year: 2026) { ageBand volunteers }
      lastYear: activeVolunteers(year: 2025) { ageBand volunteers } approvedHours(year: 2026) { records } }`,
    )} }`,
    connection: (d) => d.organizations,
    crossField: (o) => o.region.activeVolunteers.find((b: { volunteers: number }) => b.volunteers > 0)?.volunteers,
  },
  {
    name: 'opportunities → volunteers (applicant and accepted counts)',
    completedBy: ['volunteers'],
    query: `query ($n: Int!, $after: String) { ${page('opportunities', '', 'id applicantCount acceptedCount organization { name } region { nameEn }')} }`,
    connection: (d) => d.opportunities,
    crossField: (o) => o.applicantCount,
  },
  {
    name: "an organization's opportunities → volunteers",
    completedBy: ['volunteers'],
    query: `query ($id: ID!, $n: Int!, $after: String) { organization(id: $id) { ${page('opportunities', '', 'id applicantCount acceptedCount')} } }`,
    variables: () => ({ id: mostOpportunities }),
    connection: (d) => d.organization.opportunities,
    crossField: (o) => o.acceptedCount,
  },
  {
    name: 'volunteers → cooperation (missions, eligibility by @requires, UNV assignments) and organizations (memberships, applications, book)',
    completedBy: ['cooperation', 'organizations'],
    query: `query ($n: Int!, $after: String) { ${page(
      'volunteers',
      '',
      `id missionEligible missions { id mission { title organizingOrganization { name } } } unVolunteerAssignments { id }
      memberships { organization { name } } applications(first: 2) { nodes { opportunity { title organization { name } } } }
      book { byOrganization { organization { name } minutes } }`,
    )} }`,
    connection: (d) => d.volunteers,
    crossField: (v) => v.missionEligible,
  },
  {
    name: "an organization's hour records → organizations (organization, opportunity, region)",
    completedBy: ['organizations'],
    query: `query ($id: ID!, $n: Int!, $after: String) { ${page('hourRecords', '', 'id volunteer { ageBand } organization { name } opportunity { title } region { nameEn }').replace('after: $after', 'after: $after, filter: { organizationId: $id }')} }`,
    variables: () => ({ id: busiestOrganization }),
    connection: (d) => d.hourRecords,
    crossField: (h) => h.organization.name,
  },
  {
    name: 'exchange missions → organizations, donations (funding grants), volunteers (participants)',
    completedBy: ['organizations', 'donations', 'volunteers'],
    query: `query ($n: Int!, $after: String) { ${page(
      'exchangeMissions',
      '',
      `id organizingOrganization { name region { nameEn } } hostPartner { name }
      fundingGrants { title recipient { name } } participants { volunteer { ageBand region { nameEn } } }`,
    )} }`,
    connection: (d) => d.exchangeMissions,
    crossField: (m) => m.organizingOrganization.name,
  },
  {
    name: 'grants → organizations (recipient), cooperation (missions funded)',
    completedBy: ['organizations', 'cooperation'],
    query: `query ($n: Int!, $after: String) { ${page('grants', '', 'id title recipient { name } missionsFunded { id } programme { title }')} }`,
    connection: (d) => d.grants,
    crossField: (g) => g.recipient.name,
  },
  {
    name: 'grant programmes → their grants and recipients',
    completedBy: ['organizations'],
    query: `query ($n: Int!, $after: String) { ${page('grantProgrammes', '', 'id title funder { kind name } grantCount grants(first: 2) { nodes { recipient { name } } }')} }`,
    connection: (d) => d.grantProgrammes,
    crossField: (p) => p.funder.name,
  },
  {
    // A donor's organization and partner are the donors case's (the same resolvers, batched the same way).
    name: 'donations → organizations (recipient and its region)',
    completedBy: ['organizations'],
    query: `query ($n: Int!, $after: String) { ${page('donations', ', filter: {}', 'id recipient { name region { nameEn } } campaign { title } donor { type }')} }`,
    connection: (d) => d.donations,
    crossField: (d) => d.recipient.name,
  },
  {
    name: 'donors → organizations (the organization a donor is), cooperation (the partner it is)',
    completedBy: ['organizations', 'cooperation'],
    query: `query ($n: Int!, $after: String) { ${page('donors', '', 'id type organization { name } partner { name }')} }`,
    connection: (d) => d.donors,
    crossField: (d) => d.type,
  },
  {
    name: 'campaigns → organizations',
    completedBy: ['organizations'],
    query: `query ($n: Int!, $after: String) { ${page('campaigns', '', 'id title organization { name region { nameEn } }')} }`,
    connection: (d) => d.campaigns,
    crossField: (c) => c.organization.name,
  },
  {
    name: 'UN Volunteer assignments → volunteers',
    completedBy: ['volunteers'],
    query: `query ($n: Int!, $after: String) { ${page('unVolunteerAssignments', '', 'id volunteer { ageBand region { nameEn } } hostPartner { name }')} }`,
    connection: (d) => d.unVolunteerAssignments,
    crossField: (a) => a.volunteer.ageBand,
  },
  {
    name: 'agreements → organizations (domestic parties)',
    completedBy: ['organizations'],
    query: `query ($n: Int!, $after: String) { ${page('agreements', '', 'id parties { role organization { name } partner { name } } missions { id }')} }`,
    connection: (d) => d.agreements,
    crossField: (a) => a.parties.find((p: any) => p.organization)?.organization.name,
  },
];

/** The paths an item fills (non-null objects, non-empty lists): what the subgraphs had to resolve for it. */
function shapeOf(value: unknown, path = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    if (value.length > 0) into.add(path);
    for (const v of value) shapeOf(v, path, into);
  } else if (value && typeof value === 'object') {
    into.add(path);
    for (const [k, v] of Object.entries(value)) shapeOf(v, `${path}.${k}`, into);
  }
  return into;
}

async function run(c: ListCase, n: number, after: string | null) {
  graph.resetStatements();
  graph.resetSubgraphCalls();
  const { body } = await graph.query(c.query, { variables: { n, after, ...c.variables?.() }, token: admin });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  const counts = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, graph.statements(s.name)]));
  const calls = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, graph.subgraphCalls(s.name)]));
  return { counts, calls, edges: c.connection(body.data).edges };
}

describe('lists that cross subgraphs cost a constant number of statements', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      await run(c, 5, null); // warm-up: per-process caches filled before counting
      const hundred = await run(c, 100, null);
      expect(hundred.edges).toHaveLength(100);
      for (const name of c.completedBy) expect(hundred.calls[name], `${name} completes the items`).toBeGreaterThan(0);
      expect(c.crossField(hundred.edges[99]!.node) ?? null).not.toBeNull();
      // The 5: the first page of 5 whose items fill every path the 100 fill (so that no nested level is empty for them).
      const all = shapeOf(hundred.edges.map((e) => e.node));
      let start = -1;
      for (let s = 0; s + 5 <= 100 && start < 0; s++) {
        const window = shapeOf(hundred.edges.slice(s, s + 5).map((e) => e.node));
        if (window.size === all.size) start = s;
      }
      expect(start, 'some 5 consecutive items fill every path the 100 fill').toBeGreaterThanOrEqual(0);
      const five = await run(c, 5, start === 0 ? null : hundred.edges[start - 1]!.cursor);
      expect(five.edges.map((e) => e.cursor)).toEqual(hundred.edges.slice(start, start + 5).map((e) => e.cursor));
      expect(hundred.counts).toEqual(five.counts);
    });
  }
});

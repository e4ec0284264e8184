import { afterAll, beforeAll, expect, it } from 'vitest';
import { calendarDay } from '../../subgraphs/kit/index.ts';
import { startGraph, type Graph } from '../harness.ts';
import { addMember, ASTANA, errorAt, ok, postOpportunity, registerOrganization, registerVolunteer } from './helpers.ts';

/**
 * Issue 20: whoever may decide an hour record sees the name of the volunteer
 * who logged it — and nothing more. A coordinator's pending queue holds hours
 * of an accepted applicant whose opportunity has since ended, of a volunteer
 * who withdrew after the work, and of members who have left: every name
 * shows, the IIN only where the personal-data rule grants it, and the queue
 * of 50 costs the volunteers subgraph as many statements as a queue of 5.
 */
let graph: Graph;
let org: string;
let otherOrg: string;
let endedApplicant: string;
let withdrawn: string;
const leavers: string[] = [];
const names = new Map<string, string>();

const admin = () => graph.token({ role: 'admin', sub: 'admin-queue' });
const coordinator = () => graph.token({ role: 'coordinator', org: [org], sub: 'coord-queue' });
const otherCoordinator = () => graph.token({ role: 'coordinator', org: [otherOrg], sub: 'coord-other' });
const volunteer = (id: string) => graph.token({ role: 'volunteer', volunteer_id: id, sub: `vol-${id}` });

const LOG = `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status } }`;
const QUEUE = `query ($org: ID!, $first: Int!) {
  hourRecords(first: $first, filter: { organizationId: $org, status: PENDING }) {
    nodes { id volunteer { id firstName lastName iin } }
  }
}`;
const PERSON = `query ($id: ID!) { volunteer(id: $id) { id firstName lastName iin phone birthDate } }`;

function work(daysAgo: number, change: Record<string, unknown> = {}) {
  return {
    organizationId: org,
    date: calendarDay(-daysAgo),
    minutes: 90,
    regionCode: ASTANA,
    activityType: 'TEACHING_TUTORING',
    direction: 'BILIM',
    ...change,
  };
}

async function named(firstName: string, lastName: string): Promise<string> {
  const id = await registerVolunteer(graph, { firstName, lastName });
  names.set(id, `${firstName} ${lastName}`);
  return id;
}

async function acceptedOn(volunteerId: string, opportunityId: string): Promise<string> {
  const applied = await ok(
    graph,
    volunteer(volunteerId),
    `mutation ($input: ApplyToOpportunityInput!) { applyToOpportunity(input: $input) { id } }`,
    {
      input: { opportunityId },
    },
  );
  const id = applied.applyToOpportunity.id as string;
  await ok(graph, coordinator(), `mutation ($id: ID!) { decideApplication(id: $id, decision: ACCEPT) { status } }`, { id });
  return id;
}

beforeAll(async () => {
  graph = await startGraph();
  org = await registerOrganization(graph, ASTANA, 'Astana Reading Circle');
  otherOrg = await registerOrganization(graph, ASTANA, 'Astana Park Friends');
  const opportunity = await postOpportunity(graph, org, { title: 'Autumn reading marathon', startsOn: calendarDay(-30) });

  // Accepted to the opportunity, logged hours while it ran; then it ended (yesterday).
  endedApplicant = await named('Aruzhan', 'Seitkali');
  await acceptedOn(endedApplicant, opportunity);
  await ok(graph, volunteer(endedApplicant), LOG, { input: work(3, { opportunityId: opportunity }) });

  // Accepted, logged hours, then withdrew: no live application any more.
  withdrawn = await named('Timur', 'Bekov');
  const application = await acceptedOn(withdrawn, opportunity);
  await ok(graph, volunteer(withdrawn), LOG, { input: work(4, { opportunityId: opportunity }) });
  await ok(graph, volunteer(withdrawn), `mutation ($id: ID!) { withdrawApplication(id: $id) { status } }`, { id: application });

  await ok(graph, coordinator(), `mutation ($id: ID!, $endsOn: Date!) { updateOpportunity(id: $id, input: { endsOn: $endsOn }) { id } }`, {
    id: opportunity,
    endsOn: calendarDay(-1),
  });

  // Members who logged hours and then left the organization: 48 of them, so the queue holds 50.
  for (let batch = 0; batch < 6; batch++) {
    await Promise.all(
      Array.from({ length: 8 }, async (_, k) => {
        const n = batch * 8 + k;
        const id = await named('Dana', `Leaver${n}`);
        await addMember(graph, id, org);
        await ok(graph, volunteer(id), LOG, { input: work(5 + (n % 20)) });
        await ok(graph, volunteer(id), `mutation ($v: ID!, $o: ID!) { endMembership(volunteerId: $v, organizationId: $o) { leftAt } }`, {
          v: id,
          o: org,
        });
        leavers[n] = id;
      }),
    );
  }
}, 240_000);

afterAll(async () => {
  await graph?.close();
});

it("a coordinator's pending queue shows every volunteer's name, and the IIN only where the personal-data rule grants it", async () => {
  const { body } = await graph.query(QUEUE, { variables: { org, first: 50 }, token: coordinator() });
  const nodes = body.data!.hourRecords.nodes as {
    volunteer: { id: string; firstName: string | null; lastName: string | null; iin: string | null };
  }[];
  expect(nodes).toHaveLength(50);
  for (const node of nodes) expect(`${node.volunteer.firstName} ${node.volunteer.lastName}`).toBe(names.get(node.volunteer.id));
  expect(new Set(nodes.map((n) => n.volunteer.id))).toEqual(new Set([endedApplicant, withdrawn, ...leavers]));

  // The accepted applicant (application still ACCEPTED after the end) stays under the personal-data rule: the IIN shows.
  const endedIndex = nodes.findIndex((n) => n.volunteer.id === endedApplicant);
  expect(nodes[endedIndex]!.volunteer.iin).toMatch(/^\d{12}$/);
  expect(errorAt(body, ['hourRecords', 'nodes', endedIndex, 'volunteer', 'iin'])).toBeUndefined();
  // Everyone else is known to the coordinator only as the author of hours to decide: name yes, IIN no.
  nodes.forEach((node, index) => {
    if (node.volunteer.id === endedApplicant) return;
    expect(node.volunteer.iin).toBeNull();
    expect(errorAt(body, ['hourRecords', 'nodes', index, 'volunteer', 'iin'])?.extensions?.code).toBe('FORBIDDEN');
  });
  expect(body.errors).toHaveLength(49);
  for (const error of body.errors ?? []) expect(error.path?.at(-1)).toBe('iin');
});

it('a queue of 50 costs the volunteers subgraph the same number of statements as a queue of 5', async () => {
  const cost = async (first: number) => {
    graph.resetStatements();
    const { body } = await graph.query(QUEUE, { variables: { org, first }, token: coordinator() });
    expect(body.data!.hourRecords.nodes.length).toBe(first);
    return graph.statements('volunteers');
  };
  const five = await cost(5);
  const fifty = await cost(50);
  expect(fifty).toBe(five);
  expect(five).toBeLessThanOrEqual(6);
});

it('the name opens nothing else, to nobody else, and only while a record is open to a decision', async () => {
  const leaver = leavers[0]!;
  const mine = await graph.query(PERSON, { variables: { id: leaver }, token: coordinator() });
  expect(mine.body.data!.volunteer).toMatchObject({ firstName: 'Dana', lastName: 'Leaver0', iin: null, phone: null, birthDate: null });
  expect(mine.body.errors?.map((e) => e.path?.at(-1)).sort()).toEqual(['birthDate', 'iin', 'phone']);

  // A coordinator of another organization decides nothing of theirs.
  const other = await graph.query(PERSON, { variables: { id: leaver }, token: otherCoordinator() });
  expect(other.body.data!.volunteer).toMatchObject({ firstName: null, lastName: null });
  expect(errorAt(other.body, ['volunteer', 'firstName'])?.extensions?.code).toBe('FORBIDDEN');

  // Declined, the record is closed: the coordinator has nothing left to decide, and the name closes again.
  const { body } = await graph.query(`query ($v: ID!) { hourRecords(filter: { volunteerId: $v }) { nodes { id } } }`, {
    variables: { v: leaver },
    token: admin(),
  });
  const ids = body.data!.hourRecords.nodes.map((n: { id: string }) => n.id);
  await ok(
    graph,
    coordinator(),
    `mutation ($ids: [ID!]!) { decideHourRecords(ids: $ids, decision: DECLINE, reason: "Not our event") { status } }`,
    { ids },
  );
  const after = await graph.query(PERSON, { variables: { id: leaver }, token: coordinator() });
  expect(after.body.data!.volunteer.firstName).toBeNull();
  expect(errorAt(after.body, ['volunteer', 'firstName'])?.extensions?.code).toBe('FORBIDDEN');
});

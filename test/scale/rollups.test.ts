import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSubgraphDemo } from '../../subgraphs/servers.ts';
import { insertTarget } from '../../scripts/lib/seed/bulk.ts';
import {
  ACTIVITY_BY_DIRECTION,
  buildSeedPlan,
  isMissionCandidate,
  type PlanVolunteer,
  type SeedPlan,
} from '../../scripts/lib/seed/plan.ts';
import { createProgress } from '../../scripts/lib/seed/progress.ts';
import { loadGenerated, SEEDERS } from '../../scripts/lib/seed/run.ts';
import { tinyScale } from '../../scripts/lib/seed/scales.ts';
import { hourRecordsOf } from '../../scripts/lib/seed/volunteers.ts';
import { makeBin, makeIin } from '../../subgraphs/kit/index.ts';
import type { SubgraphName } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';

/**
 * The seed fills rollups by recomputing them from the raw rows (each
 * subgraph's "rebuild" SQL); the services keep them on write. Both must agree:
 * after the bulk load, a mixed series of writes goes through the gateway, and
 * then every rollup the services maintained must equal a recount from the rows.
 */
let graph: Graph;
let plan: SeedPlan;
let admin: string;

/** Rollups of each subgraph, as (table, key columns) — rows whose measures are all zero are left out (a rebuild never writes them). */
const ROLLUPS: Record<SubgraphName, { table: string; select: string; order: string }[]> = {
  volunteers: [
    { table: 'organization_volunteer_totals', select: 'organization_id, volunteer_count', order: '1' },
    { table: 'region_volunteer_totals', select: 'region_code, volunteer_count', order: '1' },
    {
      table: 'organization_daily_hours',
      select: 'organization_id, work_date::text, activity_type, minutes, ilo_minutes, records',
      order: '1, 2, 3',
    },
    {
      table: 'region_monthly_hours',
      select: 'region_code, year, month, activity_type, minutes, ilo_minutes, records',
      order: '1, 2, 3, 4',
    },
    { table: 'volunteer_daily_minutes', select: 'volunteer_id, work_date::text, minutes', order: '1, 2' },
    { table: 'opportunity_totals', select: 'opportunity_id, organization_id, applicant_count, accepted_count', order: '1' },
    { table: 'volunteers', select: 'id, approved_minutes', order: '1' },
    { table: 'volunteer_region_year', select: 'volunteer_id, year, region_code, approved_records', order: '1, 2, 3' },
    { table: 'region_age_band_year', select: 'year, region_code, age_band, volunteers', order: '1, 2, 3' },
  ],
  organizations: [],
  donations: [
    { table: 'donation_daily_totals', select: 'organization_id, day::text, amount_kzt, donation_count', order: '1, 2' },
    {
      table: 'donation_region_totals',
      select: 'region_code, year, donor_type, residency, kind, foreign_source, amount_kzt, donation_count',
      order: '1, 2, 3, 4, 5, 6',
    },
    { table: 'receipt_counters', select: 'organization_id, year, last_number', order: '1, 2' },
    { table: 'campaigns', select: 'id, raised_kzt, donation_count', order: '1' },
    { table: 'donor_organizations', select: 'organization_id, donor_id', order: '1, 2' },
    { table: 'grants', select: 'id, disbursed_minor', order: '1' },
    { table: 'grant_programmes', select: 'id, awarded_minor, disbursed_minor, grant_count', order: '1' },
  ],
  cooperation: [
    { table: 'region_mission_participants', select: 'region_code, year, participants', order: '1, 2' },
    { table: 'mission_totals', select: 'year, host_country, host_partner_id::text, missions, participants', order: '1, 2, 3' },
    { table: 'exchange_missions', select: 'id, participant_count', order: '1' },
  ],
  roadmap: [],
};

async function snapshot(db: Kysely<any>, name: SubgraphName): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const r of ROLLUPS[name]) {
    const { rows } = await sql.raw(`select ${r.select} from ${r.table} order by ${r.order}`).execute(db);
    out[r.table] = (rows as Record<string, unknown>[]).filter((row) => !isZeroMeasures(row));
  }
  return out;
}

/** True when every numeric column of a rollup row is zero (nothing counted any more). */
function isZeroMeasures(row: Record<string, unknown>): boolean {
  const numbers = Object.entries(row).filter(([k, v]) => typeof v === 'number' && !['year', 'month'].includes(k));
  return numbers.length > 0 && numbers.every(([, v]) => v === 0);
}

async function ok(document: string, variables: Record<string, unknown>, token: string) {
  const { body } = await graph.query(document, { variables, token });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as Record<string, any>;
}

beforeAll(async () => {
  graph = await startGraph();
  plan = buildSeedPlan(tinyScale());
  const quiet = createProgress(process.stderr, true);
  for (const name of ['organizations', 'volunteers', 'donations', 'cooperation'] as SubgraphName[]) {
    await seedSubgraphDemo(name, graph.db(name));
    await loadGenerated(SEEDERS[name], insertTarget(graph.db(name)), plan, quiet);
  }
  admin = graph.token({ role: 'admin' });
}, 600_000);

afterAll(async () => {
  await graph?.close();
});

describe("the seed's rebuilt rollups agree with the ones the services keep on write", () => {
  it('after hours logged, approved, declined and voided, volunteers registered and joined, applications decided', async () => {
    const members: PlanVolunteer[] = [];
    for (const v of plan.volunteers()) {
      if (v.memberships.length > 0 && v.age >= 18) members.push(v);
      if (members.length >= 8) break;
    }
    const recordIds: { id: string; organizationId: string }[] = [];
    for (const [k, v] of members.entries()) {
      const organization = plan.organizations[v.memberships[0]!.organizationIndex]!;
      const direction = organization.directions[0]!;
      for (const day of ['2026-10-27', '2026-10-28']) {
        const data = await ok(
          `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status } }`,
          {
            input: {
              organizationId: organization.id,
              date: day,
              minutes: 30 + k * 15,
              regionCode: organization.regionCode,
              activityType: ACTIVITY_BY_DIRECTION[direction]![0],
              direction,
              educationRequirement: k === 3,
            },
          },
          graph.token({ role: 'volunteer', volunteer_id: v.id, sub: `volunteer-${k}` }),
        );
        expect(data.logHours.status).toBe('PENDING');
        recordIds.push({ id: data.logHours.id, organizationId: organization.id });
      }
    }
    // Coordinators approve most, decline a few, then void one approved record.
    for (const [i, r] of recordIds.entries()) {
      const coordinator = graph.token({ role: 'coordinator', org: [r.organizationId], sub: `coordinator-${i}` });
      await ok(
        `mutation ($ids: [ID!]!, $d: HourDecision!) { decideHourRecords(ids: $ids, decision: $d, reason: "checked") { id status } }`,
        { ids: [r.id], d: i % 5 === 4 ? 'DECLINE' : 'APPROVE' },
        coordinator,
      );
    }
    const voided = recordIds[0]!;
    await ok(
      `mutation ($id: ID!) { voidHourRecord(id: $id, reason: "entered twice") { voided { status } } }`,
      { id: voided.id },
      graph.token({ role: 'coordinator', org: [voided.organizationId] }),
    );

    // A year the seed has no work in (active volunteers enter and leave it): coordinators' entries approved on entry,
    // two self-reported records approved in one decision, and one volunteer's only record of the year voided.
    const LOG = `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status } }`;
    const early = (v: PlanVolunteer, date: string) => {
      const organization = plan.organizations[v.memberships[0]!.organizationIndex]!;
      const direction = organization.directions[0]!;
      return {
        organizationId: organization.id,
        date,
        minutes: 60,
        regionCode: organization.regionCode,
        activityType: ACTIVITY_BY_DIRECTION[direction]![0],
        direction,
      };
    };
    const entered: { id: string; organizationId: string }[] = [];
    for (const v of members.slice(2, 6)) {
      const input = { ...early(v, '2023-05-10'), volunteerId: v.id };
      const data = await ok(LOG, { input }, graph.token({ role: 'coordinator', org: [input.organizationId], sub: 'coordinator-early' }));
      expect(data.logHours.status).toBe('APPROVED');
      entered.push({ id: data.logHours.id, organizationId: input.organizationId });
    }
    const selfReported: { id: string; organizationId: string }[] = [];
    for (const [k, v] of members.slice(6, 8).entries()) {
      const input = early(v, '2023-05-11');
      const data = await ok(LOG, { input }, graph.token({ role: 'volunteer', volunteer_id: v.id, sub: `volunteer-early-${k}` }));
      selfReported.push({ id: data.logHours.id, organizationId: input.organizationId });
    }
    await ok(
      `mutation ($ids: [ID!]!) { decideHourRecords(ids: $ids, decision: APPROVE) { id status } }`,
      { ids: selfReported.map((r) => r.id) },
      graph.token({ role: 'coordinator', org: [...new Set(selfReported.map((r) => r.organizationId))], sub: 'coordinator-bulk' }),
    );
    await ok(
      `mutation ($id: ID!) { voidHourRecord(id: $id, reason: "wrong year") { voided { status } } }`,
      { id: entered[0]!.id },
      graph.token({ role: 'coordinator', org: [entered[0]!.organizationId] }),
    );
    const dashboard = await ok(
      `query { activeVolunteersByRegion(year: 2023) { region { code } ageBand volunteers } }`,
      {},
      graph.token({ role: 'analyst' }),
    );
    expect(dashboard.activeVolunteersByRegion.reduce((sum: number, r: { volunteers: number }) => sum + r.volunteers, 0)).toBe(5);

    // A new volunteer registered and joining an organization; an application accepted.
    const organization = plan.organizations.find((o) => !o.demo && o.status === 'REGISTERED')!;
    const registered = await ok(
      `mutation ($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`,
      {
        input: {
          iin: makeIin('1999-04-12', 'FEMALE', 9_321),
          firstName: 'Aruzhan',
          lastName: 'Testova',
          birthDate: '1999-04-12',
          sex: 'FEMALE',
          regionCode: organization.regionCode,
        },
      },
      admin,
    );
    await ok(
      `mutation ($input: AddMembershipInput!) { addMembership(input: $input) { role } }`,
      { input: { volunteerId: registered.registerVolunteer.id, organizationId: organization.id } },
      admin,
    );
    const open = plan.opportunities.find((o) => !o.demo && o.status === 'OPEN' && o.minimumAge <= 18 && !o.minorRestricted)!;
    const applied = await ok(
      `mutation ($input: ApplyToOpportunityInput!) { applyToOpportunity(input: $input) { id status } }`,
      { input: { opportunityId: open.id, motivation: 'I live nearby' } },
      graph.token({ role: 'volunteer', volunteer_id: registered.registerVolunteer.id }),
    );
    await ok(
      `mutation ($id: ID!) { decideApplication(id: $id, decision: ACCEPT) { status } }`,
      { id: applied.applyToOpportunity.id },
      graph.token({ role: 'coordinator', org: [plan.organizations[open.organizationIndex]!.id] }),
    );

    const maintained = await snapshot(graph.db('volunteers'), 'volunteers');
    await SEEDERS.volunteers.rebuild(graph.db('volunteers'));
    expect(await snapshot(graph.db('volunteers'), 'volunteers')).toEqual(maintained);
    // And the totals callers read follow the writes.
    const { body } = await graph.query(`query ($id: ID!) { volunteer(id: $id) { approvedMinutes } }`, {
      variables: { id: members[1]!.id },
      token: admin,
    });
    const { rows } = await sql<{
      m: number;
    }>`select coalesce(sum(minutes), 0)::int as m from hour_records where volunteer_id = ${members[1]!.id} and status = 'APPROVED'`.execute(
      graph.db('volunteers'),
    );
    expect(body.data?.volunteer.approvedMinutes).toBe(rows[0]!.m);
  });

  it('after donations in tenge and dollars and refunds', async () => {
    const recipients = plan.organizations.filter((o) => !o.demo && o.status === 'REGISTERED' && o.kind !== 'STATE_BODY').slice(0, 4);
    const ids: string[] = [];
    for (const [i, recipient] of recipients.entries()) {
      const coordinator = graph.token({ role: 'coordinator', org: [recipient.id] });
      const donor = await ok(
        `mutation ($input: RegisterDonorInput!) { registerDonor(input: $input) { id } }`,
        {
          input: {
            organizationId: recipient.id,
            type: 'CORPORATE',
            residency: i === 3 ? 'NON_RESIDENT' : 'RESIDENT',
            name: `Test Donor ${i}`,
            ...(i === 3 ? { country: 'US' } : { bin: makeBin(950_000 + i) }),
          },
        },
        coordinator,
      );
      for (const [k, amount] of [
        { amount: '15000.00', currency: 'KZT' },
        { amount: '250.00', currency: 'USD' },
      ].entries()) {
        const data = await ok(
          `mutation ($input: RecordDonationInput!, $key: String!) { recordDonation(input: $input, idempotencyKey: $key) { id } }`,
          {
            key: `rollups-${i}-${k}`,
            input: { donorId: donor.registerDonor.id, recipientId: recipient.id, amount, date: k === 0 ? '2026-06-15' : '2025-12-20' },
          },
          coordinator,
        );
        ids.push(data.recordDonation.id);
      }
      await ok(
        `mutation ($input: RefundDonationInput!, $key: String!) { refundDonation(input: $input, idempotencyKey: $key) { id } }`,
        {
          key: `rollups-refund-${i}`,
          input: { donationId: ids[ids.length - 1], amount: i % 2 === 0 ? null : '100.00', date: '2026-01-10', reason: 'Paid twice' },
        },
        coordinator,
      );
    }
    const maintained = await snapshot(graph.db('donations'), 'donations');
    await SEEDERS.donations.rebuild(graph.db('donations'));
    expect(await snapshot(graph.db('donations'), 'donations')).toEqual(maintained);
  });

  it('after mission participants added and withdrawn', async () => {
    const missions = await ok(
      `{ exchangeMissions(first: 100, filter: { status: OPEN }) { nodes { id participants { id volunteer { id } outcome } } } }`,
      {},
      admin,
    );
    const mission = missions.exchangeMissions.nodes.find((m: any) => m.participants.length > 0);
    expect(mission, 'an open mission with participants').toBeDefined();
    const present = new Set(mission.participants.map((p: any) => p.volunteer.id));
    let candidate: PlanVolunteer | undefined;
    for (const v of plan.volunteers()) {
      if (!isMissionCandidate(v) || present.has(v.id)) continue;
      let approved = 0;
      for (const h of hourRecordsOf(v, plan)) if (h.status === 'APPROVED') approved += h.minutes;
      if (approved >= 40 * 60) {
        candidate = v;
        break;
      }
    }
    expect(candidate, 'an eligible volunteer').toBeDefined();
    await ok(
      `mutation ($input: AddMissionParticipantInput!) { addMissionParticipant(input: $input) { id } }`,
      { input: { missionId: mission.id, volunteerId: candidate!.id } },
      admin,
    );
    const leaving = mission.participants.find((p: any) => p.outcome === null);
    await ok(`mutation ($id: ID!) { withdrawMissionParticipant(participationId: $id) { outcome } }`, { id: leaving.id }, admin);

    const maintained = await snapshot(graph.db('cooperation'), 'cooperation');
    await SEEDERS.cooperation.rebuild(graph.db('cooperation'));
    expect(await snapshot(graph.db('cooperation'), 'cooperation')).toEqual(maintained);
  });
});

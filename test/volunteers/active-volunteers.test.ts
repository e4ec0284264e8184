import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONS } from '../../subgraphs/kit/index.ts';
import { startGraph, type Graph } from '../harness.ts';
import { addMember, ALMATY, ASTANA, expectError, ok, registerOrganization, registerVolunteer } from './helpers.ts';

/**
 * The analyst dashboard "active volunteers by region and age band": a
 * volunteer is active in a region in a year with at least one approved hour
 * record of that year done there, counted in the band of their age on 31
 * December of that year. Arranged through the gateway (log, approve, decline,
 * void, replace), read as an anonymous caller, a partner and an analyst sees it.
 */
let graph: Graph;
let orgA: string; // Astana
let orgB: string; // Almaty
let teen: string; // born 2008-12-31: 17 on 31 December 2025, 18 on 31 December 2026
let adult: string; // born 1990-05-05: 36 in 2026
let senior: string; // born 1960-01-01: 66 in 2026
let twin1: string; // born 1995-07-07: 31 in 2026
let twin2: string;

const BANDS = ['UNDER_14', 'AGE_14_17', 'AGE_18_29', 'AGE_30_44', 'AGE_45_59', 'AGE_60_PLUS'];

const t = () => ({
  admin: graph.token({ role: 'admin', sub: 'admin-1' }),
  coordA: graph.token({ role: 'coordinator', org: [orgA], sub: 'coord-a' }),
  coordA2: graph.token({ role: 'coordinator', org: [orgA], sub: 'coord-a2' }),
  coordB: graph.token({ role: 'coordinator', org: [orgB], sub: 'coord-b' }),
  analyst: graph.token({ role: 'analyst', sub: 'analyst-1' }),
  partner: graph.token({ role: 'partner', partner_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', sub: 'partner-1' }),
  volunteer: (id: string) => graph.token({ role: 'volunteer', volunteer_id: id, sub: `vol-${id}` }),
});

beforeAll(async () => {
  graph = await startGraph();
  orgA = await registerOrganization(graph, ASTANA, 'Astana Reading Club');
  orgB = await registerOrganization(graph, ALMATY, 'Almaty Green');
  teen = await registerVolunteer(graph, { birthDate: '2008-12-31', sex: 'MALE' });
  adult = await registerVolunteer(graph, { birthDate: '1990-05-05', sex: 'FEMALE' });
  senior = await registerVolunteer(graph, { birthDate: '1960-01-01', sex: 'MALE', regionCode: ALMATY });
  twin1 = await registerVolunteer(graph, { birthDate: '1995-07-07', sex: 'FEMALE' });
  twin2 = await registerVolunteer(graph, { birthDate: '1995-07-07', sex: 'MALE' });
  for (const id of [teen, adult, twin1, twin2]) await addMember(graph, id, orgA);
  for (const id of [adult, senior]) await addMember(graph, id, orgB);
}, 300_000);

afterAll(async () => {
  await graph?.close();
});

const LOG = `mutation ($input: LogHoursInput!) { logHours(input: $input) { id status } }`;
const DECIDE = `mutation ($ids: [ID!]!, $decision: HourDecision!, $reason: String) { decideHourRecords(ids: $ids, decision: $decision, reason: $reason) { id status } }`;
const VOID = `mutation ($id: ID!, $reason: String!, $replacement: CorrectionInput) {
  voidHourRecord(id: $id, reason: $reason, replacement: $replacement) { voided { status } replacement { id status } }
}`;
const REGION = `query ($code: ID!, $year: Int!) { region(code: $code) { code nameEn activeVolunteers(year: $year) { ageBand volunteers } } }`;
const NATIONAL = `query ($year: Int!) { activeVolunteersByRegion(year: $year) { region { code } ageBand volunteers } }`;

function work(change: Record<string, unknown> = {}) {
  return {
    organizationId: orgA,
    date: '2026-03-02',
    minutes: 90,
    regionCode: ASTANA,
    activityType: 'TEACHING_TUTORING',
    direction: 'BILIM',
    ...change,
  };
}

async function log(token: string, input: Record<string, unknown>, status: string): Promise<string> {
  const data = await ok(graph, token, LOG, { input });
  expect(data.logHours.status).toBe(status);
  return data.logHours.id as string;
}

/** The non-zero bands of a region in a year, as the caller sees them (Region.activeVolunteers). */
async function bands(code: string, year: number, token?: string): Promise<Record<string, number>> {
  const data = await ok(graph, token, REGION, { code, year });
  const list = data.region.activeVolunteers as { ageBand: string; volunteers: number }[];
  expect(list.map((b) => b.ageBand)).toEqual(BANDS);
  return Object.fromEntries(list.filter((b) => b.volunteers > 0).map((b) => [b.ageBand, b.volunteers]));
}

/** The non-zero rows of the national table, as `code/band` → volunteers. */
async function national(year: number, token?: string): Promise<Record<string, number>> {
  const data = await ok(graph, token, NATIONAL, { year });
  const rows = data.activeVolunteersByRegion as { region: { code: string }; ageBand: string; volunteers: number }[];
  expect(rows).toHaveLength(REGIONS.length * BANDS.length);
  return Object.fromEntries(rows.filter((r) => r.volunteers > 0).map((r) => [`${r.region.code}/${r.ageBand}`, r.volunteers]));
}

describe('active volunteers by region and age band', () => {
  it('start at zero for every region and band', async () => {
    expect(await bands(ASTANA, 2026)).toEqual({});
    const data = await ok(graph, undefined, NATIONAL, { year: 2026 });
    expect(data.activeVolunteersByRegion.slice(0, 6)).toEqual(
      BANDS.map((ageBand) => ({ region: { code: REGIONS[0]!.code }, ageBand, volunteers: 0 })),
    );
    expect(await national(2026)).toEqual({});
  });

  it("count a volunteer once per region and year from their first approved record (a coordinator's entry is approved on entry)", async () => {
    await log(t().coordA, work({ volunteerId: adult, date: '2026-03-02' }), 'APPROVED');
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_30_44: 1 });
    await log(t().coordA, work({ volunteerId: adult, date: '2026-03-03' }), 'APPROVED');
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_30_44: 1 });
    expect(await bands(ASTANA, 2025)).toEqual({});
  });

  it('pending and declined records do not count; an approval in a bulk decision does', async () => {
    const declined = await log(t().volunteer(teen), work({ date: '2026-04-01' }), 'PENDING');
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_30_44: 1 });
    await ok(graph, t().coordA, DECIDE, { ids: [declined], decision: 'DECLINE', reason: 'No such event' });
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_30_44: 1 });

    const teenPending = await log(t().volunteer(teen), work({ date: '2026-04-02' }), 'PENDING');
    const adultPending = await log(t().volunteer(adult), work({ date: '2026-04-02' }), 'PENDING');
    // A coordinator of another organization may not decide them: nothing moves.
    expectError(
      (await graph.query(DECIDE, { variables: { ids: [teenPending, adultPending], decision: 'APPROVE' }, token: t().coordB })).body,
      'FORBIDDEN',
    );
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_30_44: 1 });
    await ok(graph, t().coordA, DECIDE, { ids: [teenPending, adultPending], decision: 'APPROVE' });
    // The teen is 17 today but 18 on 31 December 2026: counted as 18-29 for 2026.
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_18_29: 1, AGE_30_44: 1 });
  });

  it("count the age on 31 December of the work's year, and the region where the work was done", async () => {
    await log(t().coordA, work({ volunteerId: teen, date: '2025-06-01' }), 'APPROVED');
    expect(await bands(ASTANA, 2025)).toEqual({ AGE_14_17: 1 });
    // The adult works in Almaty too, for an Almaty organization; the senior lives in Almaty and works in Astana.
    await log(t().coordB, work({ volunteerId: adult, organizationId: orgB, regionCode: ALMATY, date: '2026-05-01' }), 'APPROVED');
    await log(t().admin, work({ volunteerId: senior, organizationId: orgB, regionCode: ASTANA, date: '2026-05-02' }), 'APPROVED');
    expect(await bands(ALMATY, 2026)).toEqual({ AGE_30_44: 1 });
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_18_29: 1, AGE_30_44: 1, AGE_60_PLUS: 1 });
    expect(await national(2026)).toEqual({
      [`${ASTANA}/AGE_18_29`]: 1,
      [`${ASTANA}/AGE_30_44`]: 1,
      [`${ASTANA}/AGE_60_PLUS`]: 1,
      [`${ALMATY}/AGE_30_44`]: 1,
    });
    expect(await national(2025)).toEqual({ [`${ASTANA}/AGE_14_17`]: 1 });
  });

  it('a void of an approved record removes the volunteer only with their last one; a replacement counts where it was done', async () => {
    const { rows } = await sql<{ id: string }>`
      select id::text from hour_records where volunteer_id = ${adult} and status = 'APPROVED' and region_code = ${ASTANA} order by work_date`.execute(
      graph.db('volunteers'),
    );
    expect(rows).toHaveLength(3);
    await ok(graph, t().coordA, VOID, { id: rows[0]!.id, reason: 'Entered twice' });
    await ok(graph, t().coordA, VOID, { id: rows[1]!.id, reason: 'Entered twice' });
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_18_29: 1, AGE_30_44: 1, AGE_60_PLUS: 1 });
    await ok(graph, t().coordA, VOID, { id: rows[2]!.id, reason: 'Not done' });
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_18_29: 1, AGE_60_PLUS: 1 });
    expect(await bands(ALMATY, 2026)).toEqual({ AGE_30_44: 1 });

    // The teen's 2026 record was done in Almaty, not Astana: voided and replaced.
    const { rows: teenRows } = await sql<{ id: string }>`
      select id::text from hour_records where volunteer_id = ${teen} and status = 'APPROVED' and work_date >= '2026-01-01'`.execute(
      graph.db('volunteers'),
    );
    expect(teenRows).toHaveLength(1);
    const replaced = await ok(graph, t().coordA, VOID, {
      id: teenRows[0]!.id,
      reason: 'Wrong region',
      replacement: work({ date: '2026-04-02', regionCode: ALMATY }),
    });
    expect(replaced.voidHourRecord).toMatchObject({ voided: { status: 'VOIDED' }, replacement: { status: 'APPROVED' } });
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_60_PLUS: 1 });
    expect(await bands(ALMATY, 2026)).toEqual({ AGE_18_29: 1, AGE_30_44: 1 });

    // A volunteer voiding their own pending record changes nothing.
    const pending = await log(t().volunteer(teen), work({ date: '2026-04-03' }), 'PENDING');
    await ok(graph, t().volunteer(teen), VOID, { id: pending, reason: 'Logged twice' });
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_60_PLUS: 1 });
  });

  it('racing approvals count a volunteer once and every volunteer once', async () => {
    const day = (d: number) => `2026-06-${String(d).padStart(2, '0')}`;
    const records = [
      await log(t().volunteer(twin1), work({ date: day(1) }), 'PENDING'),
      await log(t().volunteer(twin1), work({ date: day(2) }), 'PENDING'),
      await log(t().volunteer(twin2), work({ date: day(1) }), 'PENDING'),
      await log(t().volunteer(twin2), work({ date: day(2) }), 'PENDING'),
    ];
    const results = await Promise.all(
      records.map((id, i) =>
        graph.query(DECIDE, { variables: { ids: [id], decision: 'APPROVE' }, token: i % 2 ? t().coordA2 : t().coordA }),
      ),
    );
    for (const r of results) expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_30_44: 2, AGE_60_PLUS: 1 });
    // And racing voids of both of one twin's records take them out exactly once.
    await Promise.all(records.slice(0, 2).map((id) => ok(graph, t().coordA, VOID, { id, reason: 'Not done' })));
    expect(await bands(ASTANA, 2026)).toEqual({ AGE_30_44: 1, AGE_60_PLUS: 1 });
  });

  it('equal a recount from the raw rows', async () => {
    const { rows } = await sql<{ year: number; region_code: string; birth_year: number; n: number }>`
      select a.year, a.region_code, extract(year from v.birth_date)::int as birth_year, count(*)::int as n
      from (select distinct volunteer_id, extract(year from work_date)::int as year, region_code from hour_records where status = 'APPROVED') a
      join volunteers v on v.id = a.volunteer_id
      group by 1, 2, 3`.execute(graph.db('volunteers'));
    const expected: Record<string, Record<string, number>> = { 2025: {}, 2026: {} };
    for (const r of rows) {
      const age = r.year - r.birth_year;
      const band =
        age < 14
          ? 'UNDER_14'
          : age < 18
            ? 'AGE_14_17'
            : age < 30
              ? 'AGE_18_29'
              : age < 45
                ? 'AGE_30_44'
                : age < 60
                  ? 'AGE_45_59'
                  : 'AGE_60_PLUS';
      const key = `${r.region_code}/${band}`;
      expected[r.year]![key] = (expected[r.year]![key] ?? 0) + r.n;
    }
    expect(await national(2026)).toEqual(expected[2026]);
    expect(await national(2025)).toEqual(expected[2025]);
    expect(Object.keys(expected[2026]!).length).toBeGreaterThan(2);
  });

  it('are public aggregates: anonymous callers, partners and analysts read them', async () => {
    const anonymous = await national(2026);
    expect(await national(2026, t().partner)).toEqual(anonymous);
    expect(await national(2026, t().analyst)).toEqual(anonymous);
    expect(await bands(ALMATY, 2026, t().partner)).toEqual({ AGE_18_29: 1, AGE_30_44: 1 });
    const { body } = await graph.query(`{ regions { code nameEn activeVolunteers(year: 2026) { ageBand volunteers } } }`, {
      token: t().analyst,
    });
    expect(body.errors).toBeUndefined();
    const almaty = body.data!.regions.find((r: { code: string }) => r.code === ALMATY);
    expect(almaty.activeVolunteers.filter((b: { volunteers: number }) => b.volunteers > 0)).toEqual([
      { ageBand: 'AGE_18_29', volunteers: 1 },
      { ageBand: 'AGE_30_44', volunteers: 1 },
    ]);
  });

  it('refuse a year out of range with BAD_USER_INPUT naming the argument', async () => {
    expectError((await graph.query(NATIONAL, { variables: { year: 1900 } })).body, 'BAD_USER_INPUT', 'year');
    expectError((await graph.query(REGION, { variables: { code: ASTANA, year: 3000 } })).body, 'BAD_USER_INPUT', 'year');
  });

  it('cost one statement in volunteers for the whole country, and for every region of the list (two years included)', async () => {
    graph.resetStatements();
    await national(2026, t().analyst);
    expect(graph.statements('volunteers')).toBe(1);
    graph.resetStatements();
    const { body } = await graph.query(
      `{ regions { code y2025: activeVolunteers(year: 2025) { ageBand volunteers } y2026: activeVolunteers(year: 2026) { ageBand volunteers } } }`,
      { token: t().analyst },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.regions).toHaveLength(REGIONS.length);
    expect(graph.statements('volunteers')).toBe(1);
  });
});

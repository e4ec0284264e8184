import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONS } from '../../subgraphs/kit/index.ts';
import { expectedShare, progressStatus } from '../../subgraphs/roadmap/progress/status.ts';
import { seedSubgraphDemo } from '../../subgraphs/servers.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';

/**
 * The roadmap through the gateway: targets set by admins (audited), actuals
 * contributed to RegionYear by the subgraphs that own them, compared by the
 * documented status rule, for one region, the nation, and all 20 regions at a
 * constant number of SQL statements per subgraph.
 */
let graph: Graph;
let admin: string;
const ASTANA = '710000000';

beforeAll(async () => {
  graph = await startGraph();
  for (const entry of SUBGRAPHS) await seedSubgraphDemo(entry.name, graph.db(entry.name));
  admin = graph.token({ role: 'admin' });
});

afterAll(async () => {
  await graph?.close();
});

const PROGRESS = `
  query Progress($year: Int!, $region: ID) {
    roadmapProgress(year: $year, regionCode: $region) {
      regionCode year region { code nameEn }
      progress { indicator { key unit measuredBy } target actual share expectedShare status }
    }
  }`;

async function progressOf(year: number, region: string | null) {
  const { body } = await graph.query(PROGRESS, { variables: { year, region } });
  expect(body.errors).toBeUndefined();
  return body.data!.roadmapProgress as {
    regionCode: string;
    region: { code: string; nameEn: string } | null;
    progress: {
      indicator: { key: string; unit: string; measuredBy: string };
      target: number | null;
      actual: number;
      share: number | null;
      expectedShare: number;
      status: string;
    }[];
  };
}

const indicator = (p: Awaited<ReturnType<typeof progressOf>>, key: string) => {
  const found = p.progress.find((i) => i.indicator.key === key);
  expect(found, key).toBeDefined();
  return found!;
};

async function setTarget(indicatorKey: string, regionCode: string | null, year: number, value: number, token: string | null = admin) {
  return graph.query(
    `mutation Set($input: SetRoadmapTargetInput!) { setRoadmapTarget(input: $input) { id regionCode year value indicator { key } } }`,
    { ...(token ? { token } : {}), variables: { input: { indicatorKey, regionCode, year, value } } },
  );
}

describe('targets against actuals', () => {
  it('for one region: each actual is the owning subgraph’s own figure, against the target an admin set', async () => {
    const set = await setTarget('approved-hours', ASTANA, 2026, 12_345.5);
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data!.setRoadmapTarget).toMatchObject({
      regionCode: ASTANA,
      year: 2026,
      value: 12_345.5,
      indicator: { key: 'approved-hours' },
    });

    const { body } = await graph.query(
      `{ region(code: "${ASTANA}") { volunteerCount approvedHours(year: 2026) { hours } donationsTotal(year: 2026) { amount currency } missionParticipants(year: 2026)
           frontOffice { trainingTotals(year: 2026) { trainings peopleTrained } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const region = body.data!.region;
    const p = await progressOf(2026, ASTANA);
    expect(p.region).toEqual({ code: ASTANA, nameEn: 'Astana' });
    expect(p.progress).toHaveLength(9);
    const hours = indicator(p, 'approved-hours');
    expect(hours.indicator).toEqual({ key: 'approved-hours', unit: 'HOURS', measuredBy: 'VOLUNTEERS' });
    expect(hours.actual).toBeCloseTo(region.approvedHours.hours, 2);
    expect(hours.actual).toBeGreaterThan(0);
    expect(hours.target).toBe(12_345.5);
    expect(hours.share).toBeCloseTo(hours.actual / 12_345.5, 6);
    expect(indicator(p, 'registered-volunteers').actual).toBe(region.volunteerCount);
    expect(indicator(p, 'donations').actual).toBe(Number(region.donationsTotal.amount));
    expect(indicator(p, 'mission-participants').actual).toBe(region.missionParticipants);
    expect(indicator(p, 'front-office-trainings').actual).toBe(region.frontOffice.trainingTotals.trainings);
    expect(indicator(p, 'people-trained').actual).toBe(region.frontOffice.trainingTotals.peopleTrained);
  });

  it('nationally: the national target against the nation’s figures (sums over regions, the national front-office included)', async () => {
    expect((await setTarget('registered-volunteers', null, 2026, 150)).body.errors).toBeUndefined();
    const { body } = await graph.query(
      `{ regions { volunteerCount donationsTotal(year: 2026) { amount } missionParticipants(year: 2026) }
         frontOffices { trainingTotals(year: 2026) { trainings } }
         donationTotals(year: 2026) { total { amount } } }`,
    );
    expect(body.errors).toBeUndefined();
    const regions = body.data!.regions as { volunteerCount: number; missionParticipants: number }[];
    const p = await progressOf(2026, null);
    expect(p.regionCode).toBe('national');
    expect(p.region).toBeNull();
    const registered = indicator(p, 'registered-volunteers');
    expect(registered.actual).toBe(regions.reduce((n, r) => n + r.volunteerCount, 0));
    expect(registered.target).toBe(150);
    expect(registered.status).toBe(
      registered.actual >= 150 ? 'ACHIEVED' : registered.actual >= 150 * registered.expectedShare ? 'ON_TRACK' : 'BEHIND',
    );
    expect(indicator(p, 'donations').actual).toBe(Number(body.data!.donationTotals.total.amount));
    expect(indicator(p, 'mission-participants').actual).toBe(regions.reduce((n, r) => n + r.missionParticipants, 0));
    expect(indicator(p, 'front-office-trainings').actual).toBe(
      (body.data!.frontOffices as { trainingTotals: { trainings: number } }[]).reduce((n, f) => n + f.trainingTotals.trainings, 0),
    );
    const grants = indicator(p, 'grants-disbursed');
    expect(grants.indicator.measuredBy).toBe('DONATIONS');
    expect(grants.actual).toBeGreaterThan(0); // the demo grant's first instalment
  });

  it('phases come with the indicators they switch on; a year before a phase begins leaves its indicators out', async () => {
    const { body } = await graph.query(
      `{ roadmapPhases { key startsOn endsOn switchesOn indicators { key nameKk nameRu nameEn figure } } }`,
    );
    expect(body.errors).toBeUndefined();
    const phases = body.data!.roadmapPhases as { key: string; indicators: { key: string; nameKk: string }[] }[];
    expect(phases.map((p) => p.key)).toEqual(['accounting', 'front-offices', 'cooperation']);
    expect(phases.flatMap((p) => p.indicators)).toHaveLength(9);
    for (const i of phases.flatMap((p) => p.indicators)) expect(i.nameKk).toMatch(/\S/);
    expect((await progressOf(2025, ASTANA)).progress.map((i) => i.indicator.key)).toEqual(phases[0]!.indicators.map((i) => i.key));
  });
});

describe('the status rule', () => {
  it('is ACHIEVED at the target, ON_TRACK at the part due by today, BEHIND below it, NO_TARGET without one', () => {
    const now = new Date('2026-07-02T12:00:00Z'); // day 183 of 365 in Kazakhstan
    expect(expectedShare(2025, now)).toBe(1);
    expect(expectedShare(2027, now)).toBe(0);
    expect(expectedShare(2026, now)).toBeCloseTo(183 / 365, 10);
    // 19:30 UTC on 31 December is already 1 January in Astana: the year is over there.
    expect(expectedShare(2026, new Date('2026-12-31T19:30:00Z'))).toBe(1);
    expect(progressStatus(100, 100, 0.5)).toBe('ACHIEVED');
    expect(progressStatus(100, 50, 0.5)).toBe('ON_TRACK');
    expect(progressStatus(100, 49, 0.5)).toBe('BEHIND');
    expect(progressStatus(100, 99, 1)).toBe('BEHIND');
    expect(progressStatus(100, 0, 0)).toBe('ON_TRACK');
    expect(progressStatus(null, 10, 0.5)).toBe('NO_TARGET');
  });

  it('through the gateway: a year that is over ends ACHIEVED or BEHIND; a year to come is ON_TRACK', async () => {
    // The demo registers its volunteers today: none were registered by the end of 2025.
    const before = indicator(await progressOf(2025, ASTANA), 'registered-volunteers');
    expect(before.actual).toBe(0);
    expect(before.expectedShare).toBe(1);
    await setTarget('registered-volunteers', ASTANA, 2025, 1);
    expect(indicator(await progressOf(2025, ASTANA), 'registered-volunteers')).toMatchObject({ target: 1, share: 0, status: 'BEHIND' });

    const future = indicator(await progressOf(2027, ASTANA), 'registered-volunteers');
    expect(future.actual).toBeGreaterThan(0);
    await setTarget('registered-volunteers', ASTANA, 2027, future.actual + 1_000);
    expect(indicator(await progressOf(2027, ASTANA), 'registered-volunteers')).toMatchObject({ expectedShare: 0, status: 'ON_TRACK' });
    await setTarget('registered-volunteers', ASTANA, 2027, future.actual);
    expect(indicator(await progressOf(2027, ASTANA), 'registered-volunteers')).toMatchObject({ share: 1, status: 'ACHIEVED' });

    const removed = await graph.query(
      `mutation { removeRoadmapTarget(indicatorKey: "registered-volunteers", regionCode: "${ASTANA}", year: 2027) { value } }`,
      { token: admin },
    );
    expect(removed.body.data!.removeRoadmapTarget.value).toBe(future.actual);
    expect(indicator(await progressOf(2027, ASTANA), 'registered-volunteers')).toMatchObject({
      target: null,
      share: null,
      status: 'NO_TARGET',
    });
  });

  it('shows some regions behind and some not in the demo', async () => {
    const { body } = await graph.query(`{ roadmapProgressByRegion(year: 2026) { regionCode progress { indicator { key } status } } }`);
    expect(body.errors).toBeUndefined();
    const statuses = (body.data!.roadmapProgressByRegion as { progress: { status: string }[] }[]).flatMap((r) =>
      r.progress.map((p) => p.status),
    );
    expect(statuses).toContain('BEHIND');
    expect(statuses.some((s) => s === 'ACHIEVED' || s === 'ON_TRACK')).toBe(true);
  });
});

describe('batching', () => {
  it('costs the same SQL statements per subgraph for 5 regions as for 20', async () => {
    const query = `query ($codes: [ID!]) { roadmapProgressByRegion(year: 2026, regionCodes: $codes) {
      regionCode region { nameEn } registeredVolunteers activeVolunteers approvedHours registeredOrganizations frontOfficeTrainings peopleTrained
      donationsKzt grantsDisbursedKzt missionParticipants progress { indicator { key } target actual status } } }`;
    const measure = async (codes: string[]) => {
      graph.resetStatements();
      graph.resetSubgraphCalls();
      const { body } = await graph.query(query, { variables: { codes } });
      expect(body.errors).toBeUndefined();
      expect(body.data!.roadmapProgressByRegion).toHaveLength(codes.length);
      return Object.fromEntries(
        SUBGRAPHS.map((s) => [s.name, { statements: graph.statements(s.name), calls: graph.subgraphCalls(s.name) }]),
      );
    };
    const five = await measure(REGIONS.slice(0, 5).map((r) => r.code));
    const twenty = await measure(REGIONS.map((r) => r.code));
    expect(twenty).toEqual(five);
    for (const name of ['volunteers', 'organizations', 'donations', 'cooperation', 'roadmap'])
      expect(twenty[name]!.statements).toBeGreaterThan(0);
  });
});

describe('admin-only writes, audited', () => {
  it('audits each target change with the value before and after', async () => {
    // The demo sets targets for 2025–2027; 2028 has none yet.
    const first = await setTarget('mission-participants', '790000000', 2028, 3);
    const id = first.body.data!.setRoadmapTarget.id as string;
    const second = await setTarget('mission-participants', '790000000', 2028, 5);
    expect(second.body.data!.setRoadmapTarget).toMatchObject({ id, value: 5 });
    const { body } = await graph.query(
      `query ($id: ID!) { roadmapAuditLog(entityId: $id, first: 10) { nodes { action entity entityId actorKind actorSubject details } } }`,
      { token: admin, variables: { id } },
    );
    expect(body.errors).toBeUndefined();
    const entries = body.data!.roadmapAuditLog.nodes as {
      action: string;
      entity: string;
      actorKind: string;
      actorSubject: string;
      details: string;
    }[];
    expect(entries.map((e) => e.action)).toEqual(['target.replace', 'target.set']);
    expect(entries.every((e) => e.entity === 'RoadmapTarget' && e.actorKind === 'admin' && e.actorSubject === 'test-admin')).toBe(true);
    expect(JSON.parse(entries[0]!.details)).toEqual({
      indicatorKey: 'mission-participants',
      regionCode: '790000000',
      year: 2028,
      before: 3,
      after: 5,
    });
    expect(JSON.parse(entries[1]!.details)).toMatchObject({ before: null, after: 3 });
    const analyst = await graph.query(`{ roadmapAuditLog { nodes { id } } }`, { token: graph.token({ role: 'analyst' }) });
    expect(analyst.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses anyone but an admin, and writes nothing', async () => {
    const targets = async () =>
      (await graph.query(`{ roadmapTargets(indicatorKey: "people-trained", regionCode: "${ASTANA}", year: 2027) { value } }`)).body.data!
        .roadmapTargets;
    const before = await targets();
    const anonymous = await setTarget('people-trained', ASTANA, 2027, 999, null);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const token of [graph.token({ role: 'analyst' }), graph.token({ role: 'front_office', region: ASTANA })]) {
      const refused = await setTarget('people-trained', ASTANA, 2027, 999, token);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const removal = await graph.query(
        `mutation { removeRoadmapTarget(indicatorKey: "people-trained", regionCode: "${ASTANA}", year: 2027) { id } }`,
        { token },
      );
      expect(removal.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await targets()).toEqual(before);
  });

  it('answers BAD_USER_INPUT for a bad region, year or value, and NOT_FOUND for an unknown indicator', async () => {
    const cases: [string, string | null, number, number, string][] = [
      ['registered-volunteers', '123', 2026, 10, 'input.regionCode'],
      ['registered-volunteers', '999999999', 2026, 10, 'input.regionCode'],
      ['registered-volunteers', ASTANA, 1800, 10, 'input.year'],
      ['registered-volunteers', ASTANA, 2026, 10.5, 'input.value'],
      ['registered-volunteers', ASTANA, 2026, 0, 'input.value'],
      ['approved-hours', ASTANA, 2026, 10.123, 'input.value'],
    ];
    for (const [key, region, year, value, argument] of cases) {
      const { body } = await setTarget(key, region, year, value);
      expect(body.errors?.[0]?.extensions, `${key} ${region} ${year} ${value}`).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: argument,
      });
    }
    expect((await setTarget('no-such-indicator', ASTANA, 2026, 1)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    for (const query of [
      `{ roadmapProgress(year: 2026, regionCode: "42") { year } }`,
      `{ roadmapProgress(year: 3000) { year } }`,
      `{ roadmapProgressByRegion(year: 2026, regionCodes: ["${ASTANA}", "x"]) { year } }`,
    ]) {
      const { body } = await graph.query(query);
      expect(body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
  });
});

describe('where it is seen', () => {
  it('as open data: a CSV of targets against actuals, the nation first, then every region', async () => {
    const national = await progressOf(2026, null);
    const response = await fetch(`${new URL(graph.gatewayUrl).origin}/open-data/roadmap-progress.csv?year=2026`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'year,region_code,region_iso,region_name_en,indicator,indicator_name_en,unit,measured_by,target,actual,share,status',
    );
    expect(lines).toHaveLength(1 + 21 * 9);
    const registered = indicator(national, 'registered-volunteers');
    expect(lines.find((l) => l.startsWith('2026,national,KZ,Kazakhstan,registered-volunteers,'))).toBe(
      `2026,national,KZ,Kazakhstan,registered-volunteers,Registered volunteers,PERSONS,VOLUNTEERS,${registered.target ?? ''},${registered.actual},${registered.share === null ? '' : registered.share.toFixed(4)},${registered.status}`,
    );
    expect(lines.filter((l) => l.includes(',KZ-71,Astana,'))).toHaveLength(9);
  });

  it('in the partner contract: targets and actuals are public figures; the audit log is not there', async () => {
    const partner = graph.token({ role: 'partner', partner_id: '00000000-0000-4000-8000-000000000001' });
    const { body } = await graph.query(
      `{ roadmapProgress(year: 2026, regionCode: "${ASTANA}") { activeVolunteers progress { indicator { key } target actual status } } }`,
      { token: partner },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.roadmapProgress.progress).toHaveLength(9);
    const audit = await graph.query(`{ roadmapAuditLog { nodes { id } } }`, { token: partner });
    expect(audit.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

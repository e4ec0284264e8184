import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, internalSecret, signIdentity, viewerFromClaims } from '../../subgraphs/kit/index.ts';
import { startGraph, type Graph } from '../harness.ts';
import {
  ADD_PARTICIPANT,
  addParticipant,
  awardGrant,
  CHANGE_STATUS,
  eligibleVolunteer,
  isoDay,
  logApprovedMinutes,
  missionInput,
  NEXT_YEAR,
  ok,
  outsidePartnerContract,
  PLAN_MISSION,
  planMission,
  refused,
  registerOrganization,
  registerPartner,
  registerVolunteer,
  SIGN_AGREEMENT,
  signAgreement,
  tokens,
  withoutContracts,
} from './arrange.ts';

/**
 * The cooperation subgraph through the real gateway: partners, agreements,
 * exchange missions and their participants (eligibility asked of the volunteers
 * subgraph), UN Volunteer assignments, totals and the audit log. Each rule with
 * a caller who may and one who may not.
 */
let graph: Graph;
let t: ReturnType<typeof tokens>;
let orgA: string; // organizes missions
let orgB: string; // another organization
let hostPartner: string; // a Kenyan volunteer organization, hosts missions
let otherPartner: string;
let eligible: string[]; // adults with 40 approved hours
let adultWithoutHours: string;
let minorWithHours: string;

beforeAll(async () => {
  graph = await startGraph();
  t = tokens(graph);
  orgA = await registerOrganization(graph, 'Exchange Organizers');
  orgB = await registerOrganization(graph, 'Bystanders');
  hostPartner = await registerPartner(graph, { name: 'Harambee Test Volunteers', country: 'KE' });
  otherPartner = await registerPartner(graph, { name: 'Other Agency', country: 'JP', kind: 'FOREIGN_GOVERNMENT' });
  eligible = [];
  for (let i = 0; i < 4; i++) eligible.push(await eligibleVolunteer(graph, orgA, '590000000'));
  adultWithoutHours = await registerVolunteer(graph, { birthDate: '1990-06-01', regionCode: '590000000' });
  await logApprovedMinutes(graph, adultWithoutHours, orgA, 2399); // one minute short
  minorWithHours = await registerVolunteer(graph, { birthDate: '2010-02-03', regionCode: '590000000' });
  await logApprovedMinutes(graph, minorWithHours, orgA, 3000);
}, 240_000);

afterAll(async () => {
  await graph?.close();
});

const PARTNER = `query ($id: ID!) { partner(id: $id) { id name acronym kind country countryName website } }`;
const REGISTER_PARTNER = `mutation ($input: RegisterPartnerInput!) { registerPartner(input: $input) { id name country website } }`;

describe('partners', () => {
  it('an admin registers a partner, and anyone reads it', async () => {
    const data = await ok(
      graph,
      REGISTER_PARTNER,
      { input: { name: 'United Nations Volunteers', acronym: 'UNV', kind: 'UN_AGENCY', country: 'de', website: 'https://www.unv.org' } },
      t.admin,
    );
    expect(data.registerPartner).toMatchObject({ name: 'United Nations Volunteers', country: 'DE', website: 'https://www.unv.org/' });
    const read = await ok(graph, PARTNER, { id: data.registerPartner.id }); // no token: public
    expect(read.partner).toMatchObject({ acronym: 'UNV', kind: 'UN_AGENCY', countryName: 'Germany' });
    const list = await ok(graph, `{ partners(first: 100, filter: { country: "DE" }) { nodes { id } } }`, {});
    expect(list.partners.nodes.map((p: { id: string }) => p.id)).toContain(data.registerPartner.id);
  });

  it('a coordinator may not register a partner', async () => {
    const { code } = await refused(
      graph,
      REGISTER_PARTNER,
      { input: { name: 'X', kind: 'UN_AGENCY', country: 'DE' } },
      t.coordinatorOf(orgA),
    );
    expect(code).toBe('FORBIDDEN');
  });

  it('refuses an unknown country and a website that is not a public http(s) URL', async () => {
    const country = await refused(
      graph,
      REGISTER_PARTNER,
      { input: { name: 'Nowhere Agency', kind: 'UN_AGENCY', country: 'ZZ' } },
      t.admin,
    );
    expect(country).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.country' });
    for (const website of ['ftp://files.example.org', 'not a url', 'http://localhost:8080/']) {
      const bad = await refused(
        graph,
        REGISTER_PARTNER,
        { input: { name: 'Bad Site', kind: 'UN_AGENCY', country: 'CH', website } },
        t.admin,
      );
      expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.website' });
    }
  });

  it('a second partner with the same name in the same country is a CONFLICT', async () => {
    const input = { name: 'Twice Registered', kind: 'INTERNATIONAL_NGO', country: 'TR' };
    await ok(graph, REGISTER_PARTNER, { input }, t.admin);
    expect((await refused(graph, REGISTER_PARTNER, { input }, t.admin)).code).toBe('CONFLICT');
  });

  it('a malformed id is BAD_USER_INPUT, an unknown one null', async () => {
    expect(await refused(graph, PARTNER, { id: 'nope' })).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'id' });
    expect((await ok(graph, PARTNER, { id: '00000000-0000-4000-8000-000000000000' })).partner).toBeNull();
  });
});

describe('agreements', () => {
  const agreementInput = (extra: Record<string, unknown> = {}) => ({
    title: 'Hosting of volunteer teachers',
    type: 'HOSTING',
    parties: [
      { partnerId: hostPartner, role: 'IMPLEMENTING' },
      { organizationId: orgA, role: 'ACCOUNTABLE' },
    ],
    validFrom: '2025-01-01',
    validTo: '2027-12-31',
    countries: ['KE'],
    sdgTargets: ['4.7', '16.a'],
    ...extra,
  });
  const AGREEMENT = `query ($id: ID!) { agreement(id: $id) { id title parties { role partner { id } organization { id } } } }`;

  it('a coordinator of a domestic party records an agreement; a coordinator of another organization may not', async () => {
    const data = await ok(graph, SIGN_AGREEMENT, { input: agreementInput() }, t.coordinatorOf(orgA));
    expect(data.signAgreement).toMatchObject({
      type: 'HOSTING',
      validFrom: '2025-01-01',
      validTo: '2027-12-31',
      countries: ['KE'],
      sdgTargets: ['4.7', '16.a'],
      parties: [
        { role: 'IMPLEMENTING', partner: { id: hostPartner }, organization: null },
        { role: 'ACCOUNTABLE', partner: null, organization: { id: orgA } },
      ],
    });
    expect((await refused(graph, SIGN_AGREEMENT, { input: agreementInput() }, t.coordinatorOf(orgB))).code).toBe('FORBIDDEN');
    // A partner, even one that is a party: signing is not in the partner contract at all,
    // and behind the contract the subgraph refuses it too.
    await outsidePartnerContract(graph, SIGN_AGREEMENT, { input: agreementInput() }, t.partner(hostPartner), 'signAgreement');
    await withoutContracts(graph, async (query) => {
      expect((await query(SIGN_AGREEMENT, { input: agreementInput() }, t.partner(hostPartner))).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );
    });
  });

  it('refuses dates out of order, a bad SDG target, an unknown country and a funding agreement without a funder', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ validFrom: '2026-01-01', validTo: '2025-12-31' }, 'input.validTo'],
      [{ sdgTargets: ['4.7', '18.1'] }, 'input.sdgTargets[1]'],
      [{ sdgTargets: ['4.8'] }, 'input.sdgTargets[0]'],
      [{ countries: ['KE', 'XX'] }, 'input.countries[1]'],
      [{ type: 'FUNDING' }, 'input.parties'],
      [
        {
          parties: [
            { partnerId: hostPartner, role: 'IMPLEMENTING' },
            { partnerId: otherPartner, role: 'FUNDING' },
          ],
        },
        'input.parties',
      ],
      [
        {
          parties: [
            { partnerId: hostPartner, organizationId: orgA, role: 'IMPLEMENTING' },
            { organizationId: orgA, role: 'FUNDING' },
          ],
        },
        'input.parties[0]',
      ],
    ];
    for (const [extra, argumentName] of cases) {
      const error = await refused(graph, SIGN_AGREEMENT, { input: agreementInput(extra) }, t.admin);
      expect(error, JSON.stringify(extra)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    }
  });

  it('an unknown party is NOT_FOUND', async () => {
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    const partner = await refused(
      graph,
      SIGN_AGREEMENT,
      {
        input: agreementInput({
          parties: [
            { partnerId: unknown, role: 'FUNDING' },
            { organizationId: orgA, role: 'IMPLEMENTING' },
          ],
        }),
      },
      t.admin,
    );
    expect(partner.code).toBe('NOT_FOUND');
    const organization = await refused(
      graph,
      SIGN_AGREEMENT,
      {
        input: agreementInput({
          parties: [
            { partnerId: hostPartner, role: 'FUNDING' },
            { organizationId: unknown, role: 'IMPLEMENTING' },
          ],
        }),
      },
      t.admin,
    );
    expect(organization.code).toBe('NOT_FOUND');
  });

  it('partners read their own agreements only; domestic parties see them on their Organization', async () => {
    const id = await signAgreement(graph, agreementInput({ title: 'Readable by its parties' }));
    expect((await ok(graph, AGREEMENT, { id }, t.partner(hostPartner))).agreement.id).toBe(id);
    const stranger = await refused(graph, AGREEMENT, { id }, t.partner(otherPartner));
    expect(stranger.code).toBe('FORBIDDEN');
    expect(stranger.body.data?.agreement).toBeNull();
    expect((await refused(graph, AGREEMENT, { id })).code).toBe('FORBIDDEN'); // the public

    const LIST = `{ agreements(first: 100) { nodes { id } } }`;
    expect((await ok(graph, LIST, {}, t.partner(hostPartner))).agreements.nodes.map((a: { id: string }) => a.id)).toContain(id);
    expect((await ok(graph, LIST, {}, t.partner(otherPartner))).agreements.nodes).toEqual([]);
    expect((await ok(graph, LIST, {}, t.coordinatorOf(orgB))).agreements.nodes).toEqual([]);

    const ORG = `query ($id: ID!) { organization(id: $id) { name agreements { id } } }`;
    expect((await ok(graph, ORG, { id: orgA }, t.coordinatorOf(orgA))).organization.agreements.map((a: { id: string }) => a.id)).toContain(
      id,
    );
    expect((await ok(graph, ORG, { id: orgA }, t.coordinatorOf(orgB))).organization.agreements).toEqual([]);
  });
});

describe('exchange missions: planning and the status machine', () => {
  it('the organizing organization plans a mission; another organization may not', async () => {
    const data = await ok(graph, PLAN_MISSION, { input: missionInput(orgA, hostPartner) }, t.coordinatorOf(orgA));
    expect(data.planExchangeMission).toMatchObject({
      status: 'PLANNED',
      hostCountry: 'KE',
      hostCountryName: 'Kenya',
      places: 5,
      participantCount: 0,
      sdgTargets: ['4.1', '4.c'],
      sdgGoals: [4],
      hostPartner: { id: hostPartner },
      organizingOrganization: { id: orgA },
    });
    expect(data.planExchangeMission.organizingOrganization.name).toMatch(/^Exchange Organizers/); // resolved by organizations
    expect((await refused(graph, PLAN_MISSION, { input: missionInput(orgA, hostPartner) }, t.coordinatorOf(orgB))).code).toBe('FORBIDDEN');
    // The host partner: planning is not in the partner contract, and behind it the subgraph refuses it too.
    await outsidePartnerContract(
      graph,
      PLAN_MISSION,
      { input: missionInput(orgA, hostPartner) },
      t.partner(hostPartner),
      'planExchangeMission',
    );
    await withoutContracts(graph, async (query) => {
      expect(
        (await query(PLAN_MISSION, { input: missionInput(orgA, hostPartner) }, t.partner(hostPartner))).errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
    });
    await planMission(graph, missionInput(orgA, hostPartner), t.admin);
  });

  it('refuses an unknown country, a mission at home, dates out of order, bad SDG targets and an agreement not in force', async () => {
    const y = NEXT_YEAR;
    const agreement = await signAgreement(graph, {
      title: 'Short memorandum',
      type: 'MEMORANDUM',
      parties: [
        { partnerId: hostPartner, role: 'IMPLEMENTING' },
        { organizationId: orgA, role: 'ACCOUNTABLE' },
      ],
      validFrom: `${y}-01-01`,
      validTo: `${y}-03-15`,
      countries: ['KE', 'TH'],
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ hostCountry: 'ZZ' }, 'input.hostCountry'],
      [{ hostCountry: 'KZ' }, 'input.hostCountry'],
      [{ startsOn: `${y}-04-01`, endsOn: `${y}-03-01` }, 'input.endsOn'],
      [{ sdgTargets: ['0.1'] }, 'input.sdgTargets[0]'],
      [{ sdgTargets: ['4.1', '17.20'] }, 'input.sdgTargets[1]'],
      [{ sdgTargets: ['four'] }, 'input.sdgTargets[0]'],
      [{ places: 0 }, 'input.places'],
      [{ agreementId: agreement, startsOn: `${y}-03-02`, endsOn: `${y}-03-27` }, 'input.agreementId'], // the agreement ends on the 15th, before the mission does
      [{ agreementId: agreement, hostCountry: 'TR', startsOn: `${y}-02-01`, endsOn: `${y}-02-20` }, 'input.agreementId'], // TR not covered
      [{ organizingOrganizationId: 'not-an-id' }, 'input.organizingOrganizationId'],
    ];
    for (const [extra, argumentName] of cases) {
      const error = await refused(graph, PLAN_MISSION, { input: missionInput(orgA, hostPartner, extra) }, t.admin);
      expect(error, JSON.stringify(extra)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    }
    // Inside the agreement's validity and countries it is accepted.
    const ok1 = await ok(
      graph,
      PLAN_MISSION,
      { input: missionInput(orgA, hostPartner, { agreementId: agreement, startsOn: `${y}-02-01`, endsOn: `${y}-02-20` }) },
      t.admin,
    );
    expect(ok1.planExchangeMission.agreement).toEqual({ id: agreement });
    expect((await refused(graph, PLAN_MISSION, { input: missionInput(orgA, '00000000-0000-4000-8000-000000000001') }, t.admin)).code).toBe(
      'NOT_FOUND',
    );
  });

  it('a mission is planned before it is over, and lasts at most 365 days', async () => {
    const count = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from exchange_missions where organizing_organization_id = ${orgA}`.execute(
          graph.db('cooperation'),
        )
      ).rows[0]!.n;
    const before = await count();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ startsOn: isoDay(-30), endsOn: isoDay(-1) }, /in the past/], // entirely in the past
      [{ startsOn: `${NEXT_YEAR}-03-01`, endsOn: `${NEXT_YEAR + 100}-03-01` }, /at most 365/], // a century
      [{ startsOn: isoDay(10), endsOn: isoDay(10 + 365) }, /lasts 366 days/], // one day too long
    ];
    for (const [extra, reason] of cases) {
      for (const token of [t.coordinatorOf(orgA), t.admin]) {
        const error = await refused(graph, PLAN_MISSION, { input: missionInput(orgA, hostPartner, extra) }, token);
        expect(error, JSON.stringify(extra)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.endsOn' });
        expect(error.body.errors![0]!.message).toMatch(reason);
      }
    }
    expect(await count()).toBe(before);
    // A full 365 days is accepted, and so is a mission that began already and ends today (recorded once under way).
    await planMission(graph, missionInput(orgA, hostPartner, { startsOn: isoDay(10), endsOn: isoDay(10 + 364) }), t.coordinatorOf(orgA));
    await planMission(graph, missionInput(orgA, hostPartner, { startsOn: isoDay(-5), endsOn: isoDay(0) }), t.coordinatorOf(orgA));
    expect(await count()).toBe(before + 2);
  });

  describe('an agreement named by the planner', () => {
    let agreement: string; // between hostPartner and orgA only
    const y = NEXT_YEAR;
    beforeAll(async () => {
      agreement = await signAgreement(graph, {
        title: 'Hosting agreement of one organization',
        type: 'HOSTING',
        parties: [
          { partnerId: hostPartner, role: 'IMPLEMENTING' },
          { organizationId: orgA, role: 'EXTENDING' },
        ],
        validFrom: `${y}-01-01`,
        validTo: `${y}-06-30`,
        countries: ['KE'],
      });
    });
    const missionsOf = async (organizationId: string) =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from exchange_missions where organizing_organization_id = ${organizationId}`.execute(
          graph.db('cooperation'),
        )
      ).rows[0]!.n;

    it('is FORBIDDEN to a coordinator who may not read it, before anything about it is told, and nothing is written', async () => {
      const before = await missionsOf(orgB);
      const AGREEMENT = `query ($id: ID!) { agreement(id: $id) { id validFrom } }`;
      expect((await refused(graph, AGREEMENT, { id: agreement }, t.coordinatorOf(orgB))).code).toBe('FORBIDDEN'); // the lookup's rule
      const probes: Record<string, unknown>[] = [
        { startsOn: `${y}-08-03`, endsOn: `${y}-08-20` }, // outside its validity: once answered with the validity
        { hostCountry: 'FR', startsOn: `${y}-02-02`, endsOn: `${y}-02-20` }, // a country it does not cover: once answered with that
        { startsOn: `${y}-02-02`, endsOn: `${y}-02-20` }, // inside it: once planned under it
      ];
      for (const extra of probes) {
        const error = await refused(
          graph,
          PLAN_MISSION,
          { input: missionInput(orgB, hostPartner, { agreementId: agreement, ...extra }) },
          t.coordinatorOf(orgB),
        );
        expect(error.code, JSON.stringify(extra)).toBe('FORBIDDEN');
        expect(error.body.errors![0]!.message).not.toMatch(new RegExp(`${y}|FR|KE`));
        expect(error.body.data?.planExchangeMission ?? null).toBeNull();
      }
      expect(await missionsOf(orgB)).toBe(before);
      const unknown = await refused(
        graph,
        PLAN_MISSION,
        { input: missionInput(orgB, hostPartner, { agreementId: '00000000-0000-4000-8000-00000000a9e1' }) },
        t.coordinatorOf(orgB),
      );
      expect(unknown.code).toBe('NOT_FOUND');
    });

    it('must have the organizing organization as a party, for admins too', async () => {
      const before = await missionsOf(orgB);
      const input = missionInput(orgB, hostPartner, { agreementId: agreement, startsOn: `${y}-02-02`, endsOn: `${y}-02-20` });
      // An admin, and a coordinator of both organizations: both may read it, but orgB is not a party.
      for (const token of [t.admin, t.coordinatorOf(orgA, orgB)]) {
        const error = await refused(graph, PLAN_MISSION, { input }, token);
        expect(error).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.agreementId' });
        expect(error.body.errors![0]!.message).toMatch(/not a party/);
      }
      expect(await missionsOf(orgB)).toBe(before);
      // The party's coordinator plans under it; outside its validity they are told why.
      const data = await ok(
        graph,
        PLAN_MISSION,
        { input: missionInput(orgA, hostPartner, { agreementId: agreement, startsOn: `${y}-02-02`, endsOn: `${y}-02-20` }) },
        t.coordinatorOf(orgA),
      );
      expect(data.planExchangeMission.agreement).toEqual({ id: agreement });
      const late = await refused(
        graph,
        PLAN_MISSION,
        { input: missionInput(orgA, hostPartner, { agreementId: agreement, startsOn: `${y}-08-03`, endsOn: `${y}-08-20` }) },
        t.coordinatorOf(orgA),
      );
      expect(late).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.agreementId' });
      expect(late.body.errors![0]!.message).toMatch(/in force/);
    });
  });

  it('moves PLANNED → OPEN → UNDER_WAY → COMPLETED; any other move is a CONFLICT; only organizers and admins move it', async () => {
    // Begun three days ago and ending today: it may be under way and completed now.
    const id = await planMission(graph, missionInput(orgA, hostPartner, { startsOn: isoDay(-3), endsOn: isoDay(0) }));
    const move = (status: string, token = t.coordinatorOf(orgA)) => graph.query(CHANGE_STATUS, { variables: { id, status }, token });

    expect((await refused(graph, CHANGE_STATUS, { id, status: 'UNDER_WAY' }, t.coordinatorOf(orgA))).code).toBe('CONFLICT');
    expect((await refused(graph, CHANGE_STATUS, { id, status: 'COMPLETED' }, t.admin)).code).toBe('CONFLICT');
    expect((await refused(graph, CHANGE_STATUS, { id, status: 'OPEN' }, t.coordinatorOf(orgB))).code).toBe('FORBIDDEN');
    expect((await move('OPEN')).body.data?.changeExchangeMissionStatus.status).toBe('OPEN');
    expect((await refused(graph, CHANGE_STATUS, { id, status: 'PLANNED' }, t.admin)).code).toBe('CONFLICT');
    expect((await move('UNDER_WAY', t.admin)).body.data?.changeExchangeMissionStatus.status).toBe('UNDER_WAY');
    expect((await move('COMPLETED')).body.data?.changeExchangeMissionStatus.status).toBe('COMPLETED');
    expect((await refused(graph, CHANGE_STATUS, { id, status: 'CANCELLED' }, t.admin)).code).toBe('CONFLICT');
    expect((await refused(graph, CHANGE_STATUS, { id: '00000000-0000-4000-8000-000000000002', status: 'OPEN' }, t.admin)).code).toBe(
      'NOT_FOUND',
    );

    const cancelled = await planMission(graph, missionInput(orgA, hostPartner));
    const data = await ok(
      graph,
      CHANGE_STATUS,
      { id: cancelled, status: 'CANCELLED', note: 'Host partner postponed' },
      t.coordinatorOf(orgA),
    );
    expect(data.changeExchangeMissionStatus).toMatchObject({ status: 'CANCELLED', statusNote: 'Host partner postponed' });
    expect((await refused(graph, CHANGE_STATUS, { id: cancelled, status: 'OPEN' }, t.admin)).code).toBe('CONFLICT');
  });

  it('is under way from its first day and completed from its last, CONFLICT before with the reason', async () => {
    const future = await planMission(graph, missionInput(orgA, hostPartner));
    await ok(graph, CHANGE_STATUS, { id: future, status: 'OPEN' }, t.coordinatorOf(orgA));
    for (const token of [t.coordinatorOf(orgA), t.admin]) {
      const early = await refused(graph, CHANGE_STATUS, { id: future, status: 'UNDER_WAY' }, token);
      expect(early.code).toBe('CONFLICT');
      expect(early.body.errors![0]!.message).toMatch(/starts on \d{4}-\d{2}-\d{2}/);
    }
    const current = await planMission(graph, missionInput(orgA, hostPartner, { startsOn: isoDay(-1), endsOn: isoDay(5) }));
    await ok(graph, CHANGE_STATUS, { id: current, status: 'OPEN' }, t.admin);
    expect(
      (await ok(graph, CHANGE_STATUS, { id: current, status: 'UNDER_WAY' }, t.coordinatorOf(orgA))).changeExchangeMissionStatus.status,
    ).toBe('UNDER_WAY');
    const unfinished = await refused(graph, CHANGE_STATUS, { id: current, status: 'COMPLETED' }, t.coordinatorOf(orgA));
    expect(unfinished.code).toBe('CONFLICT');
    expect(unfinished.body.errors![0]!.message).toMatch(new RegExp(`ends on ${isoDay(5)}`));
    const read = await ok(graph, `query ($id: ID!) { exchangeMission(id: $id) { status } }`, { id: current }, t.admin);
    expect(read.exchangeMission.status).toBe('UNDER_WAY');
  });

  it('a mission under way may be cancelled (an evacuation); a completed or cancelled one may not', async () => {
    const id = await planMission(graph, missionInput(orgA, hostPartner, { startsOn: isoDay(-2), endsOn: isoDay(3) }));
    await ok(graph, CHANGE_STATUS, { id, status: 'OPEN' }, t.admin);
    await ok(graph, CHANGE_STATUS, { id, status: 'UNDER_WAY' }, t.admin);
    expect((await refused(graph, CHANGE_STATUS, { id, status: 'CANCELLED' }, t.coordinatorOf(orgB))).code).toBe('FORBIDDEN');
    const data = await ok(graph, CHANGE_STATUS, { id, status: 'CANCELLED', note: 'Group evacuated' }, t.coordinatorOf(orgA));
    expect(data.changeExchangeMissionStatus).toMatchObject({ status: 'CANCELLED', statusNote: 'Group evacuated' });
    expect((await refused(graph, CHANGE_STATUS, { id, status: 'UNDER_WAY' }, t.admin)).code).toBe('CONFLICT');
  });

  it('two racing identical transitions: exactly one wins, the other is a CONFLICT', async () => {
    const id = await planMission(graph, missionInput(orgA, hostPartner));
    const results = await Promise.all([1, 2].map(() => graph.query(CHANGE_STATUS, { variables: { id, status: 'OPEN' }, token: t.admin })));
    expect(results.filter((r) => !r.body.errors)).toHaveLength(1);
    expect(results.filter((r) => r.body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(1);
  });
});

describe('participants and eligibility', () => {
  let mission: string;
  beforeAll(async () => {
    mission = await planMission(graph, missionInput(orgA, hostPartner, { places: 3 }));
  });

  it('Volunteer.missionEligible comes from the volunteers subgraph through @requires', async () => {
    const ELIGIBLE = `query ($id: ID!) { volunteer(id: $id) { id isAdult approvedMinutes missionEligible } }`;
    const yes = await ok(graph, ELIGIBLE, { id: eligible[0] }, t.admin);
    expect(yes.volunteer).toMatchObject({ isAdult: true, approvedMinutes: 2400, missionEligible: true });
    const short = await ok(graph, ELIGIBLE, { id: adultWithoutHours }, t.admin);
    expect(short.volunteer).toMatchObject({ isAdult: true, approvedMinutes: 2399, missionEligible: false });
    const minor = await ok(graph, ELIGIBLE, { id: minorWithHours }, t.coordinatorOf(orgA));
    expect(minor.volunteer).toMatchObject({ isAdult: false, missionEligible: false });
    // The volunteer themself may read it; a partner may not: the field is not in the partner
    // contract, and behind the contract the cooperation subgraph withholds it with FORBIDDEN.
    const self = await ok(
      graph,
      `query ($id: ID!) { volunteer(id: $id) { missionEligible } }`,
      { id: eligible[1] },
      t.volunteer(eligible[1]!),
    );
    expect(self.volunteer.missionEligible).toBe(true);
    const PARTNER_ELIGIBLE = `query ($id: ID!) { volunteer(id: $id) { id missionEligible } }`;
    await outsidePartnerContract(graph, PARTNER_ELIGIBLE, { id: eligible[0] }, t.partner(hostPartner), 'missionEligible');
    await withoutContracts(graph, async (query) => {
      const partner = await query(PARTNER_ELIGIBLE, { id: eligible[0] }, t.partner(hostPartner));
      expect(partner.errors?.some((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.includes('missionEligible'))).toBe(true);
      expect(partner.data?.volunteer).toEqual({ id: eligible[0], missionEligible: null }); // the volunteer is still served
    });
  });

  it('an analyst listing volunteers gets missionEligible null with FORBIDDEN per row, and the rows themselves', async () => {
    const { body } = await graph.query(`{ volunteers(first: 3) { nodes { id missionEligible } } }`, { token: t.analyst });
    const nodes = body.data?.volunteers?.nodes as { id: string; missionEligible: boolean | null }[];
    expect(nodes).toHaveLength(3);
    for (const node of nodes) expect(node).toEqual({ id: expect.any(String), missionEligible: null });
    expect(body.errors).toHaveLength(3);
    for (const error of body.errors!) {
      expect(error.extensions?.code).toBe('FORBIDDEN');
      expect(error.path?.at(-1)).toBe('missionEligible');
    }
    // A coordinator reads the same rows with the answer.
    const coordinator = await ok(graph, `{ volunteers(first: 3) { nodes { id missionEligible } } }`, {}, t.coordinatorOf(orgA));
    for (const node of coordinator.volunteers.nodes) expect(typeof node.missionEligible).toBe('boolean');
  });

  it('an organizer adds eligible volunteers; an ineligible one is BAD_USER_INPUT naming the volunteer', async () => {
    const data = await ok(
      graph,
      ADD_PARTICIPANT,
      { input: { missionId: mission, volunteerId: eligible[0], role: 'TEAM_LEADER' } },
      t.coordinatorOf(orgA),
    );
    expect(data.addMissionParticipant).toMatchObject({
      role: 'TEAM_LEADER',
      outcome: null,
      volunteer: { id: eligible[0] },
      mission: { participantCount: 1 },
    });

    for (const volunteerId of [adultWithoutHours, minorWithHours]) {
      const error = await refused(graph, ADD_PARTICIPANT, { input: { missionId: mission, volunteerId } }, t.coordinatorOf(orgA));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.volunteerId' });
      expect(error.body.errors![0]!.message).toMatch(/not eligible/);
    }
    expect(
      (await refused(graph, ADD_PARTICIPANT, { input: { missionId: mission, volunteerId: eligible[1] } }, t.coordinatorOf(orgB))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await refused(graph, ADD_PARTICIPANT, { input: { missionId: mission, volunteerId: eligible[1] } }, t.volunteer(eligible[1]!))).code,
    ).toBe('FORBIDDEN');
    expect((await refused(graph, ADD_PARTICIPANT, { input: { missionId: mission, volunteerId: eligible[0] } }, t.admin)).code).toBe(
      'CONFLICT',
    );
    const unknown = await refused(
      graph,
      ADD_PARTICIPANT,
      { input: { missionId: mission, volunteerId: '00000000-0000-4000-8000-000000000003' } },
      t.admin,
    );
    expect(unknown.code).toBe('NOT_FOUND');
    const missing = await refused(
      graph,
      ADD_PARTICIPANT,
      { input: { missionId: '00000000-0000-4000-8000-000000000004', volunteerId: eligible[1] } },
      t.admin,
    );
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('two volunteers racing for the last place: exactly one gets it', async () => {
    const small = await planMission(graph, missionInput(orgA, hostPartner, { places: 1 }));
    const results = await Promise.all(
      [eligible[2], eligible[3]].map((volunteerId) =>
        graph.query(ADD_PARTICIPANT, { variables: { input: { missionId: small, volunteerId } }, token: t.admin }),
      ),
    );
    expect(results.filter((r) => !r.body.errors)).toHaveLength(1);
    expect(results.filter((r) => r.body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(1);
    const read = await ok(
      graph,
      `query ($id: ID!) { exchangeMission(id: $id) { participantCount participants { id } } }`,
      { id: small },
      t.admin,
    );
    expect(read.exchangeMission).toMatchObject({ participantCount: 1 });
    expect(read.exchangeMission.participants).toHaveLength(1);
  });

  it('participants join planned or open missions only; outcomes and results once under way', async () => {
    const id = await planMission(graph, missionInput(orgA, hostPartner, { startsOn: isoDay(-2), endsOn: isoDay(1) }));
    const participation = await addParticipant(graph, id, eligible[1]!);
    const OUTCOME = `mutation ($id: ID!, $outcome: ParticipationOutcome!) { recordParticipationOutcome(participationId: $id, outcome: $outcome) { outcome } }`;
    const RESULT = `mutation ($input: RecordMissionResultInput!) { recordMissionResult(input: $input) { summary indicator value } }`;
    expect((await refused(graph, OUTCOME, { id: participation, outcome: 'COMPLETED' }, t.admin)).code).toBe('CONFLICT');
    expect((await refused(graph, RESULT, { input: { missionId: id, summary: 'Too early' } }, t.admin)).code).toBe('CONFLICT');
    await ok(graph, CHANGE_STATUS, { id, status: 'OPEN' }, t.admin);
    await ok(graph, CHANGE_STATUS, { id, status: 'UNDER_WAY' }, t.admin);
    expect((await refused(graph, ADD_PARTICIPANT, { input: { missionId: id, volunteerId: eligible[2] } }, t.admin)).code).toBe('CONFLICT');
    expect((await refused(graph, OUTCOME, { id: participation, outcome: 'COMPLETED' }, t.coordinatorOf(orgB))).code).toBe('FORBIDDEN');
    expect(
      (await ok(graph, OUTCOME, { id: participation, outcome: 'COMPLETED' }, t.coordinatorOf(orgA))).recordParticipationOutcome.outcome,
    ).toBe('COMPLETED');
    expect(await refused(graph, RESULT, { input: { missionId: id, summary: 'Coding clubs', value: 4 } }, t.admin)).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'input.indicator',
    });
    expect(
      (await refused(graph, RESULT, { input: { missionId: id, summary: 'Clubs', indicator: 'clubs', value: 4 } }, t.coordinatorOf(orgB)))
        .code,
    ).toBe('FORBIDDEN');
    const result = await ok(
      graph,
      RESULT,
      { input: { missionId: id, summary: 'Coding clubs set up', indicator: 'clubs', value: 4 } },
      t.coordinatorOf(orgA),
    );
    expect(result.recordMissionResult).toEqual({ summary: 'Coding clubs set up', indicator: 'clubs', value: 4 });
    const read = await ok(
      graph,
      `query ($id: ID!) { exchangeMission(id: $id) { results { summary value } participants { outcome } } }`,
      { id },
      t.partner(hostPartner),
    );
    expect(read.exchangeMission).toEqual({
      results: [{ summary: 'Coding clubs set up', value: 4 }],
      participants: [{ outcome: 'COMPLETED' }],
    });
  });

  it('a volunteer withdraws themself; another volunteer may not withdraw them', async () => {
    const id = await planMission(graph, missionInput(orgA, hostPartner));
    const participation = await addParticipant(graph, id, eligible[2]!);
    const WITHDRAW = `mutation ($id: ID!) { withdrawMissionParticipant(participationId: $id) { outcome mission { participantCount } } }`;
    expect((await refused(graph, WITHDRAW, { id: participation }, t.volunteer(eligible[3]!))).code).toBe('FORBIDDEN');
    const data = await ok(graph, WITHDRAW, { id: participation }, t.volunteer(eligible[2]!));
    expect(data.withdrawMissionParticipant).toEqual({ outcome: 'WITHDRAWN', mission: { participantCount: 0 } });
    expect((await refused(graph, WITHDRAW, { id: participation }, t.admin)).code).toBe('CONFLICT');
  });

  it('a volunteer is on one mission at a time: an overlapping one is a CONFLICT, unless withdrawn or cancelled', async () => {
    const volunteer = await eligibleVolunteer(graph, orgA, '590000000');
    const y = NEXT_YEAR + 2;
    const plan = (startsOn: string, endsOn: string) => planMission(graph, missionInput(orgA, hostPartner, { startsOn, endsOn }));
    const june = await plan(`${y}-06-01`, `${y}-06-20`);
    const overlapping = await plan(`${y}-06-15`, `${y}-06-30`);
    const endingOnItsFirstDay = await plan(`${y}-05-20`, `${y}-06-01`);
    const theDayAfter = await plan(`${y}-06-21`, `${y}-06-30`);
    await addParticipant(graph, june, volunteer, t.coordinatorOf(orgA));
    for (const [mission, token] of [
      [overlapping, t.coordinatorOf(orgA)],
      [endingOnItsFirstDay, t.admin],
    ] as const) {
      const error = await refused(graph, ADD_PARTICIPANT, { input: { missionId: mission, volunteerId: volunteer } }, token);
      expect(error).toMatchObject({ code: 'CONFLICT', argumentName: 'input.volunteerId' });
      expect(error.body.errors![0]!.message).toMatch(/another exchange mission at the same time/);
    }
    const later = await addParticipant(graph, theDayAfter, volunteer); // starts the day after June's ends
    // Withdrawn from the later one, still on June's: the overlapping mission stays refused ...
    await ok(
      graph,
      `mutation ($id: ID!) { withdrawMissionParticipant(participationId: $id) { id } }`,
      { id: later },
      t.volunteer(volunteer),
    );
    expect((await refused(graph, ADD_PARTICIPANT, { input: { missionId: overlapping, volunteerId: volunteer } }, t.admin)).code).toBe(
      'CONFLICT',
    );
    // ... until June's is cancelled too.
    await ok(graph, CHANGE_STATUS, { id: june, status: 'CANCELLED' }, t.admin);
    await addParticipant(graph, overlapping, volunteer, t.coordinatorOf(orgA));
    const { rows } = await sql<{ mission_id: string }>`
      select mission_id::text from mission_participants where volunteer_id = ${volunteer} and outcome is null order by added_at`.execute(
      graph.db('cooperation'),
    );
    expect(rows.map((r) => r.mission_id)).toEqual([june, overlapping]);
  });

  it('two overlapping missions racing for the same volunteer: exactly one gets them', async () => {
    const volunteer = await eligibleVolunteer(graph, orgA, '590000000');
    const y = NEXT_YEAR + 3;
    const first = await planMission(graph, missionInput(orgA, hostPartner, { startsOn: `${y}-04-01`, endsOn: `${y}-04-20` }));
    const second = await planMission(graph, missionInput(orgA, hostPartner, { startsOn: `${y}-04-10`, endsOn: `${y}-04-30` }));
    const results = await Promise.all(
      [first, second].map((missionId) =>
        graph.query(ADD_PARTICIPANT, { variables: { input: { missionId, volunteerId: volunteer } }, token: t.admin }),
      ),
    );
    expect(results.filter((r) => !r.body.errors)).toHaveLength(1);
    expect(results.filter((r) => r.body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(1);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from mission_participants where volunteer_id = ${volunteer}`.execute(graph.db('cooperation'));
    expect(rows[0]!.n).toBe(1);
  });
});

describe('who reads missions: organizers, partners, participants; never personal data', () => {
  let mission: string;
  let agreement: string;
  let agreementPartner: string;
  beforeAll(async () => {
    agreementPartner = await registerPartner(graph, { name: 'Agreement Funder', country: 'KR', kind: 'FOREIGN_GOVERNMENT' });
    agreement = await signAgreement(graph, {
      title: 'Funding of the Kenya exchange',
      type: 'FUNDING',
      parties: [
        { partnerId: agreementPartner, role: 'FUNDING' },
        { organizationId: orgA, role: 'EXTENDING' },
      ],
      validFrom: '2025-01-01',
    });
    mission = await planMission(graph, missionInput(orgA, hostPartner, { agreementId: agreement }));
    await addParticipant(graph, mission, eligible[3]!);
  });
  const MISSION = `query ($id: ID!) { exchangeMission(id: $id) { id title participants { volunteer { id } } } }`;

  it('the organizer, the host partner, a partner to its agreement and a participant read it; others get FORBIDDEN', async () => {
    for (const token of [
      t.admin,
      t.analyst,
      t.coordinatorOf(orgA),
      t.partner(hostPartner),
      t.partner(agreementPartner),
      t.volunteer(eligible[3]!),
    ]) {
      expect((await ok(graph, MISSION, { id: mission }, token)).exchangeMission.id).toBe(mission);
    }
    for (const token of [undefined, t.coordinatorOf(orgB), t.partner(otherPartner), t.volunteer(eligible[0]!)]) {
      const error = await refused(graph, MISSION, { id: mission }, token);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.body.data?.exchangeMission).toBeNull();
    }
  });

  it('lists are scoped to what the caller may read', async () => {
    const LIST = `query { exchangeMissions(first: 100) { nodes { id } } }`;
    const ids = async (token?: string) => (await ok(graph, LIST, {}, token)).exchangeMissions.nodes.map((m: { id: string }) => m.id);
    expect(await ids(t.partner(agreementPartner))).toEqual([mission]);
    expect(await ids(t.volunteer(eligible[3]!))).toContain(mission);
    expect(await ids(t.partner(otherPartner))).toEqual([]);
    expect(await ids(t.coordinatorOf(orgB))).toEqual([]);
    expect(await ids()).toEqual([]);
    expect(await ids(t.coordinatorOf(orgA))).toContain(mission);
    const byCountry = await ok(graph, `{ exchangeMissions(first: 100, filter: { hostCountry: "TH" }) { nodes { id } } }`, {}, t.admin);
    expect(byCountry.exchangeMissions.nodes).toEqual([]);
    expect(await refused(graph, `{ exchangeMissions(first: 101) { nodes { id } } }`, {}, t.admin)).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'first',
    });
  });

  it('a partner sees participants only as Volunteer references: personal data stays null', async () => {
    const references = await ok(
      graph,
      `query ($id: ID!) { exchangeMission(id: $id) { participants { volunteer { id } } } }`,
      { id: mission },
      t.partner(hostPartner),
    );
    expect(references.exchangeMission.participants).toEqual([{ volunteer: { id: eligible[3] } }]);
    // Personal data is not in the partner contract ...
    const PERSONAL = `query ($id: ID!) { exchangeMission(id: $id) { participants { volunteer { id firstName iin } } } }`;
    await outsidePartnerContract(graph, PERSONAL, { id: mission }, t.partner(hostPartner), 'firstName');
    // ... and behind the contract it stays null.
    await withoutContracts(graph, async (query) => {
      const body = await query(PERSONAL, { id: mission }, t.partner(hostPartner));
      const [participant] = body.data!.exchangeMission.participants;
      expect(participant.volunteer.id).toBe(eligible[3]);
      expect(participant.volunteer.firstName).toBeNull();
      expect(participant.volunteer.iin).toBeNull();
    });
  });

  it('the agreement behind a mission is FORBIDDEN to a host partner who is not party to it', async () => {
    const { body } = await graph.query(`query ($id: ID!) { exchangeMission(id: $id) { id agreement { id } } }`, {
      variables: { id: mission },
      token: t.partner(hostPartner),
    });
    expect(body.data?.exchangeMission).toEqual({ id: mission, agreement: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const funder = await ok(
      graph,
      `query ($id: ID!) { exchangeMission(id: $id) { agreement { id missions { id } } } }`,
      { id: mission },
      t.partner(agreementPartner),
    );
    expect(funder.exchangeMission.agreement).toEqual({ id: agreement, missions: [{ id: mission }] });
  });

  it('Volunteer.missions and Organization.missions show what the caller may read', async () => {
    const VOLUNTEER = `query ($id: ID!) { volunteer(id: $id) { missions { role mission { id hostCountry } } } }`;
    const own = await ok(graph, VOLUNTEER, { id: eligible[3] }, t.volunteer(eligible[3]!));
    expect(own.volunteer.missions.map((p: { mission: { id: string } }) => p.mission.id)).toContain(mission);
    const stranger = await ok(graph, VOLUNTEER, { id: eligible[3] }, t.partner(otherPartner));
    expect(stranger.volunteer.missions).toEqual([]);
    const ORG = `query ($id: ID!) { organization(id: $id) { missions { id } } }`;
    expect((await ok(graph, ORG, { id: orgA }, t.coordinatorOf(orgA))).organization.missions.map((m: { id: string }) => m.id)).toContain(
      mission,
    );
    expect((await ok(graph, ORG, { id: orgA }, t.partner(otherPartner))).organization.missions).toEqual([]);
  });

  it('a grant of the donations subgraph funds a mission: Grant.missionsFunded', async () => {
    const grant = await awardGrant(graph, orgA, agreementPartner);
    const FUND = `mutation ($m: ID!, $g: ID!) { fundExchangeMission(missionId: $m, grantId: $g) { fundingGrants { id } } }`;
    expect((await refused(graph, FUND, { m: mission, g: grant }, t.coordinatorOf(orgB))).code).toBe('FORBIDDEN');
    expect((await ok(graph, FUND, { m: mission, g: grant }, t.coordinatorOf(orgA))).fundExchangeMission.fundingGrants).toEqual([
      { id: grant },
    ]);
    expect((await refused(graph, FUND, { m: mission, g: grant }, t.admin)).code).toBe('CONFLICT');
    expect((await refused(graph, FUND, { m: mission, g: '00000000-0000-4000-8000-000000000005' }, t.admin)).code).toBe('NOT_FOUND');
    const read = await ok(graph, `query ($id: ID!) { grant(id: $id) { id missionsFunded { id } } }`, { id: grant }, t.admin);
    expect(read.grant.missionsFunded).toEqual([{ id: mission }]);
  });
});

describe('totals', () => {
  const REGION = `{ region(code: "590000000") { missionParticipants(year: ${NEXT_YEAR}) } }`;
  const TOTALS = `query ($year: Int!) { cooperationTotals(year: $year) { year missions participants
    byHostCountry { country countryName missions participants } byHostPartner { partner { id } missions participants } } }`;

  /** A recount from the entries: participants not withdrawn, of missions not cancelled, starting next year, from North Kazakhstan. */
  async function recountRegion(): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from mission_participants p join exchange_missions m on m.id = p.mission_id
      where p.region_code = '590000000' and m.status <> 'CANCELLED' and (p.outcome is null or p.outcome <> 'WITHDRAWN')
        and m.starts_on between ${`${NEXT_YEAR}-01-01`} and ${`${NEXT_YEAR}-12-31`}`.execute(graph.db('cooperation'));
    return rows[0]!.n;
  }

  it('Region.missionParticipants follows adds, withdrawals and cancellations, and equals a recount', async () => {
    const before = (await ok(graph, REGION, {})).region.missionParticipants;
    expect(before).toBe(await recountRegion());
    const id = await planMission(graph, missionInput(orgA, hostPartner, { hostCountry: 'TH' }));
    const p0 = await addParticipant(graph, id, eligible[0]!);
    await addParticipant(graph, id, eligible[1]!);
    expect((await ok(graph, REGION, {})).region.missionParticipants).toBe(before + 2);
    await ok(graph, `mutation ($id: ID!) { withdrawMissionParticipant(participationId: $id) { id } }`, { id: p0 }, t.admin);
    expect((await ok(graph, REGION, {})).region.missionParticipants).toBe(before + 1);
    await ok(graph, CHANGE_STATUS, { id, status: 'CANCELLED' }, t.admin);
    const after = (await ok(graph, REGION, {})).region.missionParticipants;
    expect(after).toBe(before);
    expect(after).toBe(await recountRegion());
    expect(
      (await ok(graph, `{ region(code: "100000000") { missionParticipants(year: ${NEXT_YEAR}) } }`, {})).region.missionParticipants,
    ).toBe(0);
  });

  it('analysts read missions and participants per host country and partner, equal to a recount; coordinators may not', async () => {
    const thai = await registerPartner(graph, { name: 'Thai Volunteer Service', country: 'TH' });
    const later = NEXT_YEAR + 1;
    const id = await planMission(
      graph,
      missionInput(orgA, thai, { hostCountry: 'TH', startsOn: `${later}-05-01`, endsOn: `${later}-05-20` }),
    );
    await addParticipant(graph, id, eligible[0]!);
    await addParticipant(graph, id, eligible[1]!);
    const data = await ok(graph, TOTALS, { year: later }, t.analyst);
    expect(data.cooperationTotals).toEqual({
      year: later,
      missions: 1,
      participants: 2,
      byHostCountry: [{ country: 'TH', countryName: 'Thailand', missions: 1, participants: 2 }],
      byHostPartner: [{ partner: { id: thai }, missions: 1, participants: 2 }],
    });

    const totalsNextYear = (await ok(graph, TOTALS, { year: NEXT_YEAR }, t.admin)).cooperationTotals;
    const { rows } = await sql<{ host_country: string; missions: number; participants: number }>`
      select m.host_country, count(distinct m.id)::int as missions,
        (count(p.id) filter (where p.outcome is distinct from 'WITHDRAWN'))::int as participants
      from exchange_missions m left join mission_participants p on p.mission_id = m.id
      where m.status <> 'CANCELLED' and m.starts_on between ${`${NEXT_YEAR}-01-01`} and ${`${NEXT_YEAR}-12-31`}
      group by m.host_country order by m.host_country`.execute(graph.db('cooperation'));
    const byCountry = [...totalsNextYear.byHostCountry].sort((a: { country: string }, b: { country: string }) =>
      a.country < b.country ? -1 : 1,
    );
    expect(
      byCountry.map((c: { country: string; missions: number; participants: number }) => ({
        host_country: c.country,
        missions: c.missions,
        participants: c.participants,
      })),
    ).toEqual(rows);

    const refusedTotals = await refused(graph, TOTALS, { year: later }, t.coordinatorOf(orgA));
    expect(refusedTotals.code).toBe('FORBIDDEN');
    await outsidePartnerContract(graph, TOTALS, { year: later }, t.partner(thai), 'cooperationTotals'); // analysts' totals: not in the partner contract
  });
});

describe('UN Volunteer assignments', () => {
  const RECORD = `mutation ($input: RecordUnVolunteerAssignmentInput!) {
    recordUnVolunteerAssignment(input: $input) { id modality hostEntity dutyStation dutyCountry hostPartner { id } volunteer { id } }
  }`;
  const input = (extra: Record<string, unknown> = {}) => ({
    volunteerId: eligible[0],
    modality: 'NATIONAL',
    hostEntity: 'UNDP Kazakhstan',
    hostPartnerId: hostPartner,
    dutyStation: 'Astana',
    startsOn: '2026-02-01',
    endsOn: '2027-01-31',
    ...extra,
  });

  it('an admin records an assignment; a coordinator may not', async () => {
    const data = await ok(graph, RECORD, { input: input() }, t.admin);
    expect(data.recordUnVolunteerAssignment).toMatchObject({
      modality: 'NATIONAL',
      dutyCountry: 'KZ',
      dutyStation: 'Astana',
      hostPartner: { id: hostPartner },
      volunteer: { id: eligible[0] },
    });
    const online = await ok(graph, RECORD, { input: input({ modality: 'ONLINE', dutyStation: 'Home' }) }, t.admin);
    expect(online.recordUnVolunteerAssignment).toMatchObject({ dutyStation: null, dutyCountry: null });
    expect((await refused(graph, RECORD, { input: input() }, t.coordinatorOf(orgA))).code).toBe('FORBIDDEN');
  });

  it('refuses dates out of order, an international assignment at home, an unknown country and an unknown volunteer', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ startsOn: '2026-05-01', endsOn: '2026-04-01' }, 'input.endsOn'],
      [{ modality: 'INTERNATIONAL', dutyCountry: 'KZ' }, 'input.dutyCountry'],
      [{ modality: 'INTERNATIONAL', dutyCountry: 'QQ', dutyStation: 'Nairobi' }, 'input.dutyCountry'],
      [{ modality: 'INTERNATIONAL', dutyCountry: 'KE', dutyStation: null }, 'input.dutyStation'],
    ];
    for (const [extra, argumentName] of cases) {
      expect(await refused(graph, RECORD, { input: input(extra) }, t.admin), JSON.stringify(extra)).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName,
      });
    }
    expect((await refused(graph, RECORD, { input: input({ volunteerId: '00000000-0000-4000-8000-000000000006' }) }, t.admin)).code).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses a minor: UN Volunteers are adults (asked of the volunteers subgraph), and nothing is written', async () => {
    for (const modality of ['NATIONAL', 'ONLINE']) {
      const error = await refused(graph, RECORD, { input: input({ volunteerId: minorWithHours, modality }) }, t.admin);
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.volunteerId' });
      expect(error.body.errors![0]!.message).toMatch(/not an adult/);
    }
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from un_volunteer_assignments where volunteer_id = ${minorWithHours}`.execute(graph.db('cooperation'));
    expect(rows[0]!.n).toBe(0);
    // An adult without the 40 hours a mission asks for may serve: that rule is the missions'.
    const data = await ok(graph, RECORD, { input: input({ volunteerId: adultWithoutHours, modality: 'ONLINE' }) }, t.admin);
    expect(data.recordUnVolunteerAssignment.volunteer).toEqual({ id: adultWithoutHours });
  });

  it('the volunteer and the host partner read it; another volunteer may not', async () => {
    const id = (
      await ok(
        graph,
        RECORD,
        { input: input({ volunteerId: eligible[1], modality: 'INTERNATIONAL', dutyCountry: 'KE', dutyStation: 'Nairobi' }) },
        t.admin,
      )
    ).recordUnVolunteerAssignment.id;
    const READ = `query ($id: ID!) { unVolunteerAssignment(id: $id) { id dutyCountry } }`;
    expect((await ok(graph, READ, { id }, t.volunteer(eligible[1]!))).unVolunteerAssignment).toEqual({ id, dutyCountry: 'KE' });
    expect((await ok(graph, READ, { id }, t.partner(hostPartner))).unVolunteerAssignment.id).toBe(id);
    expect((await refused(graph, READ, { id }, t.volunteer(eligible[2]!))).code).toBe('FORBIDDEN');
    const mine = await ok(
      graph,
      `query ($id: ID!) { volunteer(id: $id) { unVolunteerAssignments { id modality } } }`,
      { id: eligible[1] },
      t.volunteer(eligible[1]!),
    );
    expect(mine.volunteer.unVolunteerAssignments).toEqual([{ id, modality: 'INTERNATIONAL' }]);
  });
});

describe('audit log', () => {
  const AUDIT = `query ($id: String) { cooperationAuditLog(first: 50, filter: { entityId: $id }) { nodes { action entity entityId actorKind actorSubject details } } }`;

  it('every change is in the audit log, which only admins read', async () => {
    const id = await planMission(graph, missionInput(orgA, hostPartner), t.coordinatorOf(orgA));
    await ok(graph, CHANGE_STATUS, { id, status: 'OPEN' }, t.admin);
    await addParticipant(graph, id, eligible[0]!, t.coordinatorOf(orgA));
    const data = await ok(graph, AUDIT, { id }, t.admin);
    expect(data.cooperationAuditLog.nodes.map((e: { action: string }) => e.action).sort()).toEqual([
      'mission.participant.add',
      'mission.plan',
      'mission.status',
    ]);
    const plan = data.cooperationAuditLog.nodes.find((e: { action: string }) => e.action === 'mission.plan');
    expect(plan).toMatchObject({ entity: 'ExchangeMission', entityId: id, actorKind: 'coordinator' });
    expect(JSON.parse(plan.details)).toMatchObject({ hostCountry: 'KE' });
    for (const token of [t.coordinatorOf(orgA), t.analyst]) {
      const error = await refused(graph, AUDIT, { id }, token);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.body.data?.cooperationAuditLog ?? null).toBeNull();
    }
    await outsidePartnerContract(graph, AUDIT, { id }, t.partner(hostPartner), 'cooperationAuditLog'); // not in the partner contract
  });
});

describe('entities straight against the subgraph', () => {
  it('computes Volunteer.missionEligible from the @requires facts and resolves its own entities by key', async () => {
    const partnerMission = await planMission(graph, missionInput(orgA, hostPartner));
    const identity = await signIdentity(viewerFromClaims({ role: 'admin', sub: 'entities-test' }), internalSecret());
    const response = await fetch(graph.subgraphUrl('cooperation'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
      body: JSON.stringify({
        query: `query ($r: [_Any!]!) { _entities(representations: $r) {
          ... on Volunteer { id missionEligible }
          ... on Partner { id name }
          ... on ExchangeMission { id status }
          ... on Region { code missionParticipants(year: 2026) }
        } }`,
        variables: {
          r: [
            { __typename: 'Volunteer', id: eligible[0], isAdult: true, approvedMinutes: 2400 },
            { __typename: 'Volunteer', id: eligible[0], isAdult: true, approvedMinutes: 2399 },
            { __typename: 'Volunteer', id: eligible[0], isAdult: false, approvedMinutes: 100_000 },
            { __typename: 'Partner', id: hostPartner },
            { __typename: 'Partner', id: '00000000-0000-4000-8000-000000000007' },
            { __typename: 'ExchangeMission', id: partnerMission },
            { __typename: 'Region', code: '100000000' },
          ],
        },
      }),
    });
    const body = (await response.json()) as { data: { _entities: unknown[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { id: eligible[0], missionEligible: true },
      { id: eligible[0], missionEligible: false },
      { id: eligible[0], missionEligible: false },
      { id: hostPartner, name: 'Harambee Test Volunteers' },
      null,
      { id: partnerMission, status: 'PLANNED' },
      { code: '100000000', missionParticipants: 0 },
    ]);
  });

  it('refuses a call that did not come through the gateway', async () => {
    const response = await fetch(graph.subgraphUrl('cooperation'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ partners(first: 1) { nodes { id } } }' }),
    });
    expect(response.status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../harness.ts';
import { isoDay, key, ok, refused, registerOrganization, tokens } from './helpers.ts';

let graph: Graph;
let t: ReturnType<typeof tokens>;
let grantee: string;

const today = isoDay();
const yearsOn = (start: string, years: number) => {
  const d = new Date(`${Number(start.slice(0, 4)) + years}${start.slice(4)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

const CREATE_PROGRAMME = `mutation ($input: CreateGrantProgrammeInput!) { createGrantProgramme(input: $input) { id maxGrantYears } }`;
const CREATE_APPLICATION = `mutation ($input: CreateGrantApplicationInput!) { createGrantApplication(input: $input) { id } }`;
const SUBMIT = `mutation ($id: ID!) { submitGrantApplication(id: $id) { id } }`;
const AWARD = `mutation ($input: AwardGrantInput!) {
  awardGrant(input: $input) { id historical periodStart periodEnd funders { type name share organization { id } partner { id } } }
}`;
const DISBURSE = `mutation ($input: RecordDisbursementInput!, $key: String!) {
  recordDisbursement(input: $input, idempotencyKey: $key) {
    amount { amount currency } amountKzt { amount currency } exchangeRate { rate date source }
    attribution { funder { type name share } amount { amount currency } amountKzt { amount } }
  }
}`;
const TOTALS = `query ($from: Date, $to: Date) { grantTotalsByFunderType(from: $from, to: $to) { funderType disbursed { amount currency } disbursedKzt { amount currency } unconvertedPayments } }`;

/** A programme funded by a state body known by name (an admin may act for it), open this year. */
async function programme(currency: string, over: Record<string, unknown> = {}): Promise<{ id: string; maxGrantYears: number }> {
  const input = {
    title: `Long-term care ${currency}`,
    funder: { kind: 'STATE_BODY', name: 'Ministry of Culture and Information' },
    budget: { amount: '10000000.00', currency },
    applicationOpensOn: `${today.slice(0, 4)}-01-01`,
    applicationClosesOn: `${today.slice(0, 4)}-12-31`,
    ...over,
  };
  return (await ok(graph, CREATE_PROGRAMME, { input }, t.admin)).createGrantProgramme;
}

async function application(programmeId: string, currency: string): Promise<string> {
  const { id } = (
    await ok(
      graph,
      CREATE_APPLICATION,
      { input: { programmeId, applicantId: grantee, title: 'Care at home', requestedAmount: { amount: '1000', currency } } },
      t.coordinatorOf(grantee),
    )
  ).createGrantApplication;
  await ok(graph, SUBMIT, { id }, t.coordinatorOf(grantee));
  return id;
}

const awardInput = (applicationId: string, amount: string, over: Record<string, unknown> = {}) => {
  const start = (over.periodStart as string | undefined) ?? isoDay(1);
  return {
    applicationId,
    amount,
    awardDate: today,
    periodStart: start,
    periodEnd: yearsOn(start, 2),
    plannedDisbursements: [{ dueOn: today, amount }],
    ...over,
  };
};

beforeAll(async () => {
  graph = await startGraph();
  t = tokens(graph);
  grantee = await registerOrganization(graph, 'Co-funded grantee', '750000000');
  // Today's official USD rate, as the daily import would record it.
  await ok(
    graph,
    `mutation ($input: RecordExchangeRateInput!) { recordExchangeRate(input: $input) { date } }`,
    { input: { currency: 'USD', date: today, rate: '500.00' } },
    t.admin,
  );
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

describe('co-funded long-term grants', () => {
  it('run up to 5 years by default, and attribute every payment to the funders by share, exactly, in USD and in KZT', async () => {
    const usd = await programme('USD');
    expect(usd.maxGrantYears).toBe(5);
    const funders = [
      { type: 'STATE', name: 'Ministry of Culture and Information', share: '50' },
      { type: 'INTERNATIONAL', name: 'UN Volunteers', share: '33.33' },
      { type: 'DOMESTIC', name: 'Kazakh donors’ fund', share: '16.67' },
    ];
    const start = isoDay(1);
    const grant = (
      await ok(
        graph,
        AWARD,
        { input: awardInput(await application(usd.id, 'USD'), '1000.00', { periodStart: start, periodEnd: yearsOn(start, 5), funders }) },
        t.admin,
      )
    ).awardGrant;
    expect(grant.periodEnd).toBe(yearsOn(start, 5));
    expect(grant.historical).toBe(false);
    expect(grant.funders).toEqual([
      { type: 'STATE', name: 'Ministry of Culture and Information', share: '50.00', organization: null, partner: null },
      { type: 'INTERNATIONAL', name: 'UN Volunteers', share: '33.33', organization: null, partner: null },
      { type: 'DOMESTIC', name: 'Kazakh donors’ fund', share: '16.67', organization: null, partner: null },
    ]);

    const paid = (await ok(graph, DISBURSE, { input: { grantId: grant.id, amount: '100.01', date: today }, key: key() }, t.admin))
      .recordDisbursement;
    expect(paid.amountKzt).toEqual({ amount: '50005.00', currency: 'KZT' });
    expect(paid.exchangeRate).toEqual({ rate: '500.00', date: today, source: 'National Bank of Kazakhstan' });
    // 100.01 USD by 50 / 33.33 / 16.67: 50.005 → 50.01 (the cent left over goes to the largest fraction), 33.33, 16.67;
    // 50005.00 KZT: 25002.50, 16666.665 → 16666.67, 8335.8335 → 8335.83. Each column sums to the payment.
    expect(paid.attribution).toEqual([
      {
        funder: { type: 'STATE', name: 'Ministry of Culture and Information', share: '50.00' },
        amount: { amount: '50.01', currency: 'USD' },
        amountKzt: { amount: '25002.50' },
      },
      {
        funder: { type: 'INTERNATIONAL', name: 'UN Volunteers', share: '33.33' },
        amount: { amount: '33.33', currency: 'USD' },
        amountKzt: { amount: '16666.67' },
      },
      {
        funder: { type: 'DOMESTIC', name: 'Kazakh donors’ fund', share: '16.67' },
        amount: { amount: '16.67', currency: 'USD' },
        amountKzt: { amount: '8335.83' },
      },
    ]);

    // A KZT grant of a state programme: its funder alone, 100%.
    const kzt = await programme('KZT');
    const stateGrant = (await ok(graph, AWARD, { input: awardInput(await application(kzt.id, 'KZT'), '5000.00') }, t.admin)).awardGrant;
    expect(stateGrant.funders).toEqual([
      { type: 'STATE', name: 'Ministry of Culture and Information', share: '100.00', organization: null, partner: null },
    ]);
    const kztPaid = (await ok(graph, DISBURSE, { input: { grantId: stateGrant.id, amount: '1000.00', date: today }, key: key() }, t.admin))
      .recordDisbursement;
    expect(kztPaid.exchangeRate).toBeNull();
    expect(kztPaid.amountKzt).toEqual({ amount: '1000.00', currency: 'KZT' });

    // Totals by funder type: per original currency, and in KZT at each payment's own rate.
    const totals = (await ok(graph, TOTALS, { from: today, to: today })).grantTotalsByFunderType;
    expect(totals).toEqual([
      {
        funderType: 'DOMESTIC',
        disbursed: [{ amount: '16.67', currency: 'USD' }],
        disbursedKzt: { amount: '8335.83', currency: 'KZT' },
        unconvertedPayments: 0,
      },
      {
        funderType: 'INTERNATIONAL',
        disbursed: [{ amount: '33.33', currency: 'USD' }],
        disbursedKzt: { amount: '16666.67', currency: 'KZT' },
        unconvertedPayments: 0,
      },
      {
        funderType: 'STATE',
        disbursed: [
          { amount: '1000.00', currency: 'KZT' },
          { amount: '50.01', currency: 'USD' },
        ],
        disbursedKzt: { amount: '26002.50', currency: 'KZT' },
        unconvertedPayments: 0,
      },
    ]);
    // A later rate changes no past payment's KZT.
    expect((await ok(graph, TOTALS, { from: isoDay(1) })).grantTotalsByFunderType).toEqual([]);
  });

  it('refuse shares that do not sum to 100% or are over-precise, writing nothing', async () => {
    const usd = await programme('USD');
    const app = await application(usd.id, 'USD');
    const cases: [unknown[], string][] = [
      [
        [
          { type: 'STATE', name: 'A', share: '60' },
          { type: 'PRIVATE', name: 'B', share: '30' },
        ],
        'input.funders',
      ],
      [
        [
          { type: 'STATE', name: 'A', share: '60.001' },
          { type: 'PRIVATE', name: 'B', share: '39.999' },
        ],
        'input.funders[0].share',
      ],
      [
        [
          { type: 'STATE', name: 'A', share: '0' },
          { type: 'PRIVATE', name: 'B', share: '100' },
        ],
        'input.funders[0].share',
      ],
      [
        [
          { type: 'STATE', name: 'A', share: '50' },
          { type: 'PRIVATE', name: 'a', share: '50' },
        ],
        'input.funders',
      ],
      [[], 'input.funders'],
    ];
    for (const [funders, argument] of cases) {
      const refusal = await refused(graph, AWARD, { input: awardInput(app, '100.00', { funders }) }, t.admin);
      expect([refusal.code, refusal.argumentName], JSON.stringify(funders)).toEqual(['BAD_USER_INPUT', argument]);
    }
    const count = await graph
      .db('donations')
      .selectFrom('grants')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('application_id', '=', app)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});

describe('reading co-funded grants', () => {
  it('costs the same number of statements for 1 and for 4 grants with their funders, payments and attributions', async () => {
    for (const share of ['70', '55.55']) {
      const usd = await programme('USD');
      const funders = [
        { type: 'PRIVATE', name: 'Steppe Fund', share },
        { type: 'INTERNATIONAL', name: 'UNDP', share: String(100 - Number(share)) },
      ];
      const grant = (await ok(graph, AWARD, { input: awardInput(await application(usd.id, 'USD'), '300.00', { funders }) }, t.admin))
        .awardGrant;
      await ok(graph, DISBURSE, { input: { grantId: grant.id, amount: '99.99', date: today }, key: key() }, t.admin);
    }
    const LIST = `query ($first: Int) { grants(first: $first) { nodes { id funders { type name share }
      disbursements { amountKzt { amount } exchangeRate { rate date } attribution { funder { type name } amount { amount } amountKzt { amount } } } } } }`;
    const cost = async (first: number) => {
      graph.resetStatements();
      const data = await ok(graph, LIST, { first }, t.admin);
      expect(data.grants.nodes).toHaveLength(first);
      for (const g of data.grants.nodes) expect(g.disbursements[0].attribution.length).toBe(g.funders.length);
      return graph.statements('donations');
    };
    const one = await cost(1);
    expect(await cost(4)).toBe(one);
  });
});

describe('backdated grant periods', () => {
  it('are refused, unless an admin records the grant as historical (audited)', async () => {
    const funderOrg = await registerOrganization(graph, 'Steppe Fund', '710000000', 'CHARITY_FOUNDATION');
    const kzt = await programme('KZT', { funder: { kind: 'PRIVATE', name: 'Steppe Fund', organizationId: funderOrg } });
    const app = await application(kzt.id, 'KZT');
    const backdated = awardInput(app, '3000.00', { periodStart: isoDay(-10) });

    const byStaff = await refused(graph, AWARD, { input: backdated }, t.coordinatorOf(funderOrg));
    expect([byStaff.code, byStaff.argumentName]).toEqual(['BAD_USER_INPUT', 'input.periodStart']);
    expect(byStaff.body.errors![0]!.message).toContain('historical');
    expect((await refused(graph, AWARD, { input: { ...backdated, historical: true } }, t.coordinatorOf(funderOrg))).code).toBe('FORBIDDEN');
    const byAdminUnflagged = await refused(graph, AWARD, { input: backdated }, t.admin);
    expect(byAdminUnflagged.argumentName).toBe('input.periodStart');
    const notBackdated = await refused(graph, AWARD, { input: { ...awardInput(app, '3000.00'), historical: true } }, t.admin);
    expect(notBackdated.argumentName).toBe('input.historical');

    const grant = (await ok(graph, AWARD, { input: { ...backdated, historical: true } }, t.admin)).awardGrant;
    expect(grant).toMatchObject({ historical: true, periodStart: isoDay(-10) });
    const audit = await graph
      .db('donations')
      .selectFrom('audit_log')
      .select(['actor_kind', 'details'])
      .where('action', '=', 'grant.award')
      .where('entity_id', '=', grant.id)
      .execute();
    expect(audit).toHaveLength(1);
    const details = typeof audit[0]!.details === 'string' ? JSON.parse(audit[0]!.details) : audit[0]!.details;
    expect(details).toMatchObject({ historical: true, periodStart: isoDay(-10) });
  });
});

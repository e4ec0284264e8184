import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, internalSecret, signIdentity, viewerFromClaims } from '../../subgraphs/kit/index.ts';
import { startGraph, type Graph } from '../harness.ts';
import {
  corporate,
  isoDay,
  key,
  kzt,
  minor,
  ok,
  outsidePartnerContract,
  recordDonation,
  refused,
  registerDonor,
  registerOrganization,
  tokens,
  withoutContracts,
} from './helpers.ts';

let graph: Graph;
let t: ReturnType<typeof tokens>;
/** `funder` funds, `grantee` and `second` apply, `outsider` has no part. */
let funder: string;
let grantee: string;
let second: string;
let outsider: string;
const partnerId = randomUUID();

beforeAll(async () => {
  graph = await startGraph();
  t = tokens(graph);
  [funder, grantee, second, outsider] = await Promise.all([
    registerOrganization(graph, 'Steppe Foundation', '710000000', 'CHARITY_FOUNDATION'),
    registerOrganization(graph, 'Grantee', '750000000'),
    registerOrganization(graph, 'Second applicant', '790000000'),
    registerOrganization(graph, 'Outsider', '710000000'),
  ]);
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

const today = isoDay();
const year = Number(today.slice(0, 4));
const day = (y: number, md: string) => `${y}-${md}`;

const CREATE_PROGRAMME = `mutation ($input: CreateGrantProgrammeInput!) {
  createGrantProgramme(input: $input) { id currency: budget { currency } budget { amount } funder { kind name organization { id } partner { id } } minGrantYears maxGrantYears }
}`;
const CREATE_APPLICATION = `mutation ($input: CreateGrantApplicationInput!) { createGrantApplication(input: $input) { id status requestedAmount { amount currency } } }`;
const SUBMIT = `mutation ($id: ID!) { submitGrantApplication(id: $id) { id status submittedAt } }`;
const REJECT = `mutation ($id: ID!, $reason: String!) { rejectGrantApplication(id: $id, reason: $reason) { id status decisionReason } }`;
const AWARD = `mutation ($input: AwardGrantInput!) {
  awardGrant(input: $input) { id amountAwarded { amount currency } remaining { amount } periodStart periodEnd
    plannedDisbursements { dueOn amount { amount } } reports { id kind dueOn status } recipient { id } funder { name } }
}`;
const DISBURSE = `mutation ($input: RecordDisbursementInput!, $key: String!) {
  recordDisbursement(input: $input, idempotencyKey: $key) { id amount { amount currency } date grant { disbursed { amount } remaining { amount } } }
}`;

const programmeInput = (over: Record<string, unknown> = {}) => ({
  title: 'Long-term grants for care',
  funder: { kind: 'PRIVATE', name: 'Steppe Foundation', organizationId: funder },
  budget: { amount: '10000000.00', currency: 'KZT' },
  applicationOpensOn: day(year, '01-01'),
  applicationClosesOn: day(year, '12-31'),
  priorities: ['Elderly care', 'Rural schools'],
  ...over,
});

async function createProgramme(over: Record<string, unknown> = {}, token = t.coordinatorOf(funder)): Promise<string> {
  return (await ok(graph, CREATE_PROGRAMME, { input: programmeInput(over) }, token)).createGrantProgramme.id;
}

async function submittedApplication(programmeId: string, applicantId = grantee, amount = '1000000', currency = 'KZT'): Promise<string> {
  const id = (
    await ok(
      graph,
      CREATE_APPLICATION,
      { input: { programmeId, applicantId, title: 'Care at home', requestedAmount: { amount, currency } } },
      t.coordinatorOf(applicantId),
    )
  ).createGrantApplication.id;
  await ok(graph, SUBMIT, { id }, t.coordinatorOf(applicantId));
  return id;
}

/** A two-year award starting tomorrow, paid in two planned tranches. */
const awardInput = (applicationId: string, amount: string, over: Record<string, unknown> = {}) => {
  const half = (minor(amount) / 2n).toString();
  const rest = (minor(amount) - BigInt(half)).toString();
  const start = isoDay(1);
  const end = day(Number(start.slice(0, 4)) + 2, start.slice(5)); // the day two years on…
  return {
    applicationId,
    amount,
    awardDate: today,
    periodStart: start,
    periodEnd: isoDayBefore(end), // …minus one: exactly two years
    plannedDisbursements: [
      { dueOn: today, amount: kzt(BigInt(half)) },
      { dueOn: isoDay(200), amount: kzt(BigInt(rest)) },
    ],
    reports: [{ kind: 'INTERIM', dueOn: isoDay(180) }],
    ...over,
  };
};

function isoDayBefore(dayText: string): string {
  const d = new Date(`${dayText}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

async function award(applicationId: string, amount: string, token = t.coordinatorOf(funder)) {
  return (await ok(graph, AWARD, { input: awardInput(applicationId, amount) }, token)).awardGrant;
}

describe('grant programmes', () => {
  it('are opened by the funder’s staff and admins', async () => {
    expect((await refused(graph, CREATE_PROGRAMME, { input: programmeInput() }, t.coordinatorOf(outsider))).code).toBe('FORBIDDEN');
    expect((await refused(graph, CREATE_PROGRAMME, { input: programmeInput() }, t.coordinatorOf(grantee))).code).toBe('FORBIDDEN');
    const byStaff = (await ok(graph, CREATE_PROGRAMME, { input: programmeInput() }, t.coordinatorOf(funder))).createGrantProgramme;
    expect(byStaff.funder).toEqual({ kind: 'PRIVATE', name: 'Steppe Foundation', organization: { id: funder }, partner: null });
    await createProgramme({}, t.admin);

    const international = programmeInput({
      funder: { kind: 'INTERNATIONAL_PARTNER', name: 'UN Volunteers', partnerId },
      budget: { amount: '200000.00', currency: 'USD' },
    });
    expect((await refused(graph, CREATE_PROGRAMME, { input: international }, t.partner(randomUUID()))).code).toBe('FORBIDDEN');
    const byPartner = (await ok(graph, CREATE_PROGRAMME, { input: international }, t.partner(partnerId))).createGrantProgramme;
    expect(byPartner.funder.partner).toEqual({ id: partnerId });
    expect(byPartner.currency).toEqual({ currency: 'USD' });
  });

  it('refuse dates out of order, periods beyond 1–5 years and over-precise budgets', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ applicationClosesOn: day(year - 1, '12-31') }, 'input.applicationClosesOn'],
      [{ maxGrantYears: 6 }, 'input.maxGrantYears'],
      [{ minGrantYears: 0 }, 'input.minGrantYears'],
      [{ minGrantYears: 3, maxGrantYears: 2 }, 'input.maxGrantYears'],
      [{ budget: { amount: '100.001', currency: 'KZT' } }, 'input.budget.amount'],
      [{ budget: { amount: '0', currency: 'KZT' } }, 'input.budget.amount'],
      [{ budget: { amount: '100', currency: 'ABC' } }, 'input.budget.currency'],
      [{ funder: { kind: 'INTERNATIONAL_PARTNER', name: 'X' } }, 'input.funder.partnerId'],
    ];
    for (const [over, argument] of cases) {
      const refusal = await refused(graph, CREATE_PROGRAMME, { input: programmeInput(over) }, t.admin);
      expect([refusal.code, refusal.argumentName], JSON.stringify(over)).toEqual(['BAD_USER_INPUT', argument]);
    }
  });
});

describe('applications', () => {
  it('are drafted and submitted by the applicant’s coordinators, inside the window, once', async () => {
    const programme = await createProgramme();
    const input = {
      programmeId: programme,
      applicantId: grantee,
      title: 'Care at home',
      requestedAmount: { amount: '500000', currency: 'KZT' },
    };
    expect((await refused(graph, CREATE_APPLICATION, { input }, t.coordinatorOf(outsider))).code).toBe('FORBIDDEN');
    const wrongCurrency = await refused(
      graph,
      CREATE_APPLICATION,
      { input: { ...input, requestedAmount: { amount: '500', currency: 'USD' } } },
      t.admin,
    );
    expect([wrongCurrency.code, wrongCurrency.argumentName]).toEqual(['BAD_USER_INPUT', 'input.requestedAmount.currency']);
    const draft = (await ok(graph, CREATE_APPLICATION, { input }, t.coordinatorOf(grantee))).createGrantApplication;
    expect(draft).toMatchObject({ status: 'DRAFT', requestedAmount: { amount: '500000.00', currency: 'KZT' } });
    expect((await refused(graph, SUBMIT, { id: draft.id }, t.coordinatorOf(funder))).code).toBe('FORBIDDEN');
    expect((await ok(graph, SUBMIT, { id: draft.id }, t.coordinatorOf(grantee))).submitGrantApplication.status).toBe('SUBMITTED');
    expect((await refused(graph, SUBMIT, { id: draft.id }, t.coordinatorOf(grantee))).code).toBe('CONFLICT');

    const closed = await createProgramme({ applicationOpensOn: day(year - 1, '01-01'), applicationClosesOn: day(year - 1, '03-31') });
    const late = (await ok(graph, CREATE_APPLICATION, { input: { ...input, programmeId: closed } }, t.coordinatorOf(grantee)))
      .createGrantApplication.id;
    const refusal = await refused(graph, SUBMIT, { id: late }, t.coordinatorOf(grantee));
    expect([refusal.code, refusal.argumentName]).toEqual(['BAD_USER_INPUT', 'id']);
  });

  it('are read by the applicant and the funder, and rejected by the funder', async () => {
    const programme = await createProgramme();
    const application = await submittedApplication(programme);
    const READ = `query ($id: ID!) { grantApplication(id: $id) { id status programme { id } applicant { id } } }`;
    for (const token of [t.coordinatorOf(grantee), t.coordinatorOf(funder), t.analyst, t.admin]) {
      expect((await ok(graph, READ, { id: application }, token)).grantApplication.applicant.id).toBe(grantee);
    }
    expect((await refused(graph, READ, { id: application }, t.coordinatorOf(outsider))).code).toBe('FORBIDDEN');
    const LIST = `query ($filter: GrantApplicationFilter!) { grantApplications(filter: $filter) { nodes { id } } }`;
    expect((await ok(graph, LIST, { filter: { programmeId: programme } }, t.coordinatorOf(funder))).grantApplications.nodes).toEqual([
      { id: application },
    ]);
    expect((await refused(graph, LIST, { filter: { programmeId: programme } }, t.coordinatorOf(grantee))).code).toBe('FORBIDDEN');

    expect((await refused(graph, REJECT, { id: application, reason: 'No' }, t.coordinatorOf(grantee))).code).toBe('FORBIDDEN');
    expect(
      (await ok(graph, REJECT, { id: application, reason: 'Outside the priorities' }, t.coordinatorOf(funder))).rejectGrantApplication,
    ).toMatchObject({
      status: 'REJECTED',
      decisionReason: 'Outside the priorities',
    });
    expect((await refused(graph, REJECT, { id: application, reason: 'Again' }, t.coordinatorOf(funder))).code).toBe('CONFLICT');
  });
});

describe('awards', () => {
  it('are made by the funder’s staff and admins on submitted applications', async () => {
    const programme = await createProgramme();
    const application = await submittedApplication(programme);
    for (const token of [t.coordinatorOf(grantee), t.coordinatorOf(outsider), t.analyst]) {
      expect((await refused(graph, AWARD, { input: awardInput(application, '400000.00') }, token)).code).toBe('FORBIDDEN');
    }
    const grant = await award(application, '400000.00');
    expect(grant).toMatchObject({
      amountAwarded: { amount: '400000.00', currency: 'KZT' },
      remaining: { amount: '400000.00' },
      recipient: { id: grantee },
    });
    expect(grant.reports.map((r: { kind: string }) => r.kind)).toEqual(['INTERIM', 'FINAL']);
    expect((await refused(graph, AWARD, { input: awardInput(application, '400000.00') }, t.coordinatorOf(funder))).code).toBe('CONFLICT');

    const draft = (
      await ok(
        graph,
        CREATE_APPLICATION,
        { input: { programmeId: programme, applicantId: second, title: 'Draft', requestedAmount: { amount: '10', currency: 'KZT' } } },
        t.admin,
      )
    ).createGrantApplication.id;
    expect((await refused(graph, AWARD, { input: awardInput(draft, '10.00') }, t.admin)).code).toBe('CONFLICT');
    const byAdmin = await award(await submittedApplication(programme, second), '100000.00', t.admin);
    expect(byAdmin.recipient.id).toBe(second);
  });

  it('refuse periods outside 1–3 years, dates out of order, and plans that do not add up', async () => {
    const programme = await createProgramme({ minGrantYears: 1, maxGrantYears: 3 });
    const application = await submittedApplication(programme);
    const start = isoDay(1);
    const cases: [Record<string, unknown>, string][] = [
      [{ periodEnd: isoDayBefore(start) }, 'input.periodEnd'],
      [{ periodEnd: isoDay(200) }, 'input.periodEnd'],
      [{ periodEnd: day(Number(start.slice(0, 4)) + 4, start.slice(5)) }, 'input.periodEnd'],
      [{ awardDate: isoDay(5) }, 'input.awardDate'],
      [{ amount: '400000.001' }, 'input.amount'],
      [{ plannedDisbursements: [{ dueOn: today, amount: '1.00' }] }, 'input.plannedDisbursements'],
      [{ plannedDisbursements: [{ dueOn: isoDay(-30), amount: '400000.00' }] }, 'input.plannedDisbursements[0].dueOn'],
      [{ reports: [{ kind: 'FINAL', dueOn: isoDay(30) }] }, 'input.reports[0].dueOn'],
      [{ reports: [{ kind: 'INTERIM', dueOn: today }] }, 'input.reports[0].dueOn'], // the day before the period starts
    ];
    for (const [over, argument] of cases) {
      const refusal = await refused(graph, AWARD, { input: { ...awardInput(application, '400000.00'), ...over } }, t.coordinatorOf(funder));
      expect([refusal.code, refusal.argumentName], JSON.stringify(over)).toEqual(['BAD_USER_INPUT', argument]);
    }
  });

  it('take a report due on the very day the period starts (not before it)', async () => {
    const programme = await createProgramme();
    const start = isoDay(1);
    const grant = (
      await ok(
        graph,
        AWARD,
        { input: awardInput(await submittedApplication(programme), '1000.00', { reports: [{ kind: 'INTERIM', dueOn: start }] }) },
        t.coordinatorOf(funder),
      )
    ).awardGrant;
    expect(grant.periodStart).toBe(start);
    expect(grant.reports.map((r: { kind: string; dueOn: string }) => [r.kind, r.dueOn])).toEqual([
      ['INTERIM', start],
      ['FINAL', expect.any(String)],
    ]);
    // The grantee may not award itself, whatever the dates.
    const self = await refused(
      graph,
      AWARD,
      { input: awardInput(await submittedApplication(programme), '1000.00', { reports: [{ kind: 'INTERIM', dueOn: start }] }) },
      t.coordinatorOf(grantee),
    );
    expect(self.code).toBe('FORBIDDEN');
  });

  it('never exceed the programme budget, even when decided in parallel', async () => {
    const programme = await createProgramme({ budget: { amount: '1000000.00', currency: 'KZT' } });
    const first = await submittedApplication(programme, grantee);
    await award(first, '700000.00');
    const over = await refused(
      graph,
      AWARD,
      { input: awardInput(await submittedApplication(programme, second), '300000.01') },
      t.coordinatorOf(funder),
    );
    expect([over.code, over.argumentName]).toEqual(['BAD_USER_INPUT', 'input.amount']);

    const racing = await Promise.all([
      submittedApplication(programme, second),
      submittedApplication(programme, outsider),
      submittedApplication(programme, grantee),
    ]);
    const answers = await Promise.all(
      racing.map((id) => graph.query(AWARD, { variables: { input: awardInput(id, '200000.00') }, token: t.coordinatorOf(funder) })),
    );
    expect(answers.filter(({ body }) => !body.errors)).toHaveLength(1);
    // The losers ask for more than the 100000.00 left, whether they see it before the programme's lock or under it.
    for (const { body } of answers.filter(({ body }) => body.errors)) {
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.amount' });
      expect(body.errors![0]!.message).toMatch(/more than remains of the programme budget \(100000\.00 KZT\)/);
    }
    const data = await ok(
      graph,
      `query ($id: ID!) { grantProgramme(id: $id) { awarded { amount } remainingBudget { amount } grantCount } }`,
      { id: programme },
    );
    expect(data.grantProgramme).toEqual({ awarded: { amount: '900000.00' }, remainingBudget: { amount: '100000.00' }, grantCount: 2 });
  });
});

describe('disbursements', () => {
  let programme: string;
  let grant: string;
  beforeAll(async () => {
    programme = await createProgramme();
    grant = (await award(await submittedApplication(programme), '1000000.00')).id;
  });
  const disburse = (amount: string, token: string, over: Record<string, unknown> = {}, idempotencyKey = key()) =>
    graph.query(DISBURSE, {
      variables: { input: { grantId: grant, amount, date: today, reference: 'PP-1', ...over }, key: idempotencyKey },
      token,
    });

  it('are recorded by the funder only', async () => {
    for (const token of [t.coordinatorOf(grantee), t.coordinatorOf(outsider), t.admin, t.analyst, t.partner(partnerId)]) {
      expect((await disburse('1.00', token)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const { body } = await disburse('100000.00', t.coordinatorOf(funder));
    expect(body.errors).toBeUndefined();
    expect(body.data!.recordDisbursement).toMatchObject({
      amount: { amount: '100000.00', currency: 'KZT' },
      grant: { disbursed: { amount: '100000.00' }, remaining: { amount: '900000.00' } },
    });
  });

  it('an admin records them only for a funder known by name, outside the register', async () => {
    const stateProgramme = await createProgramme({ funder: { kind: 'STATE_BODY', name: 'Akimat of Almaty' } }, t.admin);
    const stateGrant = (await award(await submittedApplication(stateProgramme), '5000.00', t.admin)).id;
    const { body } = await graph.query(DISBURSE, {
      variables: { input: { grantId: stateGrant, amount: '5000.00', date: today }, key: key() },
      token: t.admin,
    });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  });

  it('never exceed what is awarded and not yet paid; bad amounts and dates are refused', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['900000.01', {}, 'input.amount'],
      ['0', {}, 'input.amount'],
      ['-1.00', {}, 'input.amount'],
      ['10.001', {}, 'input.amount'],
      ['10.00', { date: isoDay(-400) }, 'input.date'],
      ['10.00', { date: isoDay(2) }, 'input.date'],
    ];
    for (const [amount, over, argument] of cases) {
      const error = (await disburse(amount, t.coordinatorOf(funder), over)).body.errors?.[0]?.extensions;
      expect([error?.code, error?.argumentName], `${amount} ${JSON.stringify(over)}`).toEqual(['BAD_USER_INPUT', argument]);
    }
  });

  it('are idempotent: the same key answers the first payment, other content is a CONFLICT', async () => {
    const idempotencyKey = key();
    const first = (await disburse('1000.00', t.coordinatorOf(funder), {}, idempotencyKey)).body.data!.recordDisbursement;
    const again = (await disburse('1000.00', t.coordinatorOf(funder), {}, idempotencyKey)).body.data!.recordDisbursement;
    expect(again.id).toBe(first.id);
    expect(again.grant.disbursed).toEqual(first.grant.disbursed);
    expect((await disburse('1000.01', t.coordinatorOf(funder), {}, idempotencyKey)).body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('racing for the last remainder: exactly one payment is written', async () => {
    const remaining = (await ok(graph, `query ($id: ID!) { grant(id: $id) { remaining { amount } } }`, { id: grant })).grant.remaining
      .amount;
    const answers = await Promise.all(Array.from({ length: 10 }, () => disburse(remaining, t.coordinatorOf(funder))));
    expect(answers.filter(({ body }) => !body.errors)).toHaveLength(1);
    // The nine losers find nothing left, whether before the grant's lock or under it: more than remains.
    const lost = answers.filter(({ body }) => body.errors);
    expect(lost).toHaveLength(9);
    for (const { body } of lost) {
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.amount' });
      expect(body.errors![0]!.message).toMatch(/more than awarded and not yet paid \(0\.00 KZT\)/);
    }
    const paid = (await ok(graph, `query ($id: ID!) { grant(id: $id) { remaining { amount } } }`, { id: grant })).grant.remaining.amount;
    expect(paid).toBe('0.00');

    // Parallel duplicates of one payment (same key) are written once, too.
    const other = (await award(await submittedApplication(await createProgramme(), second), '500.00')).id;
    const idempotencyKey = key();
    const duplicates = await Promise.all(
      Array.from({ length: 5 }, () =>
        graph.query(DISBURSE, {
          variables: { input: { grantId: other, amount: '200.00', date: today }, key: idempotencyKey },
          token: t.coordinatorOf(funder),
        }),
      ),
    );
    expect(new Set(duplicates.map(({ body }) => body.data?.recordDisbursement?.id)).size).toBe(1);

    const db = graph.db('donations');
    const { rows } = await sql<{ grant_id: string; amount: string; disbursed: string; paid: string; n: number }>`
      select g.id as grant_id, g.amount_minor::text as amount, g.disbursed_minor::text as disbursed,
        coalesce(sum(d.amount_minor), 0)::text as paid, count(d.id)::int as n
      from grants g left join disbursements d on d.grant_id = g.id
      where g.id in (${grant}, ${other}) group by g.id`.execute(db);
    const byId = new Map(rows.map((r) => [r.grant_id, r]));
    expect(byId.get(grant)).toMatchObject({ disbursed: byId.get(grant)!.amount, paid: byId.get(grant)!.amount });
    expect(byId.get(other)).toMatchObject({ disbursed: '20000', paid: '20000', n: 1 });
  });
});

describe('reports', () => {
  it('are submitted by the grantee, accepted by the funder, and overdue when missed', async () => {
    const programme = await createProgramme();
    const grant = await award(await submittedApplication(programme), '20000.00');
    const [interim, final] = grant.reports as { id: string; dueOn: string }[];
    const OVERDUE = `query ($asOf: Date, $filter: GrantFilter) { overdueGrantReports(asOf: $asOf, filter: $filter) { nodes { id kind } } }`;
    const GRANT_OVERDUE = `query ($id: ID!, $asOf: Date) { grant(id: $id) { overdueReports(asOf: $asOf) { id } reports { id status overdue } } }`;
    const afterDue = isoDay(181);
    expect(
      (await ok(graph, OVERDUE, { asOf: afterDue, filter: { programmeId: programme } }, t.coordinatorOf(grantee))).overdueGrantReports
        .nodes,
    ).toEqual([{ id: interim!.id, kind: 'INTERIM' }]);
    expect(
      (await ok(graph, OVERDUE, { asOf: afterDue, filter: { programmeId: programme } }, t.coordinatorOf(outsider))).overdueGrantReports
        .nodes,
    ).toEqual([]);
    expect((await ok(graph, GRANT_OVERDUE, { id: grant.id, asOf: afterDue }, t.coordinatorOf(funder))).grant.overdueReports).toEqual([
      { id: interim!.id },
    ]);

    const SUBMIT_REPORT = `mutation ($input: SubmitGrantReportInput!) { submitGrantReport(input: $input) { id status summary } }`;
    const ACCEPT = `mutation ($id: ID!) { acceptGrantReport(id: $id) { id status acceptedAt } }`;
    expect(
      (await refused(graph, SUBMIT_REPORT, { input: { reportId: interim!.id, summary: 'Done' } }, t.coordinatorOf(outsider))).code,
    ).toBe('FORBIDDEN');
    expect((await refused(graph, ACCEPT, { id: interim!.id }, t.coordinatorOf(funder))).code).toBe('CONFLICT');
    expect(
      (await ok(graph, SUBMIT_REPORT, { input: { reportId: interim!.id, summary: 'Visits to 40 homes' } }, t.coordinatorOf(grantee)))
        .submitGrantReport.status,
    ).toBe('SUBMITTED');
    expect(
      (await refused(graph, SUBMIT_REPORT, { input: { reportId: interim!.id, summary: 'Again' } }, t.coordinatorOf(grantee))).code,
    ).toBe('CONFLICT');
    for (const token of [t.coordinatorOf(grantee), t.admin])
      expect((await refused(graph, ACCEPT, { id: interim!.id }, token)).code).toBe('FORBIDDEN');
    expect((await ok(graph, ACCEPT, { id: interim!.id }, t.coordinatorOf(funder))).acceptGrantReport.status).toBe('ACCEPTED');
    expect((await refused(graph, ACCEPT, { id: interim!.id }, t.coordinatorOf(funder))).code).toBe('CONFLICT');

    expect((await ok(graph, OVERDUE, { asOf: afterDue, filter: { programmeId: programme } }, t.admin)).overdueGrantReports.nodes).toEqual(
      [],
    );
    const later = isoDayBefore(final!.dueOn) < afterDue ? afterDue : day(Number(final!.dueOn.slice(0, 4)) + 1, '01-01');
    expect((await ok(graph, OVERDUE, { asOf: later, filter: { programmeId: programme } }, t.admin)).overdueGrantReports.nodes).toEqual([
      { id: final!.id, kind: 'FINAL' },
    ]);
  });
});

describe('who reads grants', () => {
  it('anyone reads the grant; its payments and reports are for its parties — a partner sees the grants it funds', async () => {
    const programme = await createProgramme(
      { funder: { kind: 'INTERNATIONAL_PARTNER', name: 'UN Volunteers', partnerId }, budget: { amount: '50000.00', currency: 'USD' } },
      t.partner(partnerId),
    );
    const application = await submittedApplication(programme, grantee, '10000.00', 'USD');
    const grant = (await ok(graph, AWARD, { input: { ...awardInput(application, '10000.00') } }, t.partner(partnerId))).awardGrant;
    expect(grant.amountAwarded).toEqual({ amount: '10000.00', currency: 'USD' });
    // A payment in USD needs an official rate of its day (or a recent earlier one): today's, as the daily import records it.
    await ok(
      graph,
      `mutation ($input: RecordExchangeRateInput!) { recordExchangeRate(input: $input) { date } }`,
      { input: { currency: 'USD', date: today, rate: '500.00' } },
      t.admin,
    );
    const paid = await graph.query(DISBURSE, {
      variables: { input: { grantId: grant.id, amount: '2500.00', date: today }, key: key() },
      token: t.partner(partnerId),
    });
    expect(paid.body.errors).toBeUndefined();

    const READ = `query ($id: ID!) { grant(id: $id) { id title amountAwarded { amount currency } disbursed { amount } funder { partner { id } }
      disbursements { amount { amount } } reports { kind } application { id } } }`;
    for (const token of [t.partner(partnerId), t.coordinatorOf(grantee), t.analyst, t.admin]) {
      const data = await ok(graph, READ, { id: grant.id }, token);
      expect(data.grant.disbursements).toEqual([{ amount: { amount: '2500.00' } }]);
    }
    for (const token of [t.partner(randomUUID()), t.coordinatorOf(outsider), undefined]) {
      const { body } = await graph.query(READ, { variables: { id: grant.id }, ...(token ? { token } : {}) });
      expect(body.data?.grant).toMatchObject({
        id: grant.id,
        amountAwarded: { amount: '10000.00', currency: 'USD' },
        disbursed: { amount: '2500.00' },
        disbursements: null,
        reports: null,
        application: null,
      });
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    }
    const LIST = `query ($filter: GrantFilter) { grants(filter: $filter) { nodes { id } } }`;
    expect((await ok(graph, LIST, { filter: { funderPartnerId: partnerId } }, t.partner(partnerId))).grants.nodes).toEqual([
      { id: grant.id },
    ]);
    // No personal data for partners, even of donors that gave to their grantee.
    const donor = await registerDonor(graph, grantee, { type: 'INDIVIDUAL', residency: 'RESIDENT', name: 'Private Person' });
    const PERSONAL = `query ($id: ID!) { donor(id: $id) { type name iin } }`;
    await outsidePartnerContract(graph, PERSONAL, { id: donor }, t.partner(partnerId), 'name'); // not in the partner contract
    expect((await ok(graph, `query ($id: ID!) { donor(id: $id) { type } }`, { id: donor }, t.partner(partnerId))).donor).toEqual({
      type: 'INDIVIDUAL',
    });
    await withoutContracts(graph, async (query) => {
      // Behind the contract, still null for the partner.
      expect((await query(PERSONAL, { id: donor }, t.partner(partnerId))).data?.donor).toEqual({
        type: 'INDIVIDUAL',
        name: null,
        iin: null,
      });
    });
  });
});

describe('grant totals', () => {
  it('per grant, programme and funder equal a recount of awards, plans and payments', async () => {
    // Its own awards and payments, on top of whatever earlier tests of this file wrote.
    const programme = await createProgramme();
    for (const [applicant, amount, paid] of [
      [grantee, '300000.00', '150000.00'],
      [second, '123456.78', '0.01'],
    ] as const) {
      const grant = await award(await submittedApplication(programme, applicant), amount);
      const { body } = await graph.query(DISBURSE, {
        variables: { input: { grantId: grant.id, amount: paid, date: today }, key: key() },
        token: t.coordinatorOf(funder),
      });
      expect(body.errors).toBeUndefined();
    }
    const db = graph.db('donations');
    const api = await ok(
      graph,
      `query ($asOf: Date) {
        grantProgrammes(first: 40) { nodes { id awarded { amount } disbursed { amount } grantCount plannedToDate(asOf: $asOf) { amount }
          grants(first: 10) { nodes { id amountAwarded { amount } disbursed { amount } remaining { amount } plannedToDate(asOf: $asOf) { amount } } } } }
        grantTotalsByFunder(asOf: $asOf) { funder { kind name organization { id } partner { id } } currency programmeCount grantCount budget { amount } awarded { amount } planned { amount } plannedToDate { amount } disbursed { amount } }
        organization(id: "${grantee}") { grants(first: 50) { nodes { id recipient { id } } } }
      }`,
      { asOf: isoDay(60) },
      t.analyst,
    );
    const asOf = isoDay(60);
    const digits = (currency: string) => (currency === 'JOD' ? 3 : 2);
    const { rows: grants } = await sql<{
      id: string;
      programme_id: string;
      currency: string;
      amount: string;
      paid: string;
      planned_to_date: string;
    }>`
      select g.id, g.programme_id, g.currency, g.amount_minor::text as amount,
        (select coalesce(sum(amount_minor), 0) from disbursements d where d.grant_id = g.id)::text as paid,
        (select coalesce(sum(amount_minor), 0) from planned_disbursements p where p.grant_id = g.id and p.due_on <= ${asOf})::text as planned_to_date
      from grants g`.execute(db);
    const money = (value: string, currency: string) => {
      const n = BigInt(value);
      const d = digits(currency);
      const text = n.toString().padStart(d + 1, '0');
      return `${text.slice(0, -d)}.${text.slice(-d)}`;
    };
    for (const p of api.grantProgrammes.nodes) {
      const mine = grants.filter((g) => g.programme_id === p.id);
      const currency = mine[0]?.currency ?? 'KZT';
      const sum = (f: (g: (typeof grants)[number]) => string) => mine.reduce((s, g) => s + BigInt(f(g)), 0n).toString();
      expect(p.grantCount).toBe(mine.length);
      if (mine.length === 0) continue;
      expect(p.awarded.amount).toBe(
        money(
          sum((g) => g.amount),
          currency,
        ),
      );
      expect(p.disbursed.amount).toBe(
        money(
          sum((g) => g.paid),
          currency,
        ),
      );
      expect(p.plannedToDate.amount).toBe(
        money(
          sum((g) => g.planned_to_date),
          currency,
        ),
      );
      for (const g of p.grants.nodes) {
        const row = mine.find((r) => r.id === g.id)!;
        expect(g.disbursed.amount).toBe(money(row.paid, currency));
        expect(g.remaining.amount).toBe(money((BigInt(row.amount) - BigInt(row.paid)).toString(), currency));
        expect(g.plannedToDate.amount).toBe(money(row.planned_to_date, currency));
      }
    }
    const { rows: funders } = await sql<{
      organization_id: string | null;
      partner_id: string | null;
      currency: string;
      awarded: string;
      paid: string;
      budget: string;
    }>`
      select p.funder_organization_id as organization_id, p.funder_partner_id as partner_id, p.currency,
        sum(p.budget_minor)::text as budget,
        (select coalesce(sum(g.amount_minor), 0) from grants g join grant_programmes q on q.id = g.programme_id
          where q.funder_organization_id is not distinct from p.funder_organization_id and q.funder_partner_id is not distinct from p.funder_partner_id and q.currency = p.currency
            and (q.funder_organization_id is not null or q.funder_partner_id is not null))::text as awarded,
        (select coalesce(sum(d.amount_minor), 0) from disbursements d join grant_programmes q on q.id = d.programme_id
          where q.funder_organization_id is not distinct from p.funder_organization_id and q.funder_partner_id is not distinct from p.funder_partner_id and q.currency = p.currency)::text as paid
      from grant_programmes p where p.funder_organization_id is not null or p.funder_partner_id is not null
      group by p.funder_organization_id, p.funder_partner_id, p.currency`.execute(db);
    for (const f of funders) {
      const total = api.grantTotalsByFunder.find(
        (x: any) =>
          (x.funder.organization?.id ?? null) === f.organization_id &&
          (x.funder.partner?.id ?? null) === f.partner_id &&
          x.currency === f.currency,
      );
      expect(total, JSON.stringify(f)).toBeDefined();
      expect(total.budget.amount).toBe(money(f.budget, f.currency));
      expect(total.awarded.amount).toBe(money(f.awarded, f.currency));
      expect(total.disbursed.amount).toBe(money(f.paid, f.currency));
      expect(total.planned.amount).toBe(total.awarded.amount);
    }
    expect(api.organization.grants.nodes.length).toBeGreaterThan(0);
    expect(api.organization.grants.nodes.every((g: any) => g.recipient.id === grantee)).toBe(true);
  });
});

describe('entities of the donations subgraph', () => {
  it('resolve by key straight from the subgraph, null for unknown ids', async () => {
    const donor = await registerDonor(graph, grantee, corporate());
    const donation = await recordDonation(graph, { donorId: donor, recipientId: grantee, amount: '10.00' });
    const programme = await createProgramme();
    const grant = (await award(await submittedApplication(programme), '100.00')).id;
    const token = await signIdentity(viewerFromClaims({ roles: ['service'], sub: 'service:cooperation' }), internalSecret());
    const response = await fetch(graph.subgraphUrl('donations'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: token },
      body: JSON.stringify({
        query: `query ($r: [_Any!]!) { _entities(representations: $r) {
          ... on Donor { id type } ... on Donation { id receiptNumber } ... on GrantProgramme { id title } ... on Grant { id amountAwarded { amount } }
          ... on Organization { id donationsReceived { amount } } ... on Region { code donationsTotal(year: ${year}) { currency } } } }`,
        variables: {
          r: [
            { __typename: 'Donor', id: donor },
            { __typename: 'Donation', id: donation.id },
            { __typename: 'GrantProgramme', id: programme },
            { __typename: 'Grant', id: grant },
            { __typename: 'Grant', id: randomUUID() },
            { __typename: 'Organization', id: grantee },
            { __typename: 'Region', code: '750000000' },
          ],
        },
      }),
    });
    const body = (await response.json()) as { data: { _entities: any[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { id: donor, type: 'CORPORATE' },
      { id: donation.id, receiptNumber: donation.receiptNumber },
      { id: programme, title: 'Long-term grants for care' },
      { id: grant, amountAwarded: { amount: '100.00' } },
      null,
      { id: grantee, donationsReceived: { amount: '10.00' } },
      { code: '750000000', donationsTotal: { currency: 'KZT' } },
    ]);
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph } from '../harness.ts';
import {
  corporate,
  isoDay,
  key,
  kzt,
  minor,
  ok,
  RECORD_DONATION,
  refused,
  registerDonor,
  registerOrganization,
  tokens,
} from './helpers.ts';

/**
 * Every total of money or hours is exact at any volume: past 2^53 minor units
 * (9,007,199,254,740,992 tiyn = about 90 trillion KZT) nothing is rounded and
 * nothing fails. One entry is capped at 10^12 units of its currency, so 91
 * donations at the cap pass 2^53 through the API itself. Where reaching 2^53
 * through the API would take thousands of calls (grant awards and payments,
 * hours under the 24-hours-a-day rule), rows are inserted straight into the
 * subgraph's tables through the harness (`graph.db`), as an import would.
 */
const TWO_TO_53 = 2n ** 53n;
const CAP_KZT = '1000000000000.00'; // 10^12 KZT, the most one donation may be
const CAP_TIYN = 100_000_000_000_000n;
const DONATIONS_AT_CAP = 91; // 91 × 10^14 tiyn > 2^53

let graph: Graph;
let t: ReturnType<typeof tokens>;
let recipient: string;
let donor: string;
let campaign: string;
const REGION = '590000000'; // North Kazakhstan: only this file's money and hours
const year = Number(isoDay().slice(0, 4));

beforeAll(async () => {
  graph = await startGraph();
  t = tokens(graph);
  recipient = await registerOrganization(graph, 'Exact Totals Fund', REGION);
  donor = await registerDonor(graph, recipient, corporate());
  campaign = (
    await ok(
      graph,
      `mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          organizationId: recipient,
          title: 'The largest appeal',
          goal: { amount: CAP_KZT, currency: 'KZT' },
          startsOn: `${year}-01-01`,
          endsOn: `${year}-12-31`,
        },
      },
      t.coordinatorOf(recipient),
    )
  ).createCampaign.id;
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

// A foreign amount is dated on a day with an official rate (the shipped rates.csv has 2026-11-25's).
const donation = (amount: string, currency = 'KZT') => ({
  input: {
    donorId: donor,
    recipientId: recipient,
    campaignId: campaign,
    amount: { amount, currency },
    date: currency === 'KZT' ? isoDay() : '2026-11-25',
  },
  key: key(),
});

describe('one donation is at most 10^12 KZT', () => {
  it('refuses the review’s 50 trillion KZT donation, a tiyn over the cap, and a foreign amount worth more, writing nothing', async () => {
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from donations`.execute(graph.db('donations'))).rows[0]!.n;
    const before = await count();
    for (const [amount, currency] of [
      ['50000000000000.00', 'KZT'],
      ['1000000000000.01', 'KZT'],
      ['5000000000.00', 'USD'],
    ] as const) {
      const refusal = await refused(graph, RECORD_DONATION, donation(amount, currency), t.coordinatorOf(recipient));
      expect([refusal.code, refusal.argumentName], `${amount} ${currency}`).toEqual(['BAD_USER_INPUT', 'input.amount.amount']);
    }
    expect(await count()).toBe(before);
  });
});

describe('totals past 2^53 minor units', () => {
  it('donation totals by year and region, a region’s donationsTotal, a campaign’s raised and an organization’s receipts read back exactly', async () => {
    // 91 donations at the cap, through the API (a few at a time).
    for (let i = 0; i < DONATIONS_AT_CAP; i += 7) {
      await Promise.all(
        Array.from({ length: Math.min(7, DONATIONS_AT_CAP - i) }, () =>
          ok(graph, RECORD_DONATION, donation(CAP_KZT), t.coordinatorOf(recipient)),
        ),
      );
    }
    const expected = kzt(CAP_TIYN * BigInt(DONATIONS_AT_CAP));
    expect(minor(expected) > TWO_TO_53).toBe(true);
    expect(expected).toBe('91000000000000.00');

    const data = await ok(
      graph,
      `query ($year: Int!, $region: ID!, $campaign: ID!, $org: ID!) {
        national: donationTotals(year: $year) { total { amount } donationCount monetary { amount } byDonorType { donorType total { amount } } byResidency { residency total { amount } } }
        regional: donationTotals(year: $year, regionCode: $region) { total { amount currency } }
        region(code: $region) { donationsTotal(year: $year) { amount currency } donationTotals(year: $year) { total { amount } } }
        campaign(id: $campaign) { raised { amount currency } }
        organization(id: $org) { donationsReceived { amount currency } }
      }`,
      { year, region: REGION, campaign, org: recipient },
      t.analyst,
    );
    expect(data.national.total.amount).toBe(expected);
    expect(data.national.donationCount).toBe(DONATIONS_AT_CAP);
    expect(data.national.monetary.amount).toBe(expected);
    expect(data.national.byDonorType.find((d: { donorType: string }) => d.donorType === 'CORPORATE').total.amount).toBe(expected);
    expect(data.national.byResidency.find((r: { residency: string }) => r.residency === 'RESIDENT').total.amount).toBe(expected);
    expect(data.regional.total).toEqual({ amount: expected, currency: 'KZT' });
    expect(data.region.donationsTotal).toEqual({ amount: expected, currency: 'KZT' });
    expect(data.region.donationTotals.total.amount).toBe(expected);
    expect(data.campaign.raised).toEqual({ amount: expected, currency: 'KZT' });
    expect(data.organization.donationsReceived).toEqual({ amount: expected, currency: 'KZT' });

    // One more tiyn is still counted: nothing was rounded to a float's step (2 tiyn at this size).
    await ok(graph, RECORD_DONATION, donation('0.01'), t.coordinatorOf(recipient));
    const after = await ok(
      graph,
      `query ($year: Int!, $region: ID!) { region(code: $region) { donationsTotal(year: $year) { amount } } }`,
      { year, region: REGION },
    );
    expect(after.region.donationsTotal.amount).toBe('91000000000000.01');
  });

  it('grant totals per funder read back exactly (programmes, awards, plans and payments inserted directly)', async () => {
    // Through the API this needs 91 programmes, applications, awards, plans and payments:
    // each row below is within the per-entry cap, only their sums pass 2^53.
    const db = graph.db('donations');
    await sql`
      with programmes as (
        insert into grant_programmes (title, funder_kind, funder_name, currency, budget_minor, opens_on, closes_on, min_grant_years, max_grant_years, awarded_minor, disbursed_minor, grant_count)
        select 'Programme ' || n, 'STATE_BODY', 'Exact Totals Ministry', 'KZT', ${CAP_TIYN.toString()}::bigint, ${`${year}-01-01`}::date, ${`${year}-12-31`}::date, 1, 3,
               ${CAP_TIYN.toString()}::bigint, ${CAP_TIYN.toString()}::bigint, 1
        from generate_series(1, ${DONATIONS_AT_CAP}) as n
        returning id
      ), applications as (
        insert into grant_applications (programme_id, applicant_id, title, requested_minor, status)
        select id, ${recipient}::uuid, 'Application', ${CAP_TIYN.toString()}::bigint, 'AWARDED' from programmes
        returning id, programme_id
      ), awarded as (
        insert into grants (programme_id, application_id, recipient_id, title, currency, amount_minor, award_date, period_start, period_end, disbursed_minor)
        select programme_id, id, ${recipient}::uuid, 'Grant', 'KZT', ${CAP_TIYN.toString()}::bigint, ${`${year}-01-01`}::date, ${`${year}-01-01`}::date, ${`${year + 1}-01-01`}::date, ${CAP_TIYN.toString()}::bigint
        from applications
        returning id, programme_id
      )
      insert into planned_disbursements (grant_id, programme_id, due_on, amount_minor)
      select id, programme_id, ${`${year}-01-01`}::date, ${CAP_TIYN.toString()}::bigint from awarded
    `.execute(db);

    const data = await ok(
      graph,
      `query ($asOf: Date!) { grantTotalsByFunder(asOf: $asOf) { funder { name } currency programmeCount grantCount budget { amount } awarded { amount } planned { amount } plannedToDate { amount } disbursed { amount } } }`,
      { asOf: isoDay() },
    );
    const ministry = data.grantTotalsByFunder.find((f: { funder: { name: string } }) => f.funder.name === 'Exact Totals Ministry');
    const expected = kzt(CAP_TIYN * BigInt(DONATIONS_AT_CAP));
    expect(ministry).toEqual({
      funder: { name: 'Exact Totals Ministry' },
      currency: 'KZT',
      programmeCount: DONATIONS_AT_CAP,
      grantCount: DONATIONS_AT_CAP,
      budget: { amount: expected },
      awarded: { amount: expected },
      planned: { amount: expected },
      plannedToDate: { amount: expected },
      disbursed: { amount: expected },
    });
  });

  it('approved hours of a region past 2^53 minutes keep an exact replacement value; minutes past a GraphQL Int are a clean error', async () => {
    // 24 hours a day per volunteer keeps real hours far below this: the rollup rows are inserted directly.
    const rates = (
      await ok(graph, `query ($year: Int!) { replacementRates(year: $year) { activityType hourlyRate { amount } } }`, { year })
    ).replacementRates as {
      activityType: string;
      hourlyRate: { amount: string };
    }[];
    const rate = rates.find((r) => r.activityType === 'OTHER') ?? rates[0]!;
    const perMonth = 5_000_000_000_000_000n; // two months: 10^16 minutes > 2^53
    await sql`
      insert into region_monthly_hours (region_code, year, month, activity_type, minutes, ilo_minutes, records)
      values (${REGION}, ${year}, 1, ${rate.activityType}, ${perMonth.toString()}::bigint, ${perMonth.toString()}::bigint, 1000000),
             (${REGION}, ${year}, 2, ${rate.activityType}, ${perMonth.toString()}::bigint, ${perMonth.toString()}::bigint, 1000000)
    `.execute(graph.db('volunteers'));
    const minutes = 2n * perMonth;
    expect(minutes > TWO_TO_53).toBe(true);

    const QUERY = `query ($year: Int!, $region: ID!) { region(code: $region) { approvedHours(year: $year) { hours iloHours records replacementValue { amount currency } } } }`;
    const data = await ok(graph, QUERY, { year, region: REGION });
    const hundredths = (minutes * 100n + 30n) / 60n;
    expect(data.region.approvedHours).toEqual({
      hours: Number(`${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`),
      iloHours: Number(`${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`),
      records: 2_000_000,
      replacementValue: { amount: kzt((minutes * minor(rate.hourlyRate.amount) + 30n) / 60n), currency: 'KZT' },
    });

    const { body } = await graph.query(
      `query ($year: Int!, $region: ID!) { region(code: $region) { approvedHours(year: $year) { minutes } } }`,
      { variables: { year, region: REGION } },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('the register-by-region open-data file carries the same exact totals', async () => {
    const response = await fetch(`${new URL(graph.gatewayUrl).origin}/open-data/register-by-region.csv?year=${year}`);
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(200);
    const line = text.split('\n').find((l) => l.startsWith(`${REGION},`) || l.includes(`,${REGION},`));
    expect(line, text.slice(0, 500)).toBeDefined();
    expect(line).toContain('91000000000000.01');
  });
});

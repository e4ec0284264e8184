import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { buildDemoPlan } from '../../subgraphs/kit/demo-plan.ts';
import { createDatabase, migrateToLatest, type Database } from '../../subgraphs/kit/index.ts';
import { seedDemo } from '../../subgraphs/donations/demo.ts';
import { migrations } from '../../subgraphs/donations/migrations/index.ts';

/**
 * The demo data is written by the demo loader, not through the mutations: its
 * totals must still agree with its entries to the tiyn, and it loads only once.
 */
const url = process.env.TEST_DATABASE_URL || undefined;
let database: Database<any>;
let db: Kysely<any>;

beforeAll(async () => {
  const schema = url ? `demo${randomBytes(3).toString('hex')}_donations` : 'donations';
  database = await createDatabase<any>({ schema, url, templateFile: url ? undefined : inject('pgliteTemplate') });
  db = database.db;
  await migrateToLatest(db, schema, migrations);
}, 120_000);
afterAll(async () => {
  if (url) await sql`drop schema if exists ${sql.id(database.schema)} cascade`.execute(db);
  await database?.close();
});

it('loads once: donors, 40 donations in KZT and USD, a campaign, a programme with a grant', async () => {
  const plan = buildDemoPlan();
  expect(await seedDemo(db, plan)).toBe(true);
  expect(await seedDemo(db, plan)).toBe(false);

  const { rows } = await sql<{
    donors: number;
    donations: number;
    currencies: string[];
    types: string[];
    campaigns: number;
    grants: number;
    disbursements: number;
    reports: number;
  }>`
    select (select count(*) from donors)::int as donors,
      (select count(*) from donations)::int as donations,
      (select array_agg(distinct currency order by currency) from donations) as currencies,
      (select array_agg(distinct type order by type) from donors) as types,
      (select count(*) from campaigns)::int as campaigns,
      (select count(*) from grants)::int as grants,
      (select count(*) from disbursements)::int as disbursements,
      (select count(*) from grant_reports)::int as reports`.execute(db);
  expect(rows[0]).toMatchObject({ donations: 40, currencies: ['KZT', 'USD'], campaigns: 1, grants: 1, disbursements: 1 });
  expect(rows[0]!.types).toEqual(expect.arrayContaining(['INDIVIDUAL', 'CORPORATE', 'FOUNDATION', 'FOREIGN_STATE']));
  const organizationIds = new Set(plan.organizations.map((o) => o.id));
  const { rows: recipients } = await sql<{ recipient_id: string }>`select distinct recipient_id from donations`.execute(db);
  expect(recipients.every((r) => organizationIds.has(r.recipient_id))).toBe(true);
});

it('keeps every rollup equal to a recount of its entries', async () => {
  const daily = await sql<{ organization_id: string; day: string; kept: string; recount: string }>`
    with entries as (
      select recipient_id as organization_id, donated_on as day, amount_kzt from donations
      union all
      select d.recipient_id, r.refunded_on, -r.amount_kzt from refunds r join donations d on d.id = r.donation_id
    )
    select coalesce(t.organization_id, e.organization_id) as organization_id, coalesce(t.day, e.day)::text as day,
      coalesce(t.amount_kzt, 0)::text as kept, coalesce(e.total, 0)::text as recount
    from donation_daily_totals t
    full join (select organization_id, day, sum(amount_kzt) as total from entries group by 1, 2) e
      on e.organization_id = t.organization_id and e.day = t.day
    where coalesce(t.amount_kzt, 0) <> coalesce(e.total, 0)`.execute(db);
  expect(daily.rows).toEqual([]);

  const regional = await sql<{ kept: string; recount: string }>`
    with entries as (
      select recipient_region_code as region_code, extract(year from donated_on)::int as year, donor_type, donor_residency as residency, kind, foreign_source, amount_kzt, 1 as n from donations
      union all
      select d.recipient_region_code, extract(year from r.refunded_on)::int, d.donor_type, d.donor_residency, d.kind, d.foreign_source, -r.amount_kzt, 0
      from refunds r join donations d on d.id = r.donation_id
    ), recount as (
      select region_code, year, donor_type, residency, kind, foreign_source, sum(amount_kzt) as total, sum(n) as n from entries group by 1, 2, 3, 4, 5, 6
    )
    select t.amount_kzt::text as kept, e.total::text as recount
    from donation_region_totals t
    full join recount e using (region_code, year, donor_type, residency, kind, foreign_source)
    where t.amount_kzt is distinct from e.total or t.donation_count is distinct from e.n`.execute(db);
  expect(regional.rows).toEqual([]);

  const campaigns = await sql<{ id: string }>`
    select c.id from campaigns c
    where c.raised_kzt <> (select coalesce(sum(d.amount_kzt), 0) from donations d where d.campaign_id = c.id)
                        - (select coalesce(sum(r.amount_kzt), 0) from refunds r join donations d on d.id = r.donation_id where d.campaign_id = c.id)
       or c.donation_count <> (select count(*) from donations d where d.campaign_id = c.id)`.execute(db);
  expect(campaigns.rows).toEqual([]);

  const programmes = await sql<{ id: string }>`
    select p.id from grant_programmes p
    where p.awarded_minor <> (select coalesce(sum(amount_minor), 0) from grants g where g.programme_id = p.id)
       or p.disbursed_minor <> (select coalesce(sum(amount_minor), 0) from disbursements d where d.programme_id = p.id)
       or p.grant_count <> (select count(*) from grants g where g.programme_id = p.id)
       or p.awarded_minor <> (select coalesce(sum(amount_minor), 0) from planned_disbursements d where d.programme_id = p.id)`.execute(db);
  expect(programmes.rows).toEqual([]);
  const grants = await sql<{ id: string }>`
    select g.id from grants g where g.disbursed_minor <> (select coalesce(sum(amount_minor), 0) from disbursements d where d.grant_id = g.id)`.execute(
    db,
  );
  expect(grants.rows).toEqual([]);

  const receipts = await sql<{ n: number }>`
    select count(*)::int as n from (select recipient_id, receipt_number from donations group by 1, 2 having count(*) > 1) dup`.execute(db);
  expect(receipts.rows[0]!.n).toBe(0);
});

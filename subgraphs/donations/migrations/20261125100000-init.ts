import { sql, type Kysely } from 'kysely';
import { createAuditLog, dropAuditLog } from '../../kit/index.ts';
import { readShippedRates } from '../exchange-rate/rates-file.ts';

const DONOR_TYPES = `'INDIVIDUAL', 'CORPORATE', 'STATE', 'FOREIGN_STATE', 'INTERNATIONAL_ORG', 'FOUNDATION', 'ANONYMOUS'`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
    create table exchange_rates (
      currency text not null check (currency ~ '^[A-Z]{3}$' and currency <> 'KZT'),
      rate_date date not null,
      rate_micro bigint not null check (rate_micro > 0),
      source text not null,
      recorded_at timestamptz not null default now(),
      primary key (currency, rate_date)
    );

    create table donors (
      id uuid primary key default gen_random_uuid(),
      type text not null check (type in (${DONOR_TYPES})),
      residency text not null check (residency in ('RESIDENT', 'NON_RESIDENT')),
      name text,
      bin char(12),
      iin char(12),
      country char(2),
      organization_id uuid,
      partner_id uuid,
      registered_by_organization_id uuid,
      registered_at timestamptz not null default now(),
      check (type <> 'ANONYMOUS' or (name is null and bin is null and iin is null)),
      check (iin is null or type = 'INDIVIDUAL')
    );
    create unique index donors_bin on donors (bin) where bin is not null;
    create unique index donors_organization on donors (organization_id) where organization_id is not null;
    create index donors_partner on donors (partner_id) where partner_id is not null;
    create index donors_registered_at on donors (registered_at, id);

    create table donor_organizations (
      organization_id uuid not null,
      donor_id uuid not null references donors (id),
      primary key (organization_id, donor_id)
    );
    create index donor_organizations_donor on donor_organizations (donor_id);

    create table campaigns (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null,
      title text not null,
      description text,
      goal_kzt bigint not null check (goal_kzt > 0),
      starts_on date not null,
      ends_on date not null check (ends_on >= starts_on),
      raised_kzt bigint not null default 0,
      donation_count integer not null default 0,
      created_at timestamptz not null default now()
    );
    create index campaigns_organization on campaigns (organization_id, starts_on, id);
    create index campaigns_starts on campaigns (starts_on, id);

    create table receipt_counters (
      organization_id uuid not null,
      year integer not null,
      last_number integer not null check (last_number > 0),
      primary key (organization_id, year)
    );

    create table donations (
      id uuid primary key,
      donor_id uuid not null references donors (id),
      donor_type text not null,
      donor_residency text not null,
      recipient_id uuid not null,
      recipient_region_code text not null check (recipient_region_code ~ '^[0-9]{9}$'),
      campaign_id uuid references campaigns (id),
      kind text not null check (kind in ('MONETARY', 'IN_KIND')),
      in_kind_description text,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      amount_minor bigint not null check (amount_minor > 0),
      rate_micro bigint check (rate_micro > 0),
      rate_date date,
      rate_source text,
      amount_kzt bigint not null check (amount_kzt > 0),
      frequency text not null check (frequency in ('ONE_TIME', 'RECURRING')),
      schedule_interval text check (schedule_interval in ('MONTHLY', 'YEARLY')),
      schedule_starts_on date,
      schedule_ends_on date,
      donated_on date not null,
      receipt_year integer not null,
      receipt_number text not null,
      foreign_source boolean not null,
      note text,
      recorded_at timestamptz not null default now(),
      check ((kind = 'IN_KIND') = (in_kind_description is not null)),
      check ((currency = 'KZT') = (rate_micro is null) and (rate_micro is null) = (rate_date is null) and (rate_date is null) = (rate_source is null)),
      check (currency <> 'KZT' or amount_kzt = amount_minor),
      check ((frequency = 'RECURRING') = (schedule_interval is not null) and (schedule_interval is null) = (schedule_starts_on is null)),
      check (schedule_ends_on is null or schedule_ends_on >= schedule_starts_on),
      check (receipt_year = extract(year from donated_on)),
      constraint donations_receipt_unique unique (recipient_id, receipt_number)
    );
    create index donations_recipient on donations (recipient_id, donated_on, id);
    create index donations_donor on donations (donor_id, donated_on, id);
    create index donations_campaign on donations (campaign_id, donated_on, id) where campaign_id is not null;
    create index donations_date on donations (donated_on, id);

    create table refunds (
      id uuid primary key,
      donation_id uuid not null references donations (id),
      amount_minor bigint not null check (amount_minor > 0),
      amount_kzt bigint not null check (amount_kzt >= 0),
      refunded_on date not null,
      reason text not null,
      recorded_at timestamptz not null default now()
    );
    create index refunds_donation on refunds (donation_id, refunded_on, id);

    create table donation_daily_totals (
      organization_id uuid not null,
      day date not null,
      amount_kzt bigint not null,
      donation_count integer not null,
      primary key (organization_id, day)
    );

    create table donation_region_totals (
      region_code text not null,
      year integer not null,
      donor_type text not null,
      residency text not null,
      kind text not null,
      foreign_source boolean not null,
      amount_kzt bigint not null,
      donation_count integer not null,
      primary key (year, region_code, donor_type, residency, kind, foreign_source)
    );

    create table idempotency_keys (
      operation text not null,
      key text not null,
      request_hash text not null,
      entity_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (operation, key)
    );

    create table grant_programmes (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      description text,
      funder_kind text not null check (funder_kind in ('STATE_BODY', 'PRIVATE', 'INTERNATIONAL_PARTNER')),
      funder_name text not null,
      funder_organization_id uuid,
      funder_partner_id uuid,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      budget_minor bigint not null check (budget_minor > 0),
      opens_on date not null,
      closes_on date not null check (closes_on >= opens_on),
      priorities text[] not null default '{}',
      min_grant_years integer not null,
      max_grant_years integer not null,
      awarded_minor bigint not null default 0,
      disbursed_minor bigint not null default 0,
      grant_count integer not null default 0,
      created_at timestamptz not null default now(),
      check (1 <= min_grant_years and min_grant_years <= max_grant_years and max_grant_years <= 3),
      check (awarded_minor between 0 and budget_minor),
      check (disbursed_minor between 0 and awarded_minor),
      check (funder_organization_id is null or funder_partner_id is null),
      check ((funder_kind = 'INTERNATIONAL_PARTNER') = (funder_partner_id is not null))
    );
    create index grant_programmes_opens on grant_programmes (opens_on, id);
    create index grant_programmes_funder_organization on grant_programmes (funder_organization_id) where funder_organization_id is not null;
    create index grant_programmes_funder_partner on grant_programmes (funder_partner_id) where funder_partner_id is not null;

    create table grant_applications (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references grant_programmes (id),
      applicant_id uuid not null,
      title text not null,
      summary text,
      requested_minor bigint not null check (requested_minor > 0),
      status text not null check (status in ('DRAFT', 'SUBMITTED', 'AWARDED', 'REJECTED')),
      submitted_at timestamptz,
      decided_at timestamptz,
      decision_reason text,
      created_at timestamptz not null default now()
    );
    create index grant_applications_programme on grant_applications (programme_id, created_at, id);
    create index grant_applications_applicant on grant_applications (applicant_id, created_at, id);

    create table grants (
      id uuid primary key default gen_random_uuid(),
      programme_id uuid not null references grant_programmes (id),
      application_id uuid not null unique references grant_applications (id),
      recipient_id uuid not null,
      title text not null,
      currency text not null,
      amount_minor bigint not null check (amount_minor > 0),
      award_date date not null,
      period_start date not null,
      period_end date not null check (period_end > period_start),
      disbursed_minor bigint not null default 0,
      created_at timestamptz not null default now(),
      check (disbursed_minor between 0 and amount_minor)
    );
    create index grants_programme on grants (programme_id, award_date, id);
    create index grants_recipient on grants (recipient_id, award_date, id);
    create index grants_award on grants (award_date, id);

    create table planned_disbursements (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null references grants (id),
      programme_id uuid not null references grant_programmes (id),
      due_on date not null,
      amount_minor bigint not null check (amount_minor > 0)
    );
    create index planned_disbursements_grant on planned_disbursements (grant_id, due_on);
    create index planned_disbursements_programme on planned_disbursements (programme_id, due_on);

    create table disbursements (
      id uuid primary key,
      grant_id uuid not null references grants (id),
      programme_id uuid not null references grant_programmes (id),
      amount_minor bigint not null check (amount_minor > 0),
      paid_on date not null,
      reference text,
      recorded_at timestamptz not null default now()
    );
    create index disbursements_grant on disbursements (grant_id, paid_on, id);

    create table grant_reports (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null references grants (id),
      kind text not null check (kind in ('INTERIM', 'FINAL')),
      due_on date not null,
      status text not null default 'DUE' check (status in ('DUE', 'SUBMITTED', 'ACCEPTED')),
      summary text,
      submitted_at timestamptz,
      accepted_at timestamptz
    );
    create index grant_reports_grant on grant_reports (grant_id, due_on, id);
    create index grant_reports_due on grant_reports (due_on, id) where status = 'DUE';
  `,
    )
    .execute(db);
  await createAuditLog(db);
  // Reference data: the official rates shipped with the project (recordExchangeRate adds the rest).
  const rates = readShippedRates();
  if (rates.length > 0) {
    await db
      .insertInto('exchange_rates')
      .values(rates.map((r) => ({ currency: r.currency, rate_date: r.date, rate_micro: r.rateMicro.toString(), source: r.source })))
      .onConflict((oc) => oc.columns(['currency', 'rate_date']).doNothing())
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropAuditLog(db);
  await sql`
    drop table if exists grant_reports;
    drop table if exists disbursements;
    drop table if exists planned_disbursements;
    drop table if exists grants;
    drop table if exists grant_applications;
    drop table if exists grant_programmes;
    drop table if exists idempotency_keys;
    drop table if exists donation_region_totals;
    drop table if exists donation_daily_totals;
    drop table if exists refunds;
    drop table if exists donations;
    drop table if exists receipt_counters;
    drop table if exists campaigns;
    drop table if exists donor_organizations;
    drop table if exists donors;
    drop table if exists exchange_rates;
  `.execute(db);
}

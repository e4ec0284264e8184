import { sql, type Kysely } from 'kysely';
import { createAuditLog, dropAuditLog } from '../../kit/index.ts';

/**
 * The register of volunteers and their work. Organizations, opportunities and
 * regions belong to the organizations subgraph: here they are only ids.
 *
 * Totals that others read (per organization, per region, per opportunity) are
 * kept in rollup tables written in the same transaction as each change, so no
 * total is ever a scan of hour_records.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table volunteers (
      id uuid primary key default gen_random_uuid(),
      iin char(12) not null constraint volunteers_iin_unique unique,
      first_name text not null,
      last_name text not null,
      patronymic text,
      birth_date date not null,
      sex text not null check (sex in ('MALE', 'FEMALE')),
      region_code text not null check (region_code ~ '^[0-9]{9}$'),
      skills text[] not null default '{}',
      languages text[] not null default '{}',
      phone text,
      email text,
      guardian_name text,
      guardian_relationship text,
      guardian_consent_on date,
      guardian_recorded_by text,
      registered_by text not null check (registered_by in ('SELF', 'FRONT_OFFICE')),
      account_subject text constraint volunteers_account_subject_unique unique,
      approved_minutes bigint not null default 0 check (approved_minutes >= 0),
      registered_at timestamptz not null default now(),
      check ((guardian_name is null) = (guardian_consent_on is null))
    );
    create index volunteers_region on volunteers (region_code, id);

    create table memberships (
      id uuid primary key default gen_random_uuid(),
      volunteer_id uuid not null references volunteers (id),
      organization_id uuid not null,
      role text not null check (role in ('MEMBER', 'COORDINATOR')),
      joined_at timestamptz not null default now(),
      left_at timestamptz
    );
    create unique index memberships_active on memberships (volunteer_id, organization_id) where left_at is null;
    create index memberships_organization on memberships (organization_id, volunteer_id) where left_at is null;

    create table applications (
      id uuid primary key default gen_random_uuid(),
      volunteer_id uuid not null references volunteers (id),
      opportunity_id uuid not null,
      organization_id uuid not null,
      status text not null check (status in ('PENDING', 'ACCEPTED', 'REJECTED', 'WITHDRAWN')),
      motivation text,
      applied_at timestamptz not null default date_trunc('milliseconds', now()), -- exact in a JS Date: keyset cursors
      decided_by text,
      decided_at timestamptz,
      reason text
    );
    create unique index applications_active on applications (volunteer_id, opportunity_id) where status in ('PENDING', 'ACCEPTED');
    create index applications_opportunity on applications (opportunity_id, applied_at, id);
    create index applications_volunteer on applications (volunteer_id, applied_at, id);

    create table opportunity_totals (
      opportunity_id uuid primary key,
      organization_id uuid not null,
      applicant_count integer not null default 0 check (applicant_count >= 0),
      accepted_count integer not null default 0 check (accepted_count >= 0)
    );

    create table hour_records (
      id uuid primary key default gen_random_uuid(),
      volunteer_id uuid not null references volunteers (id),
      organization_id uuid not null,
      opportunity_id uuid,
      work_date date not null,
      minutes integer not null check (minutes between 1 and 1440),
      region_code text not null check (region_code ~ '^[0-9]{9}$'),
      activity_type text not null,
      direction text not null,
      setting text not null check (setting in ('ORGANIZATION_BASED', 'DIRECT')),
      education_requirement boolean not null default false,
      during_paid_work_time boolean not null default false,
      source text not null check (source in ('SELF', 'COORDINATOR', 'KIOSK', 'IMPORT')),
      status text not null check (status in ('PENDING', 'APPROVED', 'DECLINED', 'VOIDED')),
      description text,
      created_by text,
      created_at timestamptz not null default now(),
      decided_by text,
      decided_at timestamptz,
      reason text,
      -- A void keeps the decision it undoes: who voided, when and why are kept apart.
      voided_by text,
      voided_at timestamptz,
      void_reason text,
      replaces_id uuid constraint hour_records_replaces_unique unique references hour_records (id)
    );
    create index hour_records_volunteer on hour_records (volunteer_id, work_date, id);
    create index hour_records_organization on hour_records (organization_id, status, work_date, id);

    -- The 24-hours-a-day rule, enforced by a check so that racing writes cannot both pass it.
    create table volunteer_daily_minutes (
      volunteer_id uuid not null references volunteers (id),
      work_date date not null,
      minutes integer not null constraint volunteer_daily_minutes_limit check (minutes between 0 and 1440),
      primary key (volunteer_id, work_date)
    );

    create table organization_volunteer_totals (
      organization_id uuid primary key,
      volunteer_count integer not null default 0 check (volunteer_count >= 0)
    );
    create table region_volunteer_totals (
      region_code text primary key,
      volunteer_count integer not null default 0 check (volunteer_count >= 0)
    );
    -- Approved work per organization and day (any date range sums whole days).
    create table organization_daily_hours (
      organization_id uuid not null,
      work_date date not null,
      activity_type text not null,
      minutes bigint not null default 0 check (minutes >= 0),
      ilo_minutes bigint not null default 0 check (ilo_minutes >= 0 and ilo_minutes <= minutes),
      records integer not null default 0 check (records >= 0),
      primary key (organization_id, work_date, activity_type)
    );
    -- Approved work per region (where it was done) and month.
    create table region_monthly_hours (
      region_code text not null,
      year integer not null,
      month integer not null check (month between 1 and 12),
      activity_type text not null,
      minutes bigint not null default 0 check (minutes >= 0),
      ilo_minutes bigint not null default 0 check (ilo_minutes >= 0 and ilo_minutes <= minutes),
      records integer not null default 0 check (records >= 0),
      primary key (region_code, year, month, activity_type)
    );
  `.execute(db);
  await createAuditLog(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropAuditLog(db);
  await sql`
    drop table if exists region_monthly_hours;
    drop table if exists organization_daily_hours;
    drop table if exists region_volunteer_totals;
    drop table if exists organization_volunteer_totals;
    drop table if exists volunteer_daily_minutes;
    drop table if exists hour_records;
    drop table if exists opportunity_totals;
    drop table if exists applications;
    drop table if exists memberships;
    drop table if exists volunteers;
  `.execute(db);
}

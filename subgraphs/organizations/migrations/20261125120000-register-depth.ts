import { sql, type Kysely } from 'kysely';

/**
 * The register in depth: contact details and a status history of organizations,
 * dated capacity snapshots and trainings of front-offices, the lifecycle of
 * opportunities, and the constraints the first migration left to the API.
 * Existing rows are backfilled so that every history starts where the row did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table organizations
      add column contact_phone text,
      add column contact_email text,
      add column contact_address text,
      add column contact_person text,
      add column updated_at timestamptz not null default now(),
      add constraint organizations_kind check (kind in (
        'VOLUNTEER_ORGANIZATION', 'VOLUNTEER_GROUP', 'CHARITY_FOUNDATION', 'NGO',
        'STATE_BODY', 'COMPANY', 'INTERNATIONAL_ORGANIZATION')),
      add constraint organizations_directions check (
        directions <@ array['BILIM', 'QAMQOR', 'UMIT', 'SABAQTASTYQ', 'TAZA_ALEM', 'SAULYQ']::text[]),
      add constraint organizations_group_without_bin check (bin is not null or kind = 'VOLUNTEER_GROUP');
    update organizations set updated_at = greatest(registered_at, status_changed_at);
    create index organizations_directions on organizations using gin (directions);
    create index organizations_status on organizations (status, name, id);

    create table organization_status_changes (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations (id),
      status text not null check (status in ('REGISTERED', 'SUSPENDED', 'EXCLUDED')),
      reason text not null,
      changed_at timestamptz not null default now()
    );
    create index organization_status_changes_organization on organization_status_changes (organization_id, changed_at, id);
    insert into organization_status_changes (organization_id, status, reason, changed_at)
      select id, 'REGISTERED', 'Entered in the register', registered_at from organizations;
    insert into organization_status_changes (organization_id, status, reason, changed_at)
      select id, status, coalesce(status_reason, 'Status before the history was kept'), status_changed_at
      from organizations where status <> 'REGISTERED';

    alter table front_offices
      add column opened_on date not null default current_date,
      add column capacity_as_of date;
    update front_offices set capacity_as_of = opened_on;
    alter table front_offices alter column capacity_as_of set not null;
    create table front_office_capacity (
      id uuid primary key default gen_random_uuid(),
      front_office_id uuid not null references front_offices (id),
      as_of date not null,
      staff integer not null check (staff >= 0),
      trainers integer not null check (trainers >= 0),
      equipment_items integer not null check (equipment_items >= 0),
      recorded_at timestamptz not null default now(),
      constraint front_office_capacity_one_per_day unique (front_office_id, as_of)
    );
    insert into front_office_capacity (front_office_id, as_of, staff, trainers, equipment_items)
      select id, opened_on, staff, trainers, equipment_items from front_offices;
    create table front_office_trainings (
      id uuid primary key default gen_random_uuid(),
      front_office_id uuid not null references front_offices (id),
      held_on date not null,
      topic text not null,
      people_trained integer not null check (people_trained > 0),
      recorded_at timestamptz not null default now()
    );
    create index front_office_trainings_office on front_office_trainings (front_office_id, held_on, id);

    alter table opportunities
      add column status_changed_at timestamptz not null default now(),
      add column status_reason text,
      add column updated_at timestamptz not null default now(),
      add constraint opportunities_direction check (
        direction in ('BILIM', 'QAMQOR', 'UMIT', 'SABAQTASTYQ', 'TAZA_ALEM', 'SAULYQ')),
      add constraint opportunities_minors check (not minor_restricted or minimum_age >= 18);
    update opportunities set status_changed_at = created_at, updated_at = created_at;
    create index opportunities_status on opportunities (status, starts_on, id);

    create index audit_log_entity_id on audit_log (entity_id, at, id);
    create index audit_log_at_id on audit_log (at, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index if exists audit_log_at_id;
    drop index if exists audit_log_entity_id;

    drop index if exists opportunities_status;
    alter table opportunities
      drop constraint if exists opportunities_minors,
      drop constraint if exists opportunities_direction,
      drop column if exists updated_at,
      drop column if exists status_reason,
      drop column if exists status_changed_at;

    drop table if exists front_office_trainings;
    drop table if exists front_office_capacity;
    alter table front_offices
      drop column if exists capacity_as_of,
      drop column if exists opened_on;

    drop table if exists organization_status_changes;
    drop index if exists organizations_status;
    drop index if exists organizations_directions;
    alter table organizations
      drop constraint if exists organizations_group_without_bin,
      drop constraint if exists organizations_directions,
      drop constraint if exists organizations_kind,
      drop column if exists updated_at,
      drop column if exists contact_person,
      drop column if exists contact_address,
      drop column if exists contact_email,
      drop column if exists contact_phone;
  `.execute(db);
}

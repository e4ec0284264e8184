import { sql, type Kysely } from 'kysely';
import { createAuditLog, dropAuditLog } from '../../kit/index.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table partners (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      acronym text,
      kind text not null check (kind in ('UN_AGENCY', 'FOREIGN_GOVERNMENT', 'INTERNATIONAL_NGO', 'FOREIGN_VOLUNTEER_ORGANIZATION')),
      country text not null check (country ~ '^[A-Z]{2}$'),
      website text,
      registered_at timestamptz not null default now(),
      constraint partners_name_country unique (name, country)
    );
    create index partners_name on partners (name, id);
    create index partners_country on partners (country, name, id);

    create table agreements (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      type text not null check (type in ('MEMORANDUM', 'HOSTING', 'FUNDING')),
      valid_from date not null,
      valid_to date check (valid_to is null or valid_to >= valid_from),
      countries text[] not null default '{}',
      sdg_targets text[] not null default '{}',
      signed_at timestamptz not null default now()
    );
    create index agreements_valid_from on agreements (valid_from, id);

    -- A party is an international partner or a domestic organization (a reference
    -- into the organizations subgraph), in one of the IATI organisation roles.
    create table agreement_parties (
      id uuid primary key default gen_random_uuid(),
      agreement_id uuid not null references agreements (id) on delete cascade,
      partner_id uuid references partners (id),
      organization_id uuid,
      role text not null check (role in ('FUNDING', 'ACCOUNTABLE', 'EXTENDING', 'IMPLEMENTING')),
      position integer not null,
      check ((partner_id is null) <> (organization_id is null))
    );
    create unique index agreement_parties_once on agreement_parties (agreement_id, coalesce(partner_id, organization_id), role);
    create index agreement_parties_agreement on agreement_parties (agreement_id, position);
    create index agreement_parties_partner on agreement_parties (partner_id, agreement_id) where partner_id is not null;
    create index agreement_parties_organization on agreement_parties (organization_id, agreement_id) where organization_id is not null;

    create table exchange_missions (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      organizing_organization_id uuid not null,
      host_country text not null check (host_country ~ '^[A-Z]{2}$'),
      host_partner_id uuid not null references partners (id),
      agreement_id uuid references agreements (id),
      starts_on date not null,
      ends_on date not null check (ends_on >= starts_on),
      purpose text not null,
      sdg_targets text[] not null default '{}',
      places integer not null check (places > 0),
      -- Participants not withdrawn; maintained on write, never above the places.
      participant_count integer not null default 0 check (participant_count >= 0 and participant_count <= places),
      status text not null default 'PLANNED' check (status in ('PLANNED', 'OPEN', 'UNDER_WAY', 'COMPLETED', 'CANCELLED')),
      status_changed_at timestamptz not null default now(),
      status_note text,
      created_at timestamptz not null default now()
    );
    create index exchange_missions_starts on exchange_missions (starts_on, id);
    create index exchange_missions_organizer on exchange_missions (organizing_organization_id, starts_on, id);
    create index exchange_missions_host_partner on exchange_missions (host_partner_id, starts_on, id);
    create index exchange_missions_agreement on exchange_missions (agreement_id, starts_on, id) where agreement_id is not null;

    create table mission_participants (
      id uuid primary key default gen_random_uuid(),
      mission_id uuid not null references exchange_missions (id),
      volunteer_id uuid not null,
      -- The volunteer's home region when added (from the volunteers subgraph), for Region.missionParticipants.
      region_code text check (region_code ~ '^[0-9]{9}$'),
      role text not null check (role in ('TEAM_LEADER', 'VOLUNTEER', 'SPECIALIST')),
      outcome text check (outcome in ('COMPLETED', 'PARTIALLY_COMPLETED', 'WITHDRAWN')),
      added_at timestamptz not null default now(),
      constraint mission_participants_once unique (mission_id, volunteer_id)
    );
    create index mission_participants_volunteer on mission_participants (volunteer_id, added_at);

    create table mission_grants (
      mission_id uuid not null references exchange_missions (id),
      grant_id uuid not null,
      linked_at timestamptz not null default now(),
      primary key (mission_id, grant_id)
    );
    create index mission_grants_grant on mission_grants (grant_id, mission_id);

    create table mission_results (
      id uuid primary key default gen_random_uuid(),
      mission_id uuid not null references exchange_missions (id),
      summary text not null,
      indicator text,
      value bigint check (value is null or value >= 0),
      recorded_at timestamptz not null default now()
    );
    create index mission_results_mission on mission_results (mission_id, recorded_at, id);

    create table un_volunteer_assignments (
      id uuid primary key default gen_random_uuid(),
      volunteer_id uuid not null,
      modality text not null check (modality in ('NATIONAL', 'INTERNATIONAL', 'ONLINE')),
      host_entity text not null,
      host_partner_id uuid references partners (id),
      duty_station text,
      duty_country text check (duty_country ~ '^[A-Z]{2}$'),
      starts_on date not null,
      ends_on date not null check (ends_on >= starts_on),
      recorded_at timestamptz not null default now()
    );
    create index un_volunteer_assignments_volunteer on un_volunteer_assignments (volunteer_id, starts_on);
    create index un_volunteer_assignments_starts on un_volunteer_assignments (starts_on, id);
    create index un_volunteer_assignments_partner on un_volunteer_assignments (host_partner_id, starts_on, id) where host_partner_id is not null;

    -- Rollups maintained on write: participants (not withdrawn, of missions not
    -- cancelled) by home region and the year the mission starts ...
    create table region_mission_participants (
      region_code text not null,
      year integer not null,
      participants integer not null default 0 check (participants >= 0),
      primary key (region_code, year)
    );
    -- ... and missions (not cancelled) and their participants by year, host country and host partner.
    create table mission_totals (
      year integer not null,
      host_country text not null,
      host_partner_id uuid not null references partners (id),
      missions integer not null default 0 check (missions >= 0),
      participants integer not null default 0 check (participants >= 0),
      primary key (year, host_country, host_partner_id)
    );
  `.execute(db);
  await createAuditLog(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropAuditLog(db);
  await sql`
    drop table if exists mission_totals;
    drop table if exists region_mission_participants;
    drop table if exists un_volunteer_assignments;
    drop table if exists mission_results;
    drop table if exists mission_grants;
    drop table if exists mission_participants;
    drop table if exists exchange_missions;
    drop table if exists agreement_parties;
    drop table if exists agreements;
    drop table if exists partners;
  `.execute(db);
}

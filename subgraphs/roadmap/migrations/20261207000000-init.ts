import { sql, type Kysely } from 'kysely';
import { createAuditLog, dropAuditLog } from '../../kit/index.ts';

/**
 * Phases, the indicators they switch on, and targets per indicator, scope (a
 * KATO region code, or 'national') and year. The figure an indicator is
 * measured by names a RegionYear field of its owning subgraph; its unit and
 * owner follow from the figure (progress/figures.ts), so they cannot disagree.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table phases (
      id uuid primary key default gen_random_uuid(),
      key text not null unique check (key ~ '^[a-z][a-z0-9-]{1,40}$'),
      position int not null unique,
      name_kk text not null,
      name_ru text not null,
      name_en text not null,
      starts_on date not null,
      ends_on date not null check (ends_on >= starts_on),
      switches_on text not null
    );

    create table indicators (
      id uuid primary key default gen_random_uuid(),
      key text not null unique check (key ~ '^[a-z][a-z0-9-]{1,40}$'),
      phase_id uuid not null references phases (id),
      position int not null,
      name_kk text not null,
      name_ru text not null,
      name_en text not null,
      figure text not null check (figure in ('REGISTERED_VOLUNTEERS', 'ACTIVE_VOLUNTEERS', 'APPROVED_HOURS', 'REGISTERED_ORGANIZATIONS',
        'FRONT_OFFICE_TRAININGS', 'PEOPLE_TRAINED', 'DONATIONS_KZT', 'GRANTS_DISBURSED_KZT', 'MISSION_PARTICIPANTS'))
    );
    create index indicators_phase on indicators (phase_id, position);

    create table targets (
      id uuid primary key default gen_random_uuid(),
      indicator_id uuid not null references indicators (id),
      scope text not null check (scope = 'national' or scope ~ '^[0-9]{9}$'),
      year int not null check (year between 1990 and 2100),
      value numeric(20, 2) not null check (value > 0),
      set_at timestamptz not null default now(),
      constraint targets_indicator_scope_year unique (indicator_id, scope, year)
    );
    create index targets_year_scope on targets (year, scope);
  `.execute(db);
  await createAuditLog(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists targets; drop table if exists indicators; drop table if exists phases;`.execute(db);
  await dropAuditLog(db);
}

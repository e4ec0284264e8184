import { sql, type Kysely } from 'kysely';
import { createAuditLog, dropAuditLog, REGIONS } from '../../kit/index.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table regions (
      code text primary key check (code ~ '^[0-9]{9}$'),
      iso text not null unique,
      kind text not null check (kind in ('OBLAST', 'CITY')),
      name_kk text not null,
      name_ru text not null,
      name_en text not null
    );
    create table organizations (
      id uuid primary key default gen_random_uuid(),
      bin char(12) unique,
      name text not null,
      kind text not null,
      region_code text not null references regions (code),
      directions text[] not null default '{}',
      status text not null default 'REGISTERED' check (status in ('REGISTERED', 'SUSPENDED', 'EXCLUDED')),
      status_changed_at timestamptz not null default now(),
      status_reason text,
      registered_at timestamptz not null default now()
    );
    create index organizations_region on organizations (region_code, name, id);
    create index organizations_name on organizations (name, id);
    create table front_offices (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      region_code text unique references regions (code),
      staff integer not null default 0 check (staff >= 0),
      trainers integer not null default 0 check (trainers >= 0),
      equipment_items integer not null default 0 check (equipment_items >= 0)
    );
    create unique index front_offices_one_national on front_offices ((region_code is null)) where region_code is null;
    create table opportunities (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations (id),
      title text not null,
      description text not null,
      region_code text not null references regions (code),
      place text,
      starts_on date not null,
      ends_on date not null check (ends_on >= starts_on),
      direction text not null,
      skills_needed text[] not null default '{}',
      places_available integer not null check (places_available >= 0),
      minimum_age integer not null check (minimum_age between 0 and 120),
      minor_restricted boolean not null default false,
      status text not null check (status in ('DRAFT', 'OPEN', 'CLOSED', 'CANCELLED')),
      created_at timestamptz not null default now()
    );
    create index opportunities_organization on opportunities (organization_id, starts_on, id);
    create index opportunities_region on opportunities (region_code, starts_on, id);
  `.execute(db);
  await createAuditLog(db);
  await db
    .insertInto('regions')
    .values(REGIONS.map((r) => ({ code: r.code, iso: r.iso, kind: r.kind, name_kk: r.nameKk, name_ru: r.nameRu, name_en: r.nameEn })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropAuditLog(db);
  await sql`
    drop table if exists opportunities;
    drop table if exists front_offices;
    drop table if exists organizations;
    drop table if exists regions;
  `.execute(db);
}

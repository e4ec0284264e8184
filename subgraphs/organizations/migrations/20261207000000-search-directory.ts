import { sql, type Kysely } from 'kysely';

/**
 * Finding work and offices: opportunities get the languages they are run in,
 * online or on site, a location, and a full-text document over title and
 * description (the 'simple' configuration: no stemming, so Kazakh, Russian and
 * English are treated alike, and no extension is needed on PGlite); front-offices
 * get their directory entry (address, phone, e-mail, opening hours, location).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table opportunities
      add column languages text[] not null default '{}',
      add column online boolean not null default false,
      add column latitude double precision,
      add column longitude double precision,
      add column search_document tsvector generated always as (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')) stored,
      add constraint opportunities_location check (
        (latitude is null) = (longitude is null)
        and (latitude is null or (latitude between -90 and 90 and longitude between -180 and 180)));
    create index opportunities_search_document on opportunities using gin (search_document);
    create index opportunities_skills on opportunities using gin (skills_needed);
    create index opportunities_languages on opportunities using gin (languages);
    create index opportunities_open_ends on opportunities (ends_on, starts_on, id) where status = 'OPEN';
    create index opportunities_location on opportunities (latitude, longitude) where latitude is not null;

    alter table front_offices
      add column address text,
      add column phone text,
      add column email text,
      add column opening_hours text,
      add column latitude double precision,
      add column longitude double precision,
      add constraint front_offices_location check (
        (latitude is null) = (longitude is null)
        and (latitude is null or (latitude between -90 and 90 and longitude between -180 and 180)));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table front_offices
      drop constraint if exists front_offices_location,
      drop column if exists longitude,
      drop column if exists latitude,
      drop column if exists opening_hours,
      drop column if exists email,
      drop column if exists phone,
      drop column if exists address;

    drop index if exists opportunities_location;
    drop index if exists opportunities_open_ends;
    drop index if exists opportunities_languages;
    drop index if exists opportunities_skills;
    drop index if exists opportunities_search_document;
    alter table opportunities
      drop constraint if exists opportunities_location,
      drop column if exists search_document,
      drop column if exists latitude,
      drop column if exists longitude,
      drop column if exists online,
      drop column if exists languages;
  `.execute(db);
}

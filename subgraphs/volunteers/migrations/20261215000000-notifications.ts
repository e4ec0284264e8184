import { sql, type Kysely } from 'kysely';

/**
 * Notifications (issue 16): a feed per person, written in the same transaction
 * as the outbox event it comes from (unique per event and recipient, so it is
 * never doubled), with the state of its e-mail; and each person's preferences
 * per kind and channel (no row: on).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notifications (
      id bigserial primary key,
      volunteer_id uuid not null references volunteers (id),
      kind text not null,
      event_id bigint not null,
      subject_id uuid not null,
      organization_id uuid not null,
      facts jsonb not null,
      in_feed boolean not null,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      email_state text not null check (email_state in ('PENDING', 'SENT', 'SKIPPED')),
      emailed_at timestamptz,
      unique (event_id, volunteer_id)
    );
    create index notifications_feed on notifications (volunteer_id, id) where in_feed;
    create index notifications_unread on notifications (volunteer_id, id) where in_feed and read_at is null;
    create index notifications_email_pending on notifications (id) where email_state = 'PENDING';
    create table notification_preferences (
      volunteer_id uuid not null references volunteers (id),
      kind text not null,
      channel text not null check (channel in ('FEED', 'EMAIL')),
      enabled boolean not null,
      primary key (volunteer_id, kind, channel)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists notification_preferences; drop table if exists notifications;`.execute(db);
}

import { sql, type Kysely, type Selectable } from 'kysely';
import type { Page } from '../../kit/index.ts';
import type { NotificationTable, VolunteersDB } from '../migrations/tables.ts';

export const NOTIFICATION_KINDS = ['HOUR_RECORD_DECIDED', 'APPLICATION_DECIDED', 'APPLICATION_RECEIVED', 'HOUR_RECORD_SUBMITTED'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_CHANNELS = ['FEED', 'EMAIL'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export interface Notification {
  id: string;
  volunteerId: string;
  kind: NotificationKind;
  subjectId: string;
  organizationId: string;
  facts: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
}

function rowToNotification(row: Selectable<NotificationTable>): Notification {
  return {
    id: String(row.id),
    volunteerId: row.volunteer_id,
    kind: row.kind as NotificationKind,
    subjectId: row.subject_id,
    organizationId: row.organization_id,
    facts: (typeof row.facts === 'string' ? JSON.parse(row.facts) : row.facts) as Record<string, unknown>,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/** Who a notification goes to: one volunteer, or the current coordinators of an organization (but the one the event is about). */
export type Recipients = { volunteerId: string } | { coordinatorsOf: string; except: string };

/**
 * The notifications of one outbox event, in its transaction: one row per
 * recipient (unique per event and recipient), in the feed and by e-mail as
 * each recipient's preferences say (no preference row: on; no address: no e-mail).
 */
export async function insertNotifications(
  db: Kysely<VolunteersDB>,
  n: { eventId: number; kind: NotificationKind; subjectId: string; organizationId: string; facts: Record<string, unknown>; to: Recipients },
): Promise<number> {
  const recipients =
    'volunteerId' in n.to
      ? sql`select ${n.to.volunteerId}::uuid as volunteer_id`
      : sql`select distinct volunteer_id from memberships
            where organization_id = ${n.to.coordinatorsOf} and role = 'COORDINATOR' and left_at is null and volunteer_id <> ${n.to.except}`;
  const enabled = (channel: 'FEED' | 'EMAIL') =>
    sql`coalesce((select p.enabled from notification_preferences p where p.volunteer_id = r.volunteer_id and p.kind = ${n.kind} and p.channel = ${channel}), true)`;
  const result = await sql`
    insert into notifications (volunteer_id, kind, event_id, subject_id, organization_id, facts, in_feed, email_state)
    select r.volunteer_id, ${n.kind}, ${n.eventId}, ${n.subjectId}, ${n.organizationId}, ${JSON.stringify(n.facts)}::jsonb, ${enabled('FEED')},
           case when v.email is not null and ${enabled('EMAIL')} then 'PENDING' else 'SKIPPED' end
    from (${recipients}) r join volunteers v on v.id = r.volunteer_id
    on conflict (event_id, volunteer_id) do nothing
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export type NotificationKey = readonly [number];

export async function listNotifications(
  db: Kysely<VolunteersDB>,
  volunteerId: string,
  unreadOnly: boolean,
  page: Page<NotificationKey>,
): Promise<Notification[]> {
  let query = db.selectFrom('notifications').selectAll().where('volunteer_id', '=', volunteerId).where('in_feed', '=', true);
  if (unreadOnly) query = query.where('read_at', 'is', null);
  if (page.after) query = query.where('id', '<', String(page.after[0]));
  const rows = await query.orderBy('id', 'desc').limit(page.limit).execute();
  return rows.map(rowToNotification);
}

export async function countUnread(db: Kysely<VolunteersDB>, volunteerIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('notifications')
    .select(['volunteer_id', sql<string>`count(*)`.as('n')])
    .where('volunteer_id', 'in', volunteerIds)
    .where('in_feed', '=', true)
    .where('read_at', 'is', null)
    .groupBy('volunteer_id')
    .execute();
  return new Map(rows.map((r) => [r.volunteer_id, Number(r.n)]));
}

/** Of `ids`, those that are the volunteer's (in the feed). */
export async function ownNotificationIds(db: Kysely<VolunteersDB>, volunteerId: string, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where('volunteer_id', '=', volunteerId)
    .where('in_feed', '=', true)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => String(r.id)));
}

/** Marks read (the given ids, or all of the volunteer's); returns how many were unread. */
export async function markRead(db: Kysely<VolunteersDB>, volunteerId: string, ids: readonly string[] | 'all'): Promise<number> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('volunteer_id', '=', volunteerId)
    .where('in_feed', '=', true)
    .where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findPreferences(db: Kysely<VolunteersDB>, volunteerId: string): Promise<Map<string, boolean>> {
  const rows = await db.selectFrom('notification_preferences').selectAll().where('volunteer_id', '=', volunteerId).execute();
  return new Map(rows.map((r) => [`${r.kind}/${r.channel}`, r.enabled]));
}

export async function upsertPreference(
  db: Kysely<VolunteersDB>,
  p: { volunteerId: string; kind: NotificationKind; channel: NotificationChannel; enabled: boolean },
): Promise<void> {
  await db
    .insertInto('notification_preferences')
    .values({ volunteer_id: p.volunteerId, kind: p.kind, channel: p.channel, enabled: p.enabled })
    .onConflict((oc) => oc.columns(['volunteer_id', 'kind', 'channel']).doUpdateSet({ enabled: p.enabled }))
    .execute();
}

export interface PendingEmail {
  notification: Notification;
  email: string;
}

/**
 * Claims the oldest notification whose e-mail is pending (skipping rows another
 * replica holds), for the caller's transaction: it sends, then `markEmailed`.
 */
export async function claimPendingEmail(db: Kysely<VolunteersDB>): Promise<PendingEmail | null> {
  const row = await db
    .selectFrom('notifications')
    .selectAll('notifications')
    .where('email_state', '=', 'PENDING')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row) return null;
  const volunteer = await db.selectFrom('volunteers').select('email').where('id', '=', row.volunteer_id).executeTakeFirst();
  return { notification: rowToNotification(row), email: volunteer?.email ?? '' };
}

export async function markEmailed(db: Kysely<VolunteersDB>, id: string, state: 'SENT' | 'SKIPPED'): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ email_state: state, emailed_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

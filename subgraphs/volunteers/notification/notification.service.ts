import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Forbidden,
  NotFound,
  Unauthenticated,
  auditedTransaction,
  recordEvent,
  type Job,
  type RequestContext,
} from '../../kit/index.ts';
import { callerVolunteerId, isSelf } from '../access.ts';
import type { VolunteersContext } from '../context.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import type { Volunteer } from '../volunteer/volunteer.repository.ts';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  claimPendingEmail,
  findPreferences,
  insertNotifications,
  markEmailed,
  markRead,
  ownNotificationIds,
  upsertPreference,
  type Notification,
  type NotificationChannel,
  type NotificationKind,
  type Recipients,
} from './notification.repository.ts';

/**
 * Writes an outbox event and the notifications it makes, in the caller's
 * transaction: both commit, or neither (and a notification is unique per event
 * and recipient, so nothing is ever doubled).
 */
export async function recordNotifiedEvent(
  trx: Kysely<VolunteersDB>,
  context: Pick<RequestContext, 'requestId' | 'viewer'>,
  event: { topic: string; payload: Record<string, unknown> },
  notification: { kind: NotificationKind; subjectId: string; organizationId: string; facts: Record<string, unknown>; to: Recipients },
): Promise<void> {
  const eventId = await recordEvent(trx, context, event);
  await insertNotifications(trx, { eventId, ...notification });
}

const hours = (minutes: unknown) => `${Number(minutes) / 60} h`;

/** The one line a notification says, in the feed and as the e-mail's subject. */
export function notificationTitle(n: Pick<Notification, 'kind' | 'facts'>): string {
  const { status, date, minutes } = n.facts;
  switch (n.kind) {
    case 'HOUR_RECORD_DECIDED':
      return `Your ${hours(minutes)} of ${String(date)} were ${String(status).toLowerCase()}`;
    case 'APPLICATION_DECIDED':
      return `Your application was ${String(status).toLowerCase()}`;
    case 'APPLICATION_RECEIVED':
      return 'A new application to one of your organization’s opportunities';
    case 'HOUR_RECORD_SUBMITTED':
      return `Hours to decide: ${hours(minutes)} of ${String(date)}`;
  }
}

/** The caller's own volunteer record, or FORBIDDEN: a person's notifications are theirs alone. */
export function assertOwnNotifications(context: VolunteersContext, volunteer: Volunteer): void {
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  if (!isSelf(context, volunteer)) throw new Forbidden('Notifications are seen only by their own person');
}

async function callerId(context: VolunteersContext): Promise<string> {
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  const id = await callerVolunteerId(context);
  if (!id) throw new Forbidden('Only a person with a volunteer record has notifications');
  return id;
}

const parseNotificationId = (value: string, argument: string): string => {
  if (!/^[1-9][0-9]{0,17}$/.test(value)) throw new BadUserInput(argument, 'not a notification id');
  return value;
};

export async function markNotificationsRead(
  context: VolunteersContext,
  args: { ids?: readonly string[] | null; all?: boolean | null },
): Promise<number> {
  const hasIds = args.ids !== null && args.ids !== undefined;
  if (hasIds === (args.all === true)) throw new BadUserInput(hasIds ? 'all' : 'ids', 'give either ids or all: true');
  if (hasIds && args.ids!.length > 100) throw new BadUserInput('ids', 'at most 100 ids at once');
  const ids = hasIds ? [...new Set(args.ids!.map((id, i) => parseNotificationId(id, `ids[${i}]`)))] : [];
  const volunteerId = await callerId(context);
  return context.db.transaction().execute(async (trx) => {
    if (hasIds) {
      if (ids.length === 0) return 0;
      const own = await ownNotificationIds(trx, volunteerId, ids);
      // The same answer for another person's notification as for none: nothing is revealed.
      const missing = ids.find((id) => !own.has(id));
      if (missing) throw new NotFound('Notification', missing);
      return markRead(trx, volunteerId, ids);
    }
    return markRead(trx, volunteerId, 'all');
  });
}

export interface NotificationPreference {
  kind: NotificationKind;
  channel: NotificationChannel;
  enabled: boolean;
}

export async function preferencesOf(context: VolunteersContext, volunteer: Volunteer): Promise<NotificationPreference[]> {
  assertOwnNotifications(context, volunteer);
  const set = await findPreferences(context.db, volunteer.id);
  return NOTIFICATION_KINDS.flatMap((kind) =>
    NOTIFICATION_CHANNELS.map((channel) => ({ kind, channel, enabled: set.get(`${kind}/${channel}`) ?? true })),
  );
}

export async function setNotificationPreference(
  context: VolunteersContext,
  kind: NotificationKind,
  channel: NotificationChannel,
  enabled: boolean,
): Promise<NotificationPreference> {
  const volunteerId = await callerId(context);
  await auditedTransaction(context.db, context, async (trx, audit) => {
    await upsertPreference(trx, { volunteerId, kind, channel, enabled });
    await audit({ action: 'notifications.preference', entity: 'Volunteer', entityId: volunteerId, details: { kind, channel, enabled } });
  });
  return { kind, channel, enabled };
}

/**
 * The e-mails of notifications: each pending one is claimed (replicas skip each
 * other's), sent, and marked sent in the same transaction — a send that fails
 * rolls its claim back and is tried again on the next run (at least once).
 */
export const notificationEmailJob: Job<VolunteersDB> = {
  name: 'notification-emails',
  async run({ db, mailer }) {
    let sent = 0;
    for (let i = 0; i < 500; i++) {
      const done = await db.transaction().execute(async (trx) => {
        const pending = await claimPendingEmail(trx);
        if (!pending) return false;
        if (!pending.email) {
          await markEmailed(trx, pending.notification.id, 'SKIPPED');
          return true;
        }
        const title = notificationTitle(pending.notification);
        await mailer.send({
          to: pending.email,
          subject: `Volunteer Graph: ${title}`,
          text: `${title}.\n\nSee all your notifications in your volunteer portal (me.notifications). Turn e-mails of this kind off with setNotificationPreference(kind: ${pending.notification.kind}, channel: EMAIL, enabled: false).\n`,
        });
        await markEmailed(trx, pending.notification.id, 'SENT');
        sent += 1;
        return true;
      });
      if (!done) break;
    }
    return sent;
  },
};

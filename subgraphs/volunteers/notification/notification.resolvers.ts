import { cursorCodec, parsePage, toConnection } from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import type { Volunteer } from '../volunteer/volunteer.repository.ts';
import {
  countUnread,
  listNotifications,
  type Notification,
  type NotificationChannel,
  type NotificationKind,
} from './notification.repository.ts';
import {
  assertOwnNotifications,
  markNotificationsRead,
  notificationTitle,
  preferencesOf,
  setNotificationPreference,
} from './notification.service.ts';

const notificationCursors = cursorCodec('notifications', ['integer']);

export const notificationResolvers = {
  Mutation: {
    markNotificationsRead: (_: unknown, args: { ids?: string[] | null; all?: boolean | null }, context: VolunteersContext) =>
      markNotificationsRead(context, args),
    setNotificationPreference: (
      _: unknown,
      args: { kind: NotificationKind; channel: NotificationChannel; enabled: boolean },
      context: VolunteersContext,
    ) => setNotificationPreference(context, args.kind, args.channel, args.enabled),
  },
  Volunteer: {
    notifications: async (
      v: Volunteer,
      args: { first?: number | null; after?: string | null; unreadOnly?: boolean | null },
      context: VolunteersContext,
    ) => {
      // The arguments first (a foreign or tampered cursor is BAD_USER_INPUT for anyone), then who may read.
      const page = parsePage(args, notificationCursors);
      assertOwnNotifications(context, v);
      const rows = await listNotifications(context.db, v.id, args.unreadOnly === true, page);
      return toConnection(rows, page, (n) => [Number(n.id)]);
    },
    unreadNotificationCount: async (v: Volunteer, _: unknown, context: VolunteersContext) => {
      assertOwnNotifications(context, v);
      return (await countUnread(context.db, [v.id])).get(v.id) ?? 0;
    },
    notificationPreferences: (v: Volunteer, _: unknown, context: VolunteersContext) => preferencesOf(context, v),
  },
  Notification: {
    title: (n: Notification) => notificationTitle(n),
    hourRecord: (n: Notification, _: unknown, context: VolunteersContext) =>
      n.kind.startsWith('HOUR_RECORD') ? context.loaders.hourRecordById.load(n.subjectId) : null,
    application: (n: Notification, _: unknown, context: VolunteersContext) =>
      n.kind.startsWith('APPLICATION') ? context.loaders.applicationById.load(n.subjectId) : null,
    organization: (n: Notification) => ({ id: n.organizationId }),
  },
};

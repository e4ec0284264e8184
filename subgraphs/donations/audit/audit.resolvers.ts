import { Forbidden, parsePage, parseText, toConnection, type PageArgs } from '../../kit/index.ts';
import type { DonationsContext } from '../context.ts';
import { isAdmin } from '../shared/access.ts';
import { isTimestampIdKey } from '../shared/cursors.ts';
import { auditCursor, listAuditEntries, type AuditFilter } from './audit.repository.ts';

export const auditResolvers = {
  Query: {
    donationsAuditLog: async (_: unknown, args: PageArgs & { filter?: AuditFilter | null }, { db, viewer }: DonationsContext) => {
      if (!isAdmin(viewer)) throw new Forbidden('Only admins read the audit log');
      const page = parsePage(args, isTimestampIdKey);
      const filter: AuditFilter = {
        entity: args.filter?.entity ? parseText(args.filter.entity, 'filter.entity', { max: 100 }) : undefined,
        entityId: args.filter?.entityId ? parseText(args.filter.entityId, 'filter.entityId', { max: 100 }) : undefined,
        action: args.filter?.action ? parseText(args.filter.action, 'filter.action', { max: 100 }) : undefined,
      };
      return toConnection(await listAuditEntries(db, filter, page), page, auditCursor);
    },
  },
};

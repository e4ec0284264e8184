import { Forbidden, hasRole, isId, parsePage, parseText, toConnection, type CursorKey, type PageArgs } from '../../kit/index.ts';
import type { CooperationContext } from '../context.ts';
import { auditCursor, listAuditEntries, type AuditEntry, type AuditFilter, type AuditKey } from './audit.repository.ts';

const isAuditKey = (k: CursorKey): k is AuditKey =>
  k.length === 2 && typeof k[0] === 'string' && !Number.isNaN(Date.parse(k[0])) && isId(k[1]);

export const auditResolvers = {
  Query: {
    cooperationAuditLog: async (_: unknown, args: PageArgs & { filter?: AuditFilter | null }, { db, viewer }: CooperationContext) => {
      if (!hasRole(viewer, 'admin')) throw new Forbidden('Only an admin may read the audit log');
      const page = parsePage(args, isAuditKey);
      const filter = args.filter ?? {};
      const rows = await listAuditEntries(
        db,
        {
          entity: filter.entity ? parseText(filter.entity, 'filter.entity', { max: 100 }) : undefined,
          entityId: filter.entityId ? parseText(filter.entityId, 'filter.entityId', { max: 100 }) : undefined,
          action: filter.action ? parseText(filter.action, 'filter.action', { max: 100 }) : undefined,
        },
        page,
      );
      return toConnection(rows, page, auditCursor);
    },
  },
  CooperationAuditEntry: {
    details: (e: AuditEntry) => JSON.stringify(e.details ?? {}),
  },
};

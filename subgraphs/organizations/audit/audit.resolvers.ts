import { isId, parseId, parsePage, toConnection, type CursorKey, type PageArgs } from '../../kit/index.ts';
import { requireRole } from '../access.ts';
import type { OrganizationsContext } from '../context.ts';
import { auditCursor, listAuditEntries, type AuditEntry, type AuditKey } from './audit.repository.ts';

const isAuditKey = (k: CursorKey): k is AuditKey =>
  k.length === 2 && typeof k[0] === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/.test(k[0]) && isId(k[1]);

export const auditResolvers = {
  Query: {
    /** Who changed what in this subgraph, and when: admins only. */
    organizationsAuditLog: async (_: unknown, args: PageArgs & { entityId?: string | null }, { db, viewer }: OrganizationsContext) => {
      requireRole(viewer, ['admin'], 'Only an admin may read the audit log');
      const entityId = args.entityId === null || args.entityId === undefined ? undefined : parseId(args.entityId, 'entityId');
      const page = parsePage(args, isAuditKey);
      const rows = await listAuditEntries(db, { entityId }, page);
      return toConnection(rows, page, auditCursor);
    },
  },
  OrganizationsAuditEntry: {
    // jsonb may come back parsed (pg) or as the JSON text it was given (PGlite): the caller gets JSON text either way.
    details: (e: AuditEntry) => (typeof e.details === 'string' ? e.details : JSON.stringify(e.details ?? {})),
  },
};

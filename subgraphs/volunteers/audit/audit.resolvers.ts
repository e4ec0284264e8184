import { Forbidden, hasRole, isId, parseId, parsePage, toConnection, Unauthenticated, type CursorKey, type PageArgs } from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import { listAuditEntries, type AuditEntry, type AuditKey } from './audit.repository.ts';

/** A PostgreSQL timestamptz as text, e.g. '2026-11-25 09:04:49.123456+00', and an id. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;
const isAuditKey = (k: CursorKey): k is AuditKey => k.length === 2 && typeof k[0] === 'string' && TIMESTAMP.test(k[0]) && isId(k[1]);

export const auditResolvers = {
  Query: {
    volunteersAuditLog: async (_: unknown, args: PageArgs & { entityId?: string | null }, context: VolunteersContext) => {
      if (context.viewer.kind === 'public') throw new Unauthenticated();
      if (!hasRole(context.viewer, 'admin')) throw new Forbidden('Only admins may read the audit log');
      const entityId = args.entityId ? parseId(args.entityId, 'entityId') : null;
      const page = parsePage(args, isAuditKey);
      const rows = await listAuditEntries(context.db, entityId, page);
      return toConnection(rows, page, (e) => [e.atKey, e.id]);
    },
  },
  VolunteersAuditEntry: {
    details: (e: AuditEntry) => (typeof e.details === 'string' ? e.details : JSON.stringify(e.details ?? {})),
  },
};

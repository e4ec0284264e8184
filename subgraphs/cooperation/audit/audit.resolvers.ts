import { readAuditLog, type AuditFilter, type PageArgs } from '../../kit/index.ts';
import type { CooperationContext } from '../context.ts';

export const auditResolvers = {
  Query: {
    /** Who changed what in this subgraph, and when: admins only. */
    cooperationAuditLog: (_: unknown, args: PageArgs & { filter?: AuditFilter | null }, { db, viewer }: CooperationContext) =>
      readAuditLog(db, viewer, args),
  },
};

import { readAuditLog, type AuditFilter, type PageArgs } from '../../kit/index.ts';
import type { DonationsContext } from '../context.ts';

export const auditResolvers = {
  Query: {
    /** Who changed what in this subgraph, and when: admins only. */
    donationsAuditLog: (_: unknown, args: PageArgs & { filter?: AuditFilter | null }, { db, viewer }: DonationsContext) =>
      readAuditLog(db, viewer, args),
  },
};

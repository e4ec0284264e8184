import { readAuditLog, type PageArgs } from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';

export const auditResolvers = {
  Query: {
    /** Who changed what in this subgraph, and when: admins only. */
    volunteersAuditLog: (_: unknown, args: PageArgs & { entityId?: string | null }, { db, viewer }: VolunteersContext) =>
      readAuditLog(db, viewer, args),
  },
};

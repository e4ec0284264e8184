import { readAuditLog, type PageArgs } from '../../kit/index.ts';
import type { OrganizationsContext } from '../context.ts';

export const auditResolvers = {
  Query: {
    /** Who changed what in this subgraph, and when: admins only. */
    organizationsAuditLog: (_: unknown, args: PageArgs & { entityId?: string | null }, { db, viewer }: OrganizationsContext) =>
      readAuditLog(db, viewer, args),
  },
};

import { readAuditLog, type PageArgs } from '../../kit/index.ts';
import type { RoadmapContext } from '../context.ts';

export const auditResolvers = {
  Query: {
    /** Who changed which target, from what to what, and when: admins only. */
    roadmapAuditLog: (_: unknown, args: PageArgs & { entityId?: string | null }, { db, viewer }: RoadmapContext) =>
      readAuditLog(db, viewer, args),
  },
};

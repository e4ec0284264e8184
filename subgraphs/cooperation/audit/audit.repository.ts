import type { Kysely } from 'kysely';
import type { CursorKey, Page } from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';

export interface AuditEntry {
  id: string;
  at: Date;
  requestId: string;
  actorKind: string;
  actorSubject: string | null;
  action: string;
  entity: string;
  entityId: string;
  details: unknown;
}

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
}

export type AuditKey = readonly [string, string];
export const auditCursor = (e: AuditEntry): CursorKey => [e.at.toISOString(), e.id];

/** One page of the audit log, newest first. */
export async function listAuditEntries(db: Kysely<CooperationDB>, filter: AuditFilter, page: Page<AuditKey>): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (page.after) {
    const [at, id] = page.after;
    const when = new Date(at);
    query = query.where((eb) => eb.or([eb('at', '<', when), eb.and([eb('at', '=', when), eb('id', '<', id)])]));
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    requestId: r.request_id,
    actorKind: r.actor_kind,
    actorSubject: r.actor_subject,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: r.details,
  }));
}

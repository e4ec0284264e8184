import { sql, type Kysely } from 'kysely';
import type { CursorKey, Page } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import type { TimestampIdKey } from '../shared/cursors.ts';

export interface AuditEntry {
  id: string;
  at: Date;
  atKey: string;
  requestId: string;
  actorKind: string;
  actorSubject: string | null;
  action: string;
  entity: string;
  entityId: string;
  details: string;
}

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
}

export const auditCursor = (e: AuditEntry): CursorKey => [e.atKey, e.id];

/** One page of the audit log, newest first. */
export async function listAuditEntries(db: Kysely<DonationsDB>, filter: AuditFilter, page: Page<TimestampIdKey>): Promise<AuditEntry[]> {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .select([sql<string>`at::text`.as('at_key'), sql<string>`details::text`.as('details_text')]);
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (page.after) {
    const [at, id] = page.after;
    query = query.where(sql<boolean>`(at, id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    atKey: r.at_key,
    requestId: r.request_id,
    actorKind: r.actor_kind,
    actorSubject: r.actor_subject,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: r.details_text,
  }));
}

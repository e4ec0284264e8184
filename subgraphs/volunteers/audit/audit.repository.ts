import { sql, type Kysely } from 'kysely';
import type { Page } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';

export interface AuditEntry {
  id: string;
  at: Date;
  /** The exact timestamp as PostgreSQL prints it (microseconds): the keyset position. */
  atKey: string;
  requestId: string;
  actorKind: string;
  actorSubject: string | null;
  action: string;
  entity: string;
  entityId: string;
  details: unknown;
}

export type AuditKey = readonly [string, string];

/** Newest first, ordered by (at desc, id desc). */
export async function listAuditEntries(db: Kysely<VolunteersDB>, entityId: string | null, page: Page<AuditKey>): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().select(sql<string>`at::text`.as('at_key'));
  if (entityId) query = query.where('entity_id', '=', entityId);
  if (page.after) {
    const [at, id] = page.after;
    query = query.where((eb) =>
      eb.or([eb('at', '<', sql<Date>`${at}::timestamptz`), eb.and([eb('at', '=', sql<Date>`${at}::timestamptz`), eb('id', '<', id)])]),
    );
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
    details: r.details,
  }));
}

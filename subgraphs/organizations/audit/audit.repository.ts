import { sql, type Kysely } from 'kysely';
import type { CursorKey, Page } from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';

export interface AuditEntry {
  id: string;
  at: Date;
  /** `at` with its full microsecond precision, as the keyset of the cursor (a JS Date keeps milliseconds only). */
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
export const auditCursor = (e: AuditEntry): CursorKey => [e.atKey, e.id];

/** Newest first, optionally of one entity; (at, id) descending is the keyset. */
export async function listAuditEntries(
  db: Kysely<OrganizationsDB>,
  filter: { entityId?: string | undefined },
  page: Page<AuditKey>,
): Promise<AuditEntry[]> {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .select(sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as('at_key'));
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (page.after) {
    const [atKey, id] = page.after;
    query = query.where(sql<boolean>`(at, id) < ((${atKey}::timestamp at time zone 'UTC'), ${id}::uuid)`);
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

import { sql, type Kysely, type Transaction } from 'kysely';
import { hasRole, type Viewer } from '../../platform/identity.ts';
import type { RequestContext } from './context.ts';
import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import { keysetPage } from './keyset.ts';
import { cursorCodec, parsePage, toConnection, type Connection, type CursorKey, type Page, type PageArgs } from './pagination.ts';
import { parseId, parseText } from './validate.ts';

/** The audit_log table every subgraph keeps in its own schema. */
export interface AuditLogTable {
  id: string;
  at: Date;
  request_id: string;
  actor_kind: string;
  actor_subject: string | null;
  action: string;
  entity: string;
  entity_id: string;
  details: unknown;
}

export interface AuditDB {
  audit_log: AuditLogTable;
}

/** DDL for the audit log, called from each subgraph's first migration. */
export async function createAuditLog(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_log (
      id uuid primary key default gen_random_uuid(),
      at timestamptz not null default now(),
      request_id text not null,
      actor_kind text not null,
      actor_subject text,
      action text not null,
      entity text not null,
      entity_id text not null,
      details jsonb not null default '{}'::jsonb
    );
    create index audit_log_entity on audit_log (entity, entity_id, at);
    create index audit_log_at on audit_log (at);
  `.execute(db);
}

export async function dropAuditLog(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists audit_log`.execute(db);
}

/** Writes one audit entry; call it inside the transaction of the change it records. */
export async function recordAudit(
  db: Kysely<any>,
  context: Pick<RequestContext, 'requestId' | 'viewer'>,
  entry: AuditRecord,
): Promise<void> {
  await (db as Kysely<AuditDB>)
    .insertInto('audit_log')
    .values({
      request_id: context.requestId,
      actor_kind: context.viewer.kind,
      actor_subject: context.viewer.subject,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      details: JSON.stringify(entry.details ?? {}),
    } as never)
    .execute();
}

/** What a write records in the audit log: the action, the entity it changed and what is worth keeping. */
export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string;
  details?: Record<string, unknown>;
}

/**
 * The one way a subgraph writes: `work` runs in one transaction and records
 * what it did with `audit`, whose entries are part of that transaction, so a
 * refused or failed write leaves neither the change nor its entry.
 */
export function auditedTransaction<DB, T>(
  db: Kysely<DB>,
  context: Pick<RequestContext, 'requestId' | 'viewer'>,
  work: (trx: Transaction<DB>, audit: (entry: AuditRecord) => Promise<void>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute((trx) => work(trx, (entry) => recordAudit(trx, context, entry)));
}

/** One audit entry as the API shows it; `details` is JSON text. */
export interface AuditEntry {
  id: string;
  at: Date;
  /** `at` with its microseconds (a JS Date keeps milliseconds only): the keyset of the cursor. */
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
  entity?: string | null | undefined;
  entityId?: string | null | undefined;
  action?: string | null | undefined;
}

export type AuditKey = readonly [string, string];
/** (at in UTC, id): the time is written without offset and read `at time zone 'UTC'`. */
export const auditCursors = cursorCodec('auditLog', ['timestamp', 'id']);
export const auditCursor = (e: AuditEntry): CursorKey => [e.atKey, e.id];

/** One page of a subgraph's audit log, newest first; (at, id) descending is the keyset. */
export async function listAuditEntries(db: Kysely<any>, filter: AuditFilter, page: Page<AuditKey>): Promise<AuditEntry[]> {
  let query = (db as Kysely<AuditDB>)
    .selectFrom('audit_log')
    .select(['id', 'at', 'request_id', 'actor_kind', 'actor_subject', 'action', 'entity', 'entity_id'])
    .select([
      sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as('at_key'),
      sql<string>`details::text`.as('details_text'),
    ]);
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.action) query = query.where('action', '=', filter.action);
  const rows = await keysetPage(query, page, ['at', 'id'], 'desc').execute();
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

/**
 * The `…AuditLog` query every subgraph serves: admins only (the public is
 * UNAUTHENTICATED, anyone else FORBIDDEN), filtered and paged.
 */
export async function readAuditLog(
  db: Kysely<any>,
  viewer: Viewer,
  args: PageArgs & { entityId?: string | null; filter?: AuditFilter | null },
): Promise<Connection<AuditEntry>> {
  if (viewer.kind === 'public') throw new Unauthenticated();
  if (!hasRole(viewer, 'admin')) throw new Forbidden('Only an admin may read the audit log');
  const text = (value: string | null | undefined, argument: string) =>
    value === null || value === undefined ? undefined : parseText(value, argument, { max: 100 });
  const page = parsePage(args, auditCursors);
  const filter: AuditFilter = {
    entity: text(args.filter?.entity, 'filter.entity'),
    // A top-level `entityId: ID` names one of the subgraph's own entities; a filter may name any.
    entityId: args.entityId ? parseId(args.entityId, 'entityId') : text(args.filter?.entityId, 'filter.entityId'),
    action: text(args.filter?.action, 'filter.action'),
  };
  return toConnection(await listAuditEntries(db, filter, page), page, auditCursor);
}

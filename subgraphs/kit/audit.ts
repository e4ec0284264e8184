import { sql, type Kysely } from 'kysely';
import type { RequestContext } from './context.ts';

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
  entry: { action: string; entity: string; entityId: string; details?: Record<string, unknown> },
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

import { sql, type Kysely } from 'kysely';
import type { RequestContext } from './context.ts';
import { invariant } from '../../platform/invariant.ts';
import { int8ToCount } from './database.ts';

/**
 * The outbox every subgraph that announces events keeps in its own schema: an
 * event is a row written in the same transaction as the change it announces,
 * so a change that rolls back announces nothing. A trigger NOTIFYs the row on
 * the channel `vg_<schema>`; PostgreSQL (and PGlite) deliver a NOTIFY only when
 * its transaction commits.
 */
export interface OutboxTable {
  id: number;
  at: Date;
  topic: string;
  payload: unknown;
  request_id: string;
  actor_subject: string | null;
  /** Set by the Redis relay once the event is published there (unused with LISTEN/NOTIFY). */
  published_at: Date | null;
}

export interface OutboxDB {
  outbox: OutboxTable;
}

/** An event as subscribers receive it. */
export interface OutboxEvent<P = Record<string, unknown>> {
  id: number;
  topic: string;
  payload: P;
  /** ISO-8601 instant of the write. */
  at: string;
}

/** The NOTIFY channel of a schema's outbox. */
export const outboxChannel = (schema: string): string => `vg_${schema}`;

/** Above this size the NOTIFY carries the id only, and listeners read the row (NOTIFY's limit is 8000 bytes). */
const NOTIFY_MAX_BYTES = 7_000;
/** Events carry ids and a few facts, never documents. */
const PAYLOAD_MAX_BYTES = 16_000;

/** DDL for the outbox and its NOTIFY trigger, called from a subgraph's migration. */
export async function createOutbox(db: Kysely<any>): Promise<void> {
  await sql`
    create table outbox (
      id bigserial primary key,
      at timestamptz not null default now(),
      topic text not null,
      payload jsonb not null,
      request_id text not null,
      actor_subject text,
      published_at timestamptz
    );
    create index outbox_unpublished on outbox (id) where published_at is null;
    create index outbox_topic_at on outbox (topic, at);
    create function outbox_notify() returns trigger language plpgsql as $$
    declare
      message text := json_build_object('id', new.id, 'topic', new.topic, 'payload', new.payload, 'at', new.at)::text;
    begin
      if octet_length(message) > ${sql.raw(String(NOTIFY_MAX_BYTES))} then
        message := json_build_object('id', new.id, 'topic', new.topic)::text;
      end if;
      perform pg_notify('vg_' || tg_table_schema, message);
      return null;
    end $$;
    create trigger outbox_notify after insert on outbox for each row execute function outbox_notify();
  `.execute(db);
}

export async function dropOutbox(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists outbox; drop function if exists outbox_notify();`.execute(db);
}

/**
 * Writes one event; call it inside the transaction of the change it announces
 * (next to `recordAudit`). It is published when — and only if — that transaction commits.
 * Returns the event's id (notifications built from it are keyed by it).
 */
export async function recordEvent(
  db: Kysely<any>,
  context: Pick<RequestContext, 'requestId' | 'viewer'>,
  event: { topic: string; payload: Record<string, unknown> },
): Promise<number> {
  const payload = JSON.stringify(event.payload);
  invariant(payload.length <= PAYLOAD_MAX_BYTES, `event ${event.topic} carries ${payload.length} bytes; events carry ids, not documents`);
  const row = await (db as Kysely<OutboxDB>)
    .insertInto('outbox')
    .values({ topic: event.topic, payload, request_id: context.requestId, actor_subject: context.viewer.subject } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

interface OutboxRow {
  /** bigserial: read as exact text by the kit's database layer. */
  id: string | number;
  topic: string;
  payload: unknown;
  at_text: string;
}

const toEvent = (row: OutboxRow): OutboxEvent => ({
  id: int8ToCount(row.id),
  topic: row.topic,
  payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
  at: row.at_text,
});

const selectEvent = (db: Kysely<any>) =>
  (db as Kysely<OutboxDB>)
    .selectFrom('outbox')
    .select(['id', 'topic', 'payload'])
    .select(sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as('at_text'));

/** One event by id (a NOTIFY too large to carry its payload). */
export async function readEvent(db: Kysely<any>, id: number): Promise<OutboxEvent | null> {
  const row = await selectEvent(db).where('id', '=', id).executeTakeFirst();
  return row ? toEvent(row as OutboxRow) : null;
}

/**
 * Claims up to `limit` events not yet published, oldest first, and marks them
 * published inside one transaction; `publish` runs before the mark, so an event
 * whose publication fails is claimed again (at least once). Replicas skip each
 * other's claimed rows.
 */
export async function relayUnpublished(db: Kysely<any>, publish: (events: OutboxEvent[]) => Promise<void>, limit = 200): Promise<number> {
  return (db as Kysely<OutboxDB>).transaction().execute(async (trx) => {
    const rows = await selectEvent(trx).where('published_at', 'is', null).orderBy('id').limit(limit).forUpdate().skipLocked().execute();
    if (rows.length === 0) return 0;
    await publish(rows.map((r) => toEvent(r as OutboxRow)));
    await trx
      .updateTable('outbox')
      .set({ published_at: sql`now()` } as never)
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.length;
  });
}

/** Parses a NOTIFY (or Redis) message into an event; the id alone when the payload did not fit. */
export function parseEventMessage(text: string): { id: number; topic: string; payload?: Record<string, unknown>; at?: string } | null {
  try {
    const value = JSON.parse(text) as { id?: unknown; topic?: unknown; payload?: unknown; at?: unknown };
    if (typeof value.id !== 'number' || typeof value.topic !== 'string') return null;
    const at = typeof value.at === 'string' ? new Date(value.at).toISOString() : undefined;
    const payload = typeof value.payload === 'object' && value.payload !== null ? (value.payload as Record<string, unknown>) : undefined;
    return { id: value.id, topic: value.topic, ...(payload ? { payload } : {}), ...(at ? { at } : {}) };
  } catch {
    return null;
  }
}

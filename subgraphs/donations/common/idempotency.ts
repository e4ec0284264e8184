import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { BadUserInput, Conflict } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';

/**
 * Money writes take an idempotency key. The key is claimed inside the write's
 * transaction by inserting it (primary key: operation + key); a parallel
 * duplicate's insert waits on PostgreSQL for the first to commit and then finds
 * the key taken, so exactly one entry is written. The same key with the same
 * content answers the first entry and writes nothing; with other content it is a
 * CONFLICT.
 */
export interface IdempotentRequest {
  operation: string;
  key: string;
  hash: string;
}

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;

export function parseIdempotencyKey(value: unknown, argument = 'idempotencyKey'): string {
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw new BadUserInput(argument, 'expected 8 to 200 characters of letters, digits and . _ : - (a UUID is best)');
  }
  return value;
}

function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** The fingerprint of a request's validated content (not of its spelling: "100" and "100.00" are the same). */
export function idempotentRequest(operation: string, key: string, content: unknown): IdempotentRequest {
  const hash = createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
  return { operation, key, hash };
}

function conflict(request: IdempotentRequest): Conflict {
  return new Conflict(`The idempotency key was already used for a different ${request.operation} request`, {
    argumentName: 'idempotencyKey',
  });
}

/** The entity a key already produced, or null; a key used with other content is a CONFLICT. */
export async function replayedEntity(db: Kysely<DonationsDB>, request: IdempotentRequest): Promise<string | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'entity_id'])
    .where('operation', '=', request.operation)
    .where('key', '=', request.key)
    .executeTakeFirst();
  if (!row) return null;
  if (row.request_hash !== request.hash) throw conflict(request);
  return row.entity_id;
}

/**
 * Claims the key for `entityId` inside the write's transaction. Returns null when
 * claimed (go on and write), or the entity an earlier request produced.
 */
export async function claimIdempotencyKey(trx: Kysely<DonationsDB>, request: IdempotentRequest, entityId: string): Promise<string | null> {
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({ operation: request.operation, key: request.key, request_hash: request.hash, entity_id: entityId })
    .onConflict((oc) => oc.columns(['operation', 'key']).doNothing())
    .returning('entity_id')
    .executeTakeFirst();
  if (claimed) return null;
  const prior = await replayedEntity(trx, request);
  if (!prior) throw conflict(request); // cannot happen: the key exists, or the insert would have claimed it
  return prior;
}

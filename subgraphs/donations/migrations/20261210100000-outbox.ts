import type { Kysely } from 'kysely';
import { createOutbox, dropOutbox } from '../../kit/index.ts';

/** The outbox of the donations' events (donations recorded to campaigns). */
export async function up(db: Kysely<any>): Promise<void> {
  await createOutbox(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropOutbox(db);
}

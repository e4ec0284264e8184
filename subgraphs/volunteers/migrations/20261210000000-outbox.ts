import type { Kysely } from 'kysely';
import { createOutbox, dropOutbox } from '../../kit/index.ts';

/** The outbox of the volunteers' events (hour records submitted and decided, applications received). */
export async function up(db: Kysely<any>): Promise<void> {
  await createOutbox(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropOutbox(db);
}

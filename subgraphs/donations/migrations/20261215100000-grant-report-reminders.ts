import { sql, type Kysely } from 'kysely';

/**
 * Reminders of overdue grant reports (issue 16): one row per report reminded,
 * written in the transaction that sends its e-mail, so a report is reminded
 * once however often (and on however many replicas) the job runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table grant_report_reminders (
      report_id uuid primary key references grant_reports (id),
      reminded_at timestamptz not null default now(),
      email text
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists grant_report_reminders`.execute(db);
}

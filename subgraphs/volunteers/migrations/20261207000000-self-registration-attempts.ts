import { sql, type Kysely } from 'kysely';

/**
 * Self-registration attempts per account and calendar day (issue 10): `registerMe`
 * takes a few attempts a day per account, counted here so that the limit holds
 * across replicas of the subgraph. Rows are tiny; old days may be deleted at will.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table self_registration_attempts (
      account_subject text not null,
      day date not null,
      attempts integer not null check (attempts > 0),
      primary key (account_subject, day)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists self_registration_attempts`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * One donor per IIN, as there is one per BIN (`donors_bin`): donors are global
 * (not per recipient organization; recipients are linked through
 * `donor_organizations`), so a second registration of the same person is a
 * CONFLICT. A database that already holds an IIN twice cannot take the index:
 * the migration stops and says how many, without printing any IIN (personal
 * data), so that the duplicates are merged by hand first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (select iin from donors where iin is not null group by iin having count(*) > 1) as duplicated
  `.execute(db);
  const duplicated = rows[0]?.n ?? 0;
  if (duplicated > 0) {
    throw new Error(
      `donors: ${duplicated} IIN${duplicated === 1 ? ' is' : 's are'} registered for more than one donor; merge those donors ` +
        '(select iin from donors where iin is not null group by iin having count(*) > 1) before this migration',
    );
  }
  await sql`create unique index donors_iin on donors (iin) where iin is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists donors_iin`.execute(db);
}

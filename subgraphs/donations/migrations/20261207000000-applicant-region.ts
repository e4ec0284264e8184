import { sql, type Kysely } from 'kysely';

/**
 * The applicant's region on each grant application, read from the organizations
 * subgraph when the application is created (as a donation keeps its
 * recipient's), so that grants disbursed can be counted per region
 * (RegionYear.grantsDisbursedKzt) without a call per read. Applications from
 * before this migration have none: their grants count in the national figure only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table grant_applications add column applicant_region_code text check (applicant_region_code ~ '^[0-9]{9}$')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table grant_applications drop column if exists applicant_region_code`.execute(db);
}

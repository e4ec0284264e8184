import { sql, type Kysely } from 'kysely';
import { toKzt } from '../money/money.ts';

/**
 * Co-funded, long-term grants with their money in KZT:
 * - programmes may run grants up to 5 years (the check said 3);
 * - `grant_funders`: a grant's funders, each with a type (STATE, PRIVATE, DOMESTIC, INTERNATIONAL)
 *   and a share in basis points (shares of a grant sum to 10000, checked by the service);
 * - every disbursement keeps the official rate it was converted at, the rate's day and its KZT amount;
 * - `disbursement_shares`: each payment attributed to the grant's funders by share, in the grant's
 *   currency and in KZT (exact; remainders by largest fraction, then funder position);
 * - `grants.historical`: a backdated period an admin recorded as historical.
 * Existing grants get their programme's funder at 100%, existing payments their rate of the day (or
 * the latest earlier one) and one share.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { rows: checks } = await sql<{ conname: string }>`
    select conname from pg_constraint
    where conrelid = 'grant_programmes'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%max_grant_years%'`.execute(db);
  for (const c of checks) await sql`alter table grant_programmes drop constraint ${sql.id(c.conname)}`.execute(db);
  await sql`alter table grant_programmes add constraint grant_programmes_years check (1 <= min_grant_years and min_grant_years <= max_grant_years and max_grant_years <= 5)`.execute(
    db,
  );

  await sql`alter table grants add column historical boolean not null default false`.execute(db);
  await sql`
    create table grant_funders (
      grant_id uuid not null references grants (id),
      position integer not null check (position >= 0),
      funder_type text not null check (funder_type in ('STATE', 'PRIVATE', 'DOMESTIC', 'INTERNATIONAL')),
      name text not null,
      organization_id uuid,
      partner_id uuid,
      share_bp integer not null check (share_bp between 1 and 10000),
      primary key (grant_id, position),
      check (organization_id is null or partner_id is null)
    )`.execute(db);
  await sql`
    insert into grant_funders (grant_id, position, funder_type, name, organization_id, partner_id, share_bp)
    select g.id, 0,
           case p.funder_kind when 'STATE_BODY' then 'STATE' when 'INTERNATIONAL_PARTNER' then 'INTERNATIONAL' else 'PRIVATE' end,
           p.funder_name, p.funder_organization_id, p.funder_partner_id, 10000
    from grants g join grant_programmes p on p.id = g.programme_id`.execute(db);

  await sql`alter table disbursements add column rate_micro bigint check (rate_micro > 0)`.execute(db);
  await sql`alter table disbursements add column rate_date date`.execute(db);
  await sql`alter table disbursements add column rate_source text`.execute(db);
  await sql`alter table disbursements add column amount_kzt bigint check (amount_kzt >= 0)`.execute(db);
  const { rows: paid } = await sql<{
    id: string;
    currency: string;
    amount_minor: string;
    rate_micro: string | null;
    rate_date: string | null;
    rate_source: string | null;
  }>`
    select d.id, g.currency, d.amount_minor::text as amount_minor, r.rate_micro::text as rate_micro, r.rate_date::text as rate_date, r.source as rate_source
    from disbursements d join grants g on g.id = d.grant_id
    left join lateral (
      select x.rate_micro, x.rate_date, x.source from exchange_rates x where x.currency = g.currency and x.rate_date <= d.paid_on order by x.rate_date desc limit 1
    ) r on g.currency <> 'KZT'`.execute(db);
  for (const p of paid) {
    const amount = BigInt(p.amount_minor);
    const kzt = p.currency === 'KZT' ? amount : p.rate_micro ? toKzt(amount, p.currency, BigInt(p.rate_micro)) : null;
    await sql`update disbursements set rate_micro = ${p.rate_micro}, rate_date = ${p.rate_date}, rate_source = ${p.rate_source}, amount_kzt = ${kzt === null ? null : kzt.toString()} where id = ${p.id}`.execute(
      db,
    );
  }
  await sql`
    create table disbursement_shares (
      disbursement_id uuid not null references disbursements (id),
      position integer not null,
      grant_id uuid not null,
      funder_type text not null,
      currency text not null,
      amount_minor bigint not null check (amount_minor >= 0),
      amount_kzt bigint check (amount_kzt >= 0),
      paid_on date not null,
      primary key (disbursement_id, position),
      foreign key (grant_id, position) references grant_funders (grant_id, position)
    )`.execute(db);
  await sql`create index disbursement_shares_paid on disbursement_shares (paid_on, funder_type)`.execute(db);
  await sql`
    insert into disbursement_shares (disbursement_id, position, grant_id, funder_type, currency, amount_minor, amount_kzt, paid_on)
    select d.id, 0, d.grant_id, f.funder_type, g.currency, d.amount_minor, d.amount_kzt, d.paid_on
    from disbursements d join grants g on g.id = d.grant_id join grant_funders f on f.grant_id = d.grant_id and f.position = 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists disbursement_shares`.execute(db);
  await sql`alter table disbursements drop column if exists amount_kzt, drop column if exists rate_date, drop column if exists rate_source, drop column if exists rate_micro`.execute(
    db,
  );
  await sql`drop table if exists grant_funders`.execute(db);
  await sql`alter table grants drop column if exists historical`.execute(db);
  await sql`alter table grant_programmes drop constraint if exists grant_programmes_years`.execute(db);
  await sql`update grant_programmes set max_grant_years = 3 where max_grant_years > 3`.execute(db);
  await sql`update grant_programmes set min_grant_years = least(min_grant_years, 3)`.execute(db);
  await sql`alter table grant_programmes add check (1 <= min_grant_years and min_grant_years <= max_grant_years and max_grant_years <= 3)`.execute(
    db,
  );
}

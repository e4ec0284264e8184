import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SubgraphName } from '../../../subgraphs/registry.ts';

/**
 * The invariants the services enforce on write, checked over a loaded data
 * set (`npm run seed -- --check`): one query per rule. A rule of one subgraph
 * runs on that subgraph's own database and schema. A rule that spans two
 * subgraphs (hours against an opportunity's dates, a mission participant's
 * age and hours) reads the facts it needs from the owner through the owner's
 * own connection, then hands them as array parameters to one query on the
 * other subgraph's database: no subgraph's code reads another's tables.
 */

export type SubgraphDatabases = Record<SubgraphName, Kysely<any>>;

export interface RuleResult {
  rule: string;
  subgraphs: SubgraphName[];
  description: string;
  violations: number;
  /** A few ids of offending rows, to start looking from. */
  examples: string[];
}

interface Rule {
  name: string;
  subgraphs: SubgraphName[];
  description: string;
  run(dbs: SubgraphDatabases, facts: Facts): Promise<{ n: number; examples: string[] | null }>;
}

/** Counts the rows a query returns as offending (column `id`), with three of their ids. */
function offending(query: RawBuilder<unknown>): RawBuilder<{ n: number; examples: string[] | null }> {
  return sql<{
    n: number;
    examples: string[] | null;
  }>`select count(*)::int as n, (array_agg(id::text order by id::text))[1:3] as examples from (${query}) offending`;
}

async function one(db: Kysely<any>, query: RawBuilder<unknown>) {
  const { rows } = await offending(query).execute(db);
  return rows[0] ?? { n: 0, examples: null };
}

/** Facts of one subgraph read once and handed to rules on another (by its own connection, never a cross-schema read). */
class Facts {
  private cache = new Map<string, Promise<unknown>>();
  constructor(private readonly dbs: SubgraphDatabases) {}

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, read());
    return this.cache.get(key) as Promise<T>;
  }

  /** Opportunities as their owner (organizations) states them, as parallel arrays. */
  opportunities() {
    return this.once('opportunities', async () => {
      const { rows } = await sql<{
        id: string;
        organization_id: string;
        status: string;
        starts_on: string;
        ends_on: string;
        places_available: number;
        minimum_age: number;
        minor_restricted: boolean;
      }>`
        select id::text, organization_id::text, status, starts_on::text, ends_on::text, places_available, minimum_age, minor_restricted from opportunities`.execute(
        this.dbs.organizations,
      );
      return {
        id: rows.map((r) => r.id),
        organizationId: rows.map((r) => r.organization_id),
        status: rows.map((r) => r.status),
        startsOn: rows.map((r) => r.starts_on),
        endsOn: rows.map((r) => r.ends_on),
        places: rows.map((r) => r.places_available),
        minimumAge: rows.map((r) => r.minimum_age),
        minorRestricted: rows.map((r) => r.minor_restricted),
      };
    });
  }

  /** Mission participations (not withdrawn, missions not cancelled) and UN Volunteer assignments, from cooperation. */
  participations() {
    return this.once('participations', async () => {
      const { rows } = await sql<{ id: string; volunteer_id: string; added_at: string }>`
        select p.id::text, p.volunteer_id::text, to_char(p.added_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as added_at
        from mission_participants p join exchange_missions m on m.id = p.mission_id
        where m.status <> 'CANCELLED' and p.outcome is distinct from 'WITHDRAWN'`.execute(this.dbs.cooperation);
      return { id: rows.map((r) => r.id), volunteerId: rows.map((r) => r.volunteer_id), addedAt: rows.map((r) => r.added_at) };
    });
  }

  assignments() {
    return this.once('assignments', async () => {
      const { rows } = await sql<{ id: string; volunteer_id: string; starts_on: string }>`
        select id::text, volunteer_id::text, starts_on::text from un_volunteer_assignments`.execute(this.dbs.cooperation);
      return { id: rows.map((r) => r.id), volunteerId: rows.map((r) => r.volunteer_id), startsOn: rows.map((r) => r.starts_on) };
    });
  }
}

/** The opportunities handed to a volunteers query as a relation `o`. */
async function opportunitiesRelation(facts: Facts) {
  const o = await facts.opportunities();
  return sql`unnest(${o.id}::text[], ${o.organizationId}::text[], ${o.status}::text[], ${o.startsOn}::date[], ${o.endsOn}::date[],
    ${o.places}::int[], ${o.minimumAge}::int[], ${o.minorRestricted}::boolean[])
    as o(id, organization_id, status, starts_on, ends_on, places, minimum_age, minor_restricted)`;
}

/** A person's age in whole years on a day (both SQL expressions). */
const ageOn = (birthDate: RawBuilder<unknown>, day: RawBuilder<unknown>) => sql`extract(year from age(${day}, ${birthDate}))::int`;
/** The register's calendar day (Kazakhstan, UTC+5) of a timestamp. */
const registerDay = (at: RawBuilder<unknown>) => sql`((${at}) at time zone 'UTC' + interval '5 hours')::date`;

export const RULES: Rule[] = [
  // ---- volunteers ----
  {
    name: 'hours.member-or-accepted',
    subgraphs: ['volunteers'],
    description:
      'hours only for an organization the volunteer was a member of when they were entered, or an opportunity they had been accepted to (admin imports exempt, as in logHours)',
    run: (dbs) =>
      one(
        dbs.volunteers,
        sql`
        select h.id from hour_records h
        where h.source <> 'IMPORT'
          and not exists (select 1 from memberships m where m.volunteer_id = h.volunteer_id and m.organization_id = h.organization_id
                            and m.joined_at <= h.created_at and (m.left_at is null or m.left_at > h.created_at))
          and not exists (select 1 from applications a where a.volunteer_id = h.volunteer_id and a.opportunity_id = h.opportunity_id
                            and a.status = 'ACCEPTED' and a.decided_at <= h.created_at)`,
      ),
  },
  {
    name: 'hours.24-a-day',
    subgraphs: ['volunteers'],
    description: 'at most 24 hours (pending and approved) per volunteer and day',
    run: (dbs) =>
      one(
        dbs.volunteers,
        sql`
        select min(id::text) as id from hour_records where status in ('PENDING', 'APPROVED')
        group by volunteer_id, work_date having sum(minutes) > 1440`,
      ),
  },
  {
    name: 'hours.dated-in-life',
    subgraphs: ['volunteers'],
    description: 'work dated after the volunteer was born and not after the day it was entered',
    run: (dbs) =>
      one(
        dbs.volunteers,
        sql`
        select h.id from hour_records h join volunteers v on v.id = h.volunteer_id
        where h.work_date < v.birth_date or h.work_date > ${registerDay(sql`h.created_at`)}`,
      ),
  },
  {
    name: 'hours.decided-by-someone-else',
    subgraphs: ['volunteers'],
    description: 'a pending record has no decision; a decided one was decided by someone other than the volunteer who logged it',
    run: (dbs) =>
      one(
        dbs.volunteers,
        sql`
        select id from hour_records
        where (status = 'PENDING' and decided_by is not null) or (status in ('APPROVED', 'DECLINED') and decided_by is null)
           or (source = 'SELF' and decided_by = created_by)`,
      ),
  },
  {
    name: 'volunteers.under-14-consent',
    subgraphs: ['volunteers'],
    description: "a volunteer under 14 at registration has a guardian's written consent on record",
    run: (dbs) =>
      one(
        dbs.volunteers,
        sql`
        select id from volunteers where ${ageOn(sql`birth_date`, registerDay(sql`registered_at`))} < 14 and guardian_name is null`,
      ),
  },
  // ---- organizations ----
  {
    name: 'opportunities.minors-barred-are-18-plus',
    subgraphs: ['organizations'],
    description: 'an opportunity closed to minors has a minimum age of at least 18; it ends on or after it starts',
    run: (dbs) =>
      one(dbs.organizations, sql`select id from opportunities where (minor_restricted and minimum_age < 18) or ends_on < starts_on`),
  },
  {
    name: 'opportunities.posted-while-registered',
    subgraphs: ['organizations'],
    description: 'no opportunity is created after its organization was suspended or excluded; an excluded organization has no open one',
    run: (dbs) =>
      one(
        dbs.organizations,
        sql`
        select p.id from opportunities p join organizations o on o.id = p.organization_id
        where (o.status <> 'REGISTERED' and p.created_at >= o.status_changed_at) or (o.status = 'EXCLUDED' and p.status = 'OPEN')`,
      ),
  },
  // ---- volunteers × organizations ----
  {
    name: 'hours.while-the-opportunity-runs',
    subgraphs: ['volunteers', 'organizations'],
    description:
      "hours on an opportunity: one of the record's organization, published and not cancelled (OPEN or CLOSED), dated within its start and end",
    run: async (dbs, facts) =>
      one(
        dbs.volunteers,
        sql`
        select h.id from hour_records h left join ${await opportunitiesRelation(facts)} on o.id = h.opportunity_id::text
        where h.opportunity_id is not null
          and (o.id is null or o.organization_id <> h.organization_id::text or o.status not in ('OPEN', 'CLOSED')
               or h.work_date < o.starts_on or h.work_date > o.ends_on)`,
      ),
  },
  {
    name: 'hours.no-minors-on-restricted',
    subgraphs: ['volunteers', 'organizations'],
    description: 'no hours of a minor on an opportunity closed to minors (emergency, hazardous work)',
    run: async (dbs, facts) =>
      one(
        dbs.volunteers,
        sql`
        select h.id from hour_records h join volunteers v on v.id = h.volunteer_id join ${await opportunitiesRelation(facts)} on o.id = h.opportunity_id::text
        where o.minor_restricted and ${ageOn(sql`v.birth_date`, sql`h.work_date`)} < 18`,
      ),
  },
  {
    name: 'applications.within-places',
    subgraphs: ['volunteers', 'organizations'],
    description: "accepted applications never exceed the opportunity's places",
    run: async (dbs, facts) =>
      one(
        dbs.volunteers,
        sql`
        select a.opportunity_id as id from applications a join ${await opportunitiesRelation(facts)} on o.id = a.opportunity_id::text
        where a.status = 'ACCEPTED' group by a.opportunity_id, o.places having count(*) > o.places`,
      ),
  },
  {
    name: 'applications.while-accepting',
    subgraphs: ['volunteers', 'organizations'],
    description: "applications to a known, published opportunity of the application's organization, filed and accepted before it ended",
    run: async (dbs, facts) =>
      one(
        dbs.volunteers,
        sql`
        select a.id from applications a left join ${await opportunitiesRelation(facts)} on o.id = a.opportunity_id::text
        where o.id is null or o.organization_id <> a.organization_id::text or o.status = 'DRAFT'
           or ${registerDay(sql`a.applied_at`)} > o.ends_on
           or (a.status = 'ACCEPTED' and ${registerDay(sql`a.decided_at`)} > o.ends_on)`,
      ),
  },
  {
    name: 'applications.age-rules',
    subgraphs: ['volunteers', 'organizations'],
    description:
      "an applicant meets the opportunity's minimum age, is no minor on one closed to minors, and under 14 has consent (ages on the day of applying)",
    run: async (dbs, facts) =>
      one(
        dbs.volunteers,
        sql`
        select a.id from applications a join volunteers v on v.id = a.volunteer_id join ${await opportunitiesRelation(facts)} on o.id = a.opportunity_id::text
        cross join lateral (select ${ageOn(sql`v.birth_date`, registerDay(sql`a.applied_at`))} as age) x
        where x.age < o.minimum_age or (o.minor_restricted and x.age < 18) or (x.age < 14 and v.guardian_name is null)`,
      ),
  },
  // ---- cooperation ----
  {
    name: 'missions.one-at-a-time',
    subgraphs: ['cooperation'],
    description: 'a volunteer is on one exchange mission at a time (participations not withdrawn, missions not cancelled)',
    run: (dbs) =>
      one(
        dbs.cooperation,
        sql`
        select distinct p.id from mission_participants p join exchange_missions m on m.id = p.mission_id
        join mission_participants q on q.volunteer_id = p.volunteer_id and q.id <> p.id join exchange_missions n on n.id = q.mission_id
        where m.status <> 'CANCELLED' and n.status <> 'CANCELLED' and p.outcome is distinct from 'WITHDRAWN' and q.outcome is distinct from 'WITHDRAWN'
          and m.starts_on <= n.ends_on and n.starts_on <= m.ends_on`,
      ),
  },
  {
    name: 'missions.within-places',
    subgraphs: ['cooperation'],
    description: "participants not withdrawn never exceed a mission's places",
    run: (dbs) =>
      one(
        dbs.cooperation,
        sql`
        select m.id from exchange_missions m join mission_participants p on p.mission_id = m.id and p.outcome is distinct from 'WITHDRAWN'
        group by m.id, m.places having count(*) > m.places`,
      ),
  },
  // ---- cooperation × volunteers ----
  {
    name: 'missions.participants-eligible',
    subgraphs: ['cooperation', 'volunteers'],
    description: 'a mission participant was, when added, an adult with at least 40 approved hours',
    run: async (dbs, facts) => {
      const p = await facts.participations();
      return one(
        dbs.volunteers,
        sql`
        select p.id from unnest(${p.id}::text[], ${p.volunteerId}::text[], ${p.addedAt}::timestamptz[]) as p(id, volunteer_id, added_at)
        left join volunteers v on v.id::text = p.volunteer_id
        where v.id is null or ${ageOn(sql`v.birth_date`, registerDay(sql`p.added_at`))} < 18
           or coalesce((select sum(h.minutes) from hour_records h where h.volunteer_id = v.id and h.status = 'APPROVED' and h.decided_at < p.added_at), 0) < 2400`,
      );
    },
  },
  {
    name: 'unv.adults-only',
    subgraphs: ['cooperation', 'volunteers'],
    description: 'a UN Volunteer assignment is for a registered adult (18 on its first day)',
    run: async (dbs, facts) => {
      const a = await facts.assignments();
      return one(
        dbs.volunteers,
        sql`
        select a.id from unnest(${a.id}::text[], ${a.volunteerId}::text[], ${a.startsOn}::date[]) as a(id, volunteer_id, starts_on)
        left join volunteers v on v.id::text = a.volunteer_id
        where v.id is null or ${ageOn(sql`v.birth_date`, sql`a.starts_on`)} < 18`,
      );
    },
  },
  // ---- donations ----
  {
    name: 'donors.one-per-iin',
    subgraphs: ['donations'],
    description: 'one donor per IIN (and per BIN)',
    run: (dbs) =>
      one(
        dbs.donations,
        sql`
        select min(id::text) as id from donors where iin is not null group by iin having count(*) > 1
        union all
        select min(id::text) from donors where bin is not null group by bin having count(*) > 1`,
      ),
  },
  {
    name: 'grants.paid-within-award',
    subgraphs: ['donations'],
    description: 'disbursements never exceed the award, and none is paid before the award date',
    run: (dbs) =>
      one(
        dbs.donations,
        sql`
        select g.id from grants g
        where coalesce((select sum(x.amount_minor) from disbursements x where x.grant_id = g.id), 0) > g.amount_minor
           or exists (select 1 from disbursements x where x.grant_id = g.id and x.paid_on < g.award_date)`,
      ),
  },
  {
    name: 'grants.within-budget',
    subgraphs: ['donations'],
    description: "a programme's awards never exceed its budget",
    run: (dbs) =>
      one(
        dbs.donations,
        sql`
        select p.id from grant_programmes p where coalesce((select sum(g.amount_minor) from grants g where g.programme_id = p.id), 0) > p.budget_minor`,
      ),
  },
  {
    name: 'donations.refunds-within-amount',
    subgraphs: ['donations'],
    description: 'refunds of a donation never exceed it, and none is dated before it',
    run: (dbs) =>
      one(
        dbs.donations,
        sql`
        select d.id from donations d join refunds f on f.donation_id = d.id
        group by d.id, d.amount_minor, d.donated_on having sum(f.amount_minor) > d.amount_minor or min(f.refunded_on) < d.donated_on`,
      ),
  },
];

/** Runs every rule whose subgraphs are all given; one query per rule (plus one read per owner's facts, shared). */
export async function checkInvariants(dbs: Partial<SubgraphDatabases>): Promise<RuleResult[]> {
  const available = dbs as SubgraphDatabases;
  const facts = new Facts(available);
  const results: RuleResult[] = [];
  for (const rule of RULES) {
    if (!rule.subgraphs.every((s) => dbs[s])) continue;
    const { n, examples } = await rule.run(available, facts);
    results.push({ rule: rule.name, subgraphs: rule.subgraphs, description: rule.description, violations: n, examples: examples ?? [] });
  }
  return results;
}

export function formatResults(results: readonly RuleResult[]): string {
  const width = Math.max(...results.map((r) => r.rule.length));
  return results
    .map(
      (r) =>
        `${r.violations === 0 ? 'ok  ' : 'FAIL'} ${r.rule.padEnd(width)} ${String(r.violations).padStart(8)}  ${r.subgraphs.join('+')}${r.examples.length ? `  e.g. ${r.examples.join(', ')}` : ''}`,
    )
    .join('\n');
}

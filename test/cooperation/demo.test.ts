import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDemoPlan } from '../../subgraphs/kit/demo-plan.ts';
import { createDatabase, migrateToLatest, type Database } from '../../subgraphs/kit/index.ts';
import { seedDemo } from '../../subgraphs/cooperation/demo.ts';
import { migrations } from '../../subgraphs/cooperation/migrations/index.ts';
import type { CooperationDB } from '../../subgraphs/cooperation/migrations/tables.ts';

/** The cooperation part of the demo data: loaded once, consistent with the plan, rollups equal to a recount. */
const url = process.env.TEST_DATABASE_URL || undefined;
let database: Database<CooperationDB>;

beforeAll(async () => {
  const schema = url ? `demo${process.pid}_cooperation` : 'cooperation';
  database = await createDatabase<CooperationDB>({ schema, url, templateFile: url ? undefined : inject('pgliteTemplate') });
  await migrateToLatest(database.db, schema, migrations);
});

afterAll(async () => {
  if (url) await sql`drop schema if exists ${sql.id(database.schema)} cascade`.execute(database.db);
  await database?.close();
});

describe('demo data', () => {
  it('loads once: partners, agreements, missions to JO, KE, TH, TR with adult volunteers of the plan, a UNV assignment', async () => {
    const plan = buildDemoPlan();
    expect(await seedDemo(database.db, plan)).toBe(true);
    expect(await seedDemo(database.db, plan)).toBe(false);
    const db = database.db;
    expect((await db.selectFrom('partners').select('id').execute()).length).toBeGreaterThanOrEqual(4);
    const missions = await db.selectFrom('exchange_missions').selectAll().orderBy('host_country').execute();
    expect(missions.map((m) => m.host_country)).toEqual(['JO', 'KE', 'TH', 'TR']);
    const organizations = new Set(plan.organizations.map((o) => o.id));
    for (const m of missions) expect(organizations.has(m.organizing_organization_id)).toBe(true);

    const participants = await db.selectFrom('mission_participants').selectAll().execute();
    const volunteers = new Map(plan.volunteers.map((v) => [v.id, v]));
    for (const p of participants) {
      const volunteer = volunteers.get(p.volunteer_id);
      expect(volunteer).toBeDefined();
      expect(volunteer!.birthDate < '2008-01-01').toBe(true);
      expect(p.region_code).toBe(volunteer!.regionCode);
    }
    for (const m of missions) expect(m.participant_count).toBe(participants.filter((p) => p.mission_id === m.id).length);

    // The rules of planning hold for the demo too: each mission's organizer is a domestic party to
    // its agreement, and no volunteer is on two missions whose dates overlap.
    const parties = await db.selectFrom('agreement_parties').select(['agreement_id', 'organization_id']).execute();
    for (const m of missions) {
      if (!m.agreement_id) continue;
      expect(
        parties.some((p) => p.agreement_id === m.agreement_id && p.organization_id === m.organizing_organization_id),
        m.title,
      ).toBe(true);
    }
    const { rows: overlaps } = await sql<{ n: number }>`
      select count(*)::int as n from mission_participants a
      join exchange_missions ma on ma.id = a.mission_id
      join mission_participants b on b.volunteer_id = a.volunteer_id and b.id <> a.id
      join exchange_missions mb on mb.id = b.mission_id
      where ma.starts_on <= mb.ends_on and ma.ends_on >= mb.starts_on`.execute(db);
    expect(overlaps[0]!.n).toBe(0);
    expect((await db.selectFrom('un_volunteer_assignments').select('volunteer_id').execute()).length).toBe(1);

    // Rollups equal a recount from the entries.
    const { rows: regions } = await sql<{ region_code: string; year: number; n: number }>`
      select p.region_code, extract(year from m.starts_on)::int as year, count(*)::int as n
      from mission_participants p join exchange_missions m on m.id = p.mission_id
      where m.status <> 'CANCELLED' and p.outcome is distinct from 'WITHDRAWN'
      group by 1, 2 order by 1, 2`.execute(db);
    const rollup = await db
      .selectFrom('region_mission_participants')
      .select(['region_code', 'year', 'participants as n'])
      .where('participants', '>', 0)
      .orderBy('region_code')
      .orderBy('year')
      .execute();
    expect(rollup).toEqual(regions);
    const { rows: totals } = await sql<{ year: number; host_country: string; missions: number; participants: number }>`
      select extract(year from m.starts_on)::int as year, m.host_country, count(distinct m.id)::int as missions,
        (count(p.id) filter (where p.outcome is distinct from 'WITHDRAWN'))::int as participants
      from exchange_missions m left join mission_participants p on p.mission_id = m.id
      where m.status <> 'CANCELLED' group by 1, 2 order by 1, 2`.execute(db);
    const missionTotals = await db
      .selectFrom('mission_totals')
      .select(['year', 'host_country', 'missions', 'participants'])
      .orderBy('year')
      .orderBy('host_country')
      .execute();
    expect(missionTotals).toEqual(totals);
  });
});

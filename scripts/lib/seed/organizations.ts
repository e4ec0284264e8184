import { sql } from 'kysely';
import { REGIONS } from '../../../subgraphs/kit/index.ts';
import { demoId } from '../../../subgraphs/kit/demo-plan.ts';
import type { BulkTarget } from './bulk.ts';
import { LAST_DAY, type SeedPlan } from './plan.ts';
import type { Progress } from './progress.ts';
import { at, dayNumber, isoDay, random, seedOf } from './random.ts';
import type { SubgraphSeeder } from './seeder.ts';

const TOPICS = [
  'Introduction to volunteering',
  'First aid for volunteers',
  'Working with older people',
  'Safeguarding children',
  'Volunteer coordination basics',
  'Emergency response drills',
  'Inclusive volunteering',
  'Recording volunteer hours',
  'Digital tools for volunteer centres',
  'Fundraising for volunteer groups',
];
const STREETS = [
  'Abai Avenue',
  'Dostyk Avenue',
  'Kabanbay Batyr Street',
  'Tole Bi Street',
  'Respublika Avenue',
  'Satpayev Street',
  'Al-Farabi Avenue',
];

/**
 * The organizations subgraph's generated rows: organizations and volunteer
 * groups with their status history, the front-offices the demo did not open
 * (one per remaining region) with capacity snapshots and trainings, and the
 * opportunities. No rollup tables: region and organization counts are read
 * with indexed counts.
 */
export const organizationsSeeder: SubgraphSeeder = {
  name: 'organizations',
  markerTable: 'organizations',
  async load(target: BulkTarget, plan: SeedPlan, progress: Progress) {
    const organizations = plan.organizations.filter((o) => !o.demo);
    const r = random(seedOf('organizations-rows'));

    let phase = progress.phase('organizations', organizations.length);
    await target.copy(
      'organizations',
      [
        'id',
        'bin',
        'name',
        'kind',
        'region_code',
        'directions',
        'status',
        'status_changed_at',
        'status_reason',
        'registered_at',
        'contact_phone',
        'contact_email',
        'contact_address',
        'contact_person',
        'updated_at',
      ],
      organizations.map((o) => {
        const registeredAt = at(o.registeredDay, 10 * 60);
        const changedAt = o.status === 'REGISTERED' ? registeredAt : at(o.statusChangedDay, 11 * 60);
        const slug = o.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '');
        return [
          o.id,
          o.bin,
          o.name,
          o.kind,
          o.regionCode,
          o.directions,
          o.status,
          changedAt,
          o.status === 'SUSPENDED'
            ? 'Annual activity report not filed'
            : o.status === 'EXCLUDED'
              ? 'Liquidated by decision of its members'
              : null,
          registeredAt,
          `+77${String(100_000_000 + ((o.index * 7_919) % 899_999_999)).slice(0, 9)}`,
          `office@${slug.slice(0, 40)}.example.kz`,
          `${1 + (o.index % 180)} ${STREETS[o.index % STREETS.length]}`,
          `Coordinator of ${o.name}`,
          changedAt,
        ];
      }),
      () => phase.tick(),
    );
    phase.done();

    phase = progress.phase('organization status history', organizations.length);
    await target.copy(
      'organization_status_changes',
      ['id', 'organization_id', 'status', 'reason', 'changed_at'],
      (function* () {
        for (const o of organizations) {
          yield [demoId('seed-status-change', o.index * 2), o.id, 'REGISTERED', 'Entered in the register', at(o.registeredDay, 10 * 60)];
          if (o.status !== 'REGISTERED') {
            yield [
              demoId('seed-status-change', o.index * 2 + 1),
              o.id,
              o.status,
              o.status === 'SUSPENDED' ? 'Annual activity report not filed' : 'Liquidated by decision of its members',
              at(o.statusChangedDay, 11 * 60),
            ];
          }
        }
      })(),
      () => phase.tick(),
    );
    phase.done();

    // Front-offices: one per region; the demo opened the national one and a few regional ones.
    const { rows: existing } = await sql<{ region_code: string | null }>`select region_code from front_offices`.execute(target.db);
    const opened = new Set(existing.map((e) => e.region_code));
    const offices = REGIONS.filter((region) => !opened.has(region.code)).map((region, i) => {
      const openedOn = dayNumber('2023-02-01') + i * 23;
      const staff = 3 + r.int(0, 8);
      const trainers = 1 + r.int(0, 3);
      const equipment = 8 + r.int(0, 30);
      return { id: demoId('seed-front-office', i), region, openedOn, staff, trainers, equipment };
    });
    phase = progress.phase('front-offices', offices.length);
    await target.copy(
      'front_offices',
      ['id', 'name', 'region_code', 'staff', 'trainers', 'equipment_items', 'opened_on', 'capacity_as_of'],
      offices.map((f) => [
        f.id,
        `${f.region.nameEn} Volunteer Front-Office`,
        f.region.code,
        f.staff,
        f.trainers,
        f.equipment,
        isoDay(f.openedOn),
        '2026-01-15',
      ]),
      () => phase.tick(),
    );
    // Capacity grows from the opening day to the current figures: what analysts plot.
    await target.copy(
      'front_office_capacity',
      ['id', 'front_office_id', 'as_of', 'staff', 'trainers', 'equipment_items', 'recorded_at'],
      offices.flatMap((f, i) => [
        [
          demoId('seed-capacity', i * 3),
          f.id,
          isoDay(f.openedOn),
          Math.max(1, Math.floor(f.staff / 2)),
          1,
          Math.floor(f.equipment / 3),
          at(f.openedOn, 12 * 60),
        ],
        [
          demoId('seed-capacity', i * 3 + 1),
          f.id,
          '2025-01-15',
          Math.max(1, Math.round(f.staff * 0.75)),
          Math.max(1, f.trainers - 1),
          Math.round(f.equipment * 0.66),
          at(dayNumber('2025-01-15'), 12 * 60),
        ],
        [demoId('seed-capacity', i * 3 + 2), f.id, '2026-01-15', f.staff, f.trainers, f.equipment, at(dayNumber('2026-01-15'), 12 * 60)],
      ]),
    );
    phase.done();

    // Trainings: every front-office (the demo's too) trains volunteers a few times a month.
    const { rows: allOffices } = await sql<{
      id: string;
      opened_on: string;
    }>`select id, opened_on::text as opened_on from front_offices order by id`.execute(target.db);
    const perMonth = Math.max(1, Math.round(plan.volunteerCount / 40_000));
    phase = progress.phase('front-office trainings', allOffices.length * 24 * perMonth);
    await target.copy(
      'front_office_trainings',
      ['id', 'front_office_id', 'held_on', 'topic', 'people_trained', 'recorded_at'],
      (function* () {
        let n = 0;
        for (const office of allOffices) {
          const start = Math.max(dayNumber(office.opened_on), dayNumber('2024-11-01'));
          for (let day = start; day <= LAST_DAY; day += Math.max(1, Math.round(30 / perMonth))) {
            const held = day + r.int(0, 5);
            if (held > LAST_DAY) break;
            yield [demoId('seed-training', n++), office.id, isoDay(held), r.pick(TOPICS), 6 + r.int(0, 40), at(held, 18 * 60)];
          }
        }
      })(),
      () => phase.tick(),
    );
    phase.done();

    const opportunities = plan.opportunities.filter((o) => !o.demo);
    phase = progress.phase('opportunities', opportunities.length);
    await target.copy(
      'opportunities',
      [
        'id',
        'organization_id',
        'title',
        'description',
        'region_code',
        'place',
        'starts_on',
        'ends_on',
        'direction',
        'skills_needed',
        'places_available',
        'minimum_age',
        'minor_restricted',
        'status',
        'created_at',
        'status_changed_at',
        'status_reason',
        'updated_at',
      ],
      opportunities.map((o) => {
        const createdAt = at(o.createdDay, 9 * 60 + (o.index % 500));
        const changedAt =
          o.status === 'CLOSED'
            ? at(Math.min(o.endDay + 1, LAST_DAY), 9 * 60)
            : o.status === 'CANCELLED'
              ? at(Math.min(o.startDay - 1, LAST_DAY), 9 * 60)
              : createdAt;
        return [
          o.id,
          plan.organizations[o.organizationIndex]!.id,
          o.title,
          o.description,
          o.regionCode,
          o.place,
          isoDay(o.startDay),
          isoDay(o.endDay),
          o.direction,
          o.skillsNeeded,
          o.places,
          o.minimumAge,
          o.minorRestricted,
          o.status,
          createdAt,
          changedAt,
          o.status === 'CANCELLED' ? 'Cancelled by the organizer' : null,
          changedAt,
        ];
      }),
      () => phase.tick(),
    );
    phase.done();
  },
  async rebuild() {
    // No rollup tables in this subgraph.
  },
};

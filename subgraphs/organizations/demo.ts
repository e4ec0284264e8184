import type { Kysely } from 'kysely';
import { prng, type DemoPlan } from '../kit/demo-plan.ts';
import { insertCapacitySnapshot, insertFrontOffice, insertTraining, setCurrentCapacity } from './front-office/front-office.repository.ts';
import type { OrganizationsDB } from './migrations/tables.ts';
import { insertOpportunity } from './opportunity/opportunity.repository.ts';
import { insertOrganization, insertStatusChange, updateStatus, type OrganizationKind } from './organization/organization.repository.ts';

const TOPICS = [
  'Introduction to volunteering',
  'First aid for volunteers',
  'Working with older people',
  'Safeguarding children',
  'Volunteer coordination basics',
  'Emergency response drills',
  'Inclusive volunteering',
  'Recording volunteer hours',
];

const day = (year: number, month: number, dayOfMonth: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;

/**
 * Loads the organizations part of the demo plan, once: false when data is
 * already there. Contact details, front-office histories and trainings are
 * derived from the plan deterministically (same data on every machine).
 */
export async function seedDemo(db: Kysely<OrganizationsDB>, plan: DemoPlan): Promise<boolean> {
  const random = prng(20261126);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
    if (existing) return false;

    for (const [i, o] of plan.organizations.entries()) {
      const slug = o.name
        .toLowerCase()
        .replace(/[^a-z]+/g, '-')
        .replace(/^-|-$/g, '');
      await insertOrganization(trx, {
        ...o,
        kind: o.kind as OrganizationKind,
        registeredAt: new Date(Date.UTC(2023, i % 12, 1 + i)),
        contact: {
          phone: `+7717${String(2000000 + i * 1301).slice(-7)}`,
          email: `office@${slug}.example.kz`,
          address: `${i + 1} Abai Avenue`,
          person: `Coordinator of ${o.name}`,
        },
      });
    }
    // One group with a history: suspended for missing reports, then reinstated.
    const group = plan.organizations.find((o) => o.kind === 'VOLUNTEER_GROUP');
    if (group) {
      const suspendedAt = new Date(Date.UTC(2025, 2, 10));
      const reinstatedAt = new Date(Date.UTC(2025, 4, 20));
      await insertStatusChange(trx, {
        organizationId: group.id,
        status: 'SUSPENDED',
        reason: 'Annual activity report not filed',
        changedAt: suspendedAt,
      });
      await insertStatusChange(trx, {
        organizationId: group.id,
        status: 'REGISTERED',
        reason: 'Report filed; reinstated',
        changedAt: reinstatedAt,
      });
      await updateStatus(trx, group.id, 'REGISTERED', 'Report filed; reinstated', reinstatedAt);
    }

    for (const [i, f] of plan.frontOffices.entries()) {
      // Capacity grows from the opening day to the plan's figures: what analysts plot.
      const openedOn = day(2023, 1 + (i % 6), 16);
      const office = await insertFrontOffice(trx, {
        ...f,
        openedOn,
        staff: Math.max(1, Math.floor(f.staff / 2)),
        trainers: Math.max(1, Math.floor(f.trainers / 2)),
        equipmentItems: Math.floor(f.equipmentItems / 3),
        directory: {
          address: f.address,
          phone: f.phone,
          email: f.email,
          openingHours: f.openingHours,
          latitude: f.latitude,
          longitude: f.longitude,
        },
      });
      await insertCapacitySnapshot(trx, {
        frontOfficeId: office.id,
        asOf: day(2025, 1, 15),
        staff: Math.max(1, Math.round(f.staff * 0.75)),
        trainers: Math.max(1, Math.round(f.trainers * 0.75)),
        equipmentItems: Math.round(f.equipmentItems * 0.66),
      });
      const latest = await insertCapacitySnapshot(trx, {
        frontOfficeId: office.id,
        asOf: day(2026, 1, 15),
        staff: f.staff,
        trainers: f.trainers,
        equipmentItems: f.equipmentItems,
      });
      await setCurrentCapacity(trx, latest);
      const trainings = 4 + Math.floor(random() * 5);
      for (let t = 0; t < trainings; t++) {
        const year = 2024 + Math.floor(random() * 3);
        await insertTraining(trx, {
          frontOfficeId: office.id,
          heldOn: day(year, 1 + Math.floor(random() * (year === 2026 ? 10 : 12)), 1 + Math.floor(random() * 28)),
          topic: TOPICS[Math.floor(random() * TOPICS.length)] as string,
          peopleTrained: 8 + Math.floor(random() * 40),
        });
      }
    }

    for (const o of plan.opportunities) {
      await insertOpportunity(trx, {
        ...o,
        skillsNeeded: [],
        languages: [],
        online: false,
        latitude: null,
        longitude: null,
        status: 'OPEN',
      });
    }
    // The coming weeks': open, so a newcomer can find one and apply.
    for (const o of plan.upcomingOpportunities) await insertOpportunity(trx, { ...o, status: 'OPEN' });
    return true;
  });
}

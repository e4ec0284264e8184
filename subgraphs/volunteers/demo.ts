import type { Kysely } from 'kysely';
import { demoId, prng, type DemoPlan, type PlannedOpportunity, type PlannedVolunteer } from '../kit/demo-plan.ts';
import { today } from '../kit/index.ts';
import { insertApplication, transitionApplication, type ApplicationStatus } from './application/application.repository.ts';
import { insertHourRecord, transitionHourRecords, voidHourRecordRow, type HourSource } from './hour-record/hour-record.repository.ts';
import { insertMembership } from './membership/membership.repository.ts';
import type { VolunteersDB } from './migrations/tables.ts';
import { rebuildTotals } from './totals/totals.repository.ts';
import { ADULT_AGE, ageOn } from './volunteer/age.ts';
import { insertVolunteer } from './volunteer/volunteer.repository.ts';

const SKILLS = [
  'first aid',
  'teaching',
  'driving',
  'cooking',
  'IT support',
  'translation',
  'sign language',
  'event logistics',
  'photography',
  'elder care',
  'tree planting',
  'fundraising',
];
const ACTIVITY_BY_DIRECTION: Record<string, string[]> = {
  BILIM: ['TEACHING_TUTORING', 'EVENT_SUPPORT', 'ADMINISTRATIVE'],
  QAMQOR: ['CARE_SUPPORT', 'TRANSPORT_DELIVERY', 'FUNDRAISING'],
  UMIT: ['EVENT_SUPPORT', 'EMERGENCY_RESPONSE', 'CARE_SUPPORT', 'PROFESSIONAL_SERVICES'],
  SABAQTASTYQ: ['EVENT_SUPPORT', 'TEACHING_TUTORING', 'ADMINISTRATIVE'],
  TAZA_ALEM: ['ENVIRONMENT_CLEANUP', 'TRANSPORT_DELIVERY'],
  SAULYQ: ['HEALTH_SUPPORT', 'CARE_SUPPORT', 'FUNDRAISING'],
};
const MINUTES = [60, 90, 120, 120, 180, 180, 240, 300, 360, 480];
const HOUR_RECORDS = 600;

/** A day between two others (inclusive), as 'YYYY-MM-DD'. */
function dayBetween(random: () => number, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + Math.floor(random() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

const coordinatorSubject = (organizationIndex: number) => `demo:coordinator:${organizationIndex}`;

/**
 * Loads the volunteers part of the demo plan, once: the 200 planned volunteers
 * with their memberships (the first twelve coordinate the twelve
 * organizations), about 600 hour records over 2025–2026 (mostly approved, some
 * pending, declined and corrected), and a few applications; then the running
 * totals are built from those rows. False when data is already there.
 */
export async function seedDemo(db: Kysely<VolunteersDB>, plan: DemoPlan): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('volunteers').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    const random = prng(20261126);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const now = today();
    const lastDay = now < '2026-10-31' ? now : '2026-10-31';
    const organizationIndex = new Map(plan.organizations.map((o, i) => [o.id, i]));

    for (const [n, v] of plan.volunteers.entries()) {
      await insertVolunteer(trx, {
        id: v.id,
        iin: v.iin,
        firstName: v.firstName,
        lastName: v.lastName,
        patronymic: null,
        birthDate: v.birthDate,
        sex: v.sex,
        regionCode: v.regionCode,
        skills: [...new Set([pick(SKILLS), pick(SKILLS)])],
        languages: random() < 0.3 ? ['kk', 'ru', 'en'] : ['kk', 'ru'],
        phone: v.phone,
        email: v.email,
        guardianConsent: null,
        registeredBy: n % 3 === 0 ? 'SELF' : 'FRONT_OFFICE',
        accountSubject: null,
      });
      await insertMembership(trx, { volunteerId: v.id, organizationId: v.organizationId, role: v.role });
    }
    // Members since before the first hour record (hours count only for an organization one was a member of when they were entered).
    await trx
      .updateTable('memberships')
      .set({ joined_at: new Date('2024-11-01T09:00:00Z') })
      .execute();

    // Mission candidates carry history from before the register: 40 approved hours imported for December 2024.
    for (const [c, volunteer] of plan.missionCandidates.entries()) {
      const organization = plan.organizations[organizationIndex.get(volunteer.organizationId)!]!;
      for (let d = 0; d < 5; d++) {
        const date = `2024-12-0${d + 2}`;
        const createdAt = new Date(`${date}T18:00:00Z`);
        await insertHourRecord(trx, {
          id: demoId('hour-record-history', c * 5 + d),
          volunteerId: volunteer.id,
          organizationId: organization.id,
          opportunityId: null,
          date,
          minutes: 480,
          regionCode: organization.regionCode,
          activityType: pick(ACTIVITY_BY_DIRECTION[organization.directions[0] ?? 'UMIT'] ?? ['OTHER']),
          direction: organization.directions[0] ?? 'UMIT',
          setting: 'ORGANIZATION_BASED',
          educationRequirement: false,
          duringPaidWorkTime: false,
          source: 'IMPORT',
          status: 'APPROVED',
          description: 'Imported from the paper volunteer book',
          createdBy: 'demo:import',
          createdAt,
          decidedBy: 'demo:import',
          decidedAt: createdAt,
          replacesId: null,
        });
      }
    }

    // Hour records: each volunteer works for their organization; some on one of its opportunities.
    const opportunitiesOf = new Map<string, PlannedOpportunity[]>();
    for (const o of plan.opportunities) opportunitiesOf.set(o.organizationId, [...(opportunitiesOf.get(o.organizationId) ?? []), o]);
    const dayMinutes = new Map<string, number>();
    for (let n = 0; n < HOUR_RECORDS; n++) {
      const volunteer: PlannedVolunteer = pick(plan.volunteers);
      const organization = plan.organizations[organizationIndex.get(volunteer.organizationId)!]!;
      const candidates = (opportunitiesOf.get(organization.id) ?? []).filter((o) => o.startsOn <= lastDay);
      const opportunity = random() < 0.4 && candidates.length ? pick(candidates) : null;
      const minors = ageOn(volunteer.birthDate, now) < ADULT_AGE;
      const onOpportunity = opportunity && !(opportunity.minorRestricted && minors) ? opportunity : null;
      const date = onOpportunity
        ? dayBetween(random, onOpportunity.startsOn, onOpportunity.endsOn < lastDay ? onOpportunity.endsOn : lastDay)
        : dayBetween(random, '2025-01-01', lastDay);
      const minutes = pick(MINUTES);
      const dayKey = `${volunteer.id}|${date}`;
      if ((dayMinutes.get(dayKey) ?? 0) + minutes > 1440) continue;
      dayMinutes.set(dayKey, (dayMinutes.get(dayKey) ?? 0) + minutes);
      const direction = onOpportunity?.direction ?? pick(organization.directions);
      const roll = random();
      const source: HourSource = roll < 0.45 ? 'COORDINATOR' : roll < 0.5 ? 'KIOSK' : 'SELF';
      const fate = random();
      const approved = source === 'COORDINATOR' || fate < 0.85;
      const decider = coordinatorSubject(organizationIndex.get(organization.id)!);
      const createdAt = new Date(`${date}T18:00:00Z`);
      const record = await insertHourRecord(trx, {
        id: demoId('hour-record', n),
        volunteerId: volunteer.id,
        organizationId: organization.id,
        opportunityId: onOpportunity?.id ?? null,
        date,
        minutes,
        regionCode: random() < 0.85 ? organization.regionCode : volunteer.regionCode,
        activityType: pick(ACTIVITY_BY_DIRECTION[direction] ?? ['OTHER']),
        direction,
        setting: random() < 0.9 ? 'ORGANIZATION_BASED' : 'DIRECT',
        educationRequirement: random() < 0.05,
        duringPaidWorkTime: random() < 0.05,
        source,
        status: approved ? 'APPROVED' : 'PENDING',
        description: null,
        createdBy: source === 'COORDINATOR' ? decider : `demo:volunteer:${volunteer.id}`,
        createdAt,
        decidedBy: approved ? decider : null,
        decidedAt: approved ? new Date(createdAt.getTime() + 86_400_000) : null,
        replacesId: null,
      });
      if (!approved && fate > 0.95) {
        await transitionHourRecords(trx, [record.id], ['PENDING'], {
          status: 'DECLINED',
          decidedBy: decider,
          reason: 'Not confirmed by the event log',
        });
      } else if (approved && fate > 0.97) {
        // A correction: the approved record is voided and replaced with the right duration.
        await voidHourRecordRow(trx, record.id, 'APPROVED', { voidedBy: decider, reason: 'Duration entered wrongly' });
        await insertHourRecord(trx, {
          ...record,
          id: demoId('hour-record-correction', n),
          minutes: Math.max(30, minutes - 60),
          createdBy: decider,
          decidedBy: decider,
          decidedAt: new Date(createdAt.getTime() + 2 * 86_400_000),
          status: 'APPROVED',
          source: 'COORDINATOR',
          replacesId: record.id,
        });
      }
    }

    // A few applications to open opportunities, by adults of other organizations.
    const statuses: ApplicationStatus[] = ['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'PENDING', 'PENDING', 'REJECTED', 'WITHDRAWN'];
    for (let n = 0; n < 28; n++) {
      const volunteer = plan.volunteers[12 + n * 5]!;
      const opportunity = plan.opportunities[(n * 7) % plan.opportunities.length]!;
      if (ageOn(volunteer.birthDate, now) < Math.max(opportunity.minimumAge, ADULT_AGE)) continue;
      const application = await insertApplication(trx, {
        id: demoId('application', n),
        volunteerId: volunteer.id,
        opportunityId: opportunity.id,
        organizationId: opportunity.organizationId,
        motivation: 'I would like to help.',
      });
      const status = statuses[n % statuses.length]!;
      if (status !== 'PENDING') {
        const decider =
          status === 'WITHDRAWN'
            ? `demo:volunteer:${volunteer.id}`
            : coordinatorSubject(organizationIndex.get(opportunity.organizationId)!);
        await transitionApplication(trx, application.id, ['PENDING'], {
          status,
          decidedBy: decider,
          reason: status === 'REJECTED' ? 'All places for this role are filled' : null,
        });
      }
      // Filed three weeks before the opportunity starts and decided the next day, while it took applications.
      const appliedAt = new Date(Date.parse(`${opportunity.startsOn}T10:00:00Z`) - 21 * 86_400_000);
      await trx
        .updateTable('applications')
        .set({ applied_at: appliedAt, decided_at: status === 'PENDING' ? null : new Date(appliedAt.getTime() + 86_400_000) })
        .where('id', '=', application.id)
        .execute();
    }

    await rebuildTotals(trx);
    return true;
  });
}

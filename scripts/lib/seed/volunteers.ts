import type { Kysely } from 'kysely';
import { rebuildTotals } from '../../../subgraphs/volunteers/totals/totals.repository.ts';
import { demoId } from '../../../subgraphs/kit/demo-plan.ts';
import { ADULT_AGE, ageOn, GUARDIAN_CONSENT_BELOW } from '../../../subgraphs/volunteers/volunteer/age.ts';
import type { BulkTarget } from './bulk.ts';
import type { CopyValue } from './copy.ts';
import { ACTIVITY_BY_DIRECTION, AS_OF, FIRST_DAY, LAST_DAY, type PlanOpportunity, type PlanVolunteer, type SeedPlan } from './plan.ts';
import type { Progress } from './progress.ts';
import { at, dayNumber, isoDay, random, seedOf } from './random.ts';
import type { SubgraphSeeder } from './seeder.ts';

const MINUTES = [45, 60, 60, 90, 120, 120, 120, 180, 180, 240, 240, 300, 360, 480];

/** Subjects written as who logged, decided or voided: pseudonymous, like a token's `sub`. */
export const coordinatorSubject = (organizationIndex: number) => `seed:coordinator:${organizationIndex}`;
export const volunteerSubject = (v: PlanVolunteer) => `seed:volunteer:${v.index}`;

export interface PlannedHourRecord {
  id: string;
  volunteerId: string;
  organizationIndex: number;
  organizationId: string;
  opportunityId: string | null;
  day: number;
  minutes: number;
  regionCode: string;
  activityType: string;
  direction: string;
  setting: 'ORGANIZATION_BASED' | 'DIRECT';
  educationRequirement: boolean;
  duringPaidWorkTime: boolean;
  source: 'SELF' | 'COORDINATOR' | 'KIOSK' | 'IMPORT';
  status: 'PENDING' | 'APPROVED' | 'DECLINED' | 'VOIDED';
  createdBy: string;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
  voidedBy: string | null;
  voidedAt: Date | null;
  voidReason: string | null;
  replacesId: string | null;
}

/**
 * A volunteer's hour records over the window, the same on every run: distinct
 * days (so never more than 24 h a day), each for an organization they joined
 * before that day, mostly on one of its opportunities running that day (OPEN or
 * CLOSED, never one closed to minors for a minor) — the rules of logHours,
 * which `npm run seed -- --check` verifies; self-reported ones waiting near the
 * end of the window, coordinators' entries approved on entry, a few declined,
 * and a few approved ones voided and replaced by a corrected record.
 */
export function* hourRecordsOf(v: PlanVolunteer, plan: SeedPlan): Generator<PlannedHourRecord> {
  if (v.recordCount === 0 || v.memberships.length === 0) return;
  const r = random(seedOf('hours', v.index));
  // Hours count only for an organization one is a member of (logHours): from the day after the first joining.
  const from = Math.max(FIRST_DAY, v.registeredDay, Math.min(...v.memberships.map((m) => m.joinedDay)) + 1);
  const span = LAST_DAY - from + 1;
  if (span <= 0) return;
  const adultFrom = dayNumber(`${Number(v.birthDate.slice(0, 4)) + 18}${v.birthDate.slice(4)}`.replace(/-02-29$/, '-03-01'));
  const days = new Set<number>();
  const wanted = Math.min(v.recordCount, Math.floor(span / 2));
  for (let guard = 0; days.size < wanted && guard < wanted * 4; guard++) days.add(from + Math.floor(r() * span));
  let k = 0;
  const id = () => demoId('seed-hour-record', v.index * 1000 + k++);
  for (const day of [...days].sort((a, b) => a - b)) {
    const joined = v.memberships.filter((m) => m.joinedDay < day);
    if (joined.length === 0) continue;
    const membership = joined[r.chance(0.8) ? 0 : r.int(0, joined.length - 1)]!;
    const organizationIndex = membership.organizationIndex;
    const organization = plan.organizations[organizationIndex]!;
    const organizationBased = r.chance(0.85);
    let opportunity: PlanOpportunity | null = null;
    if (organizationBased) {
      const list = plan.opportunitiesByOrganization[organizationIndex] ?? [];
      // The latest published, not cancelled opportunity running that day (logHours: within its start and end);
      // none closed to minors for a minor. Opportunities last at most 91 days.
      for (let i = list.length - 1; i >= 0; i--) {
        const o = list[i]!;
        if (o.startDay > day) continue;
        if (o.startDay < day - 91) break;
        if (o.endDay >= day && (o.status === 'OPEN' || o.status === 'CLOSED') && !(o.minorRestricted && day < adultFrom)) {
          opportunity = o;
          break;
        }
      }
    }
    const direction = opportunity?.direction ?? r.pick(organization.directions);
    const activityType = r.pick(ACTIVITY_BY_DIRECTION[direction] ?? ['OTHER']);
    const regionCode = opportunity?.regionCode ?? (r.chance(0.85) ? organization.regionCode : v.regionCode);
    const minutes = r.pick(MINUTES);
    const s = r();
    const source: PlannedHourRecord['source'] = membership && s < 0.3 ? 'COORDINATOR' : s < 0.4 ? 'KIOSK' : s < 0.45 ? 'IMPORT' : 'SELF';
    const createdAt = at(Math.min(day + r.int(0, 3), LAST_DAY), r.int(8 * 60, 22 * 60));
    const coordinator = coordinatorSubject(organizationIndex);
    const base = {
      volunteerId: v.id,
      organizationIndex,
      organizationId: organization.id,
      opportunityId: opportunity?.id ?? null,
      day,
      regionCode,
      activityType,
      direction,
      setting: organizationBased ? ('ORGANIZATION_BASED' as const) : ('DIRECT' as const),
      educationRequirement: v.age < 25 && r.chance(0.06),
      duringPaidWorkTime: v.age >= 22 && r.chance(0.05),
      source,
      createdBy:
        source === 'SELF'
          ? volunteerSubject(v)
          : source === 'IMPORT'
            ? 'seed:import'
            : source === 'KIOSK'
              ? `seed:front-office:${v.regionCode}`
              : coordinator,
      createdAt,
      voidedBy: null,
      voidedAt: null,
      voidReason: null,
      replacesId: null,
    };
    if (source === 'COORDINATOR' || source === 'IMPORT') {
      const record: PlannedHourRecord = {
        ...base,
        id: id(),
        minutes,
        status: 'APPROVED',
        decidedBy: base.createdBy,
        decidedAt: createdAt,
        reason: null,
      };
      // About 2% of approved records are corrected: voided, and replaced by the right duration.
      if (r.chance(0.02)) {
        const voidedAt = new Date(createdAt.getTime() + r.int(1, 72) * 3_600_000);
        yield { ...record, status: 'VOIDED', voidedBy: coordinator, voidedAt, voidReason: 'Wrong duration entered; replaced' };
        yield {
          ...base,
          id: id(),
          minutes: minutes === 60 ? 90 : minutes - 30,
          status: 'APPROVED',
          source: 'COORDINATOR',
          createdBy: coordinator,
          createdAt: voidedAt,
          decidedBy: coordinator,
          decidedAt: voidedAt,
          reason: null,
          replacesId: record.id,
        };
      } else {
        yield record;
      }
      continue;
    }
    // Self-reported and kiosk entries wait for a coordinator; recent ones are often still waiting.
    const recent = LAST_DAY - day < 21;
    const d = r();
    const status = recent
      ? d < 0.6
        ? 'PENDING'
        : d < 0.95
          ? 'APPROVED'
          : 'DECLINED'
      : d < 0.9
        ? 'APPROVED'
        : d < 0.97
          ? 'DECLINED'
          : 'PENDING';
    const decidedAt =
      status === 'PENDING' ? null : new Date(Math.min(createdAt.getTime() + r.int(2, 240) * 3_600_000, at(AS_OF, 0).getTime() - 60_000));
    yield {
      ...base,
      id: id(),
      minutes,
      status,
      decidedBy: status === 'PENDING' ? null : coordinator,
      decidedAt,
      reason:
        status === 'DECLINED'
          ? r.pick(['Not done for this organization', 'Duplicate of another record', 'Date does not match the event'])
          : null,
    };
  }
}

function hourRecordRow(h: PlannedHourRecord): CopyValue[] {
  return [
    h.id,
    h.volunteerId,
    h.organizationId,
    h.opportunityId,
    isoDay(h.day),
    h.minutes,
    h.regionCode,
    h.activityType,
    h.direction,
    h.setting,
    h.educationRequirement,
    h.duringPaidWorkTime,
    h.source,
    h.status,
    null,
    h.createdBy,
    h.createdAt,
    h.decidedBy,
    h.decidedAt,
    h.reason,
    h.voidedBy,
    h.voidedAt,
    h.voidReason,
    h.replacesId,
  ];
}

const MOTIVATIONS = ['I want to help my city', 'I have done this before', 'My friends volunteer here', 'I study this subject', null];

export const volunteersSeeder: SubgraphSeeder = {
  name: 'volunteers',
  markerTable: 'volunteers',
  async load(target: BulkTarget, plan: SeedPlan, progress: Progress) {
    const total = plan.volunteerCount;

    let phase = progress.phase('volunteers', total);
    await target.copy(
      'volunteers',
      [
        'id',
        'iin',
        'first_name',
        'last_name',
        'patronymic',
        'birth_date',
        'sex',
        'region_code',
        'skills',
        'languages',
        'phone',
        'email',
        'guardian_name',
        'guardian_relationship',
        'guardian_consent_on',
        'guardian_recorded_by',
        'registered_by',
        'registered_at',
      ],
      (function* () {
        for (const v of plan.volunteers()) {
          yield [
            v.id,
            v.iin,
            v.firstName,
            v.lastName,
            v.patronymic,
            v.birthDate,
            v.sex,
            v.regionCode,
            v.skills,
            v.languages,
            v.phone,
            v.email,
            v.guardian?.name ?? null,
            v.guardian?.relationship ?? null,
            v.guardian?.givenOn ?? null,
            v.guardian ? `seed:front-office:${v.regionCode}` : null,
            v.registeredBy,
            at(v.registeredDay, 9 * 60 + (v.index % 600)),
          ];
        }
      })(),
      () => phase.tick(),
    );
    phase.done();

    phase = progress.phase('memberships', Math.round(total * 1.1));
    await target.copy(
      'memberships',
      ['id', 'volunteer_id', 'organization_id', 'role', 'joined_at'],
      (function* () {
        for (const v of plan.volunteers()) {
          for (const [k, m] of v.memberships.entries()) {
            yield [
              demoId('seed-membership', v.index * 4 + k),
              v.id,
              plan.organizations[m.organizationIndex]!.id,
              m.role,
              at(m.joinedDay, 10 * 60),
            ];
          }
        }
      })(),
      () => phase.tick(),
    );
    phase.done();

    // Applications: to the volunteer's organizations' opportunities or others in their region, within the rules
    // (age, minors, places); accepted ones never exceed an opportunity's places.
    phase = progress.phase('applications', plan.scale.applications);
    const accepted = new Int32Array(plan.opportunities.length);
    const byRegion = new Map<string, PlanOpportunity[]>();
    for (const o of plan.opportunities) {
      if (o.status === 'DRAFT') continue;
      const list = byRegion.get(o.regionCode) ?? [];
      list.push(o);
      byRegion.set(o.regionCode, list);
    }
    const perVolunteer = plan.scale.applications / Math.max(1, total);
    // Sums of uniforms below t: e^t − 1 draws on average, of which about three quarters pass the rules.
    const applicationThreshold = Math.log(1 + perVolunteer / 0.75);
    await target.copy(
      'applications',
      [
        'id',
        'volunteer_id',
        'opportunity_id',
        'organization_id',
        'status',
        'motivation',
        'applied_at',
        'decided_by',
        'decided_at',
        'reason',
      ],
      (function* () {
        for (const v of plan.volunteers()) {
          const r = random(seedOf('applications', v.index));
          let count = 0;
          for (let x = r(); x < applicationThreshold && count < 8; x += r()) count++;
          const chosen = new Set<string>();
          for (let k = 0; k < count; k++) {
            const own =
              v.memberships.length > 0 && r.chance(0.7) ? plan.opportunitiesByOrganization[v.memberships[0]!.organizationIndex] : undefined;
            const list = own && own.length > 0 ? own : byRegion.get(v.regionCode);
            if (!list || list.length === 0) continue;
            const o = r.pick(list);
            if (o.status === 'DRAFT' || chosen.has(o.id)) continue;
            const appliedDay = Math.max(v.registeredDay, o.createdDay, o.startDay - r.int(3, 45));
            // Only while it takes applications (not ended), and only who may: age on the day of applying (applyToOpportunity).
            if (appliedDay > LAST_DAY || appliedDay > o.endDay) continue;
            const age = ageOn(v.birthDate, isoDay(appliedDay));
            if (age < o.minimumAge || (o.minorRestricted && age < ADULT_AGE) || (age < GUARDIAN_CONSENT_BELOW && !v.guardian)) continue;
            chosen.add(o.id);
            // 08:00–22:00 in Astana (UTC+5): the register's day is the day applied.
            const appliedAt = at(appliedDay, r.int(3 * 60, 17 * 60));
            const future = o.status === 'OPEN';
            const s = r();
            let status = future
              ? s < 0.5
                ? 'PENDING'
                : s < 0.85
                  ? 'ACCEPTED'
                  : s < 0.95
                    ? 'WITHDRAWN'
                    : 'REJECTED'
              : o.status === 'CANCELLED'
                ? 'WITHDRAWN'
                : s < 0.68
                  ? 'ACCEPTED'
                  : s < 0.88
                    ? 'REJECTED'
                    : 'WITHDRAWN';
            if (status === 'ACCEPTED' && (accepted[o.index] ?? 0) >= o.places) status = 'REJECTED';
            if (status === 'ACCEPTED') accepted[o.index] = (accepted[o.index] ?? 0) + 1;
            const decided = status === 'ACCEPTED' || status === 'REJECTED';
            // Accepted while the opportunity still took applications: by its last day (23:30 in Astana).
            const decidedBy = Math.min(
              at(LAST_DAY, 15 * 60).getTime(),
              status === 'ACCEPTED' ? at(o.endDay, 18 * 60 + 30).getTime() : Infinity,
            );
            const decidedAt = decided
              ? new Date(Math.max(appliedAt.getTime() + 60_000, Math.min(appliedAt.getTime() + r.int(4, 200) * 3_600_000, decidedBy)))
              : status === 'WITHDRAWN'
                ? new Date(appliedAt.getTime() + 86_400_000)
                : null;
            yield [
              demoId('seed-application', v.index * 8 + k),
              v.id,
              o.id,
              plan.organizations[o.organizationIndex]!.id,
              status,
              r.pick(MOTIVATIONS),
              appliedAt,
              decided ? coordinatorSubject(o.organizationIndex) : status === 'WITHDRAWN' ? volunteerSubject(v) : null,
              decidedAt,
              status === 'REJECTED' ? r.pick(['No places left', 'Skills do not match', 'Schedule conflict']) : null,
            ];
          }
        }
      })(),
      () => phase.tick(),
    );
    phase.done();

    phase = progress.phase('hour records', plan.scale.hourRecords);
    await target.copy(
      'hour_records',
      [
        'id',
        'volunteer_id',
        'organization_id',
        'opportunity_id',
        'work_date',
        'minutes',
        'region_code',
        'activity_type',
        'direction',
        'setting',
        'education_requirement',
        'during_paid_work_time',
        'source',
        'status',
        'description',
        'created_by',
        'created_at',
        'decided_by',
        'decided_at',
        'reason',
        'voided_by',
        'voided_at',
        'void_reason',
        'replaces_id',
      ],
      (function* () {
        for (const v of plan.volunteers()) for (const h of hourRecordsOf(v, plan)) yield hourRecordRow(h);
      })(),
      () => phase.tick(),
    );
    phase.done();
  },
  /** Every rollup of the subgraph from the loaded rows, active volunteers by region and age band included. */
  async rebuild(db: Kysely<any>) {
    await rebuildTotals(db);
  },
};

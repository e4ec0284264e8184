import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  Forbidden,
  hasRole,
  NotFound,
  parseDay,
  parseId,
  parseInteger,
  parseOptionalText,
  parseRegionCode,
  parseText,
  auditedTransaction,
  type AuditRecord,
  today,
  Unauthenticated,
} from '../../kit/index.ts';
import { hasAcceptedApplication } from '../application/application.repository.ts';
import { recordNotifiedEvent } from '../notification/notification.service.ts';
import type { VolunteersContext } from '../context.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { fetchOpportunityFacts } from '../opportunity/organizations-client.ts';
import { addDailyMinutes, applyApprovedWork, isDailyLimitViolation } from '../totals/totals.repository.ts';
import { actsForOrganization, callerVolunteerId } from '../access.ts';
import { addApprovedMinutes, type Volunteer } from '../volunteer/volunteer.repository.ts';
import {
  countedWork,
  insertHourRecord,
  lockHourRecords,
  transitionHourRecords,
  voidHourRecordRow,
  type HourRecord,
  type HourSource,
  type WorkSetting,
} from './hour-record.repository.ts';

/** Events of the outbox: a record waiting for its organization's decision, and a decision. */
export const HOUR_RECORD_SUBMITTED = 'HourRecordSubmitted';
export const HOUR_RECORD_DECIDED = 'HourRecordDecided';
export interface HourRecordEvent {
  hourRecordId: string;
  volunteerId: string;
  organizationId: string;
  status?: string;
}

/** The most records one bulk decision may carry. */
export const MAX_BULK_DECISION = 100;

export interface WorkInput {
  organizationId: string;
  opportunityId?: string | null;
  date: string;
  minutes: number;
  regionCode: string;
  activityType: string;
  direction: string;
  setting?: WorkSetting | null;
  educationRequirement?: boolean | null;
  duringPaidWorkTime?: boolean | null;
  description?: string | null;
}

interface Work {
  organizationId: string;
  opportunityId: string | null;
  date: string;
  minutes: number;
  regionCode: string;
  activityType: string;
  direction: string;
  setting: WorkSetting;
  educationRequirement: boolean;
  duringPaidWorkTime: boolean;
  description: string | null;
}

function parseWork(input: WorkInput, prefix: string): Work {
  const date = parseDay(input.date, `${prefix}.date`);
  if (date > today()) throw new BadUserInput(`${prefix}.date`, 'is in the future');
  return {
    organizationId: parseId(input.organizationId, `${prefix}.organizationId`),
    opportunityId: input.opportunityId ? parseId(input.opportunityId, `${prefix}.opportunityId`) : null,
    date,
    minutes: parseInteger(input.minutes, `${prefix}.minutes`, 1, 1440),
    regionCode: parseRegionCode(input.regionCode, `${prefix}.regionCode`),
    activityType: input.activityType,
    direction: input.direction,
    setting: input.setting ?? 'ORGANIZATION_BASED',
    educationRequirement: input.educationRequirement ?? false,
    duringPaidWorkTime: input.duringPaidWorkTime ?? false,
    description: parseOptionalText(input.description, `${prefix}.description`, 2000),
  };
}

interface Plan {
  source: HourSource;
  status: 'PENDING' | 'APPROVED';
}

/**
 * Where a record comes from follows from who enters it: the volunteer
 * (SELF, waits), a coordinator of the organization (COORDINATOR, approved on
 * entry), front-office staff of the volunteer's region (KIOSK, waits), an
 * admin (IMPORT, approved on entry). Own hours always wait, whoever enters them.
 */
function planRecord(context: VolunteersContext, volunteer: Volunteer, work: Work, own: string | null): Plan {
  const { viewer } = context;
  if (volunteer.id === own) return { source: 'SELF', status: 'PENDING' };
  if (hasRole(viewer, 'coordinator') && viewer.organizationIds.includes(work.organizationId))
    return { source: 'COORDINATOR', status: 'APPROVED' };
  if (hasRole(viewer, 'front_office') && viewer.regionCode === volunteer.regionCode) return { source: 'KIOSK', status: 'PENDING' };
  if (hasRole(viewer, 'admin')) return { source: 'IMPORT', status: 'APPROVED' };
  throw new Forbidden(
    "Hours are logged by the volunteer, a coordinator of the organization, front-office staff of the volunteer's region, or an admin",
  );
}

/**
 * Work counts for an organization the volunteer is a member of, or for an
 * opportunity they were accepted to (imports by an admin are exempt: they
 * carry history from before the register). Work on an opportunity, whoever
 * enters it, is work on one of the organization's published, not cancelled
 * opportunities (OPEN or CLOSED), on a day between its start and its end.
 */
async function assertTakesPart(context: VolunteersContext, volunteer: Volunteer, work: Work, plan: Plan, prefix: string): Promise<void> {
  if (work.date < volunteer.birthDate) throw new BadUserInput(`${prefix}.date`, 'is before the volunteer was born');
  if (work.opportunityId) {
    const facts = await fetchOpportunityFacts(context, work.opportunityId);
    if (!facts) throw new NotFound('Opportunity', work.opportunityId);
    if (facts.organization.id !== work.organizationId)
      throw new BadUserInput(`${prefix}.opportunityId`, 'the opportunity belongs to another organization');
    if (facts.status === 'DRAFT')
      throw new BadUserInput(`${prefix}.opportunityId`, 'the opportunity is a draft, not published: no hours are logged on it');
    if (facts.status === 'CANCELLED')
      throw new BadUserInput(`${prefix}.opportunityId`, 'the opportunity was cancelled: no hours are logged on it');
    if (work.date < facts.startsOn || work.date > facts.endsOn) {
      throw new BadUserInput(`${prefix}.date`, `is outside the opportunity's dates (${facts.startsOn} to ${facts.endsOn})`);
    }
  }
  if (plan.source === 'IMPORT') return;
  const memberships = await context.loaders.activeMembershipsOfVolunteer.load(volunteer.id);
  if (memberships.some((m) => m.organizationId === work.organizationId)) return;
  if (work.opportunityId && (await hasAcceptedApplication(context.db, volunteer.id, work.opportunityId))) return;
  throw new BadUserInput(
    `${prefix}.organizationId`,
    'the volunteer is neither a member of this organization nor accepted to the opportunity',
  );
}

/** Inserts a record and keeps every total in step, inside the caller's transaction. */
async function writeRecord(
  trx: Kysely<VolunteersDB>,
  audit: (entry: AuditRecord) => Promise<void>,
  context: VolunteersContext,
  volunteerId: string,
  work: Work,
  plan: Plan,
  prefix: string,
  replacesId: string | null,
): Promise<HourRecord> {
  try {
    await addDailyMinutes(trx, [{ volunteerId, workDate: work.date, minutes: work.minutes }]);
  } catch (error) {
    if (isDailyLimitViolation(error))
      throw new BadUserInput(`${prefix}.minutes`, `the volunteer would have more than 24 hours on ${work.date}`);
    throw error;
  }
  const approved = plan.status === 'APPROVED';
  const record = await insertHourRecord(trx, {
    volunteerId,
    ...work,
    source: plan.source,
    status: plan.status,
    createdBy: context.viewer.subject,
    decidedBy: approved ? context.viewer.subject : null,
    decidedAt: approved ? new Date() : null,
    replacesId,
  });
  if (approved) {
    await applyApprovedWork(trx, [countedWork(record)], 1);
    await addApprovedMinutes(trx, new Map([[volunteerId, record.minutes]]));
  }
  await audit({
    action: replacesId ? 'hours.replace' : 'hours.log',
    entity: 'HourRecord',
    entityId: record.id,
    details: {
      volunteerId,
      organizationId: work.organizationId,
      date: work.date,
      minutes: work.minutes,
      source: plan.source,
      status: plan.status,
      ...(replacesId ? { replaces: replacesId } : {}),
    },
  });
  if (record.status === 'PENDING') {
    await recordNotifiedEvent(
      trx,
      context,
      { topic: HOUR_RECORD_SUBMITTED, payload: { hourRecordId: record.id, volunteerId, organizationId: record.organizationId } },
      {
        kind: 'HOUR_RECORD_SUBMITTED',
        subjectId: record.id,
        organizationId: record.organizationId,
        facts: { date: record.date, minutes: record.minutes },
        to: { coordinatorsOf: record.organizationId, except: volunteerId },
      },
    );
  }
  return record;
}

export interface LogHoursInput extends WorkInput {
  volunteerId?: string | null;
}

export async function logHours(db: Kysely<VolunteersDB>, context: VolunteersContext, input: LogHoursInput): Promise<HourRecord> {
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  const work = parseWork(input, 'input');
  const own = await callerVolunteerId(context);
  const volunteerId = input.volunteerId ? parseId(input.volunteerId, 'input.volunteerId') : own;
  if (!volunteerId) throw new Forbidden('Only a registered volunteer logs their own hours (or give input.volunteerId as staff)');
  const volunteer = await context.loaders.volunteerById.load(volunteerId);
  if (!volunteer) throw new NotFound('Volunteer', volunteerId);
  const plan = planRecord(context, volunteer, work, own);
  await assertTakesPart(context, volunteer, work, plan, 'input');
  return auditedTransaction(db, context, (trx, audit) => writeRecord(trx, audit, context, volunteerId, work, plan, 'input', null));
}

export type HourDecision = 'APPROVE' | 'DECLINE';

/**
 * All or nothing: every record must exist, be pending, belong to an
 * organization the caller coordinates and not be the caller's own. The update
 * is conditional on PENDING, so of two racing decisions exactly one wins.
 */
export async function decideHourRecords(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  idArgs: readonly string[],
  decision: HourDecision,
  reasonArg: string | null | undefined,
): Promise<HourRecord[]> {
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  if (idArgs.length === 0) throw new BadUserInput('ids', 'give at least one record');
  if (idArgs.length > MAX_BULK_DECISION) throw new BadUserInput('ids', `at most ${MAX_BULK_DECISION} records at once`);
  const ids = [...new Set(idArgs.map((id, i) => parseId(id, `ids[${i}]`)))];
  const reason = parseOptionalText(reasonArg, 'reason', 1000);
  if (decision === 'DECLINE' && !reason) throw new BadUserInput('reason', 'a decline needs a reason');
  const own = await callerVolunteerId(context);
  const records = await context.loaders.hourRecordById.loadMany(ids);
  records.forEach((r, i) => {
    if (r instanceof Error) throw r;
    if (!r) throw new NotFound('HourRecord', ids[i]!);
    // No id in the message: the caller may not see another organization's records.
    if (!actsForOrganization(context.viewer, r.organizationId)) {
      throw new Forbidden(
        "One or more records are not of your organization: only a coordinator of a record's organization, or an admin, may decide it; nothing was changed",
      );
    }
    if (r.volunteerId === own) throw new Forbidden('No one approves or declines their own hours');
    if (r.status !== 'PENDING') throw new Conflict(`Hour record ${r.id} is already ${r.status.toLowerCase()}`, { id: r.id });
  });
  const status = decision === 'APPROVE' ? 'APPROVED' : 'DECLINED';
  const decided = await auditedTransaction(db, context, async (trx, audit) => {
    await lockHourRecords(trx, ids);
    const changed = await transitionHourRecords(trx, ids, ['PENDING'], { status, decidedBy: context.viewer.subject, reason });
    if (changed.length !== ids.length) throw new Conflict('Some of these hour records were decided meanwhile; nothing was changed');
    if (status === 'APPROVED') {
      await applyApprovedWork(trx, changed.map(countedWork), 1);
      const minutes = new Map<string, number>();
      for (const r of changed) minutes.set(r.volunteerId, (minutes.get(r.volunteerId) ?? 0) + r.minutes);
      await addApprovedMinutes(trx, minutes);
    } else {
      // Declined work no longer holds its place in the volunteer's 24 hours.
      await addDailyMinutes(
        trx,
        changed.map((r) => ({ volunteerId: r.volunteerId, workDate: r.date, minutes: -r.minutes })),
      );
    }
    for (const r of changed) {
      await audit({
        action: `hours.${decision.toLowerCase()}`,
        entity: 'HourRecord',
        entityId: r.id,
        details: { reason, minutes: r.minutes },
      });
      await recordNotifiedEvent(
        trx,
        context,
        {
          topic: HOUR_RECORD_DECIDED,
          payload: { hourRecordId: r.id, volunteerId: r.volunteerId, organizationId: r.organizationId, status: r.status },
        },
        {
          kind: 'HOUR_RECORD_DECIDED',
          subjectId: r.id,
          organizationId: r.organizationId,
          facts: { status: r.status, date: r.date, minutes: r.minutes },
          to: { volunteerId: r.volunteerId },
        },
      );
    }
    return changed;
  });
  const byId = new Map(decided.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!);
}

export interface VoidResult {
  voided: HourRecord;
  replacement: HourRecord | null;
}

/**
 * A decided record is never edited: a correction voids it (its approval stays
 * on the row, with who voided it and why) and may insert a replacement for the
 * same volunteer, which follows the rules of a new record.
 */
export async function voidHourRecord(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  idArg: string,
  reasonArg: string,
  replacementInput: WorkInput | null | undefined,
): Promise<VoidResult> {
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  const id = parseId(idArg, 'id');
  const reason = parseText(reasonArg, 'reason', { max: 1000 });
  const record = await context.loaders.hourRecordById.load(id);
  if (!record) throw new NotFound('HourRecord', id);
  const own = await callerVolunteerId(context);
  const ownRecord = record.volunteerId === own;
  const allowed = ownRecord ? record.status === 'PENDING' : actsForOrganization(context.viewer, record.organizationId);
  if (!allowed) {
    throw new Forbidden(
      ownRecord
        ? 'A volunteer may void only their own pending records'
        : 'Only a coordinator of the organization, or an admin, may void this record',
    );
  }
  if (record.status !== 'PENDING' && record.status !== 'APPROVED')
    throw new Conflict(`The record is already ${record.status.toLowerCase()}`);
  const volunteer = await context.loaders.volunteerById.load(record.volunteerId);
  if (!volunteer) throw new NotFound('Volunteer', record.volunteerId);
  let replacement: { work: Work; plan: Plan } | null = null;
  if (replacementInput) {
    const work = parseWork(replacementInput, 'replacement');
    const plan = planRecord(context, volunteer, work, own);
    await assertTakesPart(context, volunteer, work, plan, 'replacement');
    replacement = { work, plan };
  }
  return auditedTransaction(db, context, async (trx, audit) => {
    const [current] = await lockHourRecords(trx, [id]);
    if (!current || (current.status !== 'PENDING' && current.status !== 'APPROVED')) throw new Conflict('The record was decided meanwhile');
    const voided = await voidHourRecordRow(trx, id, current.status, { voidedBy: context.viewer.subject, reason });
    if (!voided) throw new Conflict('The record was decided meanwhile');
    // The day's counter before the rollups, in the order logHours takes them: a void racing
    // an entry for the same volunteer and day queues behind it instead of deadlocking.
    await addDailyMinutes(trx, [{ volunteerId: current.volunteerId, workDate: current.date, minutes: -current.minutes }]);
    if (current.status === 'APPROVED') {
      await applyApprovedWork(trx, [countedWork(current)], -1);
      await addApprovedMinutes(trx, new Map([[current.volunteerId, -current.minutes]]));
    }
    await audit({ action: 'hours.void', entity: 'HourRecord', entityId: id, details: { reason, from: current.status } });
    const written = replacement
      ? await writeRecord(trx, audit, context, current.volunteerId, replacement.work, replacement.plan, 'replacement', id)
      : null;
    return { voided, replacement: written };
  });
}

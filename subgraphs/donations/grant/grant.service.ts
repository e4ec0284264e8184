import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  Forbidden,
  formatAmount,
  invariant,
  isUniqueViolation,
  NotFound,
  parseAmount,
  parseDay,
  parseId,
  parseOptionalText,
  parseText,
  auditedTransaction,
  today,
  type RequestContext,
} from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { assertActsFor, assertFunder, assertFunderStaffOrAdmin, isAdmin } from '../access.ts';
import { claimIdempotencyKey, idempotentRequest, parseIdempotencyKey, replayedEntity } from '../common/idempotency.ts';
import { transitionApplication } from './grant-application.repository.ts';
import { applicationWithProgramme } from './grant-application.service.ts';
import { addToProgramme, findProgrammesById, lockProgramme, type FunderKind, type GrantProgramme } from './grant-programme.repository.ts';
import { rateForDay } from '../exchange-rate/exchange-rate.service.ts';
import { allocateByWeights, toKzt } from '../money/money.ts';
import {
  addDisbursedToGrant,
  findDisbursementsById,
  findFundersOfGrants,
  insertDisbursementShares,
  insertGrantFunders,
  type FunderType,
  type GrantCoFunder,
  findGrantsById,
  findReportsById,
  insertDisbursement,
  insertGrant,
  insertPlannedDisbursements,
  insertReports,
  lockGrant,
  transitionReport,
  type Disbursement,
  type Grant,
  type GrantReport,
  type GrantReportKind,
} from './grant.repository.ts';
import { addDays, lastDayOfYears } from '../../kit/dates.ts';

/** Days after the end of a grant's period that a final report is due when the award names none. */
export const FINAL_REPORT_DAYS = 60;

export interface AwardGrantInput {
  applicationId: string;
  amount: string;
  awardDate: string;
  periodStart: string;
  periodEnd: string;
  plannedDisbursements: { dueOn: string; amount: string }[];
  reports?: { kind: GrantReportKind; dueOn: string }[] | null;
  title?: string | null;
  /** Co-funders with their shares; by default the programme's funder alone. */
  funders?: CoFunderInput[] | null;
  /** An admin records a backdated period (starting before today) as historical. */
  historical?: boolean | null;
}

export interface CoFunderInput {
  type: FunderType;
  name: string;
  organizationId?: string | null;
  partnerId?: string | null;
  /** Percent, up to two decimals ("33.33"). */
  share: string;
}

/** Shares are kept in basis points: 10000 is 100%. */
export const SHARE_SCALE = 10_000;
const SHARE = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** A percentage with at most two decimals, more than 0 and at most 100, to basis points. */
export function parseShare(value: unknown, argument: string): number {
  const m = typeof value === 'string' ? SHARE.exec(value.trim()) : null;
  if (!m) throw new BadUserInput(argument, 'a share is a percentage with at most two decimals, such as "33.33"');
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (bp <= 0 || bp > SHARE_SCALE) throw new BadUserInput(argument, 'a share is more than 0% and at most 100%');
  return bp;
}

/** Parses a grant's co-funders: 1 to 20, shares summing to exactly 100%, each named once. */
export function parseCoFunders(input: readonly CoFunderInput[]): Omit<GrantCoFunder, 'grantId'>[] {
  if (input.length === 0) throw new BadUserInput('input.funders', 'at least one funder');
  if (input.length > 20) throw new BadUserInput('input.funders', 'at most 20 funders');
  const funders = input.map((f, i) => {
    const at = `input.funders[${i}]`;
    const organizationId = f.organizationId ? parseId(f.organizationId, `${at}.organizationId`) : null;
    const partnerId = f.partnerId ? parseId(f.partnerId, `${at}.partnerId`) : null;
    if (organizationId && partnerId)
      throw new BadUserInput(`${at}.partnerId`, 'a funder is an organization of the register or a partner, not both');
    return {
      position: i,
      type: f.type,
      name: parseText(f.name, `${at}.name`, { max: 300 }),
      organizationId,
      partnerId,
      shareBp: parseShare(f.share, `${at}.share`),
    };
  });
  const names = new Set(funders.map((f) => f.name.toLowerCase()));
  if (names.size !== funders.length) throw new BadUserInput('input.funders', 'each funder once');
  const total = funders.reduce((n, f) => n + f.shareBp, 0);
  if (total !== SHARE_SCALE) throw new BadUserInput('input.funders', `the shares sum to ${formatShare(total)}%, not 100%`);
  return funders;
}

export const formatShare = (bp: number): string => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;

const remainingBudget = (p: GrantProgramme): bigint => p.budgetMinor - p.awardedMinor;

export interface AwardEntry extends Omit<Grant, 'id' | 'disbursedMinor' | 'historical'> {
  historical?: boolean;
  planned: readonly { dueOn: string; amountMinor: bigint }[];
  reports: readonly { kind: GrantReportKind; dueOn: string }[];
  /** The grant's funders with their shares (basis points summing to 10000). */
  funders: readonly Omit<GrantCoFunder, 'grantId'>[];
}

/** Writes a validated award in the caller's transaction (the programme locked): the grant, its funders, plan and reports, the programme's totals. */
export async function writeAward(trx: Kysely<DonationsDB>, award: AwardEntry): Promise<Grant> {
  const { planned, reports, funders, ...fields } = award;
  invariant(funders.reduce((n, f) => n + f.shareBp, 0) === SHARE_SCALE, 'the shares of a grant sum to 100%');
  const grant = await insertGrant(trx, fields);
  await insertGrantFunders(
    trx,
    funders.map((f) => ({ ...f, grantId: grant.id })),
  );
  await insertPlannedDisbursements(trx, grant, planned);
  await insertReports(trx, grant.id, reports);
  await addToProgramme(trx, grant.programmeId, { awarded: grant.amountMinor, grants: 1 });
  return grant;
}

/** The grant's funders' type of a programme's funder kind. */
export const FUNDER_TYPE_OF_KIND: Readonly<Record<FunderKind, FunderType>> = {
  STATE_BODY: 'STATE',
  PRIVATE: 'PRIVATE',
  INTERNATIONAL_PARTNER: 'INTERNATIONAL',
};

/** A programme's funder as the sole funder (100%) of its grants. */
export const programmeAsFunder = (p: GrantProgramme): Omit<GrantCoFunder, 'grantId'> => ({
  position: 0,
  type: FUNDER_TYPE_OF_KIND[p.funderKind],
  name: p.funderName,
  organizationId: p.funderOrganizationId,
  partnerId: p.funderPartnerId,
  shareBp: SHARE_SCALE,
});

/**
 * Writes a payment on a grant locked by the caller's transaction: converted at
 * the official rate of its day (or a recent earlier one: `rateForDay`, which
 * refuses a stale one), attributed to the grant's funders by share (exact, in
 * the grant's currency and in KZT), and the grant's and the programme's totals
 * moved; null when it is more than remains.
 */
export async function writeDisbursement(
  trx: Kysely<DonationsDB>,
  grant: Grant,
  payment: { id: string; amountMinor: bigint; date: string; reference: string | null },
): Promise<Disbursement | null> {
  if (payment.amountMinor > grant.amountMinor - grant.disbursedMinor) return null;
  const rate = await rateForDay(trx, grant.currency, payment.date, 'input.date');
  const amountKzt = rate ? toKzt(payment.amountMinor, grant.currency, rate.rateMicro) : payment.amountMinor;
  const disbursement = await insertDisbursement(trx, {
    ...payment,
    grantId: grant.id,
    programmeId: grant.programmeId,
    rate: rate ? { rateMicro: rate.rateMicro, date: rate.date, source: rate.source } : null,
    amountKzt,
  });
  const funders = await findFundersOfGrants(trx, [grant.id]);
  invariant(funders.length > 0, 'a grant has funders');
  const weights = funders.map((f) => f.shareBp);
  const amounts = allocateByWeights(payment.amountMinor, weights);
  const kzts = allocateByWeights(amountKzt, weights);
  await insertDisbursementShares(
    trx,
    funders.map((f, i) => ({
      disbursementId: payment.id,
      position: f.position,
      grantId: grant.id,
      type: f.type,
      currency: grant.currency,
      amountMinor: amounts[i]!,
      amountKzt: kzts[i]!,
      date: payment.date,
    })),
  );
  await addDisbursedToGrant(trx, grant.id, payment.amountMinor);
  await addToProgramme(trx, grant.programmeId, { disbursed: payment.amountMinor });
  return disbursement;
}

/**
 * Awards a grant on a submitted application: the funder's staff, or an admin.
 * The programme's row is locked while the award is checked against what is left
 * of its budget, so concurrent awards never exceed it together: an award over
 * what remains is BAD_USER_INPUT, whether seen before the lock or under it
 * after a racing award took the budget. Two decisions racing on the same
 * application are a CONFLICT for the one that finds it no longer submitted.
 */
export async function awardGrant(db: Kysely<DonationsDB>, context: RequestContext, input: AwardGrantInput): Promise<Grant> {
  const applicationId = parseId(input.applicationId, 'input.applicationId');
  const { application, programme } = await applicationWithProgramme(db, applicationId);
  assertFunderStaffOrAdmin(context, programme, 'award its grants');
  const { currency } = programme;
  const amountMinor = parseAmount(input.amount, currency, 'input.amount');
  const awardDate = parseDay(input.awardDate, 'input.awardDate');
  const periodStart = parseDay(input.periodStart, 'input.periodStart');
  const periodEnd = parseDay(input.periodEnd, 'input.periodEnd');
  if (awardDate > today()) throw new BadUserInput('input.awardDate', 'an award cannot be dated in the future');
  if (awardDate < programme.opensOn) throw new BadUserInput('input.awardDate', `before the programme opened (${programme.opensOn})`);
  if (periodEnd <= periodStart) throw new BadUserInput('input.periodEnd', 'ends before it starts');
  const historical = input.historical === true;
  if (historical && !isAdmin(context.viewer)) throw new Forbidden('Only an admin may record a grant as historical');
  if (periodStart < today() && !historical) {
    throw new BadUserInput(
      'input.periodStart',
      `a period starting in the past (${periodStart}) is backdated: only an admin records it, as historical (input.historical: true)`,
    );
  }
  if (historical && periodStart >= today())
    throw new BadUserInput('input.historical', 'only a period that started in the past is recorded as historical');
  const funders = input.funders ? parseCoFunders(input.funders) : [programmeAsFunder(programme)];
  const shortestEnd = lastDayOfYears(periodStart, programme.minGrantYears);
  const longestEnd = lastDayOfYears(periodStart, programme.maxGrantYears);
  if (periodEnd < shortestEnd || periodEnd > longestEnd) {
    throw new BadUserInput(
      'input.periodEnd',
      `a grant of this programme runs ${programme.minGrantYears} to ${programme.maxGrantYears} years: it ends between ${shortestEnd} and ${longestEnd}`,
    );
  }

  if (input.plannedDisbursements.length === 0) throw new BadUserInput('input.plannedDisbursements', 'at least one planned disbursement');
  if (input.plannedDisbursements.length > 120) throw new BadUserInput('input.plannedDisbursements', 'at most 120 planned disbursements');
  const planned = input.plannedDisbursements.map((p, i) => {
    const dueOn = parseDay(p.dueOn, `input.plannedDisbursements[${i}].dueOn`);
    if (dueOn < awardDate || dueOn > periodEnd) {
      throw new BadUserInput(
        `input.plannedDisbursements[${i}].dueOn`,
        `outside the award date and the end of the period (${awardDate} to ${periodEnd})`,
      );
    }
    return { dueOn, amountMinor: parseAmount(p.amount, currency, `input.plannedDisbursements[${i}].amount`) };
  });
  const plannedTotal = planned.reduce((sum, p) => sum + p.amountMinor, 0n);
  if (plannedTotal !== amountMinor) {
    throw new BadUserInput(
      'input.plannedDisbursements',
      `add up to ${formatAmount(plannedTotal, currency)}, not the award of ${formatAmount(amountMinor, currency)} ${currency}`,
    );
  }

  const reports = (input.reports ?? []).map((r, i) => {
    const dueOn = parseDay(r.dueOn, `input.reports[${i}].dueOn`);
    if (dueOn < periodStart) throw new BadUserInput(`input.reports[${i}].dueOn`, `due before the period starts (${periodStart})`);
    if (r.kind === 'INTERIM' && dueOn > periodEnd)
      throw new BadUserInput(`input.reports[${i}].dueOn`, 'an interim report is due within the period');
    if (r.kind === 'FINAL' && dueOn < periodEnd)
      throw new BadUserInput(`input.reports[${i}].dueOn`, 'a final report is due after the period ends');
    return { kind: r.kind, dueOn };
  });
  const finals = reports.filter((r) => r.kind === 'FINAL').length;
  if (finals > 1) throw new BadUserInput('input.reports', 'one final report');
  if (finals === 0) reports.push({ kind: 'FINAL', dueOn: addDays(periodEnd, FINAL_REPORT_DAYS) });
  const title = parseOptionalText(input.title, 'input.title', 300) ?? application.title;

  if (application.status !== 'SUBMITTED') throw new Conflict(`The application is ${application.status.toLowerCase()}, not submitted`);
  if (amountMinor > remainingBudget(programme)) {
    throw new BadUserInput(
      'input.amount',
      `more than remains of the programme budget (${formatAmount(remainingBudget(programme), currency)} ${currency})`,
    );
  }

  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const locked = await lockProgramme(trx, programme.id);
      invariant(locked, 'a programme is never deleted');
      if (amountMinor > remainingBudget(locked)) {
        // A racing award committed first: this one is now more than remains, as if it had come after it.
        throw new BadUserInput(
          'input.amount',
          `more than remains of the programme budget (${formatAmount(remainingBudget(locked), currency)} ${currency})`,
        );
      }
      const awarded = await transitionApplication(trx, applicationId, 'SUBMITTED', 'AWARDED');
      if (!awarded) throw new Conflict('The application was decided concurrently');
      const grant = await writeAward(trx, {
        programmeId: programme.id,
        applicationId,
        recipientId: application.applicantId,
        title,
        currency,
        amountMinor,
        awardDate,
        periodStart,
        periodEnd,
        historical,
        planned,
        reports,
        funders,
      });
      await audit({
        action: 'grant.award',
        entity: 'Grant',
        entityId: grant.id,
        details: {
          programmeId: programme.id,
          applicationId,
          recipientId: grant.recipientId,
          amount: formatAmount(amountMinor, currency),
          currency,
          awardDate,
          periodStart,
          periodEnd,
          planned: planned.map((p) => ({ dueOn: p.dueOn, amount: formatAmount(p.amountMinor, currency) })),
          reports,
          historical,
          funders: funders.map((f) => ({
            type: f.type,
            name: f.name,
            organizationId: f.organizationId,
            partnerId: f.partnerId,
            share: formatShare(f.shareBp),
          })),
        },
      });
      return grant;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('The application already has a grant');
    throw error;
  }
}

export async function grantWithProgramme(db: Kysely<DonationsDB>, id: string): Promise<{ grant: Grant; programme: GrantProgramme }> {
  const [grant] = await findGrantsById(db, [id]);
  if (!grant) throw new NotFound('Grant', id);
  const [programme] = await findProgrammesById(db, [grant.programmeId]);
  invariant(programme, 'a grant has a programme');
  return { grant, programme };
}

export interface RecordDisbursementInput {
  grantId: string;
  amount: string;
  date: string;
  reference?: string | null;
}

async function loadDisbursement(db: Kysely<DonationsDB>, id: string): Promise<Disbursement> {
  const [disbursement] = await findDisbursementsById(db, [id]);
  invariant(disbursement, `disbursement ${id} of an idempotency key exists`);
  return disbursement;
}

/**
 * Records money paid on a grant: the funder. Never more than awarded and not
 * yet paid: asking for more is BAD_USER_INPUT. The grant's row is locked while
 * the payment is checked again, so of payments racing for the last of it
 * exactly one is written; the others find the remainder taken under the lock
 * and are BAD_USER_INPUT too (more than remains), as if they had come after it.
 */
export async function recordDisbursement(
  db: Kysely<DonationsDB>,
  context: RequestContext,
  input: RecordDisbursementInput,
  idempotencyKey: string,
): Promise<Disbursement> {
  const key = parseIdempotencyKey(idempotencyKey);
  const grantId = parseId(input.grantId, 'input.grantId');
  const { grant, programme } = await grantWithProgramme(db, grantId);
  assertFunder(context, programme, 'record payments on its grants');
  const amountMinor = parseAmount(input.amount, grant.currency, 'input.amount');
  const date = parseDay(input.date, 'input.date');
  if (date < grant.awardDate) throw new BadUserInput('input.date', `before the award date ${grant.awardDate}`);
  if (date > today()) throw new BadUserInput('input.date', 'a payment cannot be dated in the future');
  const reference = parseOptionalText(input.reference, 'input.reference', 200);

  const idempotent = idempotentRequest('recordDisbursement', key, { grantId, amountMinor, date, reference });
  const replayed = await replayedEntity(db, idempotent);
  if (replayed) return loadDisbursement(db, replayed);

  const remaining = grant.amountMinor - grant.disbursedMinor;
  if (amountMinor > remaining) {
    throw new BadUserInput(
      'input.amount',
      `more than awarded and not yet paid (${formatAmount(remaining, grant.currency)} ${grant.currency})`,
    );
  }

  return auditedTransaction(db, context, async (trx, audit) => {
    const id = randomUUID();
    const prior = await claimIdempotencyKey(trx, idempotent, id);
    if (prior) return loadDisbursement(trx, prior);
    const locked = await lockGrant(trx, grantId);
    invariant(locked, 'a grant is never deleted');
    const disbursement = await writeDisbursement(trx, locked, { id, amountMinor, date, reference });
    if (!disbursement) {
      const left = locked.amountMinor - locked.disbursedMinor;
      throw new BadUserInput(
        'input.amount',
        `more than awarded and not yet paid (${formatAmount(left, locked.currency)} ${locked.currency})`,
      );
    }
    await audit({
      action: 'grant.disburse',
      entity: 'Grant',
      entityId: grantId,
      details: {
        disbursementId: id,
        amount: formatAmount(amountMinor, locked.currency),
        currency: locked.currency,
        date,
        reference,
        idempotencyKey: key,
      },
    });
    return disbursement;
  });
}

async function reportWithGrant(db: Kysely<DonationsDB>, id: string) {
  const [report] = await findReportsById(db, [id]);
  if (!report) throw new NotFound('GrantReport', id);
  return { report, ...(await grantWithProgramme(db, report.grantId)) };
}

/** Submits a due report: the grantee's coordinators, or an admin. */
export async function submitGrantReport(
  db: Kysely<DonationsDB>,
  context: RequestContext,
  input: { reportId: string; summary: string },
): Promise<GrantReport> {
  const reportId = parseId(input.reportId, 'input.reportId');
  const { report, grant } = await reportWithGrant(db, reportId);
  assertActsFor(context.viewer, grant.recipientId, 'report on its grants');
  const summary = parseText(input.summary, 'input.summary', { max: 20_000 });
  return auditedTransaction(db, context, async (trx, audit) => {
    const submitted = await transitionReport(trx, reportId, 'DUE', 'SUBMITTED', summary);
    if (!submitted) throw new Conflict(`The report is already ${report.status.toLowerCase()}`);
    await audit({ action: 'grantReport.submit', entity: 'GrantReport', entityId: reportId, details: { grantId: grant.id } });
    return submitted;
  });
}

/** Accepts a submitted report: the funder. */
export async function acceptGrantReport(db: Kysely<DonationsDB>, context: RequestContext, rawId: string): Promise<GrantReport> {
  const reportId = parseId(rawId, 'id');
  const { report, grant, programme } = await reportWithGrant(db, reportId);
  assertFunder(context, programme, 'accept reports on its grants');
  return auditedTransaction(db, context, async (trx, audit) => {
    const accepted = await transitionReport(trx, reportId, 'SUBMITTED', 'ACCEPTED');
    if (!accepted) throw new Conflict(report.status === 'DUE' ? 'The report has not been submitted' : 'The report is already accepted');
    await audit({ action: 'grantReport.accept', entity: 'GrantReport', entityId: reportId, details: { grantId: grant.id } });
    return accepted;
  });
}

import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  formatAmount,
  NotFound,
  parseId,
  parseOptionalText,
  parseText,
  auditedTransaction,
  today,
  type RequestContext,
} from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { parseMoneyInput } from '../money/money.ts';
import { assertActsFor, assertFunderStaffOrAdmin } from '../access.ts';
import { fetchOrganizationFacts, registeredOrganization } from '../common/organizations-client.ts';
import { findApplicationsById, insertApplication, transitionApplication, type GrantApplication } from './grant-application.repository.ts';
import { findProgrammesById, type GrantProgramme } from './grant-programme.repository.ts';

export interface CreateGrantApplicationInput {
  programmeId: string;
  applicantId: string;
  title: string;
  summary?: string | null;
  requestedAmount: { amount: string; currency: string };
}

async function programmeOf(db: Kysely<DonationsDB>, id: string): Promise<GrantProgramme> {
  const [programme] = await findProgrammesById(db, [id]);
  if (!programme) throw new NotFound('GrantProgramme', id);
  return programme;
}

export async function applicationWithProgramme(
  db: Kysely<DonationsDB>,
  id: string,
): Promise<{ application: GrantApplication; programme: GrantProgramme }> {
  const [application] = await findApplicationsById(db, [id]);
  if (!application) throw new NotFound('GrantApplication', id);
  return { application, programme: await programmeOf(db, application.programmeId) };
}

/** Drafts an application: the applicant's coordinators, or an admin. */
export async function createGrantApplication(
  db: Kysely<DonationsDB>,
  context: RequestContext,
  input: CreateGrantApplicationInput,
): Promise<GrantApplication> {
  const programmeId = parseId(input.programmeId, 'input.programmeId');
  const applicantId = parseId(input.applicantId, 'input.applicantId');
  assertActsFor(context.viewer, applicantId, 'apply for grants for it');
  const title = parseText(input.title, 'input.title', { max: 300 });
  const summary = parseOptionalText(input.summary, 'input.summary', 10_000);
  const programme = await programmeOf(db, programmeId);
  if (programme.funderOrganizationId === applicantId)
    throw new BadUserInput('input.applicantId', 'a funder does not apply to its own programme');
  const requested = parseMoneyInput(input.requestedAmount, 'input.requestedAmount', { currency: programme.currency });
  if (requested.minor > programme.budgetMinor)
    throw new BadUserInput('input.requestedAmount.amount', 'more than the whole programme budget');
  const applicant = registeredOrganization(await fetchOrganizationFacts(context, [applicantId]), applicantId, 'input.applicantId');
  return auditedTransaction(db, context, async (trx, audit) => {
    const application = await insertApplication(trx, {
      programmeId,
      applicantId,
      applicantRegionCode: applicant.region.code,
      title,
      summary,
      requestedMinor: requested.minor,
    });
    await audit({
      action: 'grantApplication.create',
      entity: 'GrantApplication',
      entityId: application.id,
      details: {
        programmeId,
        applicantId,
        title,
        requested: formatAmount(requested.minor, requested.currency),
        currency: requested.currency,
      },
    });
    return application;
  });
}

/** Submits a draft inside the programme's application window: the applicant's coordinators, or an admin. */
export async function submitGrantApplication(db: Kysely<DonationsDB>, context: RequestContext, rawId: string): Promise<GrantApplication> {
  const id = parseId(rawId, 'id');
  const { application, programme } = await applicationWithProgramme(db, id);
  assertActsFor(context.viewer, application.applicantId, 'submit its applications');
  const day = today();
  if (day < programme.opensOn || day > programme.closesOn) {
    throw new BadUserInput('id', `the programme takes applications from ${programme.opensOn} to ${programme.closesOn}`);
  }
  return auditedTransaction(db, context, async (trx, audit) => {
    const submitted = await transitionApplication(trx, id, 'DRAFT', 'SUBMITTED');
    if (!submitted) throw new Conflict(`The application is ${application.status.toLowerCase()}, not a draft`);
    await audit({ action: 'grantApplication.submit', entity: 'GrantApplication', entityId: id });
    return submitted;
  });
}

/** Rejects a submitted application: the funder's staff, or an admin. */
export async function rejectGrantApplication(
  db: Kysely<DonationsDB>,
  context: RequestContext,
  rawId: string,
  rawReason: string,
): Promise<GrantApplication> {
  const id = parseId(rawId, 'id');
  const { programme } = await applicationWithProgramme(db, id);
  assertFunderStaffOrAdmin(context, programme, 'decide on its applications');
  const reason = parseText(rawReason, 'reason', { max: 2000 });
  return auditedTransaction(db, context, async (trx, audit) => {
    const rejected = await transitionApplication(trx, id, 'SUBMITTED', 'REJECTED', reason);
    if (!rejected) throw new Conflict('Only a submitted, undecided application can be rejected');
    await audit({ action: 'grantApplication.reject', entity: 'GrantApplication', entityId: id, details: { reason } });
    return rejected;
  });
}

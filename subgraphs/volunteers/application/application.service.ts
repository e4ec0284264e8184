import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  Forbidden,
  hasRole,
  isUniqueViolation,
  NotFound,
  parseId,
  parseOptionalText,
  auditedTransaction,
  today,
  Unauthenticated,
} from '../../kit/index.ts';
import { recordNotifiedEvent } from '../notification/notification.service.ts';
import type { VolunteersContext } from '../context.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { fetchOpportunityFacts, type OpportunityFacts } from '../opportunity/organizations-client.ts';
import { ADULT_AGE, ageOn, GUARDIAN_CONSENT_BELOW } from '../volunteer/age.ts';
import { actsForOrganization, callerVolunteerId } from '../access.ts';
import type { Volunteer } from '../volunteer/volunteer.repository.ts';
import {
  addApplicants,
  insertApplication,
  lockApplication,
  releasePlace,
  takePlace,
  transitionApplication,
  type Application,
} from './application.repository.ts';

/** Event of the outbox: a new application to one of an organization's opportunities. */
export const APPLICATION_RECEIVED = 'ApplicationReceived';
/** An application accepted or rejected (no subscription field yet: it feeds the volunteer's notifications). */
export const APPLICATION_DECIDED = 'ApplicationDecided';
export interface ApplicationReceivedEvent {
  applicationId: string;
  volunteerId: string;
  opportunityId: string;
  organizationId: string;
}

const NOT_OPEN: Record<OpportunityFacts['status'], string> = {
  DRAFT: 'it is not published yet',
  OPEN: 'it is open',
  CLOSED: 'it is closed',
  CANCELLED: 'it was cancelled',
};

/**
 * Whether an opportunity takes applications is its owner's verdict
 * (`Opportunity.acceptingApplications`: OPEN, not ended, organization
 * REGISTERED); the reason given is read from the facts behind it.
 */
export function assertAcceptingApplications(facts: OpportunityFacts, argument: string): void {
  if (facts.acceptingApplications && facts.status === 'OPEN') return;
  const because =
    facts.status !== 'OPEN'
      ? NOT_OPEN[facts.status]
      : facts.endsOn < today()
        ? `it ended on ${facts.endsOn}`
        : facts.organization.status !== 'REGISTERED'
          ? `its organization is ${facts.organization.status.toLowerCase()}`
          : 'the organizations register reports it closed to applications';
  throw new Conflict(`The opportunity is not accepting applications: ${because}`, {
    argumentName: argument,
    opportunityStatus: facts.status,
    organizationStatus: facts.organization.status,
  });
}

/**
 * The rules of art. 12 and of the opportunity, checked against the
 * opportunity's facts as its owner states them at write time.
 */
export function assertEligible(volunteer: Volunteer, facts: OpportunityFacts, argument: string): void {
  assertAcceptingApplications(facts, argument);
  const age = ageOn(volunteer.birthDate, today());
  if (facts.minorRestricted && age < ADULT_AGE) {
    throw new BadUserInput(argument, 'minors may not take part in this opportunity (emergency response, hazardous work or similar)');
  }
  if (age < facts.minimumAge)
    throw new BadUserInput(argument, `the volunteer is ${age}; the opportunity's minimum age is ${facts.minimumAge}`);
  if (age < GUARDIAN_CONSENT_BELOW && !volunteer.guardianConsent) {
    throw new BadUserInput(
      argument,
      `a volunteer under ${GUARDIAN_CONSENT_BELOW} needs a parent's or guardian's written consent on record`,
    );
  }
}

async function opportunityFacts(context: VolunteersContext, opportunityId: string): Promise<OpportunityFacts> {
  const facts = await fetchOpportunityFacts(context, opportunityId);
  if (!facts) throw new NotFound('Opportunity', opportunityId);
  return facts;
}

export interface ApplyToOpportunityInput {
  opportunityId: string;
  volunteerId?: string | null;
  motivation?: string | null;
}

/** A volunteer applies for themself; an admin may file an application for a volunteer. */
export async function applyToOpportunity(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  input: ApplyToOpportunityInput,
): Promise<Application> {
  const opportunityId = parseId(input.opportunityId, 'input.opportunityId');
  const { viewer } = context;
  if (viewer.kind === 'public') throw new Unauthenticated();
  const own = await callerVolunteerId(context);
  const volunteerId = input.volunteerId ? parseId(input.volunteerId, 'input.volunteerId') : own;
  if (!volunteerId) throw new Forbidden('Only a registered volunteer may apply (register first, or give input.volunteerId as an admin)');
  if (volunteerId !== own && !hasRole(viewer, 'admin')) throw new Forbidden('A volunteer applies only for themself');
  const motivation = parseOptionalText(input.motivation, 'input.motivation', 2000);
  const volunteer = await context.loaders.volunteerById.load(volunteerId);
  if (!volunteer) throw new NotFound('Volunteer', volunteerId);
  const facts = await opportunityFacts(context, opportunityId);
  assertEligible(volunteer, facts, 'input.opportunityId');
  const totals = await context.loaders.opportunityTotals.load(opportunityId);
  if ((totals?.acceptedCount ?? 0) >= facts.placesAvailable)
    throw new Conflict('The opportunity has no places left', { argumentName: 'input.opportunityId' });
  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const application = await insertApplication(trx, { volunteerId, opportunityId, organizationId: facts.organization.id, motivation });
      await addApplicants(trx, opportunityId, facts.organization.id, 1);
      await audit({
        action: 'application.apply',
        entity: 'Application',
        entityId: application.id,
        details: { volunteerId, opportunityId },
      });
      await recordNotifiedEvent(
        trx,
        context,
        {
          topic: APPLICATION_RECEIVED,
          payload: { applicationId: application.id, volunteerId, opportunityId, organizationId: facts.organization.id },
        },
        {
          kind: 'APPLICATION_RECEIVED',
          subjectId: application.id,
          organizationId: facts.organization.id,
          facts: { opportunityId },
          to: { coordinatorsOf: facts.organization.id, except: volunteerId },
        },
      );
      return application;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'applications_active'))
      throw new Conflict('The volunteer has already applied to this opportunity', { argumentName: 'input.opportunityId' });
    throw error;
  }
}

export type ApplicationDecision = 'ACCEPT' | 'REJECT';

/** A coordinator of the opportunity's organization (never on their own application), or an admin. */
export async function decideApplication(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  idArg: string,
  decision: ApplicationDecision,
  reasonArg: string | null | undefined,
): Promise<Application> {
  const id = parseId(idArg, 'id');
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  const reason = parseOptionalText(reasonArg, 'reason', 1000);
  const application = await context.loaders.applicationById.load(id);
  if (!application) throw new NotFound('Application', id);
  if (!actsForOrganization(context.viewer, application.organizationId))
    throw new Forbidden("Only a coordinator of the opportunity's organization, or an admin, may decide an application");
  if (application.volunteerId === (await callerVolunteerId(context))) throw new Forbidden('No one decides their own application');
  if (application.status !== 'PENDING') throw new Conflict(`The application is already ${application.status.toLowerCase()}`);
  let facts: OpportunityFacts | null = null;
  if (decision === 'ACCEPT') {
    facts = await opportunityFacts(context, application.opportunityId);
    const volunteer = await context.loaders.volunteerById.load(application.volunteerId);
    if (!volunteer) throw new NotFound('Volunteer', application.volunteerId);
    assertEligible(volunteer, facts, 'id');
  }
  const status = decision === 'ACCEPT' ? 'ACCEPTED' : 'REJECTED';
  return auditedTransaction(db, context, async (trx, audit) => {
    const decided = await transitionApplication(trx, id, ['PENDING'], { status, decidedBy: context.viewer.subject, reason });
    if (!decided) throw new Conflict('The application was decided meanwhile');
    if (facts) {
      if (!(await takePlace(trx, decided.opportunityId, facts.placesAvailable))) throw new Conflict('The opportunity has no places left');
    } else {
      await addApplicants(trx, decided.opportunityId, decided.organizationId, -1);
    }
    await audit({ action: `application.${decision.toLowerCase()}`, entity: 'Application', entityId: id, details: { reason } });
    await recordNotifiedEvent(
      trx,
      context,
      {
        topic: APPLICATION_DECIDED,
        payload: { applicationId: id, volunteerId: decided.volunteerId, organizationId: decided.organizationId, status },
      },
      {
        kind: 'APPLICATION_DECIDED',
        subjectId: id,
        organizationId: decided.organizationId,
        facts: { status, opportunityId: decided.opportunityId },
        to: { volunteerId: decided.volunteerId },
      },
    );
    return decided;
  });
}

/** The volunteer withdraws a pending or accepted application (an admin may too); an accepted one frees its place. */
export async function withdrawApplication(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  idArg: string,
  reasonArg: string | null | undefined,
): Promise<Application> {
  const id = parseId(idArg, 'id');
  if (context.viewer.kind === 'public') throw new Unauthenticated();
  const reason = parseOptionalText(reasonArg, 'reason', 1000);
  const application = await context.loaders.applicationById.load(id);
  if (!application) throw new NotFound('Application', id);
  if (application.volunteerId !== (await callerVolunteerId(context)) && !hasRole(context.viewer, 'admin')) {
    throw new Forbidden('Only the volunteer, or an admin, may withdraw an application');
  }
  return auditedTransaction(db, context, async (trx, audit) => {
    const current = await lockApplication(trx, id);
    if (!current) throw new NotFound('Application', id);
    if (current.status !== 'PENDING' && current.status !== 'ACCEPTED')
      throw new Conflict(`The application is already ${current.status.toLowerCase()}`);
    const withdrawn = await transitionApplication(trx, id, [current.status], {
      status: 'WITHDRAWN',
      decidedBy: context.viewer.subject,
      reason,
    });
    if (!withdrawn) throw new Conflict('The application was decided meanwhile');
    await addApplicants(trx, current.opportunityId, current.organizationId, -1);
    if (current.status === 'ACCEPTED') await releasePlace(trx, current.opportunityId);
    await audit({ action: 'application.withdraw', entity: 'Application', entityId: id, details: { from: current.status, reason } });
    return withdrawn;
  });
}

import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  NotFound,
  parseDay,
  parseId,
  parseGeoPoint,
  parseInteger,
  parseLanguages,
  parseOptionalText,
  parseRegionCode,
  parseText,
  auditedTransaction,
  today,
  type RequestContext,
} from '../../kit/index.ts';
import { assertActsFor, requireRole } from '../access.ts';
import { acceptedApplicantsOf } from './volunteers-client.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { shareLockOrganization, type Organization } from '../organization/organization.repository.ts';
import {
  findOpportunitiesById,
  insertOpportunity,
  lockOpportunity,
  updateOpportunityFields,
  updateOpportunityStatus,
  type Opportunity,
  type OpportunityFields,
  type OpportunityStatus,
} from './opportunity.repository.ts';

export interface PostOpportunityInput {
  organizationId: string;
  title: string;
  description: string;
  regionCode: string;
  place?: string | null;
  startsOn: string;
  endsOn: string;
  direction: string;
  skillsNeeded?: string[] | null;
  placesAvailable: number;
  minimumAge?: number | null;
  minorRestricted?: boolean | null;
  languages?: string[] | null;
  online?: boolean | null;
  /** Where it takes place; null (in an update) clears it. */
  location?: { latitude: number; longitude: number } | null;
  open?: boolean | null;
}

/** Fields left out stay as they are; `place: null` clears the place. */
export type UpdateOpportunityInput = Partial<Omit<PostOpportunityInput, 'organizationId' | 'open'>>;

const COORDINATORS = 'Only a coordinator of the organization, or an admin, may manage its opportunities';

function parseSkills(value: readonly string[], argument: string): string[] {
  if (value.length > 50) throw new BadUserInput(argument, 'at most 50 skills');
  return [...new Set(value.map((s, i) => parseText(s, `${argument}[${i}]`, { max: 100 })))];
}

function locationColumns(location: { latitude: number; longitude: number } | null | undefined): {
  latitude: number | null;
  longitude: number | null;
} {
  if (location === null || location === undefined) return { latitude: null, longitude: null };
  return parseGeoPoint(location, 'input.location');
}

const PLANNING_HORIZON_YEARS = 10;

/** The rules that hold between fields, checked on the merged result of a post or an update. */
function assertConsistent(fields: OpportunityFields): void {
  if (fields.endsOn < fields.startsOn)
    throw new BadUserInput('input.endsOn', `ends (${fields.endsOn}) before it starts (${fields.startsOn})`);
  // A register plans years ahead, not centuries: a far date is a typing mistake (2999 for 2029).
  const horizon = `${Number(today().slice(0, 4)) + PLANNING_HORIZON_YEARS}${today().slice(4)}`;
  if (fields.endsOn > horizon) throw new BadUserInput('input.endsOn', `more than ${PLANNING_HORIZON_YEARS} years ahead (after ${horizon})`);
  if (fields.minorRestricted && fields.minimumAge < 18) {
    throw new BadUserInput('input.minimumAge', 'an opportunity closed to minors needs a minimum age of at least 18');
  }
}

export async function postOpportunity(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  input: PostOpportunityInput,
): Promise<Opportunity> {
  requireRole(context.viewer, ['coordinator', 'admin'], COORDINATORS);
  const organizationId = parseId(input.organizationId, 'input.organizationId');
  assertActsFor(context.viewer, organizationId);
  const fields: OpportunityFields = {
    organizationId,
    title: parseText(input.title, 'input.title', { max: 300, singleLine: true }),
    description: parseText(input.description, 'input.description', { max: 10_000 }),
    regionCode: parseRegionCode(input.regionCode, 'input.regionCode'),
    place: parseOptionalText(input.place, 'input.place', 500),
    startsOn: parseDay(input.startsOn, 'input.startsOn'),
    endsOn: parseDay(input.endsOn, 'input.endsOn'),
    direction: input.direction,
    skillsNeeded: parseSkills(input.skillsNeeded ?? [], 'input.skillsNeeded'),
    placesAvailable: parseInteger(input.placesAvailable, 'input.placesAvailable', 1, 100_000),
    minimumAge: parseInteger(input.minimumAge ?? 18, 'input.minimumAge', 0, 100),
    minorRestricted: input.minorRestricted ?? false,
    languages: parseLanguages(input.languages ?? [], 'input.languages'),
    online: input.online ?? false,
    ...locationColumns(input.location),
  };
  assertConsistent(fields);
  const status: OpportunityStatus = input.open ? 'OPEN' : 'DRAFT';
  return auditedTransaction(db, context, async (trx, audit) => {
    // A share lock: a suspension racing with this post waits for it, or it waits for the suspension.
    const organization = await shareLockOrganization(trx, organizationId);
    if (!organization) throw new NotFound('Organization', organizationId);
    if (organization.status !== 'REGISTERED') {
      throw new Conflict(`The organization is ${organization.status.toLowerCase()}: it may not post opportunities`, {
        organizationStatus: organization.status,
      });
    }
    const opportunity = await insertOpportunity(trx, { ...fields, status });
    await audit({
      action: 'opportunity.post',
      entity: 'Opportunity',
      entityId: opportunity.id,
      details: { organizationId, title: fields.title, status },
    });
    return opportunity;
  });
}

/** Reads the opportunity under a row lock and checks that the caller acts for its organization. */
async function lockForCoordinator(trx: Kysely<OrganizationsDB>, context: RequestContext, id: string): Promise<Opportunity> {
  const opportunity = await lockOpportunity(trx, id);
  if (!opportunity) throw new NotFound('Opportunity', id);
  assertActsFor(context.viewer, opportunity.organizationId);
  return opportunity;
}

/** The organization of an opportunity (which never changes), share-locked; null for an unknown opportunity. */
async function shareLockOrganizationOf(trx: Kysely<OrganizationsDB>, opportunityId: string): Promise<Organization | null> {
  const [opportunity] = await findOpportunitiesById(trx, [opportunityId]);
  return opportunity ? shareLockOrganization(trx, opportunity.organizationId) : null;
}

/** Edits a draft or an open opportunity; closed and cancelled ones are history. */
export async function updateOpportunity(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  args: { id: string; input: UpdateOpportunityInput },
): Promise<Opportunity> {
  requireRole(context.viewer, ['coordinator', 'admin'], COORDINATORS);
  const id = parseId(args.id, 'id');
  const patch = parsePatch(args.input);
  return auditedTransaction(db, context, async (trx, audit) => {
    const current = await lockForCoordinator(trx, context, id);
    if (current.status !== 'DRAFT' && current.status !== 'OPEN') {
      throw new Conflict(`A ${current.status.toLowerCase()} opportunity can no longer be changed`, { status: current.status });
    }
    assertConsistent({ ...current, ...patch });
    if (patch.placesAvailable !== undefined && patch.placesAvailable < current.placesAvailable) {
      // Asked under the row lock: no other change of places runs meanwhile. (An acceptance
      // racing with this reads the places from here and may still take the last one.)
      const taken = await acceptedApplicantsOf(context, id);
      if (patch.placesAvailable < taken) {
        throw new Conflict(`${taken} places are already taken: placesAvailable cannot go below that`, {
          argumentName: 'input.placesAvailable',
          taken,
        });
      }
    }
    const opportunity = await updateOpportunityFields(trx, id, patch);
    await audit({ action: 'opportunity.update', entity: 'Opportunity', entityId: id, details: { changed: Object.keys(patch) } });
    return opportunity;
  });
}

function parsePatch(input: UpdateOpportunityInput): Partial<Omit<OpportunityFields, 'organizationId'>> {
  const given = <K extends keyof UpdateOpportunityInput>(key: K): boolean => Object.hasOwn(input, key) && input[key] !== undefined;
  const required = <K extends keyof UpdateOpportunityInput>(key: K): NonNullable<UpdateOpportunityInput[K]> => {
    const value = input[key];
    if (value === null || value === undefined) throw new BadUserInput(`input.${key}`, 'cannot be cleared');
    return value as NonNullable<UpdateOpportunityInput[K]>;
  };
  const patch: Partial<Omit<OpportunityFields, 'organizationId'>> = {};
  if (given('title')) patch.title = parseText(required('title'), 'input.title', { max: 300, singleLine: true });
  if (given('description')) patch.description = parseText(required('description'), 'input.description', { max: 10_000 });
  if (given('regionCode')) patch.regionCode = parseRegionCode(required('regionCode'), 'input.regionCode');
  if (Object.hasOwn(input, 'place')) patch.place = parseOptionalText(input.place, 'input.place', 500);
  if (given('startsOn')) patch.startsOn = parseDay(required('startsOn'), 'input.startsOn');
  if (given('endsOn')) patch.endsOn = parseDay(required('endsOn'), 'input.endsOn');
  if (given('direction')) patch.direction = required('direction');
  if (given('skillsNeeded')) patch.skillsNeeded = parseSkills(required('skillsNeeded'), 'input.skillsNeeded');
  if (given('placesAvailable')) patch.placesAvailable = parseInteger(required('placesAvailable'), 'input.placesAvailable', 1, 100_000);
  if (given('minimumAge')) patch.minimumAge = parseInteger(required('minimumAge'), 'input.minimumAge', 0, 100);
  if (given('minorRestricted')) patch.minorRestricted = required('minorRestricted');
  if (given('languages')) patch.languages = parseLanguages(required('languages'), 'input.languages');
  if (given('online')) patch.online = required('online');
  if (Object.hasOwn(input, 'location')) Object.assign(patch, locationColumns(input.location));
  if (Object.keys(patch).length === 0) throw new BadUserInput('input', 'nothing to change');
  return patch;
}

/**
 * The lifecycle: DRAFT → OPEN → CLOSED, and DRAFT or OPEN → CANCELLED. Any
 * other move is a CONFLICT (the row lock makes racing moves queue, so exactly
 * one of two concurrent moves from the same state wins).
 */
const TRANSITIONS = {
  open: { from: ['DRAFT'], to: 'OPEN' },
  close: { from: ['OPEN'], to: 'CLOSED' },
  cancel: { from: ['DRAFT', 'OPEN'], to: 'CANCELLED' },
} as const satisfies Record<string, { from: readonly OpportunityStatus[]; to: OpportunityStatus }>;

export type OpportunityTransition = keyof typeof TRANSITIONS;

export async function moveOpportunity(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  transition: OpportunityTransition,
  args: { id: string; reason?: string | null },
): Promise<Opportunity> {
  requireRole(context.viewer, ['coordinator', 'admin'], COORDINATORS);
  const id = parseId(args.id, 'id');
  const reason = transition === 'cancel' ? parseText(args.reason, 'reason', { max: 1000 }) : null;
  const { from, to } = TRANSITIONS[transition];
  return auditedTransaction(db, context, async (trx, audit) => {
    // Opening needs the organization REGISTERED until commit. Its row is locked
    // before the opportunity's, in the order an exclusion takes them (organization,
    // then its opportunities), so the two never deadlock.
    const organization = transition === 'open' ? await shareLockOrganizationOf(trx, id) : null;
    const current = await lockForCoordinator(trx, context, id);
    if (!(from as readonly OpportunityStatus[]).includes(current.status)) {
      throw new Conflict(`A ${current.status.toLowerCase()} opportunity cannot be moved to ${to.toLowerCase()}`, {
        status: current.status,
      });
    }
    if (organization && organization.status !== 'REGISTERED') {
      throw new Conflict(`The organization is ${organization.status.toLowerCase()}: it may not open opportunities`, {
        organizationStatus: organization.status,
      });
    }
    const opportunity = await updateOpportunityStatus(trx, id, to, reason);
    await audit({
      action: `opportunity.${transition}`,
      entity: 'Opportunity',
      entityId: id,
      details: { from: current.status, to, ...(reason ? { reason } : {}) },
    });
    return opportunity;
  });
}

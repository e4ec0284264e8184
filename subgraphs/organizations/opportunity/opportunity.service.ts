import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Forbidden,
  hasRole,
  NotFound,
  parseDay,
  parseId,
  parseInteger,
  parseOptionalText,
  parseRegionCode,
  parseText,
  recordAudit,
  type RequestContext,
} from '../../kit/index.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { findOrganizationsById } from '../organization/organization.repository.ts';
import { insertOpportunity, type Opportunity } from './opportunity.repository.ts';

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
  open?: boolean | null;
}

/** A coordinator acts only for their own organization; admins for any. */
export function assertActsFor(context: RequestContext, organizationId: string): void {
  const { viewer } = context;
  if (hasRole(viewer, 'admin')) return;
  if (hasRole(viewer, 'coordinator') && viewer.organizationIds.includes(organizationId)) return;
  throw new Forbidden('Only a coordinator of this organization, or an admin, may do this');
}

export async function postOpportunity(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  input: PostOpportunityInput,
): Promise<Opportunity> {
  const organizationId = parseId(input.organizationId, 'input.organizationId');
  assertActsFor(context, organizationId);
  const startsOn = parseDay(input.startsOn, 'input.startsOn');
  const endsOn = parseDay(input.endsOn, 'input.endsOn');
  if (endsOn < startsOn) throw new BadUserInput('input.endsOn', 'ends before it starts');
  const skills = (input.skillsNeeded ?? []).map((s, i) => parseText(s, `input.skillsNeeded[${i}]`, { max: 100 }));
  if (skills.length > 50) throw new BadUserInput('input.skillsNeeded', 'at most 50 skills');
  const fields = {
    organizationId,
    title: parseText(input.title, 'input.title', { max: 300 }),
    description: parseText(input.description, 'input.description', { max: 10_000 }),
    regionCode: parseRegionCode(input.regionCode, 'input.regionCode'),
    place: parseOptionalText(input.place, 'input.place', 500),
    startsOn,
    endsOn,
    direction: input.direction,
    skillsNeeded: [...new Set(skills)],
    placesAvailable: parseInteger(input.placesAvailable, 'input.placesAvailable', 1, 100_000),
    minimumAge: parseInteger(input.minimumAge ?? 18, 'input.minimumAge', 0, 100),
    minorRestricted: input.minorRestricted ?? false,
    status: input.open ? ('OPEN' as const) : ('DRAFT' as const),
  };
  if (fields.minorRestricted && fields.minimumAge < 18) {
    throw new BadUserInput('input.minimumAge', 'an opportunity closed to minors needs a minimum age of at least 18');
  }
  return db.transaction().execute(async (trx) => {
    const [organization] = await findOrganizationsById(trx, [organizationId]);
    if (!organization) throw new NotFound('Organization', organizationId);
    if (organization.status !== 'REGISTERED') throw new BadUserInput('input.organizationId', `the organization is ${organization.status.toLowerCase()}`);
    const opportunity = await insertOpportunity(trx, fields);
    await recordAudit(trx, context, { action: 'opportunity.post', entity: 'Opportunity', entityId: opportunity.id, details: { organizationId, title: fields.title } });
    return opportunity;
  });
}

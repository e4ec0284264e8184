/**
 * Grants as 360Giving JSON (https://standard.threesixtygiving.org/): a
 * `grants` array; required fields id, title, description, currency,
 * amountAwarded, awardDate, recipientOrganization[id, name] (or a recipient
 * individual, never used here) and fundingOrganization[id, name].
 */
import { organizationIdentifier, type Publisher } from './publisher.ts';
import type { OpenGrant } from './queries.ts';

export interface Giving360Organization {
  id: string;
  name: string;
}

export interface Giving360Grant {
  id: string;
  title: string;
  description: string;
  currency: string;
  amountAwarded: number;
  awardDate: string;
  plannedDates: { startDate: string; endDate: string; duration: number }[];
  recipientOrganization: Giving360Organization[];
  fundingOrganization: Giving360Organization[];
  grantProgramme: { code: string; title: string }[];
  beneficiaryLocation: { name: string; countryCode: string }[];
  dataSource: string;
}

export interface Giving360File {
  grants: Giving360Grant[];
}

/** Whole months between two days (360Giving `plannedDates.duration`). */
export function monthsBetween(start: string, end: string): number {
  const [y1, m1, d1] = start.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = end.split('-').map(Number) as [number, number, number];
  return Math.max(0, (y2 - y1) * 12 + (m2 - m1) + (d2 >= d1 ? 0 : -1) + 1);
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

function funderOf(publisher: Publisher, funder: OpenGrant['funder']): Giving360Organization {
  if (funder.organization) return { id: organizationIdentifier(publisher, funder.organization), name: funder.organization.name };
  if (funder.partner) return { id: `${publisher.prefix360}-partner-${funder.partner.id}`, name: funder.partner.name };
  return { id: `${publisher.prefix360}-funder-${slug(funder.name)}`, name: funder.name };
}

export function giving360Grant(publisher: Publisher, grant: OpenGrant, source: string): Giving360Grant {
  const recipient = grant.recipient;
  return {
    id: `${publisher.prefix360}-${grant.id}`,
    title: grant.title,
    description: `${grant.title}: a grant to ${recipient.name} under the programme "${grant.programme.title}"${grant.programme.description ? ` (${grant.programme.description})` : ''}, for ${grant.periodStart} to ${grant.periodEnd}.`,
    currency: grant.amountAwarded.currency,
    // A decimal string of at most a few digits after the point: exact as a JSON number.
    amountAwarded: Number(grant.amountAwarded.amount),
    awardDate: grant.awardDate,
    plannedDates: [{ startDate: grant.periodStart, endDate: grant.periodEnd, duration: monthsBetween(grant.periodStart, grant.periodEnd) }],
    recipientOrganization: [{ id: organizationIdentifier(publisher, recipient), name: recipient.name }],
    fundingOrganization: [funderOf(publisher, grant.funder)],
    grantProgramme: [{ code: `${publisher.prefix360}-programme-${grant.programme.id}`, title: grant.programme.title }],
    beneficiaryLocation: recipient.region
      ? [{ name: recipient.region.iso, countryCode: 'KZ' }]
      : [{ name: 'Kazakhstan', countryCode: 'KZ' }],
    dataSource: source,
  };
}

export function giving360Json(publisher: Publisher, grants: readonly OpenGrant[], source = 'Volunteer Graph open data'): Giving360File {
  return { grants: grants.map((g) => giving360Grant(publisher, g, source)) };
}

/**
 * Exchange missions and cooperation agreements as IATI 2.03 activities
 * (https://iatistandard.org/en/iati-standard/203/activity-standard/).
 * Elements are written in the order the 2.03 schema's sequence requires.
 */
import { organizationIdentifier, type Publisher } from './publisher.ts';
import type { OpenAgreement, OpenGrant, OpenMission, OpenOrganization, OpenPartner } from './queries.ts';

export const IATI_VERSION = '2.03';

/** IATI OrganisationRole. */
export const ROLE = { FUNDING: '1', ACCOUNTABLE: '2', EXTENDING: '3', IMPLEMENTING: '4' } as const;

/** IATI ActivityStatus. */
export const STATUS = { PIPELINE: '1', IMPLEMENTATION: '2', FINALISATION: '3', CLOSED: '4', CANCELLED: '5', SUSPENDED: '6' } as const;

/** IATI ActivityDateType. */
export const DATE = { PLANNED_START: '1', ACTUAL_START: '2', PLANNED_END: '3', ACTUAL_END: '4' } as const;

/** IATI OrganisationType of a partner kind. */
const PARTNER_TYPE: Record<string, string> = {
  UN_AGENCY: '40', // multilateral
  FOREIGN_GOVERNMENT: '10', // government
  INTERNATIONAL_NGO: '21', // international NGO
  FOREIGN_VOLUNTEER_ORGANIZATION: '22', // national NGO (of its own country)
};
const FUNDER_TYPE: Record<string, string> = { STATE_BODY: '10', PRIVATE: '70', INTERNATIONAL_PARTNER: '40' };
const NATIONAL_NGO = '22';

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

type Attributes = Record<string, string | number | undefined | null>;

function element(name: string, attributes: Attributes = {}, children: string[] = []): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  if (!children.length) return `<${name}${attrs}/>`;
  return `<${name}${attrs}>${children.join('')}</${name}>`;
}

const narrative = (text: string) => `<narrative>${escapeXml(text)}</narrative>`;

/** Percentages that add up to exactly 100 (IATI requires it per vocabulary). */
export function splitPercentages(count: number): string[] {
  if (count === 0) return [];
  const base = Math.floor(10_000 / count);
  const shares = Array.from({ length: count }, () => base);
  shares[0]! += 10_000 - base * count;
  return shares.map((s) => (s / 100).toFixed(2).replace(/\.?0+$/, ''));
}

function partnerOrg(partner: OpenPartner, role: string): string {
  return element('participating-org', { role, type: PARTNER_TYPE[partner.kind ?? ''] ?? '90' }, [
    narrative(partner.acronym ? `${partner.name} (${partner.acronym})` : partner.name),
  ]);
}

function organizationOrg(publisher: Publisher, organization: OpenOrganization, role: string): string {
  return element('participating-org', { ref: organizationIdentifier(publisher, organization), role, type: NATIONAL_NGO }, [
    narrative(organization.name),
  ]);
}

function funderOrg(publisher: Publisher, funder: OpenGrant['funder']): string {
  if (funder.organization)
    return element(
      'participating-org',
      { ref: organizationIdentifier(publisher, funder.organization), role: ROLE.FUNDING, type: FUNDER_TYPE[funder.kind] ?? '90' },
      [narrative(funder.organization.name)],
    );
  return element('participating-org', { role: ROLE.FUNDING, type: FUNDER_TYPE[funder.kind] ?? '90' }, [
    narrative(funder.partner?.name ?? funder.name),
  ]);
}

function dates(startsOn: string, endsOn: string | null, today: string, started: boolean, ended: boolean): string[] {
  const out = [element('activity-date', { type: DATE.PLANNED_START, 'iso-date': startsOn })];
  // Actual dates may not lie in the future (IATI rule).
  if (started && startsOn <= today) out.push(element('activity-date', { type: DATE.ACTUAL_START, 'iso-date': startsOn }));
  if (endsOn) {
    out.push(element('activity-date', { type: DATE.PLANNED_END, 'iso-date': endsOn }));
    if (ended && endsOn <= today) out.push(element('activity-date', { type: DATE.ACTUAL_END, 'iso-date': endsOn }));
  }
  return out;
}

function countries(codes: readonly string[]): string[] {
  const unique = [...new Set(codes.map((c) => c.toUpperCase()))];
  const shares = splitPercentages(unique.length);
  return unique.map((code, i) => element('recipient-country', { code, percentage: shares[i] }));
}

/**
 * SDG goals as sectors of vocabulary 7 and SDG targets as sectors of
 * vocabulary 8 (SectorVocabulary codelist); percentages add up to 100 within
 * each vocabulary.
 */
function sdgSectors(goals: readonly number[], targets: readonly string[]): string[] {
  const uniqueGoals = [
    ...new Set([...goals, ...targets.map((t) => Number(t.split('.')[0]))].filter((g) => Number.isInteger(g) && g >= 1 && g <= 17)),
  ].sort((a, b) => a - b);
  const uniqueTargets = [...new Set(targets)].sort();
  const goalShares = splitPercentages(uniqueGoals.length);
  const targetShares = splitPercentages(uniqueTargets.length);
  return [
    ...uniqueGoals.map((goal, i) => element('sector', { vocabulary: '7', code: goal, percentage: goalShares[i] })),
    ...uniqueTargets.map((target, i) => element('sector', { vocabulary: '8', code: target, percentage: targetShares[i] })),
  ];
}

export const missionIdentifier = (publisher: Publisher, id: string) => `${publisher.ref}-MISSION-${id}`;
export const agreementIdentifier = (publisher: Publisher, id: string) => `${publisher.ref}-AGREEMENT-${id}`;

const MISSION_STATUS: Record<OpenMission['status'], string> = {
  PLANNED: STATUS.PIPELINE,
  OPEN: STATUS.PIPELINE,
  UNDER_WAY: STATUS.IMPLEMENTATION,
  COMPLETED: STATUS.CLOSED,
  CANCELLED: STATUS.CANCELLED,
};

function reportingOrg(publisher: Publisher): string {
  return element('reporting-org', { ref: publisher.ref, type: publisher.type }, [narrative(publisher.name)]);
}

export function missionActivity(publisher: Publisher, mission: OpenMission, today: string): string {
  const started = mission.status === 'UNDER_WAY' || mission.status === 'COMPLETED';
  const description = `${mission.purpose} Exchange mission to ${mission.hostCountryName}, hosted by ${mission.hostPartner.name} and organized by ${mission.organizingOrganization.name}: ${mission.places} places, ${mission.participantCount} ${mission.participantCount === 1 ? 'participant' : 'participants'}.`;
  const funders = new Map<string, string>();
  for (const grant of mission.fundingGrants ?? []) {
    const org = funderOrg(publisher, grant.funder);
    funders.set(org, org);
  }
  return element('iati-activity', { 'last-updated-datetime': mission.statusChangedAt, 'xml:lang': 'en', 'default-currency': 'KZT' }, [
    element('iati-identifier', {}, [escapeXml(missionIdentifier(publisher, mission.id))]),
    reportingOrg(publisher),
    element('title', {}, [narrative(mission.title)]),
    element('description', { type: '1' }, [narrative(description)]),
    ...funders.values(),
    organizationOrg(publisher, mission.organizingOrganization, ROLE.ACCOUNTABLE),
    organizationOrg(publisher, mission.organizingOrganization, ROLE.IMPLEMENTING),
    partnerOrg(mission.hostPartner, ROLE.IMPLEMENTING),
    element('activity-status', { code: MISSION_STATUS[mission.status] }),
    ...dates(mission.startsOn, mission.endsOn, today, started, mission.status === 'COMPLETED'),
    element('activity-scope', { code: '2' }), // regional (across borders)
    ...countries([mission.hostCountry]),
    ...sdgSectors(mission.sdgGoals, mission.sdgTargets),
    ...(mission.agreement ? [element('related-activity', { type: '1', ref: agreementIdentifier(publisher, mission.agreement.id) })] : []),
  ]);
}

const PARTY_ROLE: Record<OpenAgreement['parties'][number]['role'], string> = {
  FUNDING: ROLE.FUNDING,
  ACCOUNTABLE: ROLE.ACCOUNTABLE,
  EXTENDING: ROLE.EXTENDING,
  IMPLEMENTING: ROLE.IMPLEMENTING,
};

const AGREEMENT_KIND: Record<OpenAgreement['type'], string> = {
  MEMORANDUM: 'Memorandum of understanding',
  HOSTING: 'Hosting agreement',
  FUNDING: 'Funding agreement',
};

export function agreementActivity(publisher: Publisher, agreement: OpenAgreement, today: string): string {
  const started = agreement.validFrom <= today;
  const ended = agreement.validTo !== null && agreement.validTo < today;
  const status = !started ? STATUS.PIPELINE : agreement.inForce ? STATUS.IMPLEMENTATION : STATUS.CLOSED;
  const parties = agreement.parties.map((p) => p.partner?.name ?? p.organization?.name).filter((n): n is string => Boolean(n));
  const description = `${AGREEMENT_KIND[agreement.type]} on volunteer cooperation between ${parties.join(', ')}; valid from ${agreement.validFrom}${agreement.validTo ? ` to ${agreement.validTo}` : ''}.`;
  return element('iati-activity', { 'last-updated-datetime': agreement.signedAt, 'xml:lang': 'en', 'default-currency': 'KZT' }, [
    element('iati-identifier', {}, [escapeXml(agreementIdentifier(publisher, agreement.id))]),
    reportingOrg(publisher),
    element('title', {}, [narrative(agreement.title)]),
    element('description', { type: '1' }, [narrative(description)]),
    ...agreement.parties.flatMap((party) => {
      const role = PARTY_ROLE[party.role];
      if (party.partner) return [partnerOrg(party.partner, role)];
      if (party.organization) return [organizationOrg(publisher, party.organization, role)];
      return [];
    }),
    element('activity-status', { code: status }),
    ...dates(agreement.validFrom, agreement.validTo, today, started, ended),
    ...countries(agreement.countries),
    ...sdgSectors([], agreement.sdgTargets),
  ]);
}

export interface IatiInput {
  missions: readonly OpenMission[];
  agreements: readonly OpenAgreement[];
}

/** The IATI activity file: agreements (parents) then missions (children), with a generation timestamp. */
export function iatiActivitiesXml(publisher: Publisher, input: IatiInput, now: Date = new Date()): string {
  const today = now.toISOString().slice(0, 10);
  const activities = [
    ...input.agreements.map((a) => agreementActivity(publisher, a, today)),
    ...input.missions.map((m) => missionActivity(publisher, m, today)),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- Open data of the Volunteer Graph, published under ${escapeXml(publisher.license)}. No personal data. -->`,
    `<iati-activities version="${IATI_VERSION}" generated-datetime="${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}">`,
    ...activities.map((a) => `  ${a}`),
    '</iati-activities>',
    '',
  ].join('\n');
}

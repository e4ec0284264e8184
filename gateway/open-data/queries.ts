/**
 * The GraphQL operations the open-data exports send through the gateway. They
 * select open fields only: no participant, no person, no contact; counts and
 * totals where people are concerned.
 */
export const ORGANIZATION_REF = `fragment OpenOrganization on Organization { id name bin region { code iso } }`;

export const MISSIONS_QUERY = `query OpenDataMissions($first: Int!, $after: String) {
  exchangeMissions(first: $first, after: $after) {
    nodes {
      id
      title
      purpose
      hostCountry
      hostCountryName
      startsOn
      endsOn
      status
      statusChangedAt
      places
      participantCount
      sdgGoals
      sdgTargets
      hostPartner { id name acronym kind country }
      organizingOrganization { ...OpenOrganization }
      agreement { id }
      fundingGrants { id funder { kind name organization { ...OpenOrganization } partner { id name country } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
${ORGANIZATION_REF}`;

export const AGREEMENTS_QUERY = `query OpenDataAgreements($first: Int!, $after: String) {
  agreements(first: $first, after: $after) {
    nodes {
      id
      title
      type
      validFrom
      validTo
      inForce
      countries
      sdgTargets
      signedAt
      parties {
        role
        partner { id name acronym kind country }
        organization { ...OpenOrganization }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
${ORGANIZATION_REF}`;

export const GRANTS_QUERY = `query OpenDataGrants($first: Int!, $after: String) {
  grants(first: $first, after: $after) {
    nodes {
      id
      title
      amountAwarded { amount currency }
      awardDate
      periodStart
      periodEnd
      programme { id title description }
      funder {
        kind
        name
        organization { ...OpenOrganization }
        partner { id name country }
      }
      recipient { ...OpenOrganization }
    }
    pageInfo { hasNextPage endCursor }
  }
}
${ORGANIZATION_REF}`;

export const REGISTER_QUERY = `query OpenDataRegister($year: Int!) {
  regions {
    code
    iso
    nameEn
    nameKk
    organizationCount
    volunteerCount
    approvedHours(year: $year) { hours records }
    donationsTotal(year: $year) { amount currency }
  }
}`;

/** Types of the answers, as the exporters read them. */
export interface OpenOrganization {
  id: string;
  name: string;
  bin: string | null;
  region: { code: string; iso: string } | null;
}

export interface OpenPartner {
  id: string;
  name: string;
  acronym?: string | null;
  kind?: string;
  country: string;
}

export interface Money {
  amount: string;
  currency: string;
}

export interface OpenMission {
  id: string;
  title: string;
  purpose: string;
  hostCountry: string;
  hostCountryName: string;
  startsOn: string;
  endsOn: string;
  status: 'PLANNED' | 'OPEN' | 'UNDER_WAY' | 'COMPLETED' | 'CANCELLED';
  statusChangedAt: string;
  places: number;
  participantCount: number;
  sdgGoals: number[];
  sdgTargets: string[];
  hostPartner: OpenPartner;
  organizingOrganization: OpenOrganization;
  agreement: { id: string } | null;
  fundingGrants: { id: string; funder: OpenGrant['funder'] }[];
}

export interface OpenAgreement {
  id: string;
  title: string;
  type: 'MEMORANDUM' | 'HOSTING' | 'FUNDING';
  validFrom: string;
  validTo: string | null;
  inForce: boolean;
  countries: string[];
  sdgTargets: string[];
  signedAt: string;
  parties: {
    role: 'FUNDING' | 'ACCOUNTABLE' | 'EXTENDING' | 'IMPLEMENTING';
    partner: OpenPartner | null;
    organization: OpenOrganization | null;
  }[];
}

export interface OpenGrant {
  id: string;
  title: string;
  amountAwarded: Money;
  awardDate: string;
  periodStart: string;
  periodEnd: string;
  programme: { id: string; title: string; description: string | null };
  funder: {
    kind: string;
    name: string;
    organization: OpenOrganization | null;
    partner: { id: string; name: string; country: string } | null;
  };
  recipient: OpenOrganization;
}

export interface OpenRegion {
  code: string;
  iso: string;
  nameEn: string;
  nameKk: string;
  organizationCount: number;
  volunteerCount: number;
  approvedHours: { hours: number; records: number };
  donationsTotal: Money;
}

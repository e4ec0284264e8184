import { makeBin, makeIin, REGIONS, type Sex } from '../../../subgraphs/kit/index.ts';
import { buildDemoPlan, demoId, DIRECTIONS, type DemoPlan } from '../../../subgraphs/kit/demo-plan.ts';
import { cumulative, dayNumber, isoDay, random, seedOf, type Random } from './random.ts';
import type { Scale } from './scales.ts';

/**
 * The generated data set, planned deterministically on top of the demo plan:
 * organizations, opportunities, partners and grants are small enough to hold;
 * volunteers are a stream (a million at `max`), regenerated identically by
 * every subgraph's loader, so ids and facts agree across subgraphs without any
 * of them reading another's tables.
 */

/** Two years of activity, ending before the day the data set was designed (no future hour records). */
export const FIRST_DAY = dayNumber('2024-11-01');
export const LAST_DAY = dayNumber('2026-10-31');
/** Ages and statuses are as of this day. */
export const AS_OF = dayNumber('2026-11-01');

/** Population-like weights per region (millions, 2025), so big cities hold more of everything. */
const REGION_WEIGHT: Record<string, number> = {
  '100000000': 0.6,
  '110000000': 0.79,
  '150000000': 0.93,
  '190000000': 1.5,
  '230000000': 0.69,
  '270000000': 0.69,
  '310000000': 1.22,
  '330000000': 0.7,
  '350000000': 1.13,
  '390000000': 0.83,
  '430000000': 0.83,
  '470000000': 0.78,
  '550000000': 0.75,
  '590000000': 0.53,
  '610000000': 2.1,
  '620000000': 0.22,
  '630000000': 0.73,
  '710000000': 1.5,
  '750000000': 2.3,
  '790000000': 1.23,
};
export const REGION_CODES = REGIONS.map((r) => r.code);
export const REGION_CUMULATIVE = cumulative(REGION_CODES.map((c) => REGION_WEIGHT[c] ?? 1));
const regionName = (code: string) => REGIONS.find((r) => r.code === code)?.nameEn.replace(/ Region$/, '') ?? code;

export type Direction = (typeof DIRECTIONS)[number];
export const ACTIVITY_BY_DIRECTION: Record<string, readonly string[]> = {
  BILIM: ['TEACHING_TUTORING', 'TEACHING_TUTORING', 'EVENT_SUPPORT', 'ADMINISTRATIVE'],
  QAMQOR: ['CARE_SUPPORT', 'CARE_SUPPORT', 'TRANSPORT_DELIVERY', 'FUNDRAISING'],
  UMIT: ['EVENT_SUPPORT', 'EMERGENCY_RESPONSE', 'CARE_SUPPORT', 'PROFESSIONAL_SERVICES'],
  SABAQTASTYQ: ['EVENT_SUPPORT', 'TEACHING_TUTORING', 'ADMINISTRATIVE', 'OTHER'],
  TAZA_ALEM: ['ENVIRONMENT_CLEANUP', 'ENVIRONMENT_CLEANUP', 'TRANSPORT_DELIVERY'],
  SAULYQ: ['HEALTH_SUPPORT', 'CARE_SUPPORT', 'FUNDRAISING'],
};
const DIRECTION_CUMULATIVE = cumulative([22, 20, 18, 10, 16, 14]);

// ---- organizations --------------------------------------------------------

export interface PlanOrganization {
  index: number;
  id: string;
  bin: string | null;
  name: string;
  kind: string;
  regionCode: string;
  directions: string[];
  status: 'REGISTERED' | 'SUSPENDED' | 'EXCLUDED';
  registeredDay: number;
  /** The day a SUSPENDED or EXCLUDED organization got that status (its registration day otherwise). */
  statusChangedDay: number;
  /** Relative size: members, opportunities and donations follow it. */
  weight: number;
  demo: boolean;
}

const KIND_MIX: [string, number][] = [
  ['VOLUNTEER_ORGANIZATION', 40],
  ['NGO', 25],
  ['CHARITY_FOUNDATION', 18],
  ['COMPANY', 8],
  ['STATE_BODY', 6],
  ['INTERNATIONAL_ORGANIZATION', 3],
];
const KIND_CUMULATIVE = cumulative(KIND_MIX.map(([, w]) => w));
const NAME_PARTS: Record<string, [readonly string[], readonly string[]]> = {
  VOLUNTEER_ORGANIZATION: [
    ['Youth', 'Kind Hearts', 'Bright Future', 'Steppe', 'Umit', 'Zhas Qanat', 'Helping Hands', 'Dostyq'],
    ['Volunteers', 'Volunteer Movement', 'Volunteer Centre', 'Volunteer Corps'],
  ],
  NGO: [
    ['Civic', 'Community', 'Family', 'Open Doors', 'Inclusion', 'Water', 'Equal Chances', 'Elders'],
    ['Initiative', 'Association', 'Union', 'Alliance', 'Society'],
  ],
  CHARITY_FOUNDATION: [
    ['Mercy', 'Hope', 'Children First', 'Warm Home', 'Light', 'Generosity', 'Mother and Child', 'Kamqor'],
    ['Foundation', 'Charity Fund', 'Public Fund'],
  ],
  COMPANY: [
    [
      'Steppe Energy',
      'Caspian Logistics',
      'Altyn Mining',
      'Qazaq Telecom',
      'Nomad Foods',
      'Silk Road Bank',
      'Tengri Build',
      'Baikonur Tech',
    ],
    ['Volunteers', 'Corporate Volunteering', 'Employees Fund'],
  ],
  STATE_BODY: [
    [
      'Department of Youth Policy',
      'Department of Social Protection',
      'Department of Education',
      'Department of Health',
      'Akimat Office',
      'Department of Emergencies',
    ],
    [''],
  ],
  INTERNATIONAL_ORGANIZATION: [
    ['Red Crescent', 'Caritas', 'World Vision', 'SOS Children', 'Habitat', 'Special Olympics'],
    ['Kazakhstan Office', 'Mission', 'Branch'],
  ],
};
const GROUP_PARTS: [readonly string[], readonly string[]] = [
  [
    'Neighbourhood',
    'Courtyard',
    'Students of',
    'Parents of',
    'Runners of',
    'Cyclists of',
    'Friends of',
    'Alumni of',
    'Eco Patrol',
    'Book Club',
  ],
  ['Helpers', 'Clean-up Crew', 'Mutual Aid', 'Volunteers', 'Care Circle', 'Team'],
];

/** Demo organizations keep their ids and facts; generated ones follow with their own ids. */
function buildOrganizations(scale: Scale, demo: DemoPlan): PlanOrganization[] {
  const r = random(seedOf('organizations'));
  const out: PlanOrganization[] = demo.organizations.map((o, i) => ({
    index: i,
    id: o.id,
    bin: o.bin,
    name: o.name,
    kind: o.kind,
    regionCode: o.regionCode,
    directions: o.directions,
    status: 'REGISTERED',
    registeredDay: dayNumber('2023-01-01') + i * 31,
    statusChangedDay: dayNumber('2023-01-01') + i * 31,
    weight: 6,
    demo: true,
  }));
  const demoGroups = demo.organizations.filter((o) => o.kind === 'VOLUNTEER_GROUP').length;
  const registered = Math.max(0, scale.organizations - (demo.organizations.length - demoGroups));
  const groups = Math.max(0, scale.volunteerGroups - demoGroups);
  let binSerial = 20_000;
  const counters = new Map<string, number>();
  for (let n = 0; n < registered + groups; n++) {
    const isGroup = n >= registered;
    const kind = isGroup ? 'VOLUNTEER_GROUP' : (KIND_MIX[r.weighted(KIND_CUMULATIVE)] as [string, number])[0];
    const regionCode = REGION_CODES[r.weighted(REGION_CUMULATIVE)] as string;
    const [first, second] = isGroup ? GROUP_PARTS : (NAME_PARTS[kind] as [readonly string[], readonly string[]]);
    const base = `${regionName(regionCode)} ${r.pick(first)}${r.pick(second) ? ` ${r.pick(second)}` : ''}`.trim();
    const seen = (counters.get(base) ?? 0) + 1;
    counters.set(base, seen);
    const directionCount = kind === 'STATE_BODY' || isGroup ? 1 : r.int(1, 3);
    const directions = new Set<string>();
    while (directions.size < directionCount) directions.add(DIRECTIONS[r.weighted(DIRECTION_CUMULATIVE)] as string);
    let bin: string | null = null;
    if (!isGroup) {
      bin = makeBin(binSerial);
      binSerial = Number(bin.slice(5, 11)) + 1;
    }
    const s = r();
    const status: PlanOrganization['status'] = s < 0.96 ? 'REGISTERED' : s < 0.99 ? 'SUSPENDED' : 'EXCLUDED';
    const registeredDay = dayNumber('2012-01-01') + Math.floor(Math.pow(r(), 0.6) * (LAST_DAY - 60 - dayNumber('2012-01-01')));
    // Sizes are heavy-tailed: a few large organizations, many small ones; groups are small.
    const weight = isGroup ? 0.15 + r() * 0.4 : Math.min(40, 0.5 / Math.pow(1 - r() * 0.98, 0.9));
    out.push({
      index: out.length,
      id: demoId('seed-organization', n),
      bin,
      name: seen > 1 ? `${base} No. ${seen}` : base,
      kind,
      regionCode,
      directions: [...directions],
      status,
      registeredDay,
      statusChangedDay: status === 'REGISTERED' ? registeredDay : Math.min(LAST_DAY, registeredDay + 400 + (out.length % 300)),
      weight,
      demo: false,
    });
  }
  return out;
}

// ---- opportunities --------------------------------------------------------

export interface PlanOpportunity {
  index: number;
  id: string;
  organizationIndex: number;
  title: string;
  description: string;
  regionCode: string;
  place: string;
  startDay: number;
  endDay: number;
  direction: string;
  skillsNeeded: string[];
  places: number;
  minimumAge: number;
  minorRestricted: boolean;
  status: 'DRAFT' | 'OPEN' | 'CLOSED' | 'CANCELLED';
  createdDay: number;
  demo: boolean;
}

export const SKILLS = [
  'first aid',
  'teaching',
  'driving',
  'cooking',
  'IT support',
  'translation',
  'sign language',
  'event logistics',
  'photography',
  'elder care',
  'tree planting',
  'fundraising',
  'psychological support',
  'carpentry',
  'music',
];
const TITLES: Record<string, readonly string[]> = {
  BILIM: [
    'Homework club',
    'Reading hour in the library',
    'Coding for schoolchildren',
    'English conversation club',
    'Mentoring first-year students',
  ],
  QAMQOR: [
    'Visiting elderly people at home',
    'Food parcels for families',
    'Care home afternoon',
    'Winter clothes drive',
    'Shopping for people with disabilities',
  ],
  UMIT: [
    'Flood preparedness drill',
    'Search and rescue support',
    'City marathon stewards',
    'Shelter for stray animals',
    'Blood donation day',
  ],
  SABAQTASTYQ: [
    'Local history museum guides',
    'Memory of the war veterans',
    'Folk crafts workshop',
    'Nauryz festival helpers',
    'Archive digitisation',
  ],
  TAZA_ALEM: ['River bank clean-up', 'Tree planting day', 'Recycling point duty', 'Park restoration', 'Saxaul planting in the Aral region'],
  SAULYQ: [
    'Hospital ward volunteers',
    'Health screening day',
    'Sports for children with disabilities',
    'Healthy lifestyle talks',
    'Vaccination day helpers',
  ],
};
const HAZARDOUS = new Set(['Flood preparedness drill', 'Search and rescue support']);

function buildOpportunities(scale: Scale, demo: DemoPlan, organizations: readonly PlanOrganization[]): PlanOpportunity[] {
  const r = random(seedOf('opportunities'));
  const orgIndex = new Map(organizations.map((o) => [o.id, o.index]));
  const out: PlanOpportunity[] = demo.opportunities.map((o, i) => ({
    index: i,
    id: o.id,
    organizationIndex: orgIndex.get(o.organizationId) ?? 0,
    title: o.title,
    description: o.description,
    regionCode: o.regionCode,
    place: o.place,
    startDay: dayNumber(o.startsOn),
    endDay: dayNumber(o.endsOn),
    direction: o.direction,
    skillsNeeded: [],
    places: o.placesAvailable,
    minimumAge: o.minimumAge,
    minorRestricted: o.minorRestricted,
    status: 'OPEN',
    createdDay: dayNumber(o.startsOn) - 30,
    demo: true,
  }));
  const active = organizations.filter((o) => o.status !== 'EXCLUDED');
  const byWeight = cumulative(active.map((o) => o.weight));
  const extra = Math.max(0, scale.opportunities - out.length);
  // Opportunities run from two months before the window to five months after it (open ones are in the future).
  const from = FIRST_DAY - 60;
  const to = LAST_DAY + 150;
  const registered = organizations.filter((o) => o.status === 'REGISTERED');
  const registeredByWeight = cumulative(registered.map((o) => o.weight));
  for (let n = 0; n < extra; n++) {
    let org = active[r.weighted(byWeight)] as PlanOrganization;
    const direction = r.pick(org.directions);
    const title = r.pick(TITLES[direction] ?? ['Volunteer day']);
    const hazardous = HAZARDOUS.has(title) && r.chance(0.7);
    const startDay = from + Math.floor(r() * (to - from));
    // A suspended organization posts nothing new (organizations' postOpportunity): later ones go to a registered one.
    if (org.status !== 'REGISTERED' && startDay - 7 >= org.statusChangedDay)
      org = registered[r.weighted(registeredByWeight)] as PlanOrganization;
    const endDay = startDay + (r.chance(0.5) ? 0 : r.int(1, r.chance(0.8) ? 14 : 90));
    const regionCode = r.chance(0.88) ? org.regionCode : (REGION_CODES[r.weighted(REGION_CUMULATIVE)] as string);
    const s = r();
    const status: PlanOpportunity['status'] = s < 0.03 ? 'CANCELLED' : endDay < AS_OF ? 'CLOSED' : s < 0.08 ? 'DRAFT' : 'OPEN';
    const skills = new Set<string>();
    for (let k = r.int(0, 3); k > 0; k--) skills.add(r.pick(SKILLS));
    out.push({
      index: out.length,
      id: demoId('seed-opportunity', n),
      organizationIndex: org.index,
      title,
      description: `${title}, organised by ${org.name}.`,
      regionCode,
      place: regionName(regionCode),
      startDay,
      endDay,
      direction,
      skillsNeeded: [...skills],
      places: r.chance(0.7) ? r.int(5, 40) : r.int(41, 300),
      minimumAge: hazardous ? 18 : r.pick([14, 14, 16, 16, 18, 18, 18]),
      minorRestricted: hazardous,
      status,
      createdDay: Math.max(org.registeredDay, startDay - r.int(7, 60)),
      demo: false,
    });
  }
  return out;
}

// ---- partners, grant programmes and grants (shared by donations and cooperation) ----

export interface PlanPartner {
  index: number;
  id: string;
  name: string;
  acronym: string;
  kind: 'UN_AGENCY' | 'FOREIGN_GOVERNMENT' | 'INTERNATIONAL_NGO' | 'FOREIGN_VOLUNTEER_ORGANIZATION';
  country: string;
  website: string;
}

const PARTNER_SEEDS: [string, PlanPartner['kind'], string][] = [
  ['UNICEF Kazakhstan Country Office', 'UN_AGENCY', 'KZ'],
  ['UNDP Istanbul Regional Hub', 'UN_AGENCY', 'TR'],
  ['UNFPA Asia-Pacific', 'UN_AGENCY', 'TH'],
  ['WHO Regional Office for Europe', 'UN_AGENCY', 'DK'],
  ['Deutsche Gesellschaft für Internationale Zusammenarbeit', 'FOREIGN_GOVERNMENT', 'DE'],
  ['Japan International Cooperation Agency', 'FOREIGN_GOVERNMENT', 'JP'],
  ['Turkish Cooperation and Coordination Agency', 'FOREIGN_GOVERNMENT', 'TR'],
  ['Korea International Cooperation Agency', 'FOREIGN_GOVERNMENT', 'KR'],
  ['Thailand International Cooperation Agency', 'FOREIGN_GOVERNMENT', 'TH'],
  ['Jordan Hashemite Fund for Human Development', 'INTERNATIONAL_NGO', 'JO'],
  ['Kenya Red Cross Society', 'INTERNATIONAL_NGO', 'KE'],
  ['Aga Khan Foundation', 'INTERNATIONAL_NGO', 'CH'],
  ['Volunteer Service Overseas', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'GB'],
  ['Peace Corps Response', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'US'],
  ['France Volontaires', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'FR'],
  ['Youth Volunteers of Uzbekistan', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'UZ'],
  ['Kyrgyz Volunteer Network', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'KG'],
  ['Mercy Corps', 'INTERNATIONAL_NGO', 'US'],
  ['Save the Children International', 'INTERNATIONAL_NGO', 'GB'],
  ['Norwegian Refugee Council', 'INTERNATIONAL_NGO', 'NO'],
  ['Swiss Agency for Development and Cooperation', 'FOREIGN_GOVERNMENT', 'CH'],
  ['Finnish Volunteer Centre', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'FI'],
  ['Tokyo Volunteer Action Centre', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'JP'],
  ['Amman Youth Initiative', 'INTERNATIONAL_NGO', 'JO'],
  ['Nairobi Community Volunteers', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'KE'],
  ['Chiang Mai Volunteer Network', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'TH'],
  ['Istanbul Volunteer Foundation', 'INTERNATIONAL_NGO', 'TR'],
  ['Qatar Fund for Development', 'FOREIGN_GOVERNMENT', 'QA'],
  ['Asian Development Bank Civil Society Unit', 'UN_AGENCY', 'PH'],
  ['European Solidarity Corps Hub', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'BE'],
  ['Baltic Volunteer Exchange', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'LT'],
  ['Mongolian Volunteer Centre', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'MN'],
  ['Azerbaijan Volunteers Union', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'AZ'],
  ['Georgian Red Cross', 'INTERNATIONAL_NGO', 'GE'],
  ['Indonesian Volunteer Corps', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'ID'],
  ['Malaysian Relief Agency', 'INTERNATIONAL_NGO', 'MY'],
  ['Egyptian Youth Volunteers', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'EG'],
  ['Moroccan Volunteer Network', 'FOREIGN_VOLUNTEER_ORGANIZATION', 'MA'],
  ['Canadian Crossroads International', 'INTERNATIONAL_NGO', 'CA'],
  ['Australian Volunteers Program', 'FOREIGN_GOVERNMENT', 'AU'],
];

function buildPartners(scale: Scale): PlanPartner[] {
  // The cooperation demo already has six partners; the generated ones come on top.
  return PARTNER_SEEDS.slice(0, Math.max(0, scale.partners - 6)).map(([name, kind, country], index) => {
    const acronym = name
      .split(/\s+/)
      .filter((w) => /^[A-Z]/.test(w))
      .map((w) => w[0])
      .join('')
      .slice(0, 8);
    return {
      index,
      id: demoId('seed-partner', index),
      name,
      acronym,
      kind,
      country,
      website: `https://${acronym.toLowerCase()}.example.org/`,
    };
  });
}

export interface PlanProgramme {
  index: number;
  id: string;
  title: string;
  funderKind: 'STATE_BODY' | 'PRIVATE' | 'INTERNATIONAL_PARTNER';
  funderName: string;
  funderOrganizationIndex: number | null;
  funderPartnerIndex: number | null;
  currency: string;
  opensDay: number;
  closesDay: number;
  priorities: string[];
  minYears: number;
  maxYears: number;
}

export interface PlanGrant {
  index: number;
  id: string;
  applicationId: string;
  programmeIndex: number;
  recipientIndex: number;
  title: string;
  currency: string;
  amountMinor: bigint;
  awardDay: number;
  periodStartDay: number;
  periodEndDay: number;
}

function buildGrants(
  scale: Scale,
  organizations: readonly PlanOrganization[],
  partners: readonly PlanPartner[],
): { programmes: PlanProgramme[]; grants: PlanGrant[] } {
  const r = random(seedOf('grants'));
  const stateBodies = organizations.filter((o) => o.kind === 'STATE_BODY' && o.status === 'REGISTERED');
  const privateFunders = organizations.filter(
    (o) => (o.kind === 'CHARITY_FOUNDATION' || o.kind === 'COMPANY') && o.status === 'REGISTERED' && o.weight > 2,
  );
  const programmes: PlanProgramme[] = [];
  for (let n = 0; n < scale.grantProgrammes; n++) {
    const pickKind = n % 5;
    const funderKind: PlanProgramme['funderKind'] =
      pickKind < 2 && stateBodies.length
        ? 'STATE_BODY'
        : pickKind < 4 && privateFunders.length
          ? 'PRIVATE'
          : partners.length
            ? 'INTERNATIONAL_PARTNER'
            : 'STATE_BODY';
    const org = funderKind === 'STATE_BODY' ? r.pick(stateBodies) : funderKind === 'PRIVATE' ? r.pick(privateFunders) : null;
    const partner = funderKind === 'INTERNATIONAL_PARTNER' ? r.pick(partners) : null;
    const opensDay = dayNumber('2023-09-01') + r.int(0, 700);
    const minYears = r.int(1, 2);
    const direction = r.pick(DIRECTIONS);
    programmes.push({
      index: n,
      id: demoId('seed-grant-programme', n),
      title: `${org?.name ?? partner?.name ?? 'State'} ${direction.replace('_', ' ').toLowerCase()} grants ${isoDay(opensDay).slice(0, 4)}`,
      funderKind,
      funderName: org?.name ?? partner?.name ?? 'Ministry of Culture and Information',
      funderOrganizationIndex: org?.index ?? null,
      funderPartnerIndex: partner?.index ?? null,
      currency: funderKind === 'INTERNATIONAL_PARTNER' ? (r.chance(0.7) ? 'USD' : 'EUR') : 'KZT',
      opensDay,
      closesDay: opensDay + r.int(30, 90),
      priorities: [direction, r.pick(DIRECTIONS)].filter((v, i, a) => a.indexOf(v) === i),
      minYears,
      maxYears: Math.min(3, minYears + r.int(0, 2)),
    });
  }
  const recipients = organizations.filter((o) => o.status === 'REGISTERED' && o.kind !== 'STATE_BODY' && o.kind !== 'COMPANY');
  const byWeight = cumulative(recipients.map((o) => o.weight + 1));
  const grants: PlanGrant[] = [];
  for (let n = 0; n < scale.grants && programmes.length > 0; n++) {
    const programme = programmes[n % programmes.length] as PlanProgramme;
    const recipient = recipients[r.weighted(byWeight)] as PlanOrganization;
    const years = r.int(programme.minYears, programme.maxYears);
    const awardDay = programme.closesDay + r.int(20, 60);
    const periodStartDay = awardDay + r.int(10, 40);
    // Amounts in minor units: 2–60 million tenge, or 20k–400k dollars/euros.
    const amountMinor = programme.currency === 'KZT' ? BigInt(r.int(200, 6_000)) * 1_000_000n : BigInt(r.int(200, 4_000)) * 10_000n;
    grants.push({
      index: n,
      id: demoId('seed-grant', n),
      applicationId: demoId('seed-grant-application', n),
      programmeIndex: programme.index,
      recipientIndex: recipient.index,
      title: `${recipient.name}: ${r.pick(TITLES[r.pick(recipient.directions)] ?? ['Community project'])} (${years} ${years === 1 ? 'year' : 'years'})`,
      currency: programme.currency,
      amountMinor,
      awardDay,
      periodStartDay,
      periodEndDay: periodStartDay + years * 365 - 1,
    });
  }
  return { programmes, grants };
}

// ---- volunteers (a stream) --------------------------------------------------

export interface PlanMembership {
  organizationIndex: number;
  role: 'MEMBER' | 'COORDINATOR';
  joinedDay: number;
}

export interface PlanVolunteer {
  index: number;
  id: string;
  iin: string;
  firstName: string;
  lastName: string;
  patronymic: string | null;
  birthDate: string;
  sex: Sex;
  regionCode: string;
  skills: string[];
  languages: string[];
  phone: string;
  email: string | null;
  guardian: { name: string; relationship: string; givenOn: string } | null;
  registeredBy: 'SELF' | 'FRONT_OFFICE';
  registeredDay: number;
  memberships: PlanMembership[];
  /** Organization of work done without a membership (direct volunteering). */
  directOrganizationIndex: number;
  /** How many hour records (before corrections) this volunteer logs over the window. */
  recordCount: number;
  /** Age on AS_OF. */
  age: number;
}

const FIRST_MALE = [
  'Arman',
  'Daniyar',
  'Nurlan',
  'Yerlan',
  'Aibek',
  'Timur',
  'Askar',
  'Ruslan',
  'Dias',
  'Alikhan',
  'Nursultan',
  'Azamat',
  'Bauyrzhan',
  'Yerzhan',
  'Sanzhar',
  'Madi',
  'Alisher',
  'Dmitry',
  'Sergey',
  'Andrey',
  'Olzhas',
  'Zhandos',
  'Miras',
  'Temirlan',
];
const FIRST_FEMALE = [
  'Aigerim',
  'Dana',
  'Madina',
  'Aruzhan',
  'Saule',
  'Zhanna',
  'Kamila',
  'Asel',
  'Dinara',
  'Tomiris',
  'Aizhan',
  'Gulnara',
  'Akmaral',
  'Zarina',
  'Ainur',
  'Balnur',
  'Anel',
  'Elena',
  'Olga',
  'Natalya',
  'Moldir',
  'Togzhan',
  'Inkar',
  'Amina',
];
const LAST = [
  'Nurpeisov',
  'Abenov',
  'Seitkali',
  'Ibraimov',
  'Zhaksylykov',
  'Omarov',
  'Tokayev',
  'Bekov',
  'Sultanov',
  'Kassymov',
  'Akhmetov',
  'Zhumabayev',
  'Iskakov',
  'Suleimenov',
  'Dzhaksybekov',
  'Mukhametov',
  'Baimukhanov',
  'Yessenov',
  'Tulegenov',
  'Kenzhebayev',
  'Ivanov',
  'Petrov',
  'Kim',
  'Tsoi',
];
const PATRONYMIC_ROOTS = ['Nurlan', 'Serik', 'Bolat', 'Marat', 'Yerlan', 'Kairat', 'Askar', 'Talgat', 'Murat', 'Sergey'];
const LANGUAGES: [string, number][] = [
  ['kk', 0.82],
  ['ru', 0.86],
  ['en', 0.32],
  ['tr', 0.04],
  ['zh', 0.03],
  ['de', 0.03],
];

/** Age bands (issue 3's AgeBand) with their share of volunteers. */
const AGE_BANDS: [number, number, number][] = [
  [10, 13, 0.012],
  [14, 17, 0.12],
  [18, 29, 0.47],
  [30, 44, 0.22],
  [45, 59, 0.12],
  [60, 80, 0.058],
];
const AGE_CUMULATIVE = cumulative(AGE_BANDS.map(([, , w]) => w));

export interface SeedPlan {
  scale: Scale;
  demo: DemoPlan;
  organizations: PlanOrganization[];
  opportunities: PlanOpportunity[];
  opportunitiesByOrganization: PlanOpportunity[][];
  partners: PlanPartner[];
  programmes: PlanProgramme[];
  grants: PlanGrant[];
  /** Generated volunteers (the demo's 200 are loaded by the demo loader), always the same sequence. */
  volunteers(): Generator<PlanVolunteer>;
  /** How many generated volunteers there are. */
  volunteerCount: number;
}

export function buildSeedPlan(scale: Scale): SeedPlan {
  const demo = buildDemoPlan();
  const organizations = buildOrganizations(scale, demo);
  const opportunities = buildOpportunities(scale, demo, organizations);
  const opportunitiesByOrganization: PlanOpportunity[][] = organizations.map(() => []);
  for (const o of opportunities) opportunitiesByOrganization[o.organizationIndex]?.push(o);
  for (const list of opportunitiesByOrganization) list.sort((a, b) => a.startDay - b.startDay);
  const partners = buildPartners(scale);
  const { programmes, grants } = buildGrants(scale, organizations, partners);
  const volunteerCount = Math.max(0, scale.volunteers - demo.volunteers.length);
  // 25% log nothing; the rest draw a count (distinct days cap a few): 1.04 brings the total to the target.
  const meanRecords = (scale.hourRecords / Math.max(1, volunteerCount) / 0.75) * 1.04;
  return {
    scale,
    demo,
    organizations,
    opportunities,
    opportunitiesByOrganization,
    partners,
    programmes,
    grants,
    volunteerCount,
    volunteers: () => volunteerStream(volunteerCount, organizations, meanRecords),
  };
}

function* volunteerStream(count: number, organizations: readonly PlanOrganization[], meanRecords: number): Generator<PlanVolunteer> {
  const r = random(seedOf('volunteers'));
  const joinable = organizations.filter((o) => o.status === 'REGISTERED');
  const byRegion = new Map<string, { list: PlanOrganization[]; cumulative: Float64Array }>();
  for (const code of REGION_CODES) {
    const list = joinable.filter((o) => o.regionCode === code);
    byRegion.set(code, { list, cumulative: cumulative(list.map((o) => o.weight)) });
  }
  const national = { list: joinable, cumulative: cumulative(joinable.map((o) => o.weight)) };
  const coordinators = new Int32Array(organizations.length);
  const serials = new Map<string, number>();
  const pickOrganization = (regionCode: string): PlanOrganization => {
    const local = byRegion.get(regionCode);
    const pool = local && local.list.length > 0 && r.chance(0.8) ? local : national;
    return pool.list[r.weighted(pool.cumulative)] as PlanOrganization;
  };

  for (let n = 0; n < count; n++) {
    const sex: Sex = r.chance(0.58) ? 'FEMALE' : 'MALE';
    const [minAge, maxAge] = AGE_BANDS[r.weighted(AGE_CUMULATIVE)] as [number, number, number];
    const age = r.int(minAge, maxAge);
    // Born `age` years before AS_OF, on a day of that year of life.
    const birthDay = AS_OF - age * 365 - Math.floor(age / 4) - r.int(1, 364);
    const birthDate = isoDay(birthDay);
    const key = `${birthDate}${sex}`;
    // Serials from 1000 up, per birth date and sex: unique, and apart from the demo's (1–200).
    const iin = makeIin(birthDate, sex, serials.get(key) ?? 1000);
    serials.set(key, Number(iin.slice(7, 11)) + 1);
    const regionCode = REGION_CODES[r.weighted(REGION_CUMULATIVE)] as string;
    const firstName = r.pick(sex === 'MALE' ? FIRST_MALE : FIRST_FEMALE);
    const root = r.pick(LAST);
    const lastName = sex === 'FEMALE' && /(ov|ev|in)$/.test(root) ? `${root}a` : root;
    const patronymicRoot = r.pick(PATRONYMIC_ROOTS);
    const patronymic = r.chance(0.6) ? `${patronymicRoot}${sex === 'MALE' ? 'uly' : 'kyzy'}` : null;
    const registeredDay = Math.max(
      birthDay + 10 * 365,
      dayNumber('2019-01-01') + Math.floor(Math.pow(r(), 0.7) * (LAST_DAY - 30 - dayNumber('2019-01-01'))),
    );
    const skills = new Set<string>();
    for (let k = r.int(0, 3); k > 0; k--) skills.add(r.pick(SKILLS));
    const languages = LANGUAGES.filter(([, p]) => r.chance(p)).map(([l]) => l);
    if (languages.length === 0) languages.push('kk');

    const memberships: PlanMembership[] = [];
    const m = r();
    const membershipCount = m < 0.12 ? 0 : m < 0.8 ? 1 : m < 0.97 ? 2 : 3;
    for (let k = 0; k < membershipCount; k++) {
      const org = pickOrganization(regionCode);
      if (memberships.some((x) => x.organizationIndex === org.index)) continue;
      const adult = age >= 18;
      // The first adult members of each organization coordinate it (two for large ones).
      const wanted = org.weight > 5 ? 3 : org.weight > 1 ? 2 : 1;
      const role = adult && (coordinators[org.index] ?? 0) < wanted ? 'COORDINATOR' : 'MEMBER';
      if (role === 'COORDINATOR') coordinators[org.index] = (coordinators[org.index] ?? 0) + 1;
      memberships.push({ organizationIndex: org.index, role, joinedDay: Math.max(registeredDay, org.registeredDay) + r.int(0, 120) });
    }
    const activity = r();
    const recordCount = activity < 0.25 ? 0 : Math.min(400, 1 + Math.floor(-Math.log(1 - r()) * (meanRecords - 1)));
    const directOrganizationIndex = pickOrganization(regionCode).index;
    // Hours count only for an organization one is a member of: someone who logs hours and belongs nowhere joins the one they work for.
    if (recordCount > 0 && memberships.length === 0) {
      const org = organizations[directOrganizationIndex]!;
      memberships.push({ organizationIndex: org.index, role: 'MEMBER', joinedDay: Math.max(registeredDay, org.registeredDay) + (n % 60) });
    }
    // Under 14 on the day of registration: registered by a front-office with a guardian's written consent (14 years are at most 5,114 days).
    const guardian =
      registeredDay - birthDay < 14 * 365 + 4
        ? {
            name: `${r.pick(FIRST_FEMALE)} ${lastName}`,
            relationship: r.chance(0.85) ? 'PARENT' : 'GUARDIAN',
            givenOn: isoDay(registeredDay),
          }
        : null;
    yield {
      index: n,
      id: demoId('seed-volunteer', n),
      iin,
      firstName,
      lastName,
      patronymic,
      birthDate,
      sex,
      regionCode,
      skills: [...skills],
      languages,
      phone: `+77${r.pick(['01', '02', '05', '07', '47', '71', '75', '76', '77'])}${String(1_000_000 + ((n * 7919) % 9_000_000)).padStart(7, '0')}`,
      email: r.chance(0.75) ? `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${n}@example.kz` : null,
      guardian,
      registeredBy: guardian ? 'FRONT_OFFICE' : r.chance(0.35) ? 'FRONT_OFFICE' : 'SELF',
      registeredDay,
      memberships,
      directOrganizationIndex,
      recordCount,
      age,
    };
  }
}

/** Adults active enough to pass a mission's eligibility (40 approved hours): candidates for exchange missions. */
export function isMissionCandidate(v: PlanVolunteer): boolean {
  return v.age >= 21 && v.recordCount >= 30;
}

export { isoDay, dayNumber, type Random };

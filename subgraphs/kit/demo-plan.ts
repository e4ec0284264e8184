import { createHash } from 'node:crypto';
import { makeBin, makeIin, REGIONS, type Sex } from './index.ts';

/**
 * The demo data set, planned once and deterministically, so that each subgraph
 * loads its own part through its own repositories and the references between
 * subgraphs (organization ids, volunteer ids) agree without any subgraph
 * reading another's tables.
 */

/** A stable UUID for the n-th demo entity of a kind. */
export function demoId(kind: string, n: number): string {
  const h = createHash('sha256').update(`volunteer-graph-demo:${kind}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A small seeded PRNG (mulberry32): the same data on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DIRECTIONS = ['BILIM', 'QAMQOR', 'UMIT', 'SABAQTASTYQ', 'TAZA_ALEM', 'SAULYQ'] as const;

export interface PlannedOrganization {
  id: string;
  bin: string | null;
  name: string;
  kind: string;
  regionCode: string;
  directions: string[];
}
export interface PlannedOpportunity {
  id: string;
  organizationId: string;
  title: string;
  description: string;
  regionCode: string;
  place: string;
  startsOn: string;
  endsOn: string;
  direction: string;
  placesAvailable: number;
  minimumAge: number;
  minorRestricted: boolean;
}
export interface PlannedVolunteer {
  id: string;
  iin: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  sex: Sex;
  regionCode: string;
  phone: string;
  email: string;
  organizationId: string;
  role: 'MEMBER' | 'COORDINATOR';
}

const ORGANIZATIONS: [string, string, string, string[]][] = [
  ['Qazaqstan Volunteers Association', 'VOLUNTEER_ORGANIZATION', '710000000', ['BILIM', 'UMIT']],
  ['Almaty Green City', 'VOLUNTEER_ORGANIZATION', '750000000', ['TAZA_ALEM']],
  ['Shymkent Care Network', 'CHARITY_FOUNDATION', '790000000', ['QAMQOR', 'SAULYQ']],
  ['Karaganda Youth Rescue', 'VOLUNTEER_ORGANIZATION', '350000000', ['UMIT']],
  ['Aktobe Blood Donors', 'NGO', '150000000', ['SAULYQ']],
  ['Pavlodar Elder Care', 'CHARITY_FOUNDATION', '550000000', ['QAMQOR', 'SABAQTASTYQ']],
  ['Turkistan Teachers for All', 'VOLUNTEER_ORGANIZATION', '610000000', ['BILIM']],
  ['Mangystau Clean Coast', 'VOLUNTEER_GROUP', '470000000', ['TAZA_ALEM']],
  ['East Kazakhstan Forest Watch', 'NGO', '630000000', ['TAZA_ALEM', 'UMIT']],
  ['Kostanay Memory Keepers', 'VOLUNTEER_GROUP', '390000000', ['SABAQTASTYQ']],
  ['Ministry of Culture and Information', 'STATE_BODY', '710000000', ['SABAQTASTYQ', 'BILIM']],
  ['KazEnergy Volunteers Fund', 'COMPANY', '230000000', ['UMIT', 'BILIM']],
];

const FIRST_MALE = ['Arman', 'Daniyar', 'Nurlan', 'Yerlan', 'Aibek', 'Timur', 'Askar', 'Ruslan', 'Dias', 'Alikhan'];
const FIRST_FEMALE = ['Aigerim', 'Dana', 'Madina', 'Aruzhan', 'Saule', 'Zhanna', 'Kamila', 'Asel', 'Dinara', 'Tomiris'];
const LAST = ['Nurpeisov', 'Abenov', 'Seitkali', 'Ibraimov', 'Zhaksylykov', 'Omarov', 'Tokayev', 'Bekov', 'Sultanov', 'Kassymov'];

export interface DemoPlan {
  organizations: PlannedOrganization[];
  frontOffices: { id: string; name: string; regionCode: string | null; staff: number; trainers: number; equipmentItems: number }[];
  opportunities: PlannedOpportunity[];
  volunteers: PlannedVolunteer[];
  /**
   * Adults (born before 2000) who go on the demo's exchange missions and UN Volunteer assignment, in
   * order: the volunteers demo gives them the 40 approved hours a participant needs, the cooperation
   * demo draws its participants from them.
   */
  missionCandidates: PlannedVolunteer[];
}

/** How many mission candidates the demo plans (participants of the four demo missions and one UNV assignment, with room). */
const MISSION_CANDIDATES = 24;

function day(year: number, month: number, dayOfMonth: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
}

export function buildDemoPlan(volunteerCount = 200): DemoPlan {
  const random = prng(20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

  const organizations = ORGANIZATIONS.map(([name, kind, regionCode, directions], i) => ({
    id: demoId('organization', i),
    bin: kind === 'VOLUNTEER_GROUP' ? null : makeBin(100 + i * 7),
    name,
    kind,
    regionCode,
    directions,
  }));

  const frontOfficeRegions = [null, '710000000', '750000000', '790000000', '350000000', '150000000', '550000000'];
  const frontOffices = frontOfficeRegions.map((regionCode, i) => ({
    id: demoId('front-office', i),
    name: regionCode ? `${REGIONS.find((r) => r.code === regionCode)?.nameEn} Volunteer Front-Office` : 'National Volunteer Front-Office',
    regionCode,
    staff: regionCode ? 4 + i : 25,
    trainers: regionCode ? 2 : 8,
    equipmentItems: regionCode ? 10 + i * 3 : 60,
  }));

  const opportunities: PlannedOpportunity[] = [];
  organizations.forEach((org, i) => {
    for (let k = 0; k < 2; k++) {
      const direction = org.directions[k % org.directions.length] ?? 'UMIT';
      const month = 1 + ((i + k * 5) % 11);
      const emergency = org.name.includes('Rescue') && k === 0;
      opportunities.push({
        id: demoId('opportunity', i * 2 + k),
        organizationId: org.id,
        title: emergency ? 'Flood response team' : `${org.name}: ${direction === 'TAZA_ALEM' ? 'clean-up day' : 'weekly programme'} ${k + 1}`,
        description: emergency ? 'Sandbagging and evacuation support during spring floods.' : `Regular volunteer work of ${org.name}.`,
        regionCode: org.regionCode,
        place: REGIONS.find((r) => r.code === org.regionCode)?.nameEn ?? 'Astana',
        startsOn: day(2026, month, 1),
        endsOn: day(2026, month, 28),
        direction,
        placesAvailable: 20 + ((i * 7 + k * 3) % 40),
        minimumAge: emergency ? 18 : k === 1 ? 14 : 16,
        minorRestricted: emergency,
      });
    }
  });

  const volunteers: PlannedVolunteer[] = [];
  for (let n = 0; n < volunteerCount; n++) {
    const sex: Sex = random() < 0.55 ? 'FEMALE' : 'MALE';
    const year = 1960 + Math.floor(random() * 50);
    const birthDate = day(year, 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28));
    const organization = organizations[n % organizations.length] as PlannedOrganization;
    const firstName = pick(sex === 'MALE' ? FIRST_MALE : FIRST_FEMALE);
    const lastName = `${pick(LAST)}${sex === 'FEMALE' ? 'a' : ''}`;
    volunteers.push({
      id: demoId('volunteer', n),
      iin: makeIin(birthDate, sex, n + 1),
      firstName,
      lastName,
      birthDate,
      sex,
      regionCode: random() < 0.7 ? organization.regionCode : pick(REGIONS).code,
      phone: `+7701${String(1000000 + n).slice(-7)}`,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}${n}@example.kz`,
      organizationId: organization.id,
      role: n < organizations.length ? 'COORDINATOR' : 'MEMBER',
    });
  }
  const shuffle = prng(20261207);
  const missionCandidates = volunteers
    .filter((v) => v.birthDate < '2000-01-01')
    .map((v) => ({ v, k: shuffle() }))
    .sort((a, b) => a.k - b.k)
    .slice(0, MISSION_CANDIDATES)
    .map((e) => e.v);
  return { organizations, frontOffices, opportunities, volunteers, missionCandidates };
}

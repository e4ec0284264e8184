import { createHash } from 'node:crypto';
import { calendarDay, makeBin, makeIin, REGIONS, type Sex } from './index.ts';

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
/** An opportunity of the coming weeks, open for applications: what a newcomer finds with searchOpportunities. */
export interface UpcomingOpportunity extends PlannedOpportunity {
  skillsNeeded: string[];
  languages: string[];
  online: boolean;
  latitude: number | null;
  longitude: number | null;
}
export interface PlannedFrontOffice {
  id: string;
  name: string;
  regionCode: string | null;
  staff: number;
  trainers: number;
  equipmentItems: number;
  address: string;
  phone: string;
  email: string;
  openingHours: string;
  latitude: number;
  longitude: number;
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

/** The administrative centre of each region (where its front-office is): city, street, latitude, longitude. */
const CENTRES: Record<string, [string, string, number, number]> = {
  '100000000': ['Semey', 'Abai St', 50.4111, 80.2275],
  '110000000': ['Kokshetau', 'Abai St', 53.2833, 69.3833],
  '150000000': ['Aktobe', 'Abilkaiyr Khan Ave', 50.2839, 57.167],
  '190000000': ['Konaev', 'Dinmukhamed Konaev St', 43.8667, 77.0667],
  '230000000': ['Atyrau', 'Satpayev Ave', 47.1167, 51.8833],
  '270000000': ['Oral', 'Dostyk Ave', 51.2333, 51.3667],
  '310000000': ['Taraz', 'Tole Bi St', 42.9, 71.3667],
  '330000000': ['Taldykorgan', 'Tauelsizdik St', 45.0167, 78.3667],
  '350000000': ['Karaganda', 'Bukhar Zhyrau Ave', 49.8028, 73.0875],
  '390000000': ['Kostanay', 'Al-Farabi Ave', 53.2144, 63.6246],
  '430000000': ['Kyzylorda', 'Aiteke Bi St', 44.8528, 65.5092],
  '470000000': ['Aktau', '14th Microdistrict', 43.65, 51.1667],
  '550000000': ['Pavlodar', 'Satpayev St', 52.2833, 76.9667],
  '590000000': ['Petropavl', 'Konstitutsii St', 54.8667, 69.15],
  '610000000': ['Turkistan', 'Tauke Khan Ave', 43.3, 68.25],
  '620000000': ['Zhezkazgan', 'Alashakhan Ave', 47.7833, 67.7],
  '630000000': ['Oskemen', 'Kazakhstan St', 49.95, 82.6167],
  '710000000': ['Astana', 'Mangilik El Ave', 51.1282, 71.4307],
  '750000000': ['Almaty', 'Abai Ave', 43.2389, 76.8897],
  '790000000': ['Shymkent', 'Tauke Khan Ave', 42.3167, 69.5958],
};

/**
 * The coming weeks' opportunities, one per organization (by index): title, description, skills,
 * languages, online. Written in Kazakh, Russian or English, as organizations post them.
 */
const UPCOMING: [string, string, string[], string[], boolean][] = [
  [
    'Кітап оқу клубы',
    'Балаларға кітап оқып беру, қалалық кітапханада. Reading club for children.',
    ['reading', 'teaching'],
    ['kk', 'ru'],
    false,
  ],
  ['Субботник в парке', 'Уборка территории парка и посадка деревьев. Перчатки и инвентарь выдаём.', ['teamwork'], ['ru', 'kk'], false],
  [
    'Home visits to older people',
    'Shopping, company and small repairs for older people who live alone.',
    ['first aid', 'driving'],
    ['ru', 'en', 'kk'],
    false,
  ],
  [
    'Flood preparedness drill',
    'Sandbag filling and an evacuation drill with the emergency services.',
    ['first aid', 'teamwork'],
    ['ru'],
    false,
  ],
  ['Қан тапсыру күні', 'Донорлар күні: тіркеу үстелі, кезек, донорларға шай.', ['registration'], ['kk', 'ru'], false],
  [
    'Online English lessons for older people',
    'Weekly video lessons of conversational English for pensioners.',
    ['teaching', 'english'],
    ['en', 'ru'],
    true,
  ],
  ['Ағылшын тілі үйірмесі', 'Ауыл мектебінің оқушыларына онлайн ағылшын тілі сабақтары.', ['teaching', 'english'], ['kk', 'en'], true],
  [
    'Beach clean-up on the Caspian',
    'Litter picking and sorting on the Aktau coast; bags and gloves provided.',
    ['teamwork'],
    ['kk', 'ru', 'en'],
    false,
  ],
  ['Лесной патруль', 'Профилактика пожаров: патрулирование и разъяснительная работа с отдыхающими.', ['hiking', 'teamwork'], ['ru'], false],
  [
    'Ардагерлермен кездесу',
    'Ардагерлердің естеліктерін жазып алу және фотомұрағатты цифрландыру.',
    ['interviewing', 'photography'],
    ['kk'],
    false,
  ],
  [
    'Museum night guides',
    'Guiding visitors through the museum night in Kazakh, Russian and English.',
    ['guiding'],
    ['kk', 'ru', 'en'],
    false,
  ],
  ['Помощь многодетным семьям', 'Сбор и доставка продуктовых наборов многодетным семьям.', ['driving', 'teamwork'], ['ru', 'kk'], false],
];

const FIRST_MALE = ['Arman', 'Daniyar', 'Nurlan', 'Yerlan', 'Aibek', 'Timur', 'Askar', 'Ruslan', 'Dias', 'Alikhan'];
const FIRST_FEMALE = ['Aigerim', 'Dana', 'Madina', 'Aruzhan', 'Saule', 'Zhanna', 'Kamila', 'Asel', 'Dinara', 'Tomiris'];
const LAST = ['Nurpeisov', 'Abenov', 'Seitkali', 'Ibraimov', 'Zhaksylykov', 'Omarov', 'Tokayev', 'Bekov', 'Sultanov', 'Kassymov'];

export interface DemoPlan {
  organizations: PlannedOrganization[];
  /** The national front-office and one per region (all 20), with their directory entries. */
  frontOffices: PlannedFrontOffice[];
  /** Opportunities of 2026 (their work is in the hour records). */
  opportunities: PlannedOpportunity[];
  /** One per organization, starting in the coming weeks (dates relative to today), accepting applications. */
  upcomingOpportunities: UpcomingOpportunity[];
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

  // The first seven keep the ids and figures they always had; the other regions follow by KATO code.
  const firstRegions = ['710000000', '750000000', '790000000', '350000000', '150000000', '550000000'];
  const frontOfficeRegions = [null, ...firstRegions, ...REGIONS.map((r) => r.code).filter((c) => !firstRegions.includes(c))];
  const frontOffices: PlannedFrontOffice[] = frontOfficeRegions.map((regionCode, i) => {
    const [city, street, latitude, longitude] = CENTRES[regionCode ?? '710000000']!;
    return {
      id: demoId('front-office', i),
      name: regionCode ? `${REGIONS.find((r) => r.code === regionCode)?.nameEn} Volunteer Front-Office` : 'National Volunteer Front-Office',
      regionCode,
      staff: regionCode ? (i < 7 ? 4 + i : 3 + (i % 4)) : 25,
      trainers: regionCode ? 2 : 8,
      equipmentItems: regionCode ? (i < 7 ? 10 + i * 3 : 8 + (i % 5) * 2) : 60,
      address: regionCode ? `${10 + i} ${street}, ${city}` : `8 ${street}, ${city}`,
      phone: `+7717${String(2100000 + i * 1117).slice(-7)}`,
      email: regionCode ? `front-office.${city.toLowerCase()}@volunteers.example.kz` : 'front-office@volunteers.example.kz',
      openingHours: regionCode ? 'Mon–Fri 09:00–18:00' : 'Mon–Fri 09:00–18:00, Sat 10:00–14:00',
      // The national office sits a little apart from Astana's.
      latitude: regionCode ? latitude : latitude + 0.0123,
      longitude: regionCode ? longitude : longitude + 0.0211,
    };
  });

  const opportunities: PlannedOpportunity[] = [];
  organizations.forEach((org, i) => {
    for (let k = 0; k < 2; k++) {
      const direction = org.directions[k % org.directions.length] ?? 'UMIT';
      const month = 1 + ((i + k * 5) % 11);
      const emergency = org.name.includes('Rescue') && k === 0;
      opportunities.push({
        id: demoId('opportunity', i * 2 + k),
        organizationId: org.id,
        title: emergency
          ? 'Flood response team'
          : `${org.name}: ${direction === 'TAZA_ALEM' ? 'clean-up day' : 'weekly programme'} ${k + 1}`,
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

  const upcomingOpportunities: UpcomingOpportunity[] = organizations.map((org, i) => {
    const [title, description, skillsNeeded, languages, online] = UPCOMING[i % UPCOMING.length]!;
    const [city, , latitude, longitude] = CENTRES[org.regionCode]!;
    const emergency = title.includes('Flood');
    const start = 5 + 2 * i;
    return {
      id: demoId('upcoming-opportunity', i),
      organizationId: org.id,
      title,
      description,
      regionCode: org.regionCode,
      place: online ? 'Online' : city,
      startsOn: calendarDay(start),
      endsOn: calendarDay(start + 1 + (i % 3) * 7),
      direction: org.directions[0] ?? 'UMIT',
      placesAvailable: 10 + ((i * 5) % 30),
      minimumAge: emergency ? 18 : [14, 16, 18][i % 3]!,
      minorRestricted: emergency,
      skillsNeeded,
      languages,
      online,
      latitude: online ? null : Math.round((latitude + 0.01 * ((i % 5) - 2)) * 10_000) / 10_000,
      longitude: online ? null : Math.round((longitude + 0.01 * ((i % 3) - 1)) * 10_000) / 10_000,
    };
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
  return { organizations, frontOffices, opportunities, upcomingOpportunities, volunteers, missionCandidates };
}

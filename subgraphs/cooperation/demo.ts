import type { Kysely } from 'kysely';
import { demoId, type DemoPlan, type PlannedVolunteer } from '../kit/demo-plan.ts';
import { insertAgreement, type AgreementType, type PartyRole } from './agreement/agreement.repository.ts';
import { insertAssignment } from './assignment/assignment.repository.ts';
import type { CooperationDB } from './migrations/tables.ts';
import {
  addToParticipantCount,
  insertMission,
  insertMissionResult,
  missionYear,
  type MissionStatus,
} from './mission/mission.repository.ts';
import { insertParticipation, type ParticipantRole } from './mission/participation.repository.ts';
import { insertPartner, type PartnerKind } from './partner/partner.repository.ts';
import { addMissionTotals, addRegionParticipants } from './totals/totals.repository.ts';

/** The organizations of the plan by name (their ids are fixed by the plan). */
function organizationId(plan: DemoPlan, name: string): string {
  const organization = plan.organizations.find((o) => o.name === name);
  if (!organization) throw new Error(`demo plan has no organization ${name}`);
  return organization.id;
}

const PARTNERS: { name: string; acronym: string; kind: PartnerKind; country: string; website: string }[] = [
  { name: 'United Nations Volunteers', acronym: 'UNV', kind: 'UN_AGENCY', country: 'DE', website: 'https://www.unv.org/' },
  {
    name: 'Nippon Overseas Volunteer Cooperation Agency',
    acronym: 'NOVCA',
    kind: 'FOREIGN_GOVERNMENT',
    country: 'JP',
    website: 'https://novca.example.org/',
  },
  {
    name: 'Korea Global Volunteer Service',
    acronym: 'KGVS',
    kind: 'FOREIGN_GOVERNMENT',
    country: 'KR',
    website: 'https://kgvs.example.org/',
  },
  {
    name: 'Anatolian Youth Solidarity Association',
    acronym: 'AYSA',
    kind: 'INTERNATIONAL_NGO',
    country: 'TR',
    website: 'https://aysa.example.org/',
  },
  {
    name: 'Harambee Volunteers Kenya',
    acronym: 'HVK',
    kind: 'FOREIGN_VOLUNTEER_ORGANIZATION',
    country: 'KE',
    website: 'https://harambee.example.org/',
  },
  { name: 'Jordan Youth Exchange Forum', acronym: 'JYEF', kind: 'INTERNATIONAL_NGO', country: 'JO', website: 'https://jyef.example.org/' },
];

/**
 * Loads the cooperation part of the demo, once: six partners, four agreements,
 * missions to Jordan, Kenya, Thailand and Turkey with adult volunteers of the
 * plan as participants (each mission's organizer a party to its agreement, each
 * volunteer on one mission at a time), and a UN Volunteer assignment. Rows are written through
 * the repositories (the rollups with them); eligibility is the volunteers
 * subgraph's to report, so participants are chosen among the plan's adults.
 */
export async function seedDemo(db: Kysely<CooperationDB>, plan: DemoPlan): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('partners').select('id').limit(1).executeTakeFirst();
    if (existing) return false;

    const partners = [];
    for (const [n, p] of PARTNERS.entries()) partners.push(await insertPartner(trx, { id: demoId('partner', n), ...p }));
    const [unv, novca, kgvs, aysa, harambee, jyef] = partners.map((p) => p.id) as [string, string, string, string, string, string];

    const qva = organizationId(plan, 'Qazaqstan Volunteers Association');
    const greenCity = organizationId(plan, 'Almaty Green City');
    const careNetwork = organizationId(plan, 'Shymkent Care Network');
    const ministry = organizationId(plan, 'Ministry of Culture and Information');
    const teachers = organizationId(plan, 'Turkistan Teachers for All');

    const party = (role: PartyRole, ref: { partnerId?: string; organizationId?: string }) => ({
      partnerId: ref.partnerId ?? null,
      organizationId: ref.organizationId ?? null,
      role,
    });
    const agreements: {
      title: string;
      type: AgreementType;
      validFrom: string;
      validTo: string | null;
      countries: string[];
      sdgTargets: string[];
      parties: ReturnType<typeof party>[];
    }[] = [
      {
        title: 'Memorandum on UN Volunteers support to the national volunteer programme',
        type: 'MEMORANDUM',
        validFrom: '2024-01-01',
        validTo: '2028-12-31',
        countries: ['KZ', 'JO', 'KE', 'TH', 'TR'],
        sdgTargets: ['17.9', '4.7', '16.7'],
        parties: [
          party('ACCOUNTABLE', { organizationId: ministry }),
          party('IMPLEMENTING', { partnerId: unv }),
          party('IMPLEMENTING', { organizationId: qva }),
          // The organizer of the Chiang Mai mission run under this memorandum (a mission's organizer is a party to its agreement).
          party('IMPLEMENTING', { organizationId: careNetwork }),
        ],
      },
      {
        title: 'Hosting agreement for volunteer teachers in Kenya',
        type: 'HOSTING',
        validFrom: '2025-06-01',
        validTo: '2027-05-31',
        countries: ['KE'],
        sdgTargets: ['4.1', '4.c'],
        parties: [
          party('IMPLEMENTING', { partnerId: harambee }),
          party('EXTENDING', { organizationId: qva }),
          party('IMPLEMENTING', { organizationId: teachers }),
        ],
      },
      {
        title: 'Funding agreement: community health volunteering in Thailand and Jordan',
        type: 'FUNDING',
        validFrom: '2025-01-01',
        validTo: '2026-12-31',
        countries: ['TH', 'JO'],
        sdgTargets: ['3.8', '3.d'],
        parties: [
          party('FUNDING', { partnerId: kgvs }),
          party('EXTENDING', { organizationId: careNetwork }),
          party('IMPLEMENTING', { partnerId: jyef }),
        ],
      },
      {
        title: 'Memorandum on youth environmental exchanges',
        type: 'MEMORANDUM',
        validFrom: '2025-03-01',
        validTo: null,
        countries: ['TR', 'JP'],
        sdgTargets: ['13.3', '15.1'],
        parties: [
          party('IMPLEMENTING', { partnerId: aysa }),
          party('FUNDING', { partnerId: novca }),
          party('ACCOUNTABLE', { organizationId: greenCity }),
        ],
      },
    ];
    const agreementIds: string[] = [];
    for (const [n, a] of agreements.entries())
      agreementIds.push((await insertAgreement(trx, { id: demoId('agreement', n), ...a })).agreement.id);

    // The plan's mission candidates: adults to whom the volunteers demo gives the 40 approved hours a participant needs.
    const shuffled = plan.missionCandidates;
    let next = 0;
    const take = (n: number): PlannedVolunteer[] => shuffled.slice(next, (next += n));

    const missions: {
      title: string;
      organizer: string;
      hostCountry: string;
      hostPartnerId: string;
      agreementId: string;
      startsOn: string;
      endsOn: string;
      purpose: string;
      sdgTargets: string[];
      places: number;
      status: MissionStatus;
      participants: number;
      results: { summary: string; indicator: string; value: number }[];
    }[] = [
      {
        title: 'Community health volunteers to Amman',
        organizer: careNetwork,
        hostCountry: 'JO',
        hostPartnerId: jyef,
        agreementId: agreementIds[2]!,
        startsOn: '2025-09-08',
        endsOn: '2025-10-03',
        purpose: 'Support of community health outreach with Jordanian youth volunteers.',
        sdgTargets: ['3.8'],
        places: 8,
        status: 'COMPLETED',
        participants: 6,
        results: [{ summary: 'Health outreach sessions held in three Amman districts', indicator: 'people reached', value: 1450 }],
      },
      {
        title: 'Volunteer teachers to Nairobi and Kisumu',
        organizer: qva,
        hostCountry: 'KE',
        hostPartnerId: harambee,
        agreementId: agreementIds[1]!,
        startsOn: '2026-01-12',
        endsOn: '2026-04-10',
        purpose: 'Teaching mathematics and IT in community schools.',
        sdgTargets: ['4.1', '4.c'],
        places: 10,
        status: 'UNDER_WAY',
        participants: 7,
        results: [{ summary: 'Weekly coding clubs set up in four schools', indicator: 'pupils enrolled', value: 180 }],
      },
      {
        title: 'Primary health care exchange in Chiang Mai',
        organizer: careNetwork,
        hostCountry: 'TH',
        hostPartnerId: unv,
        agreementId: agreementIds[0]!,
        startsOn: '2026-06-01',
        endsOn: '2026-07-15',
        purpose: 'Exchange of practice between volunteer care networks.',
        sdgTargets: ['3.d', '17.9'],
        places: 6,
        status: 'OPEN',
        participants: 4,
        results: [],
      },
      {
        title: 'Forest restoration camp in Anatolia',
        organizer: greenCity,
        hostCountry: 'TR',
        hostPartnerId: aysa,
        agreementId: agreementIds[3]!,
        startsOn: '2026-08-03',
        endsOn: '2026-08-24',
        purpose: 'Reforestation and wildfire prevention with Turkish youth volunteers.',
        sdgTargets: ['15.1', '13.3'],
        places: 12,
        status: 'PLANNED',
        participants: 3,
        results: [],
      },
    ];
    const roles: ParticipantRole[] = ['TEAM_LEADER', 'SPECIALIST'];
    for (const [n, m] of missions.entries()) {
      const mission = await insertMission(trx, { id: demoId('exchange-mission', n), ...m, organizingOrganizationId: m.organizer });
      const year = missionYear(mission);
      await addMissionTotals(
        trx,
        { year, hostCountry: m.hostCountry, hostPartnerId: m.hostPartnerId },
        { missions: 1, participants: m.participants },
      );
      for (const [k, volunteer] of take(m.participants).entries()) {
        await insertParticipation(trx, {
          id: demoId('mission-participation', n * 100 + k),
          missionId: mission.id,
          volunteerId: volunteer.id,
          regionCode: volunteer.regionCode,
          role: roles[k] ?? 'VOLUNTEER',
          outcome: m.status === 'COMPLETED' ? 'COMPLETED' : null,
        });
        await addRegionParticipants(trx, volunteer.regionCode, year, 1);
      }
      await addToParticipantCount(trx, mission.id, m.participants);
      for (const r of m.results) await insertMissionResult(trx, { missionId: mission.id, ...r });
    }

    const [unvVolunteer] = take(1);
    await insertAssignment(trx, {
      id: demoId('unv-assignment', 0),
      volunteerId: unvVolunteer!.id,
      modality: 'NATIONAL',
      hostEntity: 'UNDP Kazakhstan',
      hostPartnerId: unv,
      dutyStation: 'Astana',
      dutyCountry: 'KZ',
      startsOn: '2026-02-01',
      endsOn: '2027-01-31',
    });
    return true;
  });
}

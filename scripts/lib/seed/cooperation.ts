import { sql, type Kysely } from 'kysely';
import { demoId } from '../../../subgraphs/kit/demo-plan.ts';
import type { BulkTarget } from './bulk.ts';
import type { CopyValue } from './copy.ts';
import { AS_OF, FIRST_DAY, isMissionCandidate, LAST_DAY, type PlanVolunteer, type SeedPlan } from './plan.ts';
import type { Progress } from './progress.ts';
import { at, dayNumber, isoDay, random, seedOf } from './random.ts';
import type { SubgraphSeeder } from './seeder.ts';
import { hourRecordsOf } from './volunteers.ts';

const SDG = ['17.9', '4.7', '16.7', '4.1', '4.c', '3.8', '3.d', '13.3', '15.1', '11.5', '1.5', '5.5', '8.6', '10.2'];
/** The roadmap's exchange destinations come first. */
const HOST_COUNTRIES = ['JO', 'KE', 'TH', 'TR'];
const PURPOSES = [
  'Teaching and mentoring in community schools',
  'Community health outreach with local volunteers',
  'Disaster preparedness training exchange',
  'Environmental restoration camp',
  'Exchange of practice between volunteer centres',
  'Support to refugee and migrant families',
];
const MIN_MISSION_MINUTES = 40 * 60;

/**
 * The cooperation subgraph's generated rows: partners, agreements with their
 * IATI parties, exchange missions (most to Jordan, Kenya, Thailand and Turkey)
 * with participants who really are eligible (adults with at least 40 approved
 * hours in the generated hour records), funding grants, results, and UN
 * Volunteer assignments. Rollups are rebuilt from these rows.
 */
export const cooperationSeeder: SubgraphSeeder = {
  name: 'cooperation',
  markerTable: 'partners',
  async load(target: BulkTarget, plan: SeedPlan, progress: Progress) {
    const r = random(seedOf('cooperation'));
    const partners = plan.partners;
    let phase = progress.phase('partners and agreements', partners.length + plan.scale.agreements);
    await target.copy(
      'partners',
      ['id', 'name', 'acronym', 'kind', 'country', 'website', 'registered_at'],
      partners.map((p) => [p.id, p.name, p.acronym, p.kind, p.country, p.website, at(dayNumber('2022-06-01') + p.index * 17, 10 * 60)]),
      () => phase.tick(),
    );
    const domestic = plan.organizations.filter((o) => o.status === 'REGISTERED' && o.kind !== 'VOLUNTEER_GROUP' && o.weight > 1);
    const agreements: {
      id: string;
      validFrom: number;
      validTo: number | null;
      partnerIndex: number;
      organizationIndex: number;
      type: string;
    }[] = [];
    const agreementRows: CopyValue[][] = [];
    const parties: CopyValue[][] = [];
    for (let n = 0; n < Math.max(0, plan.scale.agreements - 4) && partners.length > 0 && domestic.length > 0; n++) {
      const partner = partners[n % partners.length]!;
      const organization = r.pick(domestic);
      const type = r.pick(['MEMORANDUM', 'MEMORANDUM', 'HOSTING', 'FUNDING']);
      const validFrom = dayNumber('2023-01-01') + r.int(0, 1200);
      const validTo = r.chance(0.2) ? null : validFrom + r.int(1, 4) * 365;
      const id = demoId('seed-agreement', n);
      agreements.push({ id, validFrom, validTo, partnerIndex: partner.index, organizationIndex: organization.index, type });
      agreementRows.push([
        id,
        `${type === 'HOSTING' ? 'Hosting agreement' : type === 'FUNDING' ? 'Funding agreement' : 'Memorandum of cooperation'} with ${partner.name}`,
        type,
        isoDay(validFrom),
        validTo === null ? null : isoDay(validTo),
        ['KZ', partner.country].filter((c, i, a) => a.indexOf(c) === i),
        [r.pick(SDG), r.pick(SDG)].filter((c, i, a) => a.indexOf(c) === i),
        at(validFrom - 10, 11 * 60),
      ]);
      const partnerRole = type === 'FUNDING' ? 'FUNDING' : 'IMPLEMENTING';
      parties.push([demoId('seed-agreement-party', n * 3), id, partner.id, null, partnerRole, 0]);
      parties.push([
        demoId('seed-agreement-party', n * 3 + 1),
        id,
        null,
        organization.id,
        type === 'HOSTING' ? 'EXTENDING' : 'ACCOUNTABLE',
        1,
      ]);
      if (r.chance(0.4)) {
        const other = r.pick(domestic);
        if (other.index !== organization.index)
          parties.push([demoId('seed-agreement-party', n * 3 + 2), id, null, other.id, 'IMPLEMENTING', 2]);
      }
      phase.tick();
    }
    await target.copy(
      'agreements',
      ['id', 'title', 'type', 'valid_from', 'valid_to', 'countries', 'sdg_targets', 'signed_at'],
      agreementRows,
    );
    await target.copy('agreement_parties', ['id', 'agreement_id', 'partner_id', 'organization_id', 'role', 'position'], parties);
    phase.done();

    // Candidates for missions: active adults whose generated approved hours reach the eligibility threshold.
    const missionCount = Math.max(0, plan.scale.missions - 4);
    const wanted = missionCount * 12 + plan.scale.unvAssignments;
    phase = progress.phase('mission candidates', wanted);
    // Each with the moment their approved hours (by the time of the decision) reached the threshold: eligible from then on.
    const candidates: PlanVolunteer[] = [];
    const eligibleFrom: number[] = [];
    for (const v of plan.volunteers()) {
      if (candidates.length >= wanted) break;
      if (!isMissionCandidate(v) || v.index % 7 !== 3) continue;
      const approved = [...hourRecordsOf(v, plan)]
        .filter((h) => h.status === 'APPROVED' && h.decidedAt)
        .sort((a, b) => a.decidedAt!.getTime() - b.decidedAt!.getTime());
      let minutes = 0;
      for (const h of approved) {
        minutes += h.minutes;
        if (minutes >= MIN_MISSION_MINUTES) {
          candidates.push(v);
          eligibleFrom.push(h.decidedAt!.getTime());
          phase.tick();
          break;
        }
      }
    }
    phase.done();
    /** Missions each candidate is on (not withdrawn), as [first, last] days: one at a time. */
    const busy = candidates.map(() => [] as [number, number][]);
    /** The next candidate not on this mission yet, eligible when added and free over its days, or null. */
    const nextFree = (taken: Set<number>, addedAt: Date, startsOn: number, endsOn: number): number | null => {
      for (let tries = 0; tries < candidates.length; tries++) {
        const c = next++ % candidates.length;
        if (taken.has(c) || eligibleFrom[c]! >= addedAt.getTime()) continue;
        if (busy[c]!.some(([a, b]) => a <= endsOn && startsOn <= b)) continue;
        return c;
      }
      return null;
    };

    const internationalGrants = plan.grants.filter((g) => plan.programmes[g.programmeIndex]!.funderKind === 'INTERNATIONAL_PARTNER');
    const missions: CopyValue[][] = [];
    const participants: CopyValue[][] = [];
    const missionGrants: CopyValue[][] = [];
    const results: CopyValue[][] = [];
    let next = 0;
    phase = progress.phase('exchange missions', missionCount);
    for (let n = 0; n < missionCount && partners.length > 0; n++) {
      const hostCountry = n % 5 === 4 ? r.pick(partners).country : HOST_COUNTRIES[n % HOST_COUNTRIES.length]!;
      const hosts = partners.filter((p) => p.country === hostCountry);
      const host = hosts.length > 0 ? r.pick(hosts) : r.pick(partners);
      const agreement = agreements.find((a) => a.partnerIndex === host.index);
      const organizer = agreement ? plan.organizations[agreement.organizationIndex]! : r.pick(domestic);
      const startsOn = FIRST_DAY + r.int(0, LAST_DAY + 240 - FIRST_DAY);
      const endsOn = startsOn + r.int(14, 90);
      const cancelled = r.chance(0.07);
      const status = cancelled
        ? 'CANCELLED'
        : endsOn < AS_OF
          ? 'COMPLETED'
          : startsOn <= AS_OF
            ? 'UNDER_WAY'
            : r.chance(0.6)
              ? 'OPEN'
              : 'PLANNED';
      const places = r.int(6, 16);
      const id = demoId('seed-exchange-mission', n);
      const purpose = r.pick(PURPOSES);
      missions.push([
        id,
        `${purpose} (${hostCountry}, ${isoDay(startsOn).slice(0, 7)})`,
        organizer.id,
        hostCountry,
        host.id,
        agreement?.id ?? null,
        isoDay(startsOn),
        isoDay(endsOn),
        purpose,
        [r.pick(SDG), '17.9'].filter((c, i, a) => a.indexOf(c) === i),
        places,
        status,
        at(Math.min(status === 'COMPLETED' ? endsOn + 1 : startsOn - 30, AS_OF - 1), 9 * 60),
        cancelled ? 'Cancelled: host partner could not receive the group' : null,
        at(startsOn - 120, 9 * 60),
      ]);
      // At national scale there are candidates enough for everyone to go once; small data sets send some twice.
      const count = Math.min(candidates.length, status === 'PLANNED' ? r.int(0, 3) : r.int(Math.min(4, places), places));
      const taken = new Set<number>();
      for (let k = 0; k < count; k++) {
        const addedAt = at(startsOn - r.int(20, 90), 12 * 60);
        const c = nextFree(taken, addedAt, startsOn, endsOn);
        if (c === null) continue;
        taken.add(c);
        const v = candidates[c]!;
        const outcome =
          status === 'COMPLETED' ? (r.chance(0.88) ? 'COMPLETED' : 'PARTIALLY_COMPLETED') : r.chance(0.05) ? 'WITHDRAWN' : null;
        if (outcome !== 'WITHDRAWN' && !cancelled) busy[c]!.push([startsOn, endsOn]);
        participants.push([
          demoId('seed-mission-participation', n * 100 + k),
          id,
          v.id,
          v.regionCode,
          k === 0 ? 'TEAM_LEADER' : r.chance(0.2) ? 'SPECIALIST' : 'VOLUNTEER',
          outcome,
          addedAt,
        ]);
      }
      if (internationalGrants.length > 0 && r.chance(0.6))
        missionGrants.push([id, r.pick(internationalGrants).id, at(startsOn - 60, 12 * 60)]);
      if (status === 'COMPLETED') {
        results.push([
          demoId('seed-mission-result', n),
          id,
          `${purpose}: done as planned`,
          r.pick(['people reached', 'volunteers trained', 'trees planted', 'lessons given']),
          r.int(40, 3000),
          at(endsOn + 10, 12 * 60),
        ]);
      }
      phase.tick();
    }
    await target.copy(
      'exchange_missions',
      [
        'id',
        'title',
        'organizing_organization_id',
        'host_country',
        'host_partner_id',
        'agreement_id',
        'starts_on',
        'ends_on',
        'purpose',
        'sdg_targets',
        'places',
        'status',
        'status_changed_at',
        'status_note',
        'created_at',
      ],
      missions,
    );
    await target.copy(
      'mission_participants',
      ['id', 'mission_id', 'volunteer_id', 'region_code', 'role', 'outcome', 'added_at'],
      participants,
    );
    await target.copy('mission_grants', ['mission_id', 'grant_id', 'linked_at'], missionGrants);
    await target.copy('mission_results', ['id', 'mission_id', 'summary', 'indicator', 'value', 'recorded_at'], results);
    phase.done(`${participants.length} participants`);

    const unPartners = partners.filter((p) => p.kind === 'UN_AGENCY');
    const assignments: CopyValue[][] = [];
    for (let n = 0; n < plan.scale.unvAssignments && candidates.length > 0; n++) {
      const v = candidates[next++ % candidates.length]!;
      const modality = r.pick(['NATIONAL', 'NATIONAL', 'INTERNATIONAL', 'ONLINE']);
      const partner = unPartners.length > 0 ? r.pick(unPartners) : null;
      const startsOn = FIRST_DAY + r.int(0, LAST_DAY - FIRST_DAY);
      const station =
        modality === 'NATIONAL'
          ? r.pick(['Astana', 'Almaty', 'Shymkent', 'Karaganda'])
          : modality === 'ONLINE'
            ? null
            : r.pick(['Bangkok', 'Nairobi', 'Amman', 'Istanbul']);
      const country =
        modality === 'NATIONAL'
          ? 'KZ'
          : modality === 'ONLINE'
            ? null
            : (({ Bangkok: 'TH', Nairobi: 'KE', Amman: 'JO', Istanbul: 'TR' } as Record<string, string>)[station ?? ''] ?? null);
      assignments.push([
        demoId('seed-unv-assignment', n),
        v.id,
        modality,
        r.pick(['UNDP Kazakhstan', 'UNICEF Kazakhstan', 'UNFPA Kazakhstan', 'UN Women Central Asia']),
        partner?.id ?? null,
        station,
        country,
        isoDay(startsOn),
        isoDay(startsOn + r.int(90, 365)),
        at(startsOn - 20, 10 * 60),
      ]);
    }
    phase = progress.phase('UN Volunteer assignments', assignments.length);
    await target.copy(
      'un_volunteer_assignments',
      [
        'id',
        'volunteer_id',
        'modality',
        'host_entity',
        'host_partner_id',
        'duty_station',
        'duty_country',
        'starts_on',
        'ends_on',
        'recorded_at',
      ],
      assignments,
      () => phase.tick(),
    );
    phase.done();
  },
  async rebuild(db: Kysely<any>) {
    await rebuildCooperationTotals(db);
  },
};

/**
 * Recomputes the cooperation rollups from the rows, with the write path's rule
 * (totals.repository.ts): participants not withdrawn, of missions not
 * cancelled, by home region and by host country and partner, in the year the
 * mission starts; a mission's participant count leaves out the withdrawn.
 */
export async function rebuildCooperationTotals(db: Kysely<any>): Promise<void> {
  await sql`
    delete from region_mission_participants;
    delete from mission_totals;
    update exchange_missions m set participant_count = (
      select count(*) from mission_participants p where p.mission_id = m.id and p.outcome is distinct from 'WITHDRAWN');
    insert into region_mission_participants (region_code, year, participants)
      select p.region_code, extract(year from m.starts_on)::int, count(*)
      from mission_participants p join exchange_missions m on m.id = p.mission_id
      where m.status <> 'CANCELLED' and p.outcome is distinct from 'WITHDRAWN' and p.region_code is not null
      group by 1, 2;
    insert into mission_totals (year, host_country, host_partner_id, missions, participants)
      select extract(year from m.starts_on)::int, m.host_country, m.host_partner_id, count(*), sum(m.participant_count)
      from exchange_missions m where m.status <> 'CANCELLED'
      group by 1, 2, 3;
  `.execute(db);
}

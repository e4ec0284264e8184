import type { Generated } from 'kysely';
import type { AuditDB, Int8 } from '../../kit/index.ts';
import type { AgreementType, PartyRole } from '../agreement/agreement.repository.ts';
import type { AssignmentModality } from '../assignment/assignment.repository.ts';
import type { MissionStatus } from '../mission/mission.repository.ts';
import type { ParticipantRole, ParticipationOutcome } from '../mission/participation.repository.ts';
import type { PartnerKind } from '../partner/partner.repository.ts';

/** Row types of the cooperation schema, beside the migrations that create them. */
export interface PartnerTable {
  id: Generated<string>;
  name: string;
  acronym: string | null;
  kind: PartnerKind;
  country: string;
  website: string | null;
  registered_at: Generated<Date>;
}

export interface AgreementTable {
  id: Generated<string>;
  title: string;
  type: AgreementType;
  valid_from: string;
  valid_to: string | null;
  countries: string[];
  sdg_targets: string[];
  signed_at: Generated<Date>;
}

export interface AgreementPartyTable {
  id: Generated<string>;
  agreement_id: string;
  partner_id: string | null;
  organization_id: string | null;
  role: PartyRole;
  position: number;
}

export interface ExchangeMissionTable {
  id: Generated<string>;
  title: string;
  organizing_organization_id: string;
  host_country: string;
  host_partner_id: string;
  agreement_id: string | null;
  starts_on: string;
  ends_on: string;
  purpose: string;
  sdg_targets: string[];
  places: number;
  participant_count: Generated<number>;
  status: Generated<MissionStatus>;
  status_changed_at: Generated<Date>;
  status_note: string | null;
  created_at: Generated<Date>;
}

export interface MissionParticipantTable {
  id: Generated<string>;
  mission_id: string;
  volunteer_id: string;
  region_code: string | null;
  role: ParticipantRole;
  outcome: ParticipationOutcome | null;
  added_at: Generated<Date>;
}

export interface MissionGrantTable {
  mission_id: string;
  grant_id: string;
  linked_at: Generated<Date>;
}

export interface MissionResultTable {
  id: Generated<string>;
  mission_id: string;
  summary: string;
  indicator: string | null;
  value: Int8 | null;
  recorded_at: Generated<Date>;
}

export interface UnVolunteerAssignmentTable {
  id: Generated<string>;
  volunteer_id: string;
  modality: AssignmentModality;
  host_entity: string;
  host_partner_id: string | null;
  duty_station: string | null;
  duty_country: string | null;
  starts_on: string;
  ends_on: string;
  recorded_at: Generated<Date>;
}

export interface RegionMissionParticipantsTable {
  region_code: string;
  year: number;
  participants: number;
}

export interface MissionTotalsTable {
  year: number;
  host_country: string;
  host_partner_id: string;
  missions: number;
  participants: number;
}

export interface CooperationDB extends AuditDB {
  partners: PartnerTable;
  agreements: AgreementTable;
  agreement_parties: AgreementPartyTable;
  exchange_missions: ExchangeMissionTable;
  mission_participants: MissionParticipantTable;
  mission_grants: MissionGrantTable;
  mission_results: MissionResultTable;
  un_volunteer_assignments: UnVolunteerAssignmentTable;
  region_mission_participants: RegionMissionParticipantsTable;
  mission_totals: MissionTotalsTable;
}

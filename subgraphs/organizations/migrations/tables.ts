import type { Generated, GeneratedAlways } from 'kysely';
import type { AuditDB } from '../../kit/index.ts';
import type { OpportunityStatus } from '../opportunity/opportunity.repository.ts';
import type { OrganizationKind, RegistryStatus } from '../organization/organization.repository.ts';

/** Row types of the organizations schema, beside the migrations that create them. */
export interface RegionTable {
  code: string;
  iso: string;
  kind: 'OBLAST' | 'CITY';
  name_kk: string;
  name_ru: string;
  name_en: string;
}

export interface OrganizationTable {
  id: Generated<string>;
  bin: string | null;
  name: string;
  kind: OrganizationKind;
  region_code: string;
  directions: string[];
  /** The current registry status; its history is in organization_status_changes. */
  status: Generated<RegistryStatus>;
  status_changed_at: Generated<Date>;
  status_reason: string | null;
  registered_at: Generated<Date>;
  contact_phone: string | null;
  contact_email: string | null;
  contact_address: string | null;
  contact_person: string | null;
  updated_at: Generated<Date>;
}

export interface OrganizationStatusChangeTable {
  id: Generated<string>;
  organization_id: string;
  status: RegistryStatus;
  reason: string;
  changed_at: Generated<Date>;
}

export interface FrontOfficeTable {
  id: Generated<string>;
  name: string;
  /** Null for the national front-office. */
  region_code: string | null;
  opened_on: Generated<string>;
  /** The current capacity: the latest snapshot of front_office_capacity, kept here for reads. */
  staff: Generated<number>;
  trainers: Generated<number>;
  equipment_items: Generated<number>;
  capacity_as_of: string;
  /** The directory entry (all optional). */
  address: string | null;
  phone: string | null;
  email: string | null;
  opening_hours: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface FrontOfficeCapacityTable {
  id: Generated<string>;
  front_office_id: string;
  as_of: string;
  staff: number;
  trainers: number;
  equipment_items: number;
  recorded_at: Generated<Date>;
}

export interface FrontOfficeTrainingTable {
  id: Generated<string>;
  front_office_id: string;
  held_on: string;
  topic: string;
  people_trained: number;
  recorded_at: Generated<Date>;
}

export interface OpportunityTable {
  id: Generated<string>;
  organization_id: string;
  title: string;
  description: string;
  region_code: string;
  place: string | null;
  starts_on: string;
  ends_on: string;
  direction: string;
  skills_needed: string[];
  places_available: number;
  minimum_age: number;
  minor_restricted: boolean;
  status: OpportunityStatus;
  created_at: Generated<Date>;
  status_changed_at: Generated<Date>;
  status_reason: string | null;
  updated_at: Generated<Date>;
  /** ISO 639-1 codes of the languages it is run in (kk, ru, en…). */
  languages: Generated<string[]>;
  online: Generated<boolean>;
  latitude: number | null;
  longitude: number | null;
  /** Generated: the full-text document of title and description ('simple' configuration). */
  search_document: GeneratedAlways<string>;
}

export interface OrganizationsDB extends AuditDB {
  regions: RegionTable;
  organizations: OrganizationTable;
  organization_status_changes: OrganizationStatusChangeTable;
  front_offices: FrontOfficeTable;
  front_office_capacity: FrontOfficeCapacityTable;
  front_office_trainings: FrontOfficeTrainingTable;
  opportunities: OpportunityTable;
}

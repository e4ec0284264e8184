import type { Generated } from 'kysely';
import type { AuditDB } from '../../kit/index.ts';

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
  kind: string;
  region_code: string;
  directions: string[];
  status: Generated<string>;
  status_changed_at: Generated<Date>;
  status_reason: string | null;
  registered_at: Generated<Date>;
}

export interface FrontOfficeTable {
  id: Generated<string>;
  name: string;
  region_code: string | null;
  staff: Generated<number>;
  trainers: Generated<number>;
  equipment_items: Generated<number>;
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
  status: string;
  created_at: Generated<Date>;
}

export interface OrganizationsDB extends AuditDB {
  regions: RegionTable;
  organizations: OrganizationTable;
  front_offices: FrontOfficeTable;
  opportunities: OpportunityTable;
}

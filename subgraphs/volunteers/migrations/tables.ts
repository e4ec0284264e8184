import type { Generated } from 'kysely';
import type { AuditDB, GeneratedInt8, Int8, OutboxDB, Sex } from '../../kit/index.ts';
import type { ApplicationStatus } from '../application/application.repository.ts';
import type { HourRecordStatus, HourSource, WorkSetting } from '../hour-record/hour-record.repository.ts';
import type { MembershipRole } from '../membership/membership.repository.ts';
import type { AgeBand } from '../volunteer/age.ts';
import type { RegistrationChannel } from '../volunteer/volunteer.repository.ts';

/** Row types of the volunteers schema, beside the migrations that create them. */
export interface VolunteerTable {
  id: Generated<string>;
  iin: string;
  first_name: string;
  last_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: Sex;
  region_code: string;
  skills: string[];
  languages: string[];
  phone: string | null;
  email: string | null;
  guardian_name: string | null;
  guardian_relationship: string | null;
  guardian_consent_on: string | null;
  guardian_recorded_by: string | null;
  registered_by: RegistrationChannel;
  account_subject: string | null;
  approved_minutes: GeneratedInt8;
  registered_at: Generated<Date>;
}

export interface MembershipTable {
  id: Generated<string>;
  volunteer_id: string;
  organization_id: string;
  role: MembershipRole;
  joined_at: Generated<Date>;
  left_at: Date | null;
}

export interface ApplicationTable {
  id: Generated<string>;
  volunteer_id: string;
  opportunity_id: string;
  organization_id: string;
  status: ApplicationStatus;
  motivation: string | null;
  applied_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
}

export interface OpportunityTotalsTable {
  opportunity_id: string;
  organization_id: string;
  applicant_count: Generated<number>;
  accepted_count: Generated<number>;
}

export interface HourRecordTable {
  id: Generated<string>;
  volunteer_id: string;
  organization_id: string;
  opportunity_id: string | null;
  work_date: string;
  minutes: number;
  region_code: string;
  activity_type: string;
  direction: string;
  setting: WorkSetting;
  education_requirement: boolean;
  during_paid_work_time: boolean;
  source: HourSource;
  status: HourRecordStatus;
  description: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  voided_by: string | null;
  voided_at: Date | null;
  void_reason: string | null;
  replaces_id: string | null;
}

export interface VolunteerDailyMinutesTable {
  volunteer_id: string;
  work_date: string;
  minutes: number;
}

export interface OrganizationVolunteerTotalsTable {
  organization_id: string;
  volunteer_count: number;
}

export interface RegionVolunteerTotalsTable {
  region_code: string;
  volunteer_count: number;
}

export interface OrganizationDailyHoursTable {
  organization_id: string;
  work_date: string;
  activity_type: string;
  minutes: Int8;
  ilo_minutes: Int8;
  records: number;
}

export interface RegionMonthlyHoursTable {
  region_code: string;
  year: number;
  month: number;
  activity_type: string;
  minutes: Int8;
  ilo_minutes: Int8;
  records: number;
}

/** Approved records per volunteer, year and region where the work was done (20261201000000-active-volunteers). */
export interface VolunteerRegionYearTable {
  volunteer_id: string;
  year: number;
  region_code: string;
  approved_records: number;
}

/** Volunteers active in a region in a year (at least one approved record there), by age band on 31 December. */
export interface RegionAgeBandYearTable {
  year: number;
  region_code: string;
  age_band: AgeBand;
  volunteers: number;
}

export interface ReplacementRateTable {
  year: number;
  activity_type: string;
  hourly_rate_minor: Int8;
  currency: Generated<string>;
  source: string;
}

/** registerMe attempts per account and day (20261207000000-self-registration-attempts). */
export interface SelfRegistrationAttemptTable {
  account_subject: string;
  day: string;
  attempts: number;
}

/** A person's notification (20261215000000-notifications). */
export interface NotificationTable {
  id: GeneratedInt8;
  volunteer_id: string;
  kind: string;
  event_id: number;
  subject_id: string;
  organization_id: string;
  facts: unknown;
  in_feed: boolean;
  created_at: Generated<Date>;
  read_at: Date | null;
  email_state: string;
  emailed_at: Date | null;
}

export interface NotificationPreferenceTable {
  volunteer_id: string;
  kind: string;
  channel: string;
  enabled: boolean;
}

export interface VolunteersDB extends AuditDB, OutboxDB {
  notifications: NotificationTable;
  notification_preferences: NotificationPreferenceTable;
  self_registration_attempts: SelfRegistrationAttemptTable;
  volunteers: VolunteerTable;
  memberships: MembershipTable;
  applications: ApplicationTable;
  opportunity_totals: OpportunityTotalsTable;
  hour_records: HourRecordTable;
  volunteer_daily_minutes: VolunteerDailyMinutesTable;
  organization_volunteer_totals: OrganizationVolunteerTotalsTable;
  region_volunteer_totals: RegionVolunteerTotalsTable;
  organization_daily_hours: OrganizationDailyHoursTable;
  region_monthly_hours: RegionMonthlyHoursTable;
  replacement_rates: ReplacementRateTable;
  volunteer_region_year: VolunteerRegionYearTable;
  region_age_band_year: RegionAgeBandYearTable;
}

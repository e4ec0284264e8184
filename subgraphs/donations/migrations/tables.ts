import type { Generated } from 'kysely';
import type { AuditDB, GeneratedInt8, Int8, OutboxDB } from '../../kit/index.ts';
import type { DonationFrequency, DonationKind, RecurringInterval } from '../donation/donation.repository.ts';
import type { DonorType, Residency } from '../donor/donor.repository.ts';
import type { GrantApplicationStatus } from '../grant/grant-application.repository.ts';
import type { FunderKind } from '../grant/grant-programme.repository.ts';
import type { GrantReportKind, GrantReportStatus } from '../grant/grant.repository.ts';

/**
 * Row types of the donations schema, beside the migrations that create them.
 * Money columns are bigint minor units: they read back as exact decimal text
 * (kit database parsers), become BigInt in the repositories and are written as
 * decimal strings of a BigInt, so no amount ever passes through a float.
 */
export type Minor = Int8;
export type GeneratedMinor = GeneratedInt8;

export interface ExchangeRateTable {
  currency: string;
  rate_date: string;
  /** KZT per one unit of the currency, times 10^6. */
  rate_micro: Minor;
  source: string;
  recorded_at: Generated<Date>;
}

export interface DonorTable {
  id: Generated<string>;
  type: DonorType;
  residency: Residency;
  name: string | null;
  /** Unique when set (donors_bin). */
  bin: string | null;
  /** Unique when set (donors_iin, migration 20261201100000-donors-iin-unique). */
  iin: string | null;
  country: string | null;
  organization_id: string | null;
  partner_id: string | null;
  registered_by_organization_id: string | null;
  registered_at: Generated<Date>;
}

/** Organizations whose coordinators may see a donor's personal data: who registered it, and every recipient. */
export interface DonorOrganizationTable {
  donor_id: string;
  organization_id: string;
}

export interface CampaignTable {
  id: Generated<string>;
  organization_id: string;
  title: string;
  description: string | null;
  goal_kzt: Minor;
  starts_on: string;
  ends_on: string;
  /** Running total in KZT tiyn: donations less refunds, kept in the same transaction as each entry. */
  raised_kzt: GeneratedMinor;
  donation_count: Generated<number>;
  created_at: Generated<Date>;
}

export interface ReceiptCounterTable {
  organization_id: string;
  year: number;
  last_number: number;
}

export interface DonationTable {
  id: string;
  donor_id: string;
  donor_type: DonorType;
  donor_residency: Residency;
  recipient_id: string;
  /** The recipient's region when the donation was recorded (from the organizations subgraph). */
  recipient_region_code: string;
  campaign_id: string | null;
  kind: DonationKind;
  in_kind_description: string | null;
  currency: string;
  amount_minor: Minor;
  rate_micro: Minor | null;
  rate_date: string | null;
  rate_source: string | null;
  amount_kzt: Minor;
  frequency: DonationFrequency;
  schedule_interval: RecurringInterval | null;
  schedule_starts_on: string | null;
  schedule_ends_on: string | null;
  donated_on: string;
  receipt_year: number;
  receipt_number: string;
  foreign_source: boolean;
  note: string | null;
  recorded_at: Generated<Date>;
}

export interface RefundTable {
  id: string;
  donation_id: string;
  amount_minor: Minor;
  amount_kzt: Minor;
  refunded_on: string;
  reason: string;
  recorded_at: Generated<Date>;
}

/** Net KZT per recipient and day: what `Organization.donationsReceived(from, to)` sums. */
export interface DonationDailyTotalTable {
  organization_id: string;
  day: string;
  amount_kzt: Minor;
  donation_count: number;
}

/** Net KZT per region, year and breakdown: what region and national totals sum. */
export interface DonationRegionTotalTable {
  region_code: string;
  year: number;
  donor_type: DonorType;
  residency: Residency;
  kind: DonationKind;
  foreign_source: boolean;
  amount_kzt: Minor;
  donation_count: number;
}

export interface IdempotencyKeyTable {
  operation: string;
  key: string;
  request_hash: string;
  entity_id: string;
  created_at: Generated<Date>;
}

export interface GrantProgrammeTable {
  id: Generated<string>;
  title: string;
  description: string | null;
  funder_kind: FunderKind;
  funder_name: string;
  funder_organization_id: string | null;
  funder_partner_id: string | null;
  currency: string;
  budget_minor: Minor;
  opens_on: string;
  closes_on: string;
  priorities: string[];
  min_grant_years: number;
  max_grant_years: number;
  /** Running totals of the programme's grants, kept in the same transaction as each award or payment. */
  awarded_minor: GeneratedMinor;
  disbursed_minor: GeneratedMinor;
  grant_count: Generated<number>;
  created_at: Generated<Date>;
}

export interface GrantApplicationTable {
  id: Generated<string>;
  programme_id: string;
  applicant_id: string;
  /** The applicant's region when the application was created (20261207000000-applicant-region); null before. */
  applicant_region_code: Generated<string | null>;
  title: string;
  summary: string | null;
  requested_minor: Minor;
  status: GrantApplicationStatus;
  submitted_at: Date | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: Generated<Date>;
}

export interface GrantTable {
  id: Generated<string>;
  programme_id: string;
  application_id: string;
  recipient_id: string;
  title: string;
  currency: string;
  amount_minor: Minor;
  award_date: string;
  period_start: string;
  period_end: string;
  disbursed_minor: GeneratedMinor;
  /** A backdated period an admin recorded as historical. */
  historical: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface GrantFunderTable {
  grant_id: string;
  position: number;
  funder_type: string;
  name: string;
  organization_id: string | null;
  partner_id: string | null;
  /** Share in basis points (10000 = 100%). */
  share_bp: number;
}

export interface DisbursementShareTable {
  disbursement_id: string;
  position: number;
  grant_id: string;
  funder_type: string;
  currency: string;
  amount_minor: Minor;
  amount_kzt: Minor | null;
  paid_on: string;
}

export interface PlannedDisbursementTable {
  id: Generated<string>;
  grant_id: string;
  programme_id: string;
  due_on: string;
  amount_minor: Minor;
}

export interface DisbursementTable {
  id: string;
  grant_id: string;
  programme_id: string;
  amount_minor: Minor;
  paid_on: string;
  reference: string | null;
  /** The official rate (KZT per unit × 10^6) and its day; null for KZT grants. */
  rate_micro: Minor | null;
  rate_date: string | null;
  rate_source: string | null;
  /** Null only for a payment of before the rates were kept that no rate covers. */
  amount_kzt: Minor | null;
  recorded_at: Generated<Date>;
}

export interface GrantReportTable {
  id: Generated<string>;
  grant_id: string;
  kind: GrantReportKind;
  due_on: string;
  status: Generated<GrantReportStatus>;
  summary: string | null;
  submitted_at: Date | null;
  accepted_at: Date | null;
}

/** Overdue grant reports reminded (20261215100000-grant-report-reminders). */
export interface GrantReportReminderTable {
  report_id: string;
  reminded_at: Generated<Date>;
  email: string | null;
}

export interface DonationsDB extends AuditDB, OutboxDB {
  grant_report_reminders: GrantReportReminderTable;
  exchange_rates: ExchangeRateTable;
  donors: DonorTable;
  donor_organizations: DonorOrganizationTable;
  campaigns: CampaignTable;
  receipt_counters: ReceiptCounterTable;
  donations: DonationTable;
  refunds: RefundTable;
  donation_daily_totals: DonationDailyTotalTable;
  donation_region_totals: DonationRegionTotalTable;
  idempotency_keys: IdempotencyKeyTable;
  grant_programmes: GrantProgrammeTable;
  grant_applications: GrantApplicationTable;
  grants: GrantTable;
  planned_disbursements: PlannedDisbursementTable;
  disbursements: DisbursementTable;
  grant_funders: GrantFunderTable;
  disbursement_shares: DisbursementShareTable;
  grant_reports: GrantReportTable;
}

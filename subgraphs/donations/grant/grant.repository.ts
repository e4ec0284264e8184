import { sql, type Kysely, type Selectable } from 'kysely';
import { firstPerParent, keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type {
  DisbursementShareTable,
  DisbursementTable,
  DonationsDB,
  GrantFunderTable,
  GrantReportTable,
  GrantTable,
} from '../migrations/tables.ts';
import { bigintOf, sqlMinor } from '../money/money.ts';
import type { DayIdKey } from '../common/cursors.ts';

export interface Grant {
  id: string;
  programmeId: string;
  applicationId: string;
  recipientId: string;
  title: string;
  currency: string;
  amountMinor: bigint;
  awardDate: string;
  periodStart: string;
  periodEnd: string;
  disbursedMinor: bigint;
  /** A backdated period an admin recorded as historical. */
  historical: boolean;
}

export function rowToGrant(row: Selectable<GrantTable>): Grant {
  return {
    id: row.id,
    programmeId: row.programme_id,
    applicationId: row.application_id,
    recipientId: row.recipient_id,
    title: row.title,
    currency: row.currency,
    amountMinor: bigintOf(row.amount_minor),
    awardDate: row.award_date,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    disbursedMinor: bigintOf(row.disbursed_minor),
    historical: row.historical,
  };
}

export async function findGrantsById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<Grant[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('grants').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToGrant);
}

export async function findGrantsOfApplications(db: Kysely<DonationsDB>, applicationIds: readonly string[]): Promise<Grant[]> {
  if (applicationIds.length === 0) return [];
  const rows = await db.selectFrom('grants').selectAll().where('application_id', 'in', applicationIds).execute();
  return rows.map(rowToGrant);
}

/** Locks a grant's row: payments on one grant are decided one at a time against what remains. */
export async function lockGrant(db: Kysely<DonationsDB>, id: string): Promise<Grant | null> {
  const row = await db.selectFrom('grants').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToGrant(row) : null;
}

export interface GrantFilter {
  programmeId?: string | undefined;
  recipientId?: string | undefined;
  funderOrganizationId?: string | undefined;
  funderPartnerId?: string | undefined;
}

export const grantCursor = (g: Grant): CursorKey => [g.awardDate, g.id];

/** One page, latest award first. */
export async function listGrants(db: Kysely<DonationsDB>, filter: GrantFilter, page: Page<DayIdKey>): Promise<Grant[]> {
  let query = db.selectFrom('grants').selectAll('grants');
  if (filter.programmeId) query = query.where('grants.programme_id', '=', filter.programmeId);
  if (filter.recipientId) query = query.where('grants.recipient_id', '=', filter.recipientId);
  if (filter.funderOrganizationId || filter.funderPartnerId) {
    let programmes = db.selectFrom('grant_programmes').select('id');
    if (filter.funderOrganizationId) programmes = programmes.where('funder_organization_id', '=', filter.funderOrganizationId);
    if (filter.funderPartnerId) programmes = programmes.where('funder_partner_id', '=', filter.funderPartnerId);
    query = query.where('grants.programme_id', 'in', programmes);
  }
  const rows = await keysetPage(query, page, ['grants.award_date', 'grants.id'], 'desc').execute();
  return rows.map(rowToGrant);
}

/** The first `limit` grants of each recipient or programme, in one statement (for lists of organizations or programmes). */
export async function firstGrantsBy(
  db: Kysely<DonationsDB>,
  column: 'recipient_id' | 'programme_id',
  ids: readonly string[],
  limit: number,
): Promise<Grant[]> {
  if (ids.length === 0) return [];
  const children = db.selectFrom('grants').selectAll().where(column, 'in', ids);
  return (await firstPerParent(db, children, column, ['award_date', 'id'], 'desc', limit)).map(rowToGrant);
}

export async function insertGrant(
  db: Kysely<DonationsDB>,
  g: Omit<Grant, 'id' | 'disbursedMinor' | 'historical'> & { id?: string; historical?: boolean },
): Promise<Grant> {
  const row = await db
    .insertInto('grants')
    .values({
      ...(g.id ? { id: g.id } : {}),
      programme_id: g.programmeId,
      application_id: g.applicationId,
      recipient_id: g.recipientId,
      title: g.title,
      currency: g.currency,
      amount_minor: sqlMinor(g.amountMinor),
      award_date: g.awardDate,
      period_start: g.periodStart,
      period_end: g.periodEnd,
      historical: g.historical ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToGrant(row);
}

export async function addDisbursedToGrant(db: Kysely<DonationsDB>, id: string, amountMinor: bigint): Promise<void> {
  await db
    .updateTable('grants')
    .set({ disbursed_minor: sql`disbursed_minor + ${sqlMinor(amountMinor)}::bigint` })
    .where('id', '=', id)
    .execute();
}

export interface PlannedDisbursement {
  grantId: string;
  dueOn: string;
  amountMinor: bigint;
}

export async function insertPlannedDisbursements(
  db: Kysely<DonationsDB>,
  grant: Pick<Grant, 'id' | 'programmeId'>,
  planned: readonly { dueOn: string; amountMinor: bigint }[],
): Promise<void> {
  if (planned.length === 0) return;
  await db
    .insertInto('planned_disbursements')
    .values(
      planned.map((p) => ({ grant_id: grant.id, programme_id: grant.programmeId, due_on: p.dueOn, amount_minor: sqlMinor(p.amountMinor) })),
    )
    .execute();
}

export async function findPlannedOfGrants(db: Kysely<DonationsDB>, grantIds: readonly string[]): Promise<PlannedDisbursement[]> {
  if (grantIds.length === 0) return [];
  const rows = await db
    .selectFrom('planned_disbursements')
    .select(['grant_id', 'due_on', 'amount_minor'])
    .where('grant_id', 'in', grantIds)
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ grantId: r.grant_id, dueOn: r.due_on, amountMinor: bigintOf(r.amount_minor) }));
}

export interface Disbursement {
  id: string;
  grantId: string;
  programmeId: string;
  amountMinor: bigint;
  date: string;
  reference: string | null;
  /** The official rate it was converted at (null for a KZT grant) and its KZT amount. */
  rate: { rateMicro: bigint; date: string; source: string } | null;
  amountKzt: bigint | null;
  recordedAt: Date;
}

export function rowToDisbursement(row: Selectable<DisbursementTable>): Disbursement {
  return {
    id: row.id,
    grantId: row.grant_id,
    programmeId: row.programme_id,
    amountMinor: bigintOf(row.amount_minor),
    date: row.paid_on,
    reference: row.reference,
    rate:
      row.rate_micro !== null && row.rate_date !== null
        ? { rateMicro: bigintOf(row.rate_micro), date: row.rate_date, source: row.rate_source ?? '' }
        : null,
    amountKzt: row.amount_kzt === null ? null : bigintOf(row.amount_kzt),
    recordedAt: row.recorded_at,
  };
}

export async function insertDisbursement(db: Kysely<DonationsDB>, d: Omit<Disbursement, 'recordedAt'>): Promise<Disbursement> {
  const row = await db
    .insertInto('disbursements')
    .values({
      id: d.id,
      grant_id: d.grantId,
      programme_id: d.programmeId,
      amount_minor: sqlMinor(d.amountMinor),
      paid_on: d.date,
      reference: d.reference,
      rate_micro: d.rate ? sqlMinor(d.rate.rateMicro) : null,
      rate_date: d.rate?.date ?? null,
      rate_source: d.rate?.source ?? null,
      amount_kzt: d.amountKzt === null ? null : sqlMinor(d.amountKzt),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToDisbursement(row);
}

export async function findDisbursementsById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<Disbursement[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('disbursements').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToDisbursement);
}

export async function findDisbursementsOfGrants(db: Kysely<DonationsDB>, grantIds: readonly string[]): Promise<Disbursement[]> {
  if (grantIds.length === 0) return [];
  const rows = await db
    .selectFrom('disbursements')
    .selectAll()
    .where('grant_id', 'in', grantIds)
    .orderBy('paid_on')
    .orderBy('recorded_at')
    .execute();
  return rows.map(rowToDisbursement);
}

export type GrantReportKind = 'INTERIM' | 'FINAL';
export type GrantReportStatus = 'DUE' | 'SUBMITTED' | 'ACCEPTED';

export interface GrantReport {
  id: string;
  grantId: string;
  kind: GrantReportKind;
  dueOn: string;
  status: GrantReportStatus;
  summary: string | null;
  submittedAt: Date | null;
  acceptedAt: Date | null;
}

export function rowToReport(row: Selectable<GrantReportTable>): GrantReport {
  return {
    id: row.id,
    grantId: row.grant_id,
    kind: row.kind,
    dueOn: row.due_on,
    status: row.status,
    summary: row.summary,
    submittedAt: row.submitted_at,
    acceptedAt: row.accepted_at,
  };
}

export async function insertReports(
  db: Kysely<DonationsDB>,
  grantId: string,
  reports: readonly { kind: GrantReportKind; dueOn: string }[],
): Promise<void> {
  if (reports.length === 0) return;
  await db
    .insertInto('grant_reports')
    .values(
      reports.map((r) => ({ grant_id: grantId, kind: r.kind, due_on: r.dueOn, summary: null, submitted_at: null, accepted_at: null })),
    )
    .execute();
}

export async function findReportsById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<GrantReport[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('grant_reports').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToReport);
}

export async function findReportsOfGrants(db: Kysely<DonationsDB>, grantIds: readonly string[]): Promise<GrantReport[]> {
  if (grantIds.length === 0) return [];
  const rows = await db.selectFrom('grant_reports').selectAll().where('grant_id', 'in', grantIds).orderBy('due_on').orderBy('id').execute();
  return rows.map(rowToReport);
}

/** Submits a due report, or accepts a submitted one; null when the report was not in the expected status. */
export async function transitionReport(
  db: Kysely<DonationsDB>,
  id: string,
  from: GrantReportStatus,
  to: GrantReportStatus,
  summary?: string,
): Promise<GrantReport | null> {
  const row = await db
    .updateTable('grant_reports')
    .set(
      to === 'SUBMITTED'
        ? { status: to, summary: summary ?? null, submitted_at: sql<Date>`now()` }
        : { status: to, accepted_at: sql<Date>`now()` },
    )
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
  return row ? rowToReport(row) : null;
}

/** Whose grants a caller is a party to: recipients' coordinators and funders' staff. Null: every grant. */
export interface PartyScope {
  organizationIds: readonly string[];
  partnerId: string | null;
}

export const reportCursor = (r: GrantReport): CursorKey => [r.dueOn, r.id];

/** Reports still due after their due date, oldest due first. */
export async function listOverdueReports(
  db: Kysely<DonationsDB>,
  asOf: string,
  filter: GrantFilter,
  scope: PartyScope | null,
  page: Page<DayIdKey>,
): Promise<GrantReport[]> {
  let query = db
    .selectFrom('grant_reports as r')
    .innerJoin('grants as g', 'g.id', 'r.grant_id')
    .innerJoin('grant_programmes as p', 'p.id', 'g.programme_id')
    .selectAll('r')
    .where('r.status', '=', 'DUE')
    .where('r.due_on', '<', asOf);
  if (filter.programmeId) query = query.where('g.programme_id', '=', filter.programmeId);
  if (filter.recipientId) query = query.where('g.recipient_id', '=', filter.recipientId);
  if (filter.funderOrganizationId) query = query.where('p.funder_organization_id', '=', filter.funderOrganizationId);
  if (filter.funderPartnerId) query = query.where('p.funder_partner_id', '=', filter.funderPartnerId);
  if (scope) {
    const { organizationIds, partnerId } = scope;
    query = query.where((eb) =>
      eb.or([
        ...(organizationIds.length
          ? [eb('g.recipient_id', 'in', organizationIds), eb('p.funder_organization_id', 'in', organizationIds)]
          : []),
        ...(partnerId ? [eb('p.funder_partner_id', '=', partnerId)] : []),
        eb.val(false),
      ]),
    );
  }
  const rows = await keysetPage(query, page, ['r.due_on', 'r.id']).execute();
  return rows.map(rowToReport);
}

export type FunderType = 'STATE' | 'PRIVATE' | 'DOMESTIC' | 'INTERNATIONAL';

/** One funder of a grant: its type, who it is, and its share in basis points (10000 = 100%). */
export interface GrantCoFunder {
  grantId: string;
  position: number;
  type: FunderType;
  name: string;
  organizationId: string | null;
  partnerId: string | null;
  shareBp: number;
}

const rowToCoFunder = (row: Selectable<GrantFunderTable>): GrantCoFunder => ({
  grantId: row.grant_id,
  position: row.position,
  type: row.funder_type as FunderType,
  name: row.name,
  organizationId: row.organization_id,
  partnerId: row.partner_id,
  shareBp: row.share_bp,
});

export async function insertGrantFunders(db: Kysely<DonationsDB>, funders: readonly GrantCoFunder[]): Promise<void> {
  await db
    .insertInto('grant_funders')
    .values(
      funders.map((f) => ({
        grant_id: f.grantId,
        position: f.position,
        funder_type: f.type,
        name: f.name,
        organization_id: f.organizationId,
        partner_id: f.partnerId,
        share_bp: f.shareBp,
      })),
    )
    .execute();
}

export async function findFundersOfGrants(db: Kysely<DonationsDB>, grantIds: readonly string[]): Promise<GrantCoFunder[]> {
  if (grantIds.length === 0) return [];
  const rows = await db
    .selectFrom('grant_funders')
    .selectAll()
    .where('grant_id', 'in', grantIds)
    .orderBy('grant_id')
    .orderBy('position')
    .execute();
  return rows.map(rowToCoFunder);
}

/** One funder's part of one payment, in the grant's currency and in KZT. */
export interface DisbursementShare {
  disbursementId: string;
  position: number;
  grantId: string;
  type: FunderType;
  currency: string;
  amountMinor: bigint;
  amountKzt: bigint | null;
  date: string;
}

const rowToShare = (row: Selectable<DisbursementShareTable>): DisbursementShare => ({
  disbursementId: row.disbursement_id,
  position: row.position,
  grantId: row.grant_id,
  type: row.funder_type as FunderType,
  currency: row.currency,
  amountMinor: bigintOf(row.amount_minor),
  amountKzt: row.amount_kzt === null ? null : bigintOf(row.amount_kzt),
  date: row.paid_on,
});

export async function insertDisbursementShares(db: Kysely<DonationsDB>, shares: readonly DisbursementShare[]): Promise<void> {
  await db
    .insertInto('disbursement_shares')
    .values(
      shares.map((s) => ({
        disbursement_id: s.disbursementId,
        position: s.position,
        grant_id: s.grantId,
        funder_type: s.type,
        currency: s.currency,
        amount_minor: sqlMinor(s.amountMinor),
        amount_kzt: s.amountKzt === null ? null : sqlMinor(s.amountKzt),
        paid_on: s.date,
      })),
    )
    .execute();
}

export async function findSharesOfDisbursements(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<DisbursementShare[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('disbursement_shares')
    .selectAll()
    .where('disbursement_id', 'in', ids)
    .orderBy('disbursement_id')
    .orderBy('position')
    .execute();
  return rows.map(rowToShare);
}

export interface FunderTypeTotalRow {
  type: FunderType;
  currency: string;
  disbursedMinor: bigint;
  disbursedKzt: bigint;
  /** Shares of payments no official rate converts (kept before rates were stored): not in disbursedKzt. */
  unconverted: number;
}

/** Payments attributed to funders, summed per funder type and currency (paid between from and to). */
export async function fundedTotalsByType(
  db: Kysely<DonationsDB>,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<FunderTypeTotalRow[]> {
  let query = db
    .selectFrom('disbursement_shares')
    .select([
      'funder_type',
      'currency',
      sql<string>`sum(amount_minor)::text`.as('amount_minor'),
      sql<string>`coalesce(sum(amount_kzt), 0)::text`.as('amount_kzt'),
      sql<number>`(count(*) - count(amount_kzt))::int`.as('unconverted'),
    ]);
  if (range.from) query = query.where('paid_on', '>=', range.from);
  if (range.to) query = query.where('paid_on', '<=', range.to);
  const rows = await query.groupBy(['funder_type', 'currency']).orderBy('funder_type').orderBy('currency').execute();
  return rows.map((r) => ({
    type: r.funder_type as FunderType,
    currency: r.currency,
    disbursedMinor: bigintOf(r.amount_minor),
    disbursedKzt: bigintOf(r.amount_kzt),
    unconverted: r.unconverted,
  }));
}

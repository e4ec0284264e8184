import { sql, type Kysely, type Selectable } from 'kysely';
import { firstPerParent, keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { ApplicationTable, VolunteersDB } from '../migrations/tables.ts';

export type ApplicationStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'WITHDRAWN';

export interface Application {
  id: string;
  volunteerId: string;
  opportunityId: string;
  organizationId: string;
  status: ApplicationStatus;
  motivation: string | null;
  appliedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

export function rowToApplication(row: Selectable<ApplicationTable>): Application {
  return {
    id: row.id,
    volunteerId: row.volunteer_id,
    opportunityId: row.opportunity_id,
    organizationId: row.organization_id,
    status: row.status,
    motivation: row.motivation,
    appliedAt: row.applied_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
  };
}

/** The partial unique index that allows one live application per volunteer and opportunity. */
export const ACTIVE_APPLICATION_INDEX = 'applications_active';

export async function findApplicationsById(db: Kysely<VolunteersDB>, ids: readonly string[]): Promise<Application[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('applications').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToApplication);
}

/** Organizations each volunteer has a live (pending or accepted) application with. */
export async function findLiveApplicationOrganizations(
  db: Kysely<VolunteersDB>,
  volunteerIds: readonly string[],
): Promise<{ volunteerId: string; organizationId: string }[]> {
  if (volunteerIds.length === 0) return [];
  const rows = await db
    .selectFrom('applications')
    .select(['volunteer_id', 'organization_id'])
    .distinct()
    .where('volunteer_id', 'in', volunteerIds)
    .where('status', 'in', ['PENDING', 'ACCEPTED'])
    .execute();
  return rows.map((r) => ({ volunteerId: r.volunteer_id, organizationId: r.organization_id }));
}

export async function insertApplication(
  db: Kysely<VolunteersDB>,
  input: {
    id?: string;
    volunteerId: string;
    opportunityId: string;
    organizationId: string;
    motivation: string | null;
    status?: ApplicationStatus;
  },
): Promise<Application> {
  const row = await db
    .insertInto('applications')
    .values({
      ...(input.id ? { id: input.id } : {}),
      volunteer_id: input.volunteerId,
      opportunity_id: input.opportunityId,
      organization_id: input.organizationId,
      status: input.status ?? 'PENDING',
      motivation: input.motivation,
      decided_by: null,
      decided_at: null,
      reason: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToApplication(row);
}

/** Conditional transition: null when the application was no longer in an expected status. */
export async function transitionApplication(
  db: Kysely<VolunteersDB>,
  id: string,
  expected: readonly ApplicationStatus[],
  change: { status: ApplicationStatus; decidedBy: string | null; reason: string | null },
): Promise<Application | null> {
  const row = await db
    .updateTable('applications')
    .set({ status: change.status, decided_by: change.decidedBy, decided_at: sql<Date>`now()`, reason: change.reason })
    .where('id', '=', id)
    .where('status', 'in', expected)
    .returningAll()
    .executeTakeFirst();
  return row ? rowToApplication(row) : null;
}

// ---- per-opportunity counts ---------------------------------------------

export interface OpportunityTotals {
  opportunityId: string;
  organizationId: string;
  applicantCount: number;
  acceptedCount: number;
}

export async function findOpportunityTotals(db: Kysely<VolunteersDB>, ids: readonly string[]): Promise<OpportunityTotals[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('opportunity_totals').selectAll().where('opportunity_id', 'in', ids).execute();
  return rows.map((r) => ({
    opportunityId: r.opportunity_id,
    organizationId: r.organization_id,
    applicantCount: r.applicant_count,
    acceptedCount: r.accepted_count,
  }));
}

/** One more applicant (an upsert: the first application creates the row), or one fewer. */
export async function addApplicants(db: Kysely<VolunteersDB>, opportunityId: string, organizationId: string, delta: 1 | -1): Promise<void> {
  if (delta < 0) {
    // A negative insert would fail its check before ON CONFLICT: decrements update the existing row.
    await db
      .updateTable('opportunity_totals')
      .set((eb) => ({ applicant_count: eb('applicant_count', '-', 1) }))
      .where('opportunity_id', '=', opportunityId)
      .execute();
    return;
  }
  await db
    .insertInto('opportunity_totals')
    .values({ opportunity_id: opportunityId, organization_id: organizationId, applicant_count: delta, accepted_count: 0 })
    .onConflict((oc) =>
      oc
        .column('opportunity_id')
        .doUpdateSet((eb) => ({ applicant_count: eb('opportunity_totals.applicant_count', '+', eb.ref('excluded.applicant_count')) })),
    )
    .execute();
}

/**
 * Takes one place if one is left: a conditional update, so two coordinators
 * accepting the last place at once cannot both succeed. False when full.
 */
export async function takePlace(db: Kysely<VolunteersDB>, opportunityId: string, placesAvailable: number): Promise<boolean> {
  const result = await db
    .updateTable('opportunity_totals')
    .set((eb) => ({ accepted_count: eb('accepted_count', '+', 1) }))
    .where('opportunity_id', '=', opportunityId)
    .where('accepted_count', '<', placesAvailable)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releasePlace(db: Kysely<VolunteersDB>, opportunityId: string): Promise<void> {
  await db
    .updateTable('opportunity_totals')
    .set((eb) => ({ accepted_count: eb('accepted_count', '-', 1) }))
    .where('opportunity_id', '=', opportunityId)
    .execute();
}

// ---- pages ------------------------------------------------------------

export type ApplicationKey = readonly [string, string];
export const applicationCursor = (a: Application): CursorKey => [a.appliedAt.toISOString(), a.id];

export interface ApplicationFilter {
  volunteerId?: string;
  opportunityId?: string;
  status?: ApplicationStatus | null;
}

/** One page, oldest first: ordered by (applied_at, id). */
export async function listApplications(
  db: Kysely<VolunteersDB>,
  filter: ApplicationFilter,
  page: Page<ApplicationKey>,
): Promise<Application[]> {
  let query = db.selectFrom('applications').selectAll();
  if (filter.volunteerId) query = query.where('volunteer_id', '=', filter.volunteerId);
  if (filter.opportunityId) query = query.where('opportunity_id', '=', filter.opportunityId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await keysetPage(query, page, ['applied_at', 'id']).execute();
  return rows.map(rowToApplication);
}

/** The first `limit` applications of each parent (volunteer or opportunity), in one statement. */
export async function firstApplicationsOf(
  db: Kysely<VolunteersDB>,
  parent: 'volunteer_id' | 'opportunity_id',
  parentIds: readonly string[],
  status: ApplicationStatus | null,
  limit: number,
): Promise<Application[]> {
  if (parentIds.length === 0) return [];
  const children = db
    .selectFrom('applications')
    .selectAll()
    .where(parent, 'in', parentIds)
    .$if(status !== null, (q) => q.where('status', '=', status!));
  return (await firstPerParent(db, children, parent, ['applied_at', 'id'], 'asc', limit)).map(rowToApplication);
}

/** Locks one application for the rest of the transaction. */
export async function lockApplication(db: Kysely<VolunteersDB>, id: string): Promise<Application | null> {
  const row = await db.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToApplication(row) : null;
}

export async function hasAcceptedApplication(db: Kysely<VolunteersDB>, volunteerId: string, opportunityId: string): Promise<boolean> {
  const row = await db
    .selectFrom('applications')
    .select('id')
    .where('volunteer_id', '=', volunteerId)
    .where('opportunity_id', '=', opportunityId)
    .where('status', '=', 'ACCEPTED')
    .executeTakeFirst();
  return !!row;
}

/**
 * Whether the volunteer has an accepted application to any opportunity of the
 * organization. The rows are share-locked for the rest of the transaction, so a
 * withdrawal racing with the write that relies on them waits for it.
 */
export async function hasAcceptedApplicationWithOrganization(
  db: Kysely<VolunteersDB>,
  volunteerId: string,
  organizationId: string,
): Promise<boolean> {
  const rows = await db
    .selectFrom('applications')
    .select('id')
    .where('volunteer_id', '=', volunteerId)
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'ACCEPTED')
    .forShare()
    .execute();
  return rows.length > 0;
}

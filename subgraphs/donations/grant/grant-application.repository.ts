import { sql, type Kysely, type Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { DonationsDB, GrantApplicationTable } from '../migrations/tables.ts';
import { bigintOf, sqlMinor } from '../money/money.ts';
import type { TimestampIdKey } from '../common/cursors.ts';

export type GrantApplicationStatus = 'DRAFT' | 'SUBMITTED' | 'AWARDED' | 'REJECTED';

export interface GrantApplication {
  id: string;
  programmeId: string;
  applicantId: string;
  title: string;
  summary: string | null;
  requestedMinor: bigint;
  status: GrantApplicationStatus;
  submittedAt: Date | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  createdAt: Date;
  createdAtKey: string;
}

type ApplicationRow = Selectable<GrantApplicationTable> & { created_at_key: string };

export function rowToApplication(row: ApplicationRow): GrantApplication {
  return {
    id: row.id,
    programmeId: row.programme_id,
    applicantId: row.applicant_id,
    title: row.title,
    summary: row.summary,
    requestedMinor: bigintOf(row.requested_minor),
    status: row.status,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    createdAt: row.created_at,
    createdAtKey: row.created_at_key,
  };
}

const createdAtKey = sql<string>`grant_applications.created_at::text`.as('created_at_key');

export async function findApplicationsById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<GrantApplication[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('grant_applications').selectAll().select(createdAtKey).where('id', 'in', ids).execute();
  return rows.map(rowToApplication);
}

export interface GrantApplicationFilter {
  programmeId?: string | undefined;
  applicantId?: string | undefined;
  status?: GrantApplicationStatus | undefined;
}

export const applicationCursor = (a: GrantApplication): CursorKey => [a.createdAtKey, a.id];

/** One page, newest first. */
export async function listApplications(
  db: Kysely<DonationsDB>,
  filter: GrantApplicationFilter,
  page: Page<TimestampIdKey>,
): Promise<GrantApplication[]> {
  let query = db.selectFrom('grant_applications').selectAll().select(createdAtKey);
  if (filter.programmeId) query = query.where('programme_id', '=', filter.programmeId);
  if (filter.applicantId) query = query.where('applicant_id', '=', filter.applicantId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await keysetPage(query, page, ['created_at', 'id'], 'desc').execute();
  return rows.map(rowToApplication);
}

export async function insertApplication(
  db: Kysely<DonationsDB>,
  a: {
    id?: string;
    programmeId: string;
    applicantId: string;
    applicantRegionCode: string | null;
    title: string;
    summary: string | null;
    requestedMinor: bigint;
    status?: GrantApplicationStatus;
    submittedAt?: Date | null;
  },
): Promise<GrantApplication> {
  const row = await db
    .insertInto('grant_applications')
    .values({
      ...(a.id ? { id: a.id } : {}),
      programme_id: a.programmeId,
      applicant_id: a.applicantId,
      applicant_region_code: a.applicantRegionCode,
      title: a.title,
      summary: a.summary,
      requested_minor: sqlMinor(a.requestedMinor),
      status: a.status ?? 'DRAFT',
      submitted_at: a.submittedAt ?? null,
      decided_at: null,
      decision_reason: null,
    })
    .returningAll()
    .returning(createdAtKey)
    .executeTakeFirstOrThrow();
  return rowToApplication(row as ApplicationRow);
}

/**
 * Moves an application from one status to the next only if it is still in the
 * first: of two racing decisions exactly one finds it there. Null when it was not.
 */
export async function transitionApplication(
  db: Kysely<DonationsDB>,
  id: string,
  from: GrantApplicationStatus,
  to: GrantApplicationStatus,
  decisionReason: string | null = null,
): Promise<GrantApplication | null> {
  const row = await db
    .updateTable('grant_applications')
    .set({
      status: to,
      ...(to === 'SUBMITTED' ? { submitted_at: sql<Date>`now()` } : { decided_at: sql<Date>`now()`, decision_reason: decisionReason }),
    })
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .returning(createdAtKey)
    .executeTakeFirst();
  return row ? rowToApplication(row as ApplicationRow) : null;
}

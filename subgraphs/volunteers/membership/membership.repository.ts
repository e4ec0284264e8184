import type { Kysely, Selectable } from 'kysely';
import type { MembershipTable, VolunteersDB } from '../migrations/tables.ts';

export type MembershipRole = 'MEMBER' | 'COORDINATOR';

export interface Membership {
  id: string;
  volunteerId: string;
  organizationId: string;
  role: MembershipRole;
  joinedAt: Date;
  leftAt: Date | null;
}

export function rowToMembership(row: Selectable<MembershipTable>): Membership {
  return {
    id: row.id,
    volunteerId: row.volunteer_id,
    organizationId: row.organization_id,
    role: row.role,
    joinedAt: row.joined_at,
    leftAt: row.left_at,
  };
}

/** Current memberships of each volunteer. */
export async function findActiveMemberships(db: Kysely<VolunteersDB>, volunteerIds: readonly string[]): Promise<Membership[]> {
  if (volunteerIds.length === 0) return [];
  const rows = await db
    .selectFrom('memberships')
    .selectAll()
    .where('volunteer_id', 'in', volunteerIds)
    .where('left_at', 'is', null)
    .orderBy('joined_at')
    .orderBy('id')
    .execute();
  return rows.map(rowToMembership);
}

/** A volunteer's current membership of one organization, locked until the transaction ends (role changes queue). */
export async function findActiveMembershipForUpdate(
  db: Kysely<VolunteersDB>,
  volunteerId: string,
  organizationId: string,
): Promise<Membership | null> {
  const row = await db
    .selectFrom('memberships')
    .selectAll()
    .where('volunteer_id', '=', volunteerId)
    .where('organization_id', '=', organizationId)
    .where('left_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row ? rowToMembership(row) : null;
}

export async function insertMembership(
  db: Kysely<VolunteersDB>,
  input: { volunteerId: string; organizationId: string; role: MembershipRole },
): Promise<Membership> {
  const row = await db
    .insertInto('memberships')
    .values({ volunteer_id: input.volunteerId, organization_id: input.organizationId, role: input.role, left_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToMembership(row);
}

/** Ends the current membership; null when there was none (or a racing call ended it first). */
export async function endActiveMembership(
  db: Kysely<VolunteersDB>,
  volunteerId: string,
  organizationId: string,
): Promise<Membership | null> {
  const row = await db
    .updateTable('memberships')
    .set({ left_at: new Date() })
    .where('volunteer_id', '=', volunteerId)
    .where('organization_id', '=', organizationId)
    .where('left_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ? rowToMembership(row) : null;
}

/**
 * Changes the role of a current membership: a conditional update, so of two
 * racing changes one wins. Null when there is no current membership with
 * another role (none at all, or it already has this role).
 */
export async function changeActiveMembershipRole(
  db: Kysely<VolunteersDB>,
  input: { volunteerId: string; organizationId: string; role: MembershipRole },
): Promise<Membership | null> {
  const row = await db
    .updateTable('memberships')
    .set({ role: input.role })
    .where('volunteer_id', '=', input.volunteerId)
    .where('organization_id', '=', input.organizationId)
    .where('left_at', 'is', null)
    .where('role', '<>', input.role)
    .returningAll()
    .executeTakeFirst();
  return row ? rowToMembership(row) : null;
}

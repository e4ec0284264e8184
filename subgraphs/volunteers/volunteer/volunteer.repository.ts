import { sql, type Kysely, type Selectable } from 'kysely';
import { int8ToCount, keysetPage, type CursorKey, type Page, type Sex } from '../../kit/index.ts';
import type { VolunteersDB, VolunteerTable } from '../migrations/tables.ts';

export type RegistrationChannel = 'SELF' | 'FRONT_OFFICE';

export interface GuardianConsent {
  guardianName: string;
  relationship: string;
  givenOn: string;
  recordedBy: string | null;
}

export interface Volunteer {
  id: string;
  iin: string;
  firstName: string;
  lastName: string;
  patronymic: string | null;
  birthDate: string;
  sex: Sex;
  regionCode: string;
  skills: string[];
  languages: string[];
  phone: string | null;
  email: string | null;
  guardianConsent: GuardianConsent | null;
  registeredBy: RegistrationChannel;
  accountSubject: string | null;
  approvedMinutes: number;
  registeredAt: Date;
}

export function rowToVolunteer(row: Selectable<VolunteerTable>): Volunteer {
  return {
    id: row.id,
    iin: row.iin,
    firstName: row.first_name,
    lastName: row.last_name,
    patronymic: row.patronymic,
    birthDate: row.birth_date,
    sex: row.sex,
    regionCode: row.region_code,
    skills: row.skills,
    languages: row.languages,
    phone: row.phone,
    email: row.email,
    guardianConsent:
      row.guardian_name && row.guardian_consent_on
        ? {
            guardianName: row.guardian_name,
            relationship: row.guardian_relationship ?? 'GUARDIAN',
            givenOn: row.guardian_consent_on,
            recordedBy: row.guardian_recorded_by,
          }
        : null,
    registeredBy: row.registered_by,
    accountSubject: row.account_subject,
    approvedMinutes: int8ToCount(row.approved_minutes),
    registeredAt: row.registered_at,
  };
}

export async function findVolunteersById(db: Kysely<VolunteersDB>, ids: readonly string[]): Promise<Volunteer[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('volunteers').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToVolunteer);
}

export async function findVolunteersBySubject(db: Kysely<VolunteersDB>, subjects: readonly string[]): Promise<Volunteer[]> {
  if (subjects.length === 0) return [];
  const rows = await db.selectFrom('volunteers').selectAll().where('account_subject', 'in', subjects).execute();
  return rows.map(rowToVolunteer);
}

/** Locks the volunteer's row for the rest of the transaction (serializes writes about one person). */
export async function lockVolunteer(db: Kysely<VolunteersDB>, id: string): Promise<Volunteer | null> {
  const row = await db.selectFrom('volunteers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToVolunteer(row) : null;
}

/** Who may be listed: everyone, a region, or members of some organizations (optionally within a region). */
export interface VolunteerScope {
  regionCode?: string | undefined;
  organizationIds?: readonly string[] | undefined;
}

/** One page ordered by id: the cursor carries nothing personal. */
export async function listVolunteers(db: Kysely<VolunteersDB>, scope: VolunteerScope, page: Page<readonly [string]>): Promise<Volunteer[]> {
  let query = db.selectFrom('volunteers').selectAll();
  if (scope.regionCode) query = query.where('region_code', '=', scope.regionCode);
  if (scope.organizationIds) {
    const organizationIds = scope.organizationIds;
    if (organizationIds.length === 0) return [];
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships')
          .select('memberships.id')
          .whereRef('memberships.volunteer_id', '=', 'volunteers.id')
          .where('memberships.organization_id', 'in', organizationIds)
          .where('memberships.left_at', 'is', null),
      ),
    );
  }
  const rows = await keysetPage(query, page, ['id']).execute();
  return rows.map(rowToVolunteer);
}

export const volunteerCursor = (v: Volunteer): CursorKey => [v.id];

export interface NewVolunteer {
  id?: string;
  iin: string;
  firstName: string;
  lastName: string;
  patronymic: string | null;
  birthDate: string;
  sex: Sex;
  regionCode: string;
  skills: string[];
  languages: string[];
  phone: string | null;
  email: string | null;
  guardianConsent: GuardianConsent | null;
  registeredBy: RegistrationChannel;
  accountSubject: string | null;
}

export async function insertVolunteer(db: Kysely<VolunteersDB>, input: NewVolunteer): Promise<Volunteer> {
  const row = await db
    .insertInto('volunteers')
    .values({
      ...(input.id ? { id: input.id } : {}),
      iin: input.iin,
      first_name: input.firstName,
      last_name: input.lastName,
      patronymic: input.patronymic,
      birth_date: input.birthDate,
      sex: input.sex,
      region_code: input.regionCode,
      skills: input.skills,
      languages: input.languages,
      phone: input.phone,
      email: input.email,
      guardian_name: input.guardianConsent?.guardianName ?? null,
      guardian_relationship: input.guardianConsent?.relationship ?? null,
      guardian_consent_on: input.guardianConsent?.givenOn ?? null,
      guardian_recorded_by: input.guardianConsent?.recordedBy ?? null,
      registered_by: input.registeredBy,
      account_subject: input.accountSubject,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToVolunteer(row);
}

export interface VolunteerChanges {
  phone?: string | null;
  email?: string | null;
  skills?: string[];
  languages?: string[];
  regionCode?: string;
}

export async function updateVolunteerRow(db: Kysely<VolunteersDB>, id: string, changes: VolunteerChanges): Promise<Volunteer> {
  const row = await db
    .updateTable('volunteers')
    .set({
      ...(changes.phone !== undefined ? { phone: changes.phone } : {}),
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.skills !== undefined ? { skills: changes.skills } : {}),
      ...(changes.languages !== undefined ? { languages: changes.languages } : {}),
      ...(changes.regionCode !== undefined ? { region_code: changes.regionCode } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToVolunteer(row);
}

/** Adds (or, negative, removes) approved minutes on the volunteers' rows, in one statement. */
export async function addApprovedMinutes(db: Kysely<VolunteersDB>, deltas: ReadonlyMap<string, number>): Promise<void> {
  const entries = [...deltas].filter(([, delta]) => delta !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return;
  await sql`
    update volunteers as v set approved_minutes = v.approved_minutes + d.delta
    from (values ${sql.join(entries.map(([id, delta]) => sql`(${id}::uuid, ${delta}::bigint)`))}) as d (id, delta)
    where v.id = d.id
  `.execute(db);
}

/** Counts one more self-registration attempt of an account on a day; returns the attempts so far (this one included). */
export async function countSelfRegistrationAttempt(db: Kysely<VolunteersDB>, accountSubject: string, day: string): Promise<number> {
  const row = await db
    .insertInto('self_registration_attempts')
    .values({ account_subject: accountSubject, day, attempts: 1 })
    .onConflict((oc) =>
      oc.columns(['account_subject', 'day']).doUpdateSet((eb) => ({ attempts: eb('self_registration_attempts.attempts', '+', 1) })),
    )
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

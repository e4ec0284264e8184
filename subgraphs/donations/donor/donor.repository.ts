import { sql, type Kysely, type Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { DonationsDB, DonorTable } from '../migrations/tables.ts';
import type { TimestampIdKey } from '../common/cursors.ts';

export type DonorType = 'INDIVIDUAL' | 'CORPORATE' | 'STATE' | 'FOREIGN_STATE' | 'INTERNATIONAL_ORG' | 'FOUNDATION' | 'ANONYMOUS';
export type Residency = 'RESIDENT' | 'NON_RESIDENT';

export interface Donor {
  id: string;
  type: DonorType;
  residency: Residency;
  name: string | null;
  bin: string | null;
  iin: string | null;
  country: string | null;
  organizationId: string | null;
  partnerId: string | null;
  registeredByOrganizationId: string | null;
  registeredAt: Date;
  /** registered_at as PostgreSQL text, for keyset cursors. */
  registeredAtKey: string;
}

type DonorRow = Selectable<DonorTable> & { registered_at_key: string };

export function rowToDonor(row: DonorRow): Donor {
  return {
    id: row.id,
    type: row.type,
    residency: row.residency,
    name: row.name,
    bin: row.bin,
    iin: row.iin,
    country: row.country,
    organizationId: row.organization_id,
    partnerId: row.partner_id,
    registeredByOrganizationId: row.registered_by_organization_id,
    registeredAt: row.registered_at,
    registeredAtKey: row.registered_at_key,
  };
}

const registeredAtKey = sql<string>`donors.registered_at::text`.as('registered_at_key');

export async function findDonorsById(db: Kysely<DonationsDB>, ids: readonly string[]): Promise<Donor[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('donors').selectAll('donors').select(registeredAtKey).where('id', 'in', ids).execute();
  return rows.map(rowToDonor);
}

export async function findDonorsByBin(db: Kysely<DonationsDB>, bins: readonly string[]): Promise<Donor[]> {
  if (bins.length === 0) return [];
  const rows = await db.selectFrom('donors').selectAll('donors').select(registeredAtKey).where('bin', 'in', bins).execute();
  return rows.map(rowToDonor);
}

export interface DonorFilter {
  organizationId?: string | undefined;
  type?: DonorType | undefined;
  partnerId?: string | undefined;
}

export const donorCursor = (d: Donor): CursorKey => [d.registeredAtKey, d.id];

/** One page, newest registration first. */
export async function listDonors(db: Kysely<DonationsDB>, filter: DonorFilter, page: Page<TimestampIdKey>): Promise<Donor[]> {
  let query = db.selectFrom('donors').selectAll('donors').select(registeredAtKey);
  if (filter.organizationId) {
    const organizationId = filter.organizationId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('donor_organizations')
          .select('donor_organizations.donor_id')
          .whereRef('donor_organizations.donor_id', '=', 'donors.id')
          .where('donor_organizations.organization_id', '=', organizationId),
      ),
    );
  }
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.partnerId) query = query.where('partner_id', '=', filter.partnerId);
  const rows = await keysetPage(query, page, ['registered_at', 'id'], 'desc').execute();
  return rows.map(rowToDonor);
}

export type NewDonor = Omit<Donor, 'id' | 'registeredAt' | 'registeredAtKey'> & { id?: string };

export async function insertDonor(db: Kysely<DonationsDB>, input: NewDonor): Promise<Donor> {
  const row = await db
    .insertInto('donors')
    .values({
      ...(input.id ? { id: input.id } : {}),
      type: input.type,
      residency: input.residency,
      name: input.name,
      bin: input.bin,
      iin: input.iin,
      country: input.country,
      organization_id: input.organizationId,
      partner_id: input.partnerId,
      registered_by_organization_id: input.registeredByOrganizationId,
    })
    .returningAll()
    .returning(registeredAtKey)
    .executeTakeFirstOrThrow();
  return rowToDonor(row as DonorRow);
}

/** Entitles an organization's coordinators to the donor's personal data (registering it, or receiving from it). */
export async function linkDonorToOrganization(db: Kysely<DonationsDB>, donorId: string, organizationId: string): Promise<void> {
  await db
    .insertInto('donor_organizations')
    .values({ donor_id: donorId, organization_id: organizationId })
    .onConflict((oc) => oc.columns(['organization_id', 'donor_id']).doNothing())
    .execute();
}

/** Which of `organizationIds` each donor is linked to (bounded by the caller's own organizations). */
export async function findDonorLinks(
  db: Kysely<DonationsDB>,
  donorIds: readonly string[],
  organizationIds: readonly string[],
): Promise<{ donorId: string; organizationId: string }[]> {
  if (donorIds.length === 0 || organizationIds.length === 0) return [];
  const rows = await db
    .selectFrom('donor_organizations')
    .select(['donor_id', 'organization_id'])
    .where('donor_id', 'in', donorIds)
    .where('organization_id', 'in', organizationIds)
    .execute();
  return rows.map((r) => ({ donorId: r.donor_id, organizationId: r.organization_id }));
}

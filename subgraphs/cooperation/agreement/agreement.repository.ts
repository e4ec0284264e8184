import { sql, type Kysely, type Selectable } from 'kysely';
import { keysetPage, type CursorKey, type Page } from '../../kit/index.ts';
import type { ReadScope } from '../access.ts';
import type { AgreementPartyTable, AgreementTable, CooperationDB } from '../migrations/tables.ts';

export type AgreementType = 'MEMORANDUM' | 'HOSTING' | 'FUNDING';
/** IATI organisation roles. */
export type PartyRole = 'FUNDING' | 'ACCOUNTABLE' | 'EXTENDING' | 'IMPLEMENTING';

export interface Agreement {
  id: string;
  title: string;
  type: AgreementType;
  validFrom: string;
  validTo: string | null;
  countries: string[];
  sdgTargets: string[];
  signedAt: Date;
}

export interface AgreementParty {
  id: string;
  agreementId: string;
  partnerId: string | null;
  organizationId: string | null;
  role: PartyRole;
  position: number;
}

export function rowToAgreement(row: Selectable<AgreementTable>): Agreement {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    countries: row.countries,
    sdgTargets: row.sdg_targets,
    signedAt: row.signed_at,
  };
}

export function rowToParty(row: Selectable<AgreementPartyTable>): AgreementParty {
  return {
    id: row.id,
    agreementId: row.agreement_id,
    partnerId: row.partner_id,
    organizationId: row.organization_id,
    role: row.role,
    position: row.position,
  };
}

export async function findAgreementsById(db: Kysely<CooperationDB>, ids: readonly string[]): Promise<Agreement[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('agreements').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToAgreement);
}

export async function findPartiesOfAgreements(db: Kysely<CooperationDB>, agreementIds: readonly string[]): Promise<AgreementParty[]> {
  if (agreementIds.length === 0) return [];
  const rows = await db
    .selectFrom('agreement_parties')
    .selectAll()
    .where('agreement_id', 'in', agreementIds)
    .orderBy('agreement_id')
    .orderBy('position')
    .execute();
  return rows.map(rowToParty);
}

/** Agreements each of the partners (or domestic organizations) is party to, each once per party, by validity. */
export async function findAgreementsOfParties(
  db: Kysely<CooperationDB>,
  column: 'partner_id' | 'organization_id',
  partyIds: readonly string[],
): Promise<(Agreement & { partyId: string })[]> {
  if (partyIds.length === 0) return [];
  const rows = await db
    .selectFrom('agreement_parties as p')
    .innerJoin('agreements as a', 'a.id', 'p.agreement_id')
    .selectAll('a')
    .select(`p.${column} as party_id`)
    .where(`p.${column}`, 'in', partyIds)
    .orderBy('a.valid_from')
    .orderBy('a.id')
    .execute();
  const seen = new Set<string>();
  const result: (Agreement & { partyId: string })[] = [];
  for (const row of rows) {
    const partyId = row.party_id as string;
    if (seen.has(`${partyId}:${row.id}`)) continue; // a party in two roles of one agreement
    seen.add(`${partyId}:${row.id}`);
    result.push({ ...rowToAgreement(row), partyId });
  }
  return result;
}

export interface AgreementFilter {
  type?: AgreementType | undefined;
  partnerId?: string | undefined;
  organizationId?: string | undefined;
  country?: string | undefined;
  /** In force on this day. */
  inForceOn?: string | undefined;
}

export type AgreementKey = readonly [string, string];
export const agreementCursor = (a: Agreement): CursorKey => [a.validFrom, a.id];

/** One page of the agreements the scope may read, ordered by (valid_from, id). */
export async function listAgreements(
  db: Kysely<CooperationDB>,
  filter: AgreementFilter,
  scope: ReadScope,
  page: Page<AgreementKey>,
): Promise<Agreement[]> {
  let query = db.selectFrom('agreements').selectAll();
  if (!scope.all) {
    const { organizationIds, partnerId } = scope;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('agreement_parties')
          .select('agreement_parties.id')
          .whereRef('agreement_parties.agreement_id', '=', 'agreements.id')
          .where((party) =>
            party.or([
              ...(organizationIds.length ? [party('agreement_parties.organization_id', 'in', organizationIds)] : []),
              ...(partnerId ? [party('agreement_parties.partner_id', '=', partnerId)] : []),
              ...(organizationIds.length === 0 && !partnerId ? [sql<boolean>`false`] : []),
            ]),
          ),
      ),
    );
  }
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.country) query = query.where((eb) => eb(eb.val(filter.country), '=', eb.fn.any('countries')));
  if (filter.inForceOn) {
    const day = filter.inForceOn;
    query = query.where('valid_from', '<=', day).where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]));
  }
  if (filter.partnerId || filter.organizationId) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('agreement_parties')
          .select('agreement_parties.id')
          .whereRef('agreement_parties.agreement_id', '=', 'agreements.id')
          .$if(!!filter.partnerId, (q) => q.where('agreement_parties.partner_id', '=', filter.partnerId!))
          .$if(!!filter.organizationId, (q) => q.where('agreement_parties.organization_id', '=', filter.organizationId!)),
      ),
    );
  }
  const rows = await keysetPage(query, page, ['valid_from', 'id']).execute();
  return rows.map(rowToAgreement);
}

export interface NewAgreement {
  title: string;
  type: AgreementType;
  validFrom: string;
  validTo: string | null;
  countries: string[];
  sdgTargets: string[];
  parties: { partnerId: string | null; organizationId: string | null; role: PartyRole }[];
}

export async function insertAgreement(
  db: Kysely<CooperationDB>,
  input: NewAgreement & { id?: string },
): Promise<{ agreement: Agreement; parties: AgreementParty[] }> {
  const row = await db
    .insertInto('agreements')
    .values({
      ...(input.id ? { id: input.id } : {}),
      title: input.title,
      type: input.type,
      valid_from: input.validFrom,
      valid_to: input.validTo,
      countries: input.countries,
      sdg_targets: input.sdgTargets,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const partyRows = await db
    .insertInto('agreement_parties')
    .values(
      input.parties.map((p, position) => ({
        agreement_id: row.id,
        partner_id: p.partnerId,
        organization_id: p.organizationId,
        role: p.role,
        position,
      })),
    )
    .returningAll()
    .execute();
  return { agreement: rowToAgreement(row), parties: partyRows.map(rowToParty).sort((a, b) => a.position - b.position) };
}

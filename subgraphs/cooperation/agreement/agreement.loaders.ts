import type { Kysely } from 'kysely';
import { groupedLoader, keyedLoader } from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { findAgreementsById, findAgreementsOfParties, findPartiesOfAgreements } from './agreement.repository.ts';

export function agreementLoaders(db: Kysely<CooperationDB>) {
  return {
    agreementById: keyedLoader(
      (ids: readonly string[]) => findAgreementsById(db, ids),
      (a) => a.id,
    ),
    partiesOfAgreement: groupedLoader(
      (ids: readonly string[]) => findPartiesOfAgreements(db, ids),
      (p) => p.agreementId,
    ),
    agreementsOfPartner: groupedLoader(
      (ids: readonly string[]) => findAgreementsOfParties(db, 'partner_id', ids),
      (a) => a.partyId,
    ),
    agreementsOfOrganization: groupedLoader(
      (ids: readonly string[]) => findAgreementsOfParties(db, 'organization_id', ids),
      (a) => a.partyId,
    ),
  };
}

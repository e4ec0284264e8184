import type { Kysely } from 'kysely';
import { groupedLoader, keyedLoader } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { findDonationsById, findRefundsOfDonations } from './donation.repository.ts';

export function donationLoaders(db: Kysely<DonationsDB>) {
  return {
    donationById: keyedLoader(
      (ids: readonly string[]) => findDonationsById(db, ids),
      (d) => d.id,
    ),
    refundsOfDonation: groupedLoader(
      (ids: readonly string[]) => findRefundsOfDonations(db, ids),
      (r) => r.donationId,
    ),
  };
}

import type { Kysely } from 'kysely';
import { groupedLoader, keyedLoader, type Viewer } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { findDonorLinks, findDonorsByBin, findDonorsById } from './donor.repository.ts';

export function donorLoaders(db: Kysely<DonationsDB>, viewer: Viewer) {
  return {
    donorById: keyedLoader(
      (ids: readonly string[]) => findDonorsById(db, ids),
      (d) => d.id,
    ),
    donorByBin: keyedLoader(
      (bins: readonly string[]) => findDonorsByBin(db, bins),
      (d) => d.bin ?? '',
    ),
    /** The caller's organizations each donor is linked to: what entitles a coordinator to its personal data. */
    donorLinksOfViewer: groupedLoader(
      (donorIds: readonly string[]) => findDonorLinks(db, donorIds, viewer.organizationIds),
      (link) => link.donorId,
    ),
  };
}

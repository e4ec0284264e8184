import type { Kysely } from 'kysely';
import { keyedLoader } from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { findPartnersById } from './partner.repository.ts';

export function partnerLoaders(db: Kysely<CooperationDB>) {
  return {
    partnerById: keyedLoader(
      (ids: readonly string[]) => findPartnersById(db, ids),
      (p) => p.id,
    ),
  };
}

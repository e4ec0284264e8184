import type { Kysely } from 'kysely';
import { jsonKey, keyedLoader } from '../../kit/index.ts';
import type { CooperationDB } from '../migrations/tables.ts';
import { findRegionParticipants } from './totals.repository.ts';

export function totalsLoaders(db: Kysely<CooperationDB>) {
  return {
    regionParticipants: keyedLoader(
      (keys: readonly { code: string; year: number }[]) => findRegionParticipants(db, keys),
      (r) => ({ code: r.code, year: r.year }),
      jsonKey,
    ),
  };
}

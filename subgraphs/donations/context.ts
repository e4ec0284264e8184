import type { Kysely } from 'kysely';
import type { RequestContext, Viewer } from '../kit/index.ts';
import { campaignLoaders } from './campaign/campaign.loaders.ts';
import { donationLoaders } from './donation/donation.loaders.ts';
import { donorLoaders } from './donor/donor.loaders.ts';
import { grantLoaders } from './grant/grant.loaders.ts';
import type { DonationsDB } from './migrations/tables.ts';
import { regionYearLoaders } from './totals/region-year.loaders.ts';
import { totalsLoaders } from './totals/totals.loaders.ts';

/** Loaders are built per request: nothing cached outlives it (the viewer bounds what the donor-link loader reads). */
export function createLoaders(db: Kysely<DonationsDB>, viewer: Viewer) {
  return {
    ...donorLoaders(db, viewer),
    ...donationLoaders(db),
    ...campaignLoaders(db),
    ...grantLoaders(db),
    ...totalsLoaders(db),
    ...regionYearLoaders(db),
  };
}

export interface DonationsContext extends RequestContext {
  db: Kysely<DonationsDB>;
  loaders: ReturnType<typeof createLoaders>;
}

export function createContext(base: RequestContext, db: Kysely<DonationsDB>): DonationsContext {
  return { ...base, db, loaders: createLoaders(db, base.viewer) };
}

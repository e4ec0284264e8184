import type { Kysely } from 'kysely';
import { groupedLoader, jsonKey, keyedLoader } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { findCampaignsById, firstCampaignsOfOrganizations } from './campaign.repository.ts';

export function campaignLoaders(db: Kysely<DonationsDB>) {
  return {
    campaignById: keyedLoader(
      (ids: readonly string[]) => findCampaignsById(db, ids),
      (c) => c.id,
    ),
    /** First page of each organization's campaigns; keys of one batch share one statement. */
    firstCampaignsOfOrganization: groupedLoader(
      async (keys: readonly { organizationId: string; limit: number }[]) => {
        const limit = Math.max(...keys.map((k) => k.limit));
        const rows = await firstCampaignsOfOrganizations(db, [...new Set(keys.map((k) => k.organizationId))], limit);
        return keys.flatMap((k) =>
          rows
            .filter((r) => r.organizationId === k.organizationId)
            .slice(0, k.limit)
            .map((row) => ({ key: k, row })),
        );
      },
      (entry) => entry.key,
      jsonKey,
    ),
  };
}

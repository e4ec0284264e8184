import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import type { RequestContext } from '../../kit/index.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { fetchOpportunityTitles, fetchOrganizationNames } from '../opportunity/organizations-client.ts';
import { findBookLines } from './book.repository.ts';
import { buildBook, type VolunteerBook } from './book.ts';

export function bookLoaders(db: Kysely<VolunteersDB>, base: Pick<RequestContext, 'requestId'>) {
  return {
    bookOfVolunteer: new DataLoader<string, VolunteerBook>(async (ids) => {
      const lines = await findBookLines(db, ids);
      return ids.map((id) =>
        buildBook(
          id,
          lines.filter((l) => l.volunteerId === id),
        ),
      );
    }),
    /** Names for certificates: one `_entities` call to the organizations subgraph per request. */
    organizationName: new DataLoader<string, string | null>(async (ids) =>
      (await fetchOrganizationNames(base, ids)).map((o) => o?.name ?? null),
    ),
    opportunityTitle: new DataLoader<string, string | null>(async (ids) =>
      (await fetchOpportunityTitles(base, ids)).map((o) => o?.title ?? null),
    ),
  };
}

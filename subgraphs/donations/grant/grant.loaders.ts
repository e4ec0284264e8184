import type { Kysely } from 'kysely';
import { groupedLoader, jsonKey, keyedLoader } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { findApplicationsById } from './grant-application.repository.ts';
import { findProgrammesById, plannedToDateOfProgrammes } from './grant-programme.repository.ts';
import {
  findDisbursementsOfGrants,
  findFundersOfGrants,
  findGrantsById,
  findSharesOfDisbursements,
  findGrantsOfApplications,
  findPlannedOfGrants,
  findReportsOfGrants,
  firstGrantsBy,
  type Grant,
} from './grant.repository.ts';

type FirstPageKey = { id: string; limit: number };

/** First pages of grants per recipient or programme: one statement per batch, each key cut to its own page size. */
function firstGrantsLoader(db: Kysely<DonationsDB>, column: 'recipient_id' | 'programme_id', of: (g: Grant) => string) {
  return groupedLoader(
    async (keys: readonly FirstPageKey[]) => {
      const limit = Math.max(...keys.map((k) => k.limit));
      const rows = await firstGrantsBy(db, column, [...new Set(keys.map((k) => k.id))], limit);
      return keys.flatMap((k) =>
        rows
          .filter((r) => of(r) === k.id)
          .slice(0, k.limit)
          .map((row) => ({ key: k, row })),
      );
    },
    (entry) => entry.key,
    jsonKey,
  );
}

export function grantLoaders(db: Kysely<DonationsDB>) {
  return {
    programmeById: keyedLoader(
      (ids: readonly string[]) => findProgrammesById(db, ids),
      (p) => p.id,
    ),
    /** Planned disbursements due by a day, per programme; keys of one batch grouped by day. */
    programmePlannedToDate: keyedLoader(
      async (keys: readonly { programmeId: string; asOf: string }[]) => {
        const byDay = new Map<string, string[]>();
        for (const k of keys) byDay.set(k.asOf, [...(byDay.get(k.asOf) ?? []), k.programmeId]);
        const results = await Promise.all(
          [...byDay].map(async ([asOf, ids]) => (await plannedToDateOfProgrammes(db, ids, asOf)).map((r) => ({ ...r, asOf }))),
        );
        return results.flat();
      },
      (r) => ({ programmeId: r.programmeId, asOf: r.asOf }),
      jsonKey,
    ),
    applicationById: keyedLoader(
      (ids: readonly string[]) => findApplicationsById(db, ids),
      (a) => a.id,
    ),
    grantById: keyedLoader(
      (ids: readonly string[]) => findGrantsById(db, ids),
      (g) => g.id,
    ),
    grantOfApplication: keyedLoader(
      (ids: readonly string[]) => findGrantsOfApplications(db, ids),
      (g) => g.applicationId,
    ),
    firstGrantsOfRecipient: firstGrantsLoader(db, 'recipient_id', (g) => g.recipientId),
    firstGrantsOfProgramme: firstGrantsLoader(db, 'programme_id', (g) => g.programmeId),
    plannedOfGrant: groupedLoader(
      (ids: readonly string[]) => findPlannedOfGrants(db, ids),
      (p) => p.grantId,
    ),
    disbursementsOfGrant: groupedLoader(
      (ids: readonly string[]) => findDisbursementsOfGrants(db, ids),
      (d) => d.grantId,
    ),
    fundersOfGrant: groupedLoader(
      (ids: readonly string[]) => findFundersOfGrants(db, ids),
      (f) => f.grantId,
    ),
    sharesOfDisbursement: groupedLoader(
      (ids: readonly string[]) => findSharesOfDisbursements(db, ids),
      (s) => s.disbursementId,
    ),
    reportsOfGrant: groupedLoader(
      (ids: readonly string[]) => findReportsOfGrants(db, ids),
      (r) => r.grantId,
    ),
  };
}

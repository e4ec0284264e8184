import type { Kysely } from 'kysely';
import type { RequestContext } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';
import { importOfficialRates, type RatesImport } from './exchange-rate.service.ts';
import { parseNbkRatesXml } from './nbk-rates-xml.ts';

/** The identity an import run by the operators (`npm run rates:import`, the CronJob) is audited as. */
export const RATES_IMPORTER: Pick<RequestContext, 'requestId' | 'viewer'> = {
  requestId: 'rates-import',
  viewer: {
    kind: 'service',
    roles: ['service'],
    subject: 'service:rates-import',
    volunteerId: null,
    organizationIds: [],
    regionCode: null,
    partnerId: null,
    scopes: [],
  },
};

export interface NbkImport extends RatesImport {
  skipped: string[];
}

/**
 * Imports one National Bank rates file into the donations schema: parsed whole
 * first (a malformed file throws MalformedRatesFile before anything is written),
 * then written in one transaction (a rate recorded differently before is a
 * CONFLICT and nothing is written).
 */
export async function importNbkRates(
  db: Kysely<DonationsDB>,
  xml: string,
  origin: string,
  context: Pick<RequestContext, 'requestId' | 'viewer'> = RATES_IMPORTER,
): Promise<NbkImport> {
  const file = parseNbkRatesXml(xml, origin);
  const result = await importOfficialRates(db, context, { date: file.date, rates: file.rates, origin });
  return { ...result, skipped: file.skipped };
}

/**
 * Open data of the Volunteer Graph, fetched through the gateway as GraphQL
 * queries and written in the standards their readers use:
 * - exchange missions and agreements as IATI 2.03 activities (XML),
 * - grants as 360Giving JSON,
 * - the aggregate register per region as CSV,
 * - the roadmap's targets against actuals per region and indicator as CSV,
 * - donations aggregated per region, month, currency and donor type as CSV.
 * No personal data: the queries select none (see queries.ts).
 */
import { DONATIONS_QUERY, donationsCsv, type OpenDonationAggregates } from './donations-csv.ts';
import { giving360Json, type Giving360File } from './giving360.ts';
import { iatiActivitiesXml } from './iati.ts';
import type { Publisher } from './publisher.ts';
import {
  AGREEMENTS_QUERY,
  GRANTS_QUERY,
  MISSIONS_QUERY,
  REGISTER_QUERY,
  type OpenAgreement,
  type OpenGrant,
  type OpenMission,
  type OpenRegion,
} from './queries.ts';
import { registerCsv } from './register-csv.ts';
import { ROADMAP_QUERY, roadmapCsv, type OpenRegionYear } from './roadmap-csv.ts';
import { allNodes, type GraphQLSource } from './graphql-source.ts';

export * from './donations-csv.ts';
export * from './giving360.ts';
export * from './iati.ts';
export * from './publisher.ts';
export * from './queries.ts';
export * from './register-csv.ts';
export * from './roadmap-csv.ts';
export * from './graphql-source.ts';

export interface Dataset {
  name: string;
  file: string;
  mediaType: string;
  standard: string;
  description: string;
}

export const DATASETS: readonly Dataset[] = [
  {
    name: 'iati',
    file: 'iati-activities.xml',
    mediaType: 'application/xml; charset=utf-8',
    standard: 'IATI Activity Standard 2.03',
    description: 'International exchange missions and cooperation agreements.',
  },
  {
    name: '360giving',
    file: '360giving-grants.json',
    mediaType: 'application/json; charset=utf-8',
    standard: '360Giving Data Standard',
    description: 'Grants awarded to volunteer organizations.',
  },
  {
    name: 'register',
    file: 'register-by-region.csv',
    mediaType: 'text/csv; charset=utf-8',
    standard: 'CSV (RFC 4180)',
    description: 'Per region and year: organizations, volunteers, approved hours of volunteer work, donations (KZT).',
  },
  {
    name: 'roadmap',
    file: 'roadmap-progress.csv',
    mediaType: 'text/csv; charset=utf-8',
    standard: 'CSV (RFC 4180)',
    description:
      'The national roadmap for volunteering in a year (?year=): per indicator, for the nation and each region, the target, the actual, the share achieved and the status.',
  },
  {
    name: 'donations',
    file: 'donations-aggregates.csv',
    mediaType: 'text/csv; charset=utf-8',
    standard: 'CSV (RFC 4180)',
    description:
      'Donations of a year (?year=) per recipient region, month, currency and donor type: count and gross amount, in the currency given and in KZT. No donor identity; cells of fewer than 5 donations are left out.',
  },
];

export async function exportIati(source: GraphQLSource, publisher: Publisher, now = new Date()): Promise<string> {
  const [missions, agreements] = await Promise.all([
    allNodes<OpenMission>(source, MISSIONS_QUERY, (d) => d.exchangeMissions),
    allNodes<OpenAgreement>(source, AGREEMENTS_QUERY, (d) => d.agreements),
  ]);
  return iatiActivitiesXml(publisher, { missions, agreements }, now);
}

export async function exportGrants(source: GraphQLSource, publisher: Publisher): Promise<Giving360File> {
  const grants = await allNodes<OpenGrant>(source, GRANTS_QUERY, (d) => d.grants);
  return giving360Json(publisher, grants);
}

export async function exportRegister(source: GraphQLSource, year: number): Promise<string> {
  const data = await source(REGISTER_QUERY, { year });
  return registerCsv(year, data.regions as OpenRegion[]);
}

export async function exportRoadmap(source: GraphQLSource, year: number): Promise<string> {
  const data = await source(ROADMAP_QUERY, { year });
  return roadmapCsv(year, data.national as OpenRegionYear, data.regions as OpenRegionYear[]);
}

export async function exportDonations(source: GraphQLSource, year: number): Promise<string> {
  const data = await source(DONATIONS_QUERY, { year });
  return donationsCsv(data.donationAggregates as OpenDonationAggregates);
}

/** One dataset as the bytes of its file. */
export async function exportDataset(
  name: string,
  source: GraphQLSource,
  publisher: Publisher,
  options: { year: number; now?: Date },
): Promise<string> {
  switch (name) {
    case 'iati':
      return exportIati(source, publisher, options.now);
    case '360giving':
      return `${JSON.stringify(await exportGrants(source, publisher), null, 2)}\n`;
    case 'register':
      return exportRegister(source, options.year);
    case 'roadmap':
      return exportRoadmap(source, options.year);
    case 'donations':
      return exportDonations(source, options.year);
    default:
      throw new Error(`unknown dataset "${name}" (known: ${DATASETS.map((d) => d.name).join(', ')})`);
  }
}

/**
 * The sizes of the data sets. Each one loads the demo data set first (through
 * the subgraphs' own demo loaders), then the generated rows on top of it, so
 * the README's demo ids and tokens keep working at every scale. Counts are
 * totals including the demo's rows; hour records, applications and
 * donations come out within a few percent of the target (they are drawn).
 */
export interface Scale {
  name: ScaleName;
  volunteers: number;
  /** Registered organizations (every kind but volunteer groups). */
  organizations: number;
  volunteerGroups: number;
  opportunities: number;
  hourRecords: number;
  applications: number;
  donors: number;
  donations: number;
  campaigns: number;
  grantProgrammes: number;
  grants: number;
  partners: number;
  agreements: number;
  missions: number;
  unvAssignments: number;
}

export type ScaleName = 'demo' | 'regional' | 'national' | 'max';
export const SCALE_NAMES: readonly ScaleName[] = ['demo', 'regional', 'national', 'max'];

export const SCALES: Record<Exclude<ScaleName, 'demo'>, Scale> = {
  /** A twentieth of the country: what PGlite loads in reasonable time. */
  regional: {
    name: 'regional',
    volunteers: 10_000,
    organizations: 60,
    volunteerGroups: 150,
    opportunities: 1_000,
    hourRecords: 100_000,
    applications: 12_500,
    donors: 3_000,
    donations: 15_000,
    campaigns: 100,
    grantProgrammes: 6,
    grants: 20,
    partners: 12,
    agreements: 10,
    missions: 12,
    unvAssignments: 20,
  },
  /** The country today (issue 6): 200k volunteers, 680 organizations + 3,000 groups, 2M hour records over two years. */
  national: {
    name: 'national',
    volunteers: 200_000,
    organizations: 680,
    volunteerGroups: 3_000,
    opportunities: 20_000,
    hourRecords: 2_000_000,
    applications: 250_000,
    donors: 60_000,
    donations: 300_000,
    campaigns: 2_000,
    grantProgrammes: 25,
    grants: 200,
    partners: 30,
    agreements: 40,
    missions: 60,
    unvAssignments: 150,
  },
  /** The planned ceiling: a million volunteers and five million hour records. */
  max: {
    name: 'max',
    volunteers: 1_000_000,
    organizations: 2_000,
    volunteerGroups: 8_000,
    opportunities: 60_000,
    hourRecords: 5_000_000,
    applications: 1_000_000,
    donors: 200_000,
    donations: 1_000_000,
    campaigns: 6_000,
    grantProgrammes: 50,
    grants: 400,
    partners: 40,
    agreements: 60,
    missions: 120,
    unvAssignments: 400,
  },
};

/**
 * A small data set with more than a hundred of every listed entity (test/scale
 * asks lists of 5 and of 100): loads through Kysely insert batches in seconds.
 */
export function tinyScale(overrides: Partial<Scale> = {}): Scale {
  return {
    name: 'regional',
    volunteers: 1_200,
    organizations: 130,
    volunteerGroups: 20,
    opportunities: 2_000,
    hourRecords: 24_000,
    applications: 1_500,
    donors: 200,
    donations: 1_500,
    campaigns: 120,
    grantProgrammes: 110,
    grants: 120,
    partners: 46,
    agreements: 110,
    missions: 110,
    unvAssignments: 110,
    ...overrides,
  };
}

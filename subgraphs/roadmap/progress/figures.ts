/**
 * The figures of RegionYear an indicator can be measured by: for each, the
 * RegionYear field (declared @external in schema.graphql and @required by
 * `progress`), its unit, and the subgraph that owns and contributes it.
 */
export const FIGURES = {
  REGISTERED_VOLUNTEERS: { field: 'registeredVolunteers', unit: 'PERSONS', measuredBy: 'VOLUNTEERS' },
  ACTIVE_VOLUNTEERS: { field: 'activeVolunteers', unit: 'PERSONS', measuredBy: 'VOLUNTEERS' },
  APPROVED_HOURS: { field: 'approvedHours', unit: 'HOURS', measuredBy: 'VOLUNTEERS' },
  REGISTERED_ORGANIZATIONS: { field: 'registeredOrganizations', unit: 'ORGANIZATIONS', measuredBy: 'ORGANIZATIONS' },
  FRONT_OFFICE_TRAININGS: { field: 'frontOfficeTrainings', unit: 'TRAININGS', measuredBy: 'ORGANIZATIONS' },
  PEOPLE_TRAINED: { field: 'peopleTrained', unit: 'PERSONS', measuredBy: 'ORGANIZATIONS' },
  DONATIONS_KZT: { field: 'donationsKzt', unit: 'KZT', measuredBy: 'DONATIONS' },
  GRANTS_DISBURSED_KZT: { field: 'grantsDisbursedKzt', unit: 'KZT', measuredBy: 'DONATIONS' },
  MISSION_PARTICIPANTS: { field: 'missionParticipants', unit: 'PERSONS', measuredBy: 'COOPERATION' },
} as const;

export type Figure = keyof typeof FIGURES;
export type Unit = (typeof FIGURES)[Figure]['unit'];
export const FIGURE_NAMES = Object.keys(FIGURES) as Figure[];

/** Units counted in whole numbers; hours and KZT take up to 2 decimals. */
export const isWholeUnit = (unit: Unit): boolean => unit === 'PERSONS' || unit === 'ORGANIZATIONS' || unit === 'TRAININGS';

/** The actual of a figure from a RegionYear representation the gateway completed (Decimal figures are strings). */
export function actualOf(regionYear: Record<string, unknown>, figure: Figure): number {
  const value = regionYear[FIGURES[figure].field];
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  if (!Number.isFinite(n)) throw new Error(`RegionYear.${FIGURES[figure].field} was not provided by its owner`);
  return n;
}

/** Age rules of the Law "On volunteer activity" (art. 12): adult at 18, guardian consent under 14. */
export const ADULT_AGE = 18;
export const GUARDIAN_CONSENT_BELOW = 14;

export type AgeBand = 'UNDER_14' | 'AGE_14_17' | 'AGE_18_29' | 'AGE_30_44' | 'AGE_45_59' | 'AGE_60_PLUS';

/** The bands in order, each with the age it ends below (the last has none): the one list SQL and code both read. */
export const AGE_BAND_LIMITS: readonly { band: AgeBand; below: number | null }[] = [
  { band: 'UNDER_14', below: 14 },
  { band: 'AGE_14_17', below: 18 },
  { band: 'AGE_18_29', below: 30 },
  { band: 'AGE_30_44', below: 45 },
  { band: 'AGE_45_59', below: 60 },
  { band: 'AGE_60_PLUS', below: null },
];

export const AGE_BANDS: readonly AgeBand[] = AGE_BAND_LIMITS.map((l) => l.band);

/** Whole years between a birth date and a day, both 'YYYY-MM-DD'. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function ageBand(age: number): AgeBand {
  return AGE_BAND_LIMITS.find((l) => l.below === null || age < l.below)!.band;
}

/** The band a volunteer is counted in for a whole year: their age on 31 December of it. */
export const ageBandOfYear = (birthDate: string, year: number): AgeBand => ageBand(ageOn(birthDate, `${year}-12-31`));

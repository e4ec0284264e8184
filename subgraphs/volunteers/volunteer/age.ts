/** Age rules of the Law "On volunteer activity" (art. 12): adult at 18, guardian consent under 14. */
export const ADULT_AGE = 18;
export const GUARDIAN_CONSENT_BELOW = 14;

export type AgeBand = 'UNDER_14' | 'AGE_14_17' | 'AGE_18_29' | 'AGE_30_44' | 'AGE_45_59' | 'AGE_60_PLUS';

/** Whole years between a birth date and a day, both 'YYYY-MM-DD'. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function ageBand(age: number): AgeBand {
  if (age < 14) return 'UNDER_14';
  if (age < 18) return 'AGE_14_17';
  if (age < 30) return 'AGE_18_29';
  if (age < 45) return 'AGE_30_44';
  if (age < 60) return 'AGE_45_59';
  return 'AGE_60_PLUS';
}

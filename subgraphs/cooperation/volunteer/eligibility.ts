/**
 * Who may go on an exchange mission: an adult (18+, Law "On volunteer
 * activity", art. 12) with at least MIN_APPROVED_MINUTES of approved volunteer
 * hours in the register. The facts come from the volunteers subgraph, which
 * owns them: through @requires when the field is read, through an `_entities`
 * call when a participant is added.
 */
export const MIN_APPROVED_HOURS = 40;
export const MIN_APPROVED_MINUTES = MIN_APPROVED_HOURS * 60;

export interface EligibilityFacts {
  isAdult: boolean;
  approvedMinutes: number;
}

export function isMissionEligible(facts: EligibilityFacts): boolean {
  return facts.isAdult === true && Number.isFinite(facts.approvedMinutes) && facts.approvedMinutes >= MIN_APPROVED_MINUTES;
}

/** Why a volunteer is not eligible, in words a coordinator can act on; null when eligible. */
export function ineligibilityReason(facts: EligibilityFacts): string | null {
  if (facts.isAdult !== true) return 'the volunteer is not an adult; exchange missions are open from 18';
  if (!(facts.approvedMinutes >= MIN_APPROVED_MINUTES)) {
    const hours = Math.floor((facts.approvedMinutes || 0) / 60);
    return `the volunteer has ${hours} approved hours; exchange missions need at least ${MIN_APPROVED_HOURS}`;
  }
  return null;
}

/**
 * Why a volunteer may not take a UN Volunteer assignment; null when they may.
 * UN Volunteers are adults (18+); approved hours in the register are not asked.
 */
export function unVolunteerIneligibilityReason(facts: Pick<EligibilityFacts, 'isAdult'>): string | null {
  return facts.isAdult === true ? null : 'the volunteer is not an adult; UN Volunteers are 18 or older';
}

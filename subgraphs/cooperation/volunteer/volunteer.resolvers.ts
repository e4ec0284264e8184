import { Forbidden, hasRole, isId } from '../../kit/index.ts';
import type { CooperationContext } from '../context.ts';
import { canReadAssignment, canReadMission, onlyReadable } from '../access.ts';
import { isMissionEligible } from './eligibility.ts';

/** A Volunteer as the gateway sends it: the key, plus the @requires facts when missionEligible is asked. */
interface VolunteerRef {
  id: string;
  isAdult?: boolean | null;
  approvedMinutes?: number | null;
}

export const volunteerResolvers = {
  Volunteer: {
    __resolveReference: (ref: VolunteerRef) => ref,
    /** A fact about a person: the person, the staff who place volunteers, and admins; never partners or analysts. */
    missionEligible: (v: VolunteerRef, _: unknown, { viewer }: CooperationContext) => {
      const self = viewer.volunteerId !== null && viewer.volunteerId === v.id;
      if (!self && !hasRole(viewer, 'admin', 'service', 'coordinator', 'front_office')) {
        throw new Forbidden("You may not read this volunteer's mission eligibility");
      }
      return isMissionEligible({ isAdult: v.isAdult === true, approvedMinutes: v.approvedMinutes ?? 0 });
    },
    missions: async (v: VolunteerRef, _: unknown, context: CooperationContext) => {
      if (!isId(v.id)) return [];
      const participations = await context.loaders.participationsOfVolunteer.load(v.id.toLowerCase());
      const missions = await Promise.all(participations.map((p) => context.loaders.missionById.load(p.missionId)));
      const allowed = await Promise.all(missions.map((m) => (m ? canReadMission(context, m) : false)));
      return participations.filter((_, i) => allowed[i]);
    },
    unVolunteerAssignments: async (v: VolunteerRef, _: unknown, context: CooperationContext) =>
      isId(v.id)
        ? onlyReadable(await context.loaders.assignmentsOfVolunteer.load(v.id.toLowerCase()), (a) => canReadAssignment(context, a))
        : [],
  },
};

import {
  cursorCodec,
  countryName,
  isId,
  type PageArgs,
  parseCountryCode,
  parseId,
  parsePage,
  parseYear,
  toConnection,
} from '../../kit/index.ts';
import { isEmptyScope, readScope } from '../access.ts';
import type { CooperationContext } from '../context.ts';
import { sdgGoalOf } from '../reference/sdg.ts';
import { canReadAgreement, canReadMission, onlyReadable, readableOrForbidden } from '../access.ts';
import { listMissions, missionCursor, type ExchangeMission, type MissionFilter, type MissionStatus } from './mission.repository.ts';
import {
  changeExchangeMissionStatus,
  fundExchangeMission,
  planExchangeMission,
  recordMissionResult,
  type PlanExchangeMissionInput,
  type RecordMissionResultInput,
} from './mission.service.ts';
import type { Participation, ParticipationOutcome } from './participation.repository.ts';
import {
  addMissionParticipant,
  recordParticipationOutcome,
  withdrawMissionParticipant,
  type AddMissionParticipantInput,
} from './participation.service.ts';

const missionCursors = cursorCodec('exchangeMissions', ['day', 'id']);

function parseFilter(filter: MissionFilter | null | undefined): MissionFilter {
  if (!filter) return {};
  return {
    status: filter.status ?? undefined,
    hostCountry: filter.hostCountry ? parseCountryCode(filter.hostCountry, 'filter.hostCountry') : undefined,
    organizationId: filter.organizationId ? parseId(filter.organizationId, 'filter.organizationId') : undefined,
    hostPartnerId: filter.hostPartnerId ? parseId(filter.hostPartnerId, 'filter.hostPartnerId') : undefined,
    agreementId: filter.agreementId ? parseId(filter.agreementId, 'filter.agreementId') : undefined,
    year: filter.year === null || filter.year === undefined ? undefined : parseYear(filter.year, 'filter.year'),
  };
}

const readableMission = async (context: CooperationContext, mission: ExchangeMission | null) =>
  readableOrForbidden(mission, (m) => canReadMission(context, m), 'exchange mission');

export const missionResolvers = {
  Query: {
    exchangeMission: async (_: unknown, { id }: { id: string }, context: CooperationContext) =>
      readableMission(context, await context.loaders.missionById.load(parseId(id, 'id'))),
    exchangeMissions: async (
      _: unknown,
      args: PageArgs & { filter?: MissionFilter | null },
      { db, viewer, loaders }: CooperationContext,
    ) => {
      const page = parsePage(args, missionCursors);
      const filter = parseFilter(args.filter);
      const scope = readScope(viewer);
      const rows = isEmptyScope(scope) ? [] : await listMissions(db, filter, scope, page);
      for (const mission of rows) loaders.missionById.prime(mission.id, mission);
      return toConnection(rows, page, missionCursor);
    },
  },
  Mutation: {
    planExchangeMission: (_: unknown, { input }: { input: PlanExchangeMissionInput }, context: CooperationContext) =>
      planExchangeMission(context.db, context, input),
    changeExchangeMissionStatus: (
      _: unknown,
      args: { id: string; status: MissionStatus; note?: string | null },
      context: CooperationContext,
    ) => changeExchangeMissionStatus(context.db, context, args),
    addMissionParticipant: (_: unknown, { input }: { input: AddMissionParticipantInput }, context: CooperationContext) =>
      addMissionParticipant(context.db, context, input),
    withdrawMissionParticipant: (_: unknown, args: { participationId: string }, context: CooperationContext) =>
      withdrawMissionParticipant(context.db, context, args),
    recordParticipationOutcome: (
      _: unknown,
      args: { participationId: string; outcome: ParticipationOutcome },
      context: CooperationContext,
    ) => recordParticipationOutcome(context.db, context, args),
    fundExchangeMission: (_: unknown, args: { missionId: string; grantId: string }, context: CooperationContext) =>
      fundExchangeMission(context.db, context, args),
    recordMissionResult: (_: unknown, { input }: { input: RecordMissionResultInput }, context: CooperationContext) =>
      recordMissionResult(context.db, context, input),
  },
  ExchangeMission: {
    __resolveReference: async (ref: { id: string }, context: CooperationContext) =>
      isId(ref.id) ? readableMission(context, await context.loaders.missionById.load(ref.id.toLowerCase())) : null,
    hostCountryName: (m: ExchangeMission) => countryName(m.hostCountry),
    hostPartner: (m: ExchangeMission, _: unknown, { loaders }: CooperationContext) => loaders.partnerById.load(m.hostPartnerId),
    organizingOrganization: (m: ExchangeMission) => ({ __typename: 'Organization', id: m.organizingOrganizationId }),
    agreement: async (m: ExchangeMission, _: unknown, context: CooperationContext) =>
      m.agreementId
        ? readableOrForbidden(await context.loaders.agreementById.load(m.agreementId), (a) => canReadAgreement(context, a), 'agreement')
        : null,
    sdgGoals: (m: ExchangeMission) => [...new Set(m.sdgTargets.map(sdgGoalOf))].sort((a, b) => a - b),
    participants: (m: ExchangeMission, _: unknown, { loaders }: CooperationContext) => loaders.participantsOfMission.load(m.id),
    fundingGrants: async (m: ExchangeMission, _: unknown, { loaders }: CooperationContext) =>
      (await loaders.grantsOfMission.load(m.id)).map((g) => ({ __typename: 'Grant', id: g.grantId })),
    results: (m: ExchangeMission, _: unknown, { loaders }: CooperationContext) => loaders.resultsOfMission.load(m.id),
  },
  MissionParticipation: {
    mission: (p: Participation, _: unknown, { loaders }: CooperationContext) => loaders.missionById.load(p.missionId),
    volunteer: (p: Participation) => ({ __typename: 'Volunteer', id: p.volunteerId }),
  },
  Organization: {
    missions: async (o: { id: string }, _: unknown, context: CooperationContext) =>
      isId(o.id)
        ? onlyReadable(await context.loaders.missionsOfOrganization.load(o.id.toLowerCase()), (m) => canReadMission(context, m))
        : [],
  },
  Grant: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    missionsFunded: async (g: { id: string }, _: unknown, context: CooperationContext) => {
      if (!isId(g.id)) return [];
      const entries = await context.loaders.missionsOfGrant.load(g.id.toLowerCase());
      return onlyReadable(
        entries.map((e) => e.mission),
        (m) => canReadMission(context, m),
      );
    },
  },
};

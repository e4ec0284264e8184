import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { scalarResolvers, type SubgraphDefinition } from '../kit/index.ts';
import { agreementResolvers } from './agreement/agreement.resolvers.ts';
import { assignmentResolvers } from './assignment/assignment.resolvers.ts';
import { auditResolvers } from './audit/audit.resolvers.ts';
import { createContext, type CooperationContext } from './context.ts';
import { migrations } from './migrations/index.ts';
import type { CooperationDB } from './migrations/tables.ts';
import { missionResolvers } from './mission/mission.resolvers.ts';
import { partnerResolvers } from './partner/partner.resolvers.ts';
import { regionYearResolvers } from './totals/region-year.resolvers.ts';
import { totalsResolvers } from './totals/totals.resolvers.ts';
import { volunteerResolvers } from './volunteer/volunteer.resolvers.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** The cooperation subgraph: international partners, agreements, exchange missions, UN Volunteer assignments. */
export const cooperationSubgraph: SubgraphDefinition<CooperationDB, CooperationContext> = {
  name: 'cooperation',
  typeDefs,
  migrations,
  createContext,
  resolvers: {
    ...scalarResolvers,
    Query: {
      ...partnerResolvers.Query,
      ...agreementResolvers.Query,
      ...missionResolvers.Query,
      ...assignmentResolvers.Query,
      ...totalsResolvers.Query,
      ...auditResolvers.Query,
    },
    Mutation: {
      ...partnerResolvers.Mutation,
      ...agreementResolvers.Mutation,
      ...missionResolvers.Mutation,
      ...assignmentResolvers.Mutation,
    },
    Partner: partnerResolvers.Partner,
    Agreement: agreementResolvers.Agreement,
    AgreementParty: agreementResolvers.AgreementParty,
    ExchangeMission: missionResolvers.ExchangeMission,
    MissionParticipation: missionResolvers.MissionParticipation,
    UnVolunteerAssignment: assignmentResolvers.UnVolunteerAssignment,
    PartnerMissionTotals: totalsResolvers.PartnerMissionTotals,
    Volunteer: volunteerResolvers.Volunteer,
    Organization: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      ...agreementResolvers.Organization,
      ...missionResolvers.Organization,
    },
    Region: totalsResolvers.Region,
    RegionYear: regionYearResolvers.RegionYear,
    Grant: missionResolvers.Grant,
  } as SubgraphDefinition<CooperationDB, CooperationContext>['resolvers'],
};

import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { scalarResolvers, type SubgraphDefinition } from '../kit/index.ts';
import { applicationResolvers } from './application/application.resolvers.ts';
import { auditResolvers } from './audit/audit.resolvers.ts';
import { bookResolvers } from './book/book.resolvers.ts';
import { createContext, type VolunteersContext } from './context.ts';
import { hourRecordResolvers } from './hour-record/hour-record.resolvers.ts';
import { membershipResolvers } from './membership/membership.resolvers.ts';
import { migrations } from './migrations/index.ts';
import { notificationResolvers } from './notification/notification.resolvers.ts';
import { notificationEmailJob } from './notification/notification.service.ts';
import type { VolunteersDB } from './migrations/tables.ts';
import { approvedHoursResolvers } from './totals/approved-hours.ts';
import { regionYearResolvers } from './totals/region-year.resolvers.ts';
import { totalsResolvers } from './totals/totals.resolvers.ts';
import { volunteerResolvers } from './volunteer/volunteer.resolvers.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** The volunteers subgraph: the register of volunteers, their applications, hours and books, and the totals others read. */
export const volunteersSubgraph: SubgraphDefinition<VolunteersDB, VolunteersContext> = {
  name: 'volunteers',
  typeDefs,
  migrations,
  createContext,
  jobs: [notificationEmailJob],
  resolvers: {
    ...scalarResolvers,
    Query: {
      ...volunteerResolvers.Query,
      ...hourRecordResolvers.Query,
      ...applicationResolvers.Query,
      ...totalsResolvers.Query,
      ...auditResolvers.Query,
    },
    Mutation: {
      ...volunteerResolvers.Mutation,
      ...membershipResolvers.Mutation,
      ...applicationResolvers.Mutation,
      ...hourRecordResolvers.Mutation,
      ...notificationResolvers.Mutation,
    },
    Subscription: {
      ...hourRecordResolvers.Subscription,
      ...applicationResolvers.Subscription,
    },
    Volunteer: {
      ...volunteerResolvers.Volunteer,
      ...applicationResolvers.Volunteer,
      ...hourRecordResolvers.Volunteer,
      ...notificationResolvers.Volunteer,
    },
    Notification: notificationResolvers.Notification,
    Membership: membershipResolvers.Membership,
    Application: applicationResolvers.Application,
    Opportunity: applicationResolvers.Opportunity,
    HourRecord: hourRecordResolvers.HourRecord,
    Organization: totalsResolvers.Organization,
    Region: totalsResolvers.Region,
    RegionYear: regionYearResolvers.RegionYear,
    ReplacementRate: totalsResolvers.ReplacementRate,
    ...approvedHoursResolvers,
    ...bookResolvers,
  } as SubgraphDefinition<VolunteersDB, VolunteersContext>['resolvers'],
};

import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { scalarResolvers, type SubgraphDefinition } from '../kit/index.ts';
import { auditResolvers } from './audit/audit.resolvers.ts';
import { createContext, type OrganizationsContext } from './context.ts';
import { frontOfficeResolvers } from './front-office/front-office.resolvers.ts';
import { migrations } from './migrations/index.ts';
import type { OrganizationsDB } from './migrations/tables.ts';
import { opportunitySearchResolvers } from './opportunity/opportunity-search.resolvers.ts';
import { opportunityResolvers } from './opportunity/opportunity.resolvers.ts';
import { organizationResolvers } from './organization/organization.resolvers.ts';
import { regionResolvers } from './region/region.resolvers.ts';
import { regionYearResolvers } from './region-year/region-year.resolvers.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** The organizations subgraph: regions, organizations, front-offices, opportunities. */
export const organizationsSubgraph: SubgraphDefinition<OrganizationsDB, OrganizationsContext> = {
  name: 'organizations',
  typeDefs,
  migrations,
  createContext,
  resolvers: {
    ...scalarResolvers,
    Query: {
      ...regionResolvers.Query,
      ...organizationResolvers.Query,
      ...frontOfficeResolvers.Query,
      ...opportunityResolvers.Query,
      ...opportunitySearchResolvers.Query,
      ...auditResolvers.Query,
    },
    Mutation: { ...organizationResolvers.Mutation, ...frontOfficeResolvers.Mutation, ...opportunityResolvers.Mutation },
    Region: regionResolvers.Region,
    RegionYear: regionYearResolvers.RegionYear,
    Organization: organizationResolvers.Organization,
    FrontOffice: frontOfficeResolvers.FrontOffice,
    FrontOfficeCapacity: frontOfficeResolvers.FrontOfficeCapacity,
    FrontOfficeTraining: frontOfficeResolvers.FrontOfficeTraining,
    Opportunity: opportunityResolvers.Opportunity,
    OpportunitySearchConnection: opportunitySearchResolvers.OpportunitySearchConnection,
    RegionCount: opportunitySearchResolvers.RegionCount,
  } as SubgraphDefinition<OrganizationsDB, OrganizationsContext>['resolvers'],
};

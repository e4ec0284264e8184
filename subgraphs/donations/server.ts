import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { scalarResolvers, type SubgraphDefinition } from '../kit/index.ts';
import { auditResolvers } from './audit/audit.resolvers.ts';
import { campaignResolvers } from './campaign/campaign.resolvers.ts';
import { createContext, type DonationsContext } from './context.ts';
import { donationResolvers } from './donation/donation.resolvers.ts';
import { donorResolvers } from './donor/donor.resolvers.ts';
import { exchangeRateResolvers } from './exchange-rate/exchange-rate.resolvers.ts';
import { grantReportReminderJob } from './grant/grant-report-reminder.ts';
import { grantResolvers } from './grant/grant.resolvers.ts';
import { migrations } from './migrations/index.ts';
import type { DonationsDB } from './migrations/tables.ts';
import { CurrencyCodeScalar, DecimalScalar } from './money/money.ts';
import { regionYearResolvers } from './totals/region-year.resolvers.ts';
import { totalsResolvers } from './totals/totals.resolvers.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** The donations subgraph: exchange rates, donors, donations and refunds, campaigns, grants, and their totals. */
export const donationsSubgraph: SubgraphDefinition<DonationsDB, DonationsContext> = {
  name: 'donations',
  typeDefs,
  migrations,
  createContext,
  jobs: [grantReportReminderJob],
  resolvers: {
    ...scalarResolvers,
    Decimal: DecimalScalar,
    CurrencyCode: CurrencyCodeScalar,
    Query: {
      ...exchangeRateResolvers.Query,
      ...donorResolvers.Query,
      ...donationResolvers.Query,
      ...campaignResolvers.Query,
      ...grantResolvers.Query,
      ...totalsResolvers.Query,
      ...auditResolvers.Query,
    },
    Mutation: {
      ...exchangeRateResolvers.Mutation,
      ...donorResolvers.Mutation,
      ...donationResolvers.Mutation,
      ...campaignResolvers.Mutation,
      ...grantResolvers.Mutation,
    },
    Subscription: donationResolvers.Subscription,
    CampaignDonation: donationResolvers.CampaignDonation,
    ExchangeRate: exchangeRateResolvers.ExchangeRate,
    Donor: donorResolvers.Donor,
    Donation: donationResolvers.Donation,
    Refund: donationResolvers.Refund,
    Campaign: campaignResolvers.Campaign,
    GrantProgramme: grantResolvers.GrantProgramme,
    GrantApplication: grantResolvers.GrantApplication,
    Grant: grantResolvers.Grant,
    Disbursement: grantResolvers.Disbursement,
    GrantReport: grantResolvers.GrantReport,
    FunderGrantTotals: grantResolvers.FunderGrantTotals,
    DisbursementShare: grantResolvers.DisbursementShare,
    GrantCoFunder: grantResolvers.GrantCoFunder,
    Region: totalsResolvers.Region,
    RegionYear: regionYearResolvers.RegionYear,
    DonationAggregateCell: totalsResolvers.DonationAggregateCell,
    Organization: totalsResolvers.Organization,
  } as SubgraphDefinition<DonationsDB, DonationsContext>['resolvers'],
};

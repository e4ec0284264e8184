import {
  BadUserInput,
  Forbidden,
  isId,
  money,
  parseDay,
  parseId,
  parsePage,
  toConnection,
  today,
  type Page,
  type PageArgs,
} from '../../kit/index.ts';
import type { DonationsContext } from '../context.ts';
import { formatRate, KZT } from '../money/money.ts';
import { coordinates, isFunderStaff, mayReadGrantDetails, readsEverything, type FunderRef } from '../access.ts';
import { grantApplicationCursors, grantCursors, grantProgrammeCursors, grantReportCursors, type DayIdKey } from '../common/cursors.ts';
import { applicationCursor, listApplications, type GrantApplication, type GrantApplicationFilter } from './grant-application.repository.ts';
import {
  createGrantApplication,
  rejectGrantApplication,
  submitGrantApplication,
  type CreateGrantApplicationInput,
} from './grant-application.service.ts';
import {
  findFunderTotals,
  listProgrammes,
  programmeCursor,
  type FunderKind,
  type FunderTotalsRow,
  type GrantProgramme,
  type GrantProgrammeFilter,
} from './grant-programme.repository.ts';
import { createGrantProgramme, type CreateGrantProgrammeInput } from './grant-programme.service.ts';
import {
  grantCursor,
  listGrants,
  listOverdueReports,
  reportCursor,
  fundedTotalsByType,
  type Disbursement,
  type DisbursementShare,
  type FunderTypeTotalRow,
  type Grant,
  type GrantCoFunder,
  type GrantFilter,
  type GrantReport,
  type PartyScope,
} from './grant.repository.ts';
import {
  acceptGrantReport,
  awardGrant,
  formatShare,
  recordDisbursement,
  submitGrantReport,
  type AwardGrantInput,
  type RecordDisbursementInput,
} from './grant.service.ts';

export const parseGrantPage = (args: PageArgs): Page<DayIdKey> => parsePage(args, grantCursors);

interface FunderFields extends FunderRef {
  funderKind: FunderKind;
  funderName: string;
}

const funderOf = (f: FunderFields) => ({
  kind: f.funderKind,
  name: f.funderName,
  organization: f.funderOrganizationId ? { id: f.funderOrganizationId } : null,
  partner: f.funderPartnerId ? { id: f.funderPartnerId } : null,
});

function parseGrantFilter(filter: GrantFilter | null | undefined): GrantFilter {
  return {
    programmeId: filter?.programmeId ? parseId(filter.programmeId, 'filter.programmeId') : undefined,
    recipientId: filter?.recipientId ? parseId(filter.recipientId, 'filter.recipientId') : undefined,
    funderOrganizationId: filter?.funderOrganizationId ? parseId(filter.funderOrganizationId, 'filter.funderOrganizationId') : undefined,
    funderPartnerId: filter?.funderPartnerId ? parseId(filter.funderPartnerId, 'filter.funderPartnerId') : undefined,
  };
}

/** The programme of a grant, and whether the caller is a party to the grant (or reads everything). */
async function assertGrantDetails(grant: Grant, { viewer, loaders }: DonationsContext, what: string): Promise<void> {
  const programme = await loaders.programmeById.load(grant.programmeId);
  if (programme && mayReadGrantDetails(viewer, programme, grant.recipientId)) return;
  throw new Forbidden(`A grant's ${what} are for its funder, its recipient, analysts and admins`);
}

async function assertMayReadApplication(application: GrantApplication, { viewer, loaders }: DonationsContext): Promise<void> {
  if (readsEverything(viewer) || coordinates(viewer, application.applicantId)) return;
  const programme = await loaders.programmeById.load(application.programmeId);
  if (programme && isFunderStaff(viewer, programme)) return;
  throw new Forbidden("An application is for its applicant's coordinators, the funder's staff, analysts and admins");
}

async function parseApplicationFilter(filter: GrantApplicationFilter, context: DonationsContext): Promise<GrantApplicationFilter> {
  const parsed: GrantApplicationFilter = {
    programmeId: filter.programmeId ? parseId(filter.programmeId, 'filter.programmeId') : undefined,
    applicantId: filter.applicantId ? parseId(filter.applicantId, 'filter.applicantId') : undefined,
    status: filter.status ?? undefined,
  };
  const { viewer, loaders } = context;
  if (readsEverything(viewer)) return parsed;
  if (parsed.applicantId && coordinates(viewer, parsed.applicantId)) return parsed;
  if (parsed.programmeId) {
    const programme = await loaders.programmeById.load(parsed.programmeId);
    if (programme && isFunderStaff(viewer, programme)) return parsed;
  }
  throw new Forbidden("Applicants list their own applications (filter.applicantId), funders their programme's (filter.programmeId)");
}

/** Who sees which overdue reports: everything for analysts and admins, else the grants the caller is a party to. */
function partyScope({ viewer }: DonationsContext): PartyScope | null {
  if (readsEverything(viewer)) return null;
  return {
    organizationIds: viewer.roles.includes('coordinator') ? viewer.organizationIds : [],
    partnerId: viewer.roles.includes('partner') ? viewer.partnerId : null,
  };
}

const asOfDay = (asOf: string | null | undefined): string => (asOf ? parseDay(asOf, 'asOf') : today());

export const grantResolvers = {
  Query: {
    grantProgramme: (_: unknown, { id }: { id: string }, { loaders }: DonationsContext) => loaders.programmeById.load(parseId(id, 'id')),
    grantProgrammes: async (_: unknown, args: PageArgs & { filter?: GrantProgrammeFilter | null }, { db }: DonationsContext) => {
      const page = parsePage(args, grantProgrammeCursors);
      const filter = {
        funderOrganizationId: args.filter?.funderOrganizationId
          ? parseId(args.filter.funderOrganizationId, 'filter.funderOrganizationId')
          : undefined,
        funderPartnerId: args.filter?.funderPartnerId ? parseId(args.filter.funderPartnerId, 'filter.funderPartnerId') : undefined,
        openOn: args.filter?.openOn ? parseDay(args.filter.openOn, 'filter.openOn') : undefined,
      };
      return toConnection(await listProgrammes(db, filter, page), page, programmeCursor);
    },
    grantApplication: async (_: unknown, { id }: { id: string }, context: DonationsContext) => {
      const application = await context.loaders.applicationById.load(parseId(id, 'id'));
      if (application) await assertMayReadApplication(application, context);
      return application;
    },
    grantApplications: async (_: unknown, args: PageArgs & { filter: GrantApplicationFilter }, context: DonationsContext) => {
      const filter = await parseApplicationFilter(args.filter, context);
      const page = parsePage(args, grantApplicationCursors);
      return toConnection(await listApplications(context.db, filter, page), page, applicationCursor);
    },
    grant: (_: unknown, { id }: { id: string }, { loaders }: DonationsContext) => loaders.grantById.load(parseId(id, 'id')),
    grants: async (_: unknown, args: PageArgs & { filter?: GrantFilter | null }, { db }: DonationsContext) => {
      const page = parseGrantPage(args);
      return toConnection(await listGrants(db, parseGrantFilter(args.filter), page), page, grantCursor);
    },
    overdueGrantReports: async (
      _: unknown,
      args: PageArgs & { asOf?: string | null; filter?: GrantFilter | null },
      context: DonationsContext,
    ) => {
      const page = parsePage(args, grantReportCursors);
      const rows = await listOverdueReports(context.db, asOfDay(args.asOf), parseGrantFilter(args.filter), partyScope(context), page);
      return toConnection(rows, page, reportCursor);
    },
    grantTotalsByFunderType: async (_: unknown, args: { from?: string | null; to?: string | null }, { db }: DonationsContext) => {
      const range = { from: args.from ? parseDay(args.from, 'from') : undefined, to: args.to ? parseDay(args.to, 'to') : undefined };
      if (range.from && range.to && range.to < range.from) throw new BadUserInput('to', 'before from');
      const rows = await fundedTotalsByType(db, range);
      const types = [...new Set(rows.map((r) => r.type))];
      return types.map((type) => {
        const of = rows.filter((r) => r.type === type);
        return {
          funderType: type,
          disbursed: of.map((r) => money(r.disbursedMinor, r.currency)),
          disbursedKzt: money(
            of.reduce((n, r: FunderTypeTotalRow) => n + r.disbursedKzt, 0n),
            KZT,
          ),
          unconvertedPayments: of.reduce((n, r) => n + r.unconverted, 0),
        };
      });
    },
    grantTotalsByFunder: async (_: unknown, args: { asOf?: string | null }, { db }: DonationsContext) =>
      findFunderTotals(db, asOfDay(args.asOf)),
  },
  Mutation: {
    createGrantProgramme: (_: unknown, { input }: { input: CreateGrantProgrammeInput }, context: DonationsContext) =>
      createGrantProgramme(context.db, context, input),
    createGrantApplication: (_: unknown, { input }: { input: CreateGrantApplicationInput }, context: DonationsContext) =>
      createGrantApplication(context.db, context, input),
    submitGrantApplication: (_: unknown, { id }: { id: string }, context: DonationsContext) =>
      submitGrantApplication(context.db, context, id),
    rejectGrantApplication: (_: unknown, args: { id: string; reason: string }, context: DonationsContext) =>
      rejectGrantApplication(context.db, context, args.id, args.reason),
    awardGrant: (_: unknown, { input }: { input: AwardGrantInput }, context: DonationsContext) => awardGrant(context.db, context, input),
    recordDisbursement: (_: unknown, args: { input: RecordDisbursementInput; idempotencyKey: string }, context: DonationsContext) =>
      recordDisbursement(context.db, context, args.input, args.idempotencyKey),
    submitGrantReport: (_: unknown, { input }: { input: { reportId: string; summary: string } }, context: DonationsContext) =>
      submitGrantReport(context.db, context, input),
    acceptGrantReport: (_: unknown, { id }: { id: string }, context: DonationsContext) => acceptGrantReport(context.db, context, id),
  },
  GrantProgramme: {
    __resolveReference: (ref: { id: string }, { loaders }: DonationsContext) =>
      isId(ref.id) ? loaders.programmeById.load(ref.id.toLowerCase()) : null,
    funder: (p: GrantProgramme) => funderOf(p),
    budget: (p: GrantProgramme) => money(p.budgetMinor, p.currency),
    applicationOpensOn: (p: GrantProgramme) => p.opensOn,
    applicationClosesOn: (p: GrantProgramme) => p.closesOn,
    awarded: (p: GrantProgramme) => money(p.awardedMinor, p.currency),
    remainingBudget: (p: GrantProgramme) => money(p.budgetMinor - p.awardedMinor, p.currency),
    disbursed: (p: GrantProgramme) => money(p.disbursedMinor, p.currency),
    plannedToDate: async (p: GrantProgramme, args: { asOf?: string | null }, { loaders }: DonationsContext) => {
      const row = await loaders.programmePlannedToDate.load({ programmeId: p.id, asOf: asOfDay(args.asOf) });
      return money(row?.plannedMinor ?? 0n, p.currency);
    },
    grants: async (p: GrantProgramme, args: PageArgs, { db, loaders }: DonationsContext) => {
      const page = parseGrantPage(args);
      const rows = page.after
        ? await listGrants(db, { programmeId: p.id }, page)
        : (await loaders.firstGrantsOfProgramme.load({ id: p.id, limit: page.limit })).map((e) => e.row);
      return toConnection(rows, page, grantCursor);
    },
  },
  GrantApplication: {
    programme: (a: GrantApplication, _: unknown, { loaders }: DonationsContext) => loaders.programmeById.load(a.programmeId),
    applicant: (a: GrantApplication) => ({ id: a.applicantId }),
    requestedAmount: async (a: GrantApplication, _: unknown, { loaders }: DonationsContext) => {
      const programme = await loaders.programmeById.load(a.programmeId);
      return money(a.requestedMinor, programme?.currency ?? 'KZT');
    },
    grant: (a: GrantApplication, _: unknown, { loaders }: DonationsContext) =>
      a.status === 'AWARDED' ? loaders.grantOfApplication.load(a.id) : null,
  },
  Grant: {
    __resolveReference: (ref: { id: string }, { loaders }: DonationsContext) =>
      isId(ref.id) ? loaders.grantById.load(ref.id.toLowerCase()) : null,
    programme: (g: Grant, _: unknown, { loaders }: DonationsContext) => loaders.programmeById.load(g.programmeId),
    funder: async (g: Grant, _: unknown, { loaders }: DonationsContext) => {
      const programme = await loaders.programmeById.load(g.programmeId);
      return programme ? funderOf(programme) : null;
    },
    funders: (g: Grant, _: unknown, { loaders }: DonationsContext) => loaders.fundersOfGrant.load(g.id),
    recipient: (g: Grant) => ({ id: g.recipientId }),
    application: async (g: Grant, _: unknown, context: DonationsContext) => {
      await assertGrantDetails(g, context, 'application');
      return context.loaders.applicationById.load(g.applicationId);
    },
    amountAwarded: (g: Grant) => money(g.amountMinor, g.currency),
    disbursed: (g: Grant) => money(g.disbursedMinor, g.currency),
    remaining: (g: Grant) => money(g.amountMinor - g.disbursedMinor, g.currency),
    plannedDisbursements: async (g: Grant, _: unknown, { loaders }: DonationsContext) =>
      (await loaders.plannedOfGrant.load(g.id)).map((p) => ({ dueOn: p.dueOn, amount: money(p.amountMinor, g.currency) })),
    plannedToDate: async (g: Grant, args: { asOf?: string | null }, { loaders }: DonationsContext) => {
      const asOf = asOfDay(args.asOf);
      const planned = await loaders.plannedOfGrant.load(g.id);
      return money(
        planned.filter((p) => p.dueOn <= asOf).reduce((sum, p) => sum + p.amountMinor, 0n),
        g.currency,
      );
    },
    disbursements: async (g: Grant, _: unknown, context: DonationsContext) => {
      await assertGrantDetails(g, context, 'disbursements');
      return context.loaders.disbursementsOfGrant.load(g.id);
    },
    reports: async (g: Grant, _: unknown, context: DonationsContext) => {
      await assertGrantDetails(g, context, 'reports');
      return context.loaders.reportsOfGrant.load(g.id);
    },
    overdueReports: async (g: Grant, args: { asOf?: string | null }, context: DonationsContext) => {
      await assertGrantDetails(g, context, 'reports');
      const asOf = asOfDay(args.asOf);
      return (await context.loaders.reportsOfGrant.load(g.id)).filter((r) => r.status === 'DUE' && r.dueOn < asOf);
    },
  },
  Disbursement: {
    grant: (d: Disbursement, _: unknown, { loaders }: DonationsContext) => loaders.grantById.load(d.grantId),
    amount: async (d: Disbursement, _: unknown, { loaders }: DonationsContext) => {
      const grant = await loaders.grantById.load(d.grantId);
      return money(d.amountMinor, grant?.currency ?? 'KZT');
    },
    amountKzt: (d: Disbursement) => (d.amountKzt === null ? null : money(d.amountKzt, KZT)),
    exchangeRate: (d: Disbursement) => (d.rate ? { rate: formatRate(d.rate.rateMicro), date: d.rate.date, source: d.rate.source } : null),
    attribution: (d: Disbursement, _: unknown, { loaders }: DonationsContext) => loaders.sharesOfDisbursement.load(d.id),
  },
  DisbursementShare: {
    funder: async (s: DisbursementShare, _: unknown, { loaders }: DonationsContext) =>
      (await loaders.fundersOfGrant.load(s.grantId)).find((f) => f.position === s.position),
    amount: (s: DisbursementShare) => money(s.amountMinor, s.currency),
    amountKzt: (s: DisbursementShare) => (s.amountKzt === null ? null : money(s.amountKzt, KZT)),
  },
  GrantCoFunder: {
    organization: (f: GrantCoFunder) => (f.organizationId ? { id: f.organizationId } : null),
    partner: (f: GrantCoFunder) => (f.partnerId ? { id: f.partnerId } : null),
    share: (f: GrantCoFunder) => formatShare(f.shareBp),
  },
  GrantReport: {
    grant: (r: GrantReport, _: unknown, { loaders }: DonationsContext) => loaders.grantById.load(r.grantId),
    overdue: (r: GrantReport) => r.status === 'DUE' && r.dueOn < today(),
  },
  FunderGrantTotals: {
    funder: (t: FunderTotalsRow) => funderOf(t),
    budget: (t: FunderTotalsRow) => money(t.budgetMinor, t.currency),
    awarded: (t: FunderTotalsRow) => money(t.awardedMinor, t.currency),
    planned: (t: FunderTotalsRow) => money(t.plannedMinor, t.currency),
    plannedToDate: (t: FunderTotalsRow) => money(t.plannedToDateMinor, t.currency),
    disbursed: (t: FunderTotalsRow) => money(t.disbursedMinor, t.currency),
  },
};

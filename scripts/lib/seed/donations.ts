import { sql, type Kysely } from 'kysely';
import { formatReceiptNumber } from '../../../subgraphs/donations/donation/donation.service.ts';
import { toKzt } from '../../../subgraphs/donations/money/money.ts';
import { makeBin, makeIin } from '../../../subgraphs/kit/index.ts';
import { demoId } from '../../../subgraphs/kit/demo-plan.ts';
import type { BulkTarget } from './bulk.ts';
import type { CopyValue } from './copy.ts';
import { AS_OF, FIRST_DAY, LAST_DAY, REGION_CODES, type PlanOrganization, type SeedPlan } from './plan.ts';
import type { Progress } from './progress.ts';
import { at, cumulative, dayNumber, isoDay, random, seedOf, type Random } from './random.ts';
import type { SubgraphSeeder } from './seeder.ts';

type DonorType = 'INDIVIDUAL' | 'CORPORATE' | 'STATE' | 'FOREIGN_STATE' | 'INTERNATIONAL_ORG' | 'FOUNDATION' | 'ANONYMOUS';

interface PlanDonor {
  index: number;
  id: string;
  type: DonorType;
  residency: 'RESIDENT' | 'NON_RESIDENT';
  name: string | null;
  bin: string | null;
  iin: string | null;
  country: string | null;
  organizationId: string | null;
  partnerId: string | null;
  registeredDay: number;
}

const DONOR_MIX: [DonorType, number][] = [
  ['INDIVIDUAL', 70],
  ['CORPORATE', 14],
  ['FOUNDATION', 4],
  ['STATE', 1.5],
  ['FOREIGN_STATE', 0.5],
  ['INTERNATIONAL_ORG', 2],
  ['ANONYMOUS', 8],
];
const DONOR_CUMULATIVE = cumulative(DONOR_MIX.map(([, w]) => w));
const COMPANY_WORDS = ['Altyn', 'Steppe', 'Caspian', 'Nomad', 'Tengri', 'Samruk', 'Irbis', 'Saryarka', 'Zhetisu', 'Turan'];
const COMPANY_TRADES = ['Trading', 'Logistics', 'Construction', 'Pharma', 'Foods', 'Telecom', 'Energy', 'Motors', 'Agro', 'Consulting'];
const FOREIGN_COUNTRIES = ['US', 'DE', 'TR', 'KR', 'JP', 'GB', 'CN', 'AE', 'RU', 'UZ'];

/** Donors are drawn by rank: a few give often (Zipf-like), most give once or twice. */
function buildDonors(plan: SeedPlan): PlanDonor[] {
  const r = random(seedOf('donors'));
  const count = plan.scale.donors;
  const companies = plan.organizations.filter((o) => !o.demo && o.kind === 'COMPANY');
  const states = plan.organizations.filter((o) => !o.demo && o.kind === 'STATE_BODY');
  const foundations = plan.organizations.filter((o) => !o.demo && o.kind === 'CHARITY_FOUNDATION');
  let company = 0;
  let state = 0;
  let foundation = 0;
  let partner = 0;
  let binSerial = 600_000;
  const iinSerials = new Map<string, number>();
  const donors: PlanDonor[] = [];
  for (let n = 0; n < count; n++) {
    let type = (DONOR_MIX[r.weighted(DONOR_CUMULATIVE)] as [DonorType, number])[0];
    if ((type === 'FOREIGN_STATE' || type === 'INTERNATIONAL_ORG') && partner >= plan.partners.length) type = 'CORPORATE';
    const registeredDay = dayNumber('2023-01-01') + Math.floor(r() * (LAST_DAY - dayNumber('2023-01-01')));
    const donor: PlanDonor = {
      index: n,
      id: demoId('seed-donor', n),
      type,
      residency: 'RESIDENT',
      name: null,
      bin: null,
      iin: null,
      country: 'KZ',
      organizationId: null,
      partnerId: null,
      registeredDay,
    };
    const newBin = () => {
      const bin = makeBin(binSerial);
      binSerial = Number(bin.slice(5, 11)) + 1;
      return bin;
    };
    switch (type) {
      case 'INDIVIDUAL': {
        const female = r.chance(0.55);
        const birthDate = isoDay(dayNumber('1950-01-01') + r.int(0, 52 * 365));
        const key = `${birthDate}${female}`;
        donor.iin = makeIin(birthDate, female ? 'FEMALE' : 'MALE', iinSerials.get(key) ?? 5000);
        iinSerials.set(key, Number(donor.iin.slice(7, 11)) + 1);
        donor.name = `${r.pick(female ? ['Aigerim', 'Saule', 'Dana', 'Gulnara', 'Elena', 'Madina'] : ['Nurlan', 'Askar', 'Timur', 'Sergey', 'Bolat', 'Yerlan'])} ${r.pick(['Omarov', 'Akhmetov', 'Kim', 'Ivanov', 'Seitkali', 'Bekov'])}${female ? 'a' : ''}`;
        if (r.chance(0.04)) {
          donor.residency = 'NON_RESIDENT';
          donor.country = r.pick(FOREIGN_COUNTRIES);
        }
        break;
      }
      case 'CORPORATE': {
        const org = company < companies.length && r.chance(0.3) ? companies[company++] : undefined;
        donor.name = org?.name ?? `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_TRADES)} LLP`;
        donor.bin = org?.bin ?? newBin();
        donor.organizationId = org?.id ?? null;
        if (!org && r.chance(0.05)) {
          donor.residency = 'NON_RESIDENT';
          donor.country = r.pick(FOREIGN_COUNTRIES);
          donor.bin = null;
        }
        break;
      }
      case 'FOUNDATION': {
        const org = foundation < foundations.length && r.chance(0.5) ? foundations[foundation++] : undefined;
        donor.name = org?.name ?? `${r.pick(COMPANY_WORDS)} Family Foundation`;
        donor.bin = org?.bin ?? newBin();
        donor.organizationId = org?.id ?? null;
        break;
      }
      case 'STATE': {
        const org = state < states.length ? states[state++] : undefined;
        donor.name = org?.name ?? `Akimat of ${r.pick(['Kostanay', 'Pavlodar', 'Taraz', 'Aktau', 'Oral'])}`;
        donor.bin = org?.bin ?? newBin();
        donor.organizationId = org?.id ?? null;
        break;
      }
      case 'FOREIGN_STATE':
      case 'INTERNATIONAL_ORG': {
        const p = plan.partners[partner++]!;
        donor.name = p.name;
        donor.partnerId = p.id;
        donor.residency = 'NON_RESIDENT';
        donor.country = p.country;
        if (p.country === 'KZ') donor.residency = 'RESIDENT';
        break;
      }
      case 'ANONYMOUS':
        donor.country = null;
        break;
    }
    donors.push(donor);
  }
  return donors;
}

interface Rate {
  day: number;
  micro: bigint;
  source: string;
}

const SEED_RATE_SOURCE = 'Illustrative seed rate (generated data, not an official rate)';

/**
 * Daily rates for the window before the first shipped official rate, as a
 * random walk that ends at the shipped rate: foreign donations of 2024–2025
 * then convert as the write path would (the latest rate on or before the day).
 */
function seedRates(shipped: Map<string, Rate[]>): { currency: string; day: number; micro: bigint }[] {
  const r = random(seedOf('rates'));
  const out: { currency: string; day: number; micro: bigint }[] = [];
  for (const [currency, rates] of shipped) {
    const first = rates[0];
    if (!first || first.day <= FIRST_DAY - 30) continue;
    let micro = Number(first.micro);
    for (let day = first.day - 1; day >= FIRST_DAY - 30; day--) {
      const weekday = new Date(day * 86_400_000).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      micro = micro * (1 + (r() - 0.505) * 0.006);
      out.push({ currency, day, micro: BigInt(Math.round(micro / 100) * 100) });
    }
  }
  return out;
}

function rateOn(rates: Rate[] | undefined, day: number): Rate | null {
  if (!rates || rates.length === 0 || rates[0]!.day > day) return null;
  let lo = 0;
  let hi = rates.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (rates[mid]!.day <= day) lo = mid;
    else hi = mid - 1;
  }
  return rates[lo]!;
}

/** Days of the window with a seasonal weight (December giving, Nauryz and Ramadan, a summer lull), as a cumulative table. */
function donationCalendar(): { days: Int32Array; cumulative: Float64Array } {
  const days = new Int32Array(LAST_DAY - FIRST_DAY + 1);
  const weights: number[] = [];
  for (let d = FIRST_DAY; d <= LAST_DAY; d++) {
    days[d - FIRST_DAY] = d;
    const month = new Date(d * 86_400_000).getUTCMonth() + 1;
    weights.push(month === 12 ? 2.2 : month === 3 ? 1.4 : month >= 6 && month <= 8 ? 0.8 : 1);
  }
  return { days, cumulative: cumulative(weights) };
}

const roundTo = (value: number, step: number) => Math.max(step, Math.round(value / step) * step);

function amountFor(r: Random, type: DonorType): number {
  switch (type) {
    case 'INDIVIDUAL':
      return roundTo(r.logNormal(5_000, 1.1), 100);
    case 'ANONYMOUS':
      return roundTo(r.logNormal(3_000, 1.0), 100);
    case 'CORPORATE':
      return roundTo(r.logNormal(400_000, 1.2), 1_000);
    case 'FOUNDATION':
      return roundTo(r.logNormal(1_500_000, 1.0), 10_000);
    case 'STATE':
      return roundTo(r.logNormal(8_000_000, 0.9), 100_000);
    default:
      return roundTo(r.logNormal(15_000, 0.9), 100); // in dollars or euros
  }
}

const IN_KIND = [
  'Winter clothes for families',
  'Refurbished laptops for a computer class',
  'Food parcels',
  'Wheelchairs',
  'School supplies',
  'Medical supplies for a care home',
  'Printing of leaflets',
];

export const donationsSeeder: SubgraphSeeder = {
  name: 'donations',
  markerTable: 'donors',
  async load(target: BulkTarget, plan: SeedPlan, progress: Progress) {
    const db = target.db;
    const r = random(seedOf('donations'));

    // Rates: the shipped official ones (from the migration), and illustrative ones for the earlier days of the window.
    const { rows: shippedRows } = await sql<{ currency: string; rate_date: string; rate_micro: number; source: string }>`
      select currency, rate_date::text as rate_date, rate_micro, source from exchange_rates order by currency, rate_date`.execute(db);
    const rates = new Map<string, Rate[]>();
    for (const row of shippedRows) {
      const list = rates.get(row.currency) ?? [];
      list.push({ day: dayNumber(row.rate_date), micro: BigInt(row.rate_micro), source: row.source });
      rates.set(row.currency, list);
    }
    const generated = seedRates(rates);
    let phase = progress.phase('exchange rates', generated.length);
    await target.copy(
      'exchange_rates',
      ['currency', 'rate_date', 'rate_micro', 'source'],
      generated.map((g) => [g.currency, isoDay(g.day), g.micro.toString(), SEED_RATE_SOURCE]),
      () => phase.tick(),
    );
    phase.done();
    for (const g of generated) rates.get(g.currency)!.push({ day: g.day, micro: g.micro, source: SEED_RATE_SOURCE });
    for (const list of rates.values()) list.sort((a, b) => a.day - b.day);

    const donors = buildDonors(plan);
    phase = progress.phase('donors', donors.length);
    await target.copy(
      'donors',
      ['id', 'type', 'residency', 'name', 'bin', 'iin', 'country', 'organization_id', 'partner_id', 'registered_at'],
      donors.map((d) => [
        d.id,
        d.type,
        d.residency,
        d.name,
        d.bin,
        d.iin,
        d.country,
        d.organizationId,
        d.partnerId,
        at(d.registeredDay, 12 * 60),
      ]),
      () => phase.tick(),
    );
    phase.done();

    // Campaigns of the larger recipients.
    const recipients = plan.organizations.filter((o) => o.status === 'REGISTERED' && o.kind !== 'STATE_BODY');
    const recipientWeights = cumulative(recipients.map((o) => (o.kind === 'CHARITY_FOUNDATION' ? 3 : 1) * (o.weight + 0.2)));
    const campaignsByOrganization = new Map<number, { id: string; startDay: number; endDay: number }[]>();
    const campaigns: CopyValue[][] = [];
    for (let n = 0; n < plan.scale.campaigns; n++) {
      const org = recipients[r.weighted(recipientWeights)] as PlanOrganization;
      const startDay = FIRST_DAY - 30 + r.int(0, LAST_DAY - FIRST_DAY);
      const endDay = startDay + r.int(14, 120);
      const id = demoId('seed-campaign', n);
      const list = campaignsByOrganization.get(org.index) ?? [];
      list.push({ id, startDay, endDay });
      campaignsByOrganization.set(org.index, list);
      const title = r.pick([
        'Warm winter',
        'Back to school',
        'Help for flood victims',
        'A wheelchair for every child',
        'Hot meals for elders',
        'Equip our volunteers',
        'Green city',
      ]);
      campaigns.push([
        id,
        org.id,
        `${title} ${isoDay(startDay).slice(0, 4)}`,
        `${title}: a campaign of ${org.name}.`,
        String(BigInt(roundTo(r.logNormal(3_000_000, 1), 100_000)) * 100n),
        isoDay(startDay),
        isoDay(endDay),
        at(startDay - 7, 10 * 60),
      ]);
    }
    phase = progress.phase('campaigns', campaigns.length);
    await target.copy(
      'campaigns',
      ['id', 'organization_id', 'title', 'description', 'goal_kzt', 'starts_on', 'ends_on', 'created_at'],
      campaigns,
      () => phase.tick(),
    );
    phase.done();

    // Donations in date order, so receipt numbers (per recipient and year) grow with the date, after the demo's.
    const { rows: counters } = await sql<{
      organization_id: string;
      year: number;
      last_number: number;
    }>`select organization_id, year, last_number from receipt_counters`.execute(db);
    const receipt = new Map(counters.map((c) => [`${c.organization_id}|${c.year}`, c.last_number]));
    const calendar = donationCalendar();
    const total = plan.scale.donations;
    const calendarTotal = calendar.cumulative[calendar.cumulative.length - 1]!;
    const refunds: CopyValue[][] = [];
    phase = progress.phase('donations', total);
    await target.copy(
      'donations',
      [
        'id',
        'donor_id',
        'donor_type',
        'donor_residency',
        'recipient_id',
        'recipient_region_code',
        'campaign_id',
        'kind',
        'in_kind_description',
        'currency',
        'amount_minor',
        'rate_micro',
        'rate_date',
        'rate_source',
        'amount_kzt',
        'frequency',
        'schedule_interval',
        'schedule_starts_on',
        'schedule_ends_on',
        'donated_on',
        'receipt_year',
        'receipt_number',
        'foreign_source',
        'note',
        'recorded_at',
      ],
      (function* () {
        let cursor = 0;
        for (let n = 0; n < total; n++) {
          // The n-th donation's day: the inverse of the seasonal calendar (monotone in n).
          const target = ((n + 0.5) / total) * calendarTotal;
          while (calendar.cumulative[cursor]! < target) cursor++;
          const day = calendar.days[cursor]!;
          const donor = donors[Math.floor(donors.length * Math.pow(r(), 2.2))]!;
          const recipient = recipients[r.weighted(recipientWeights)] as PlanOrganization;
          const campaign = (campaignsByOrganization.get(recipient.index) ?? []).find(
            (c) => c.startDay <= day && day <= c.endDay && r.chance(0.6),
          );
          const inKind = (donor.type === 'CORPORATE' || donor.type === 'INDIVIDUAL') && r.chance(0.05);
          const foreignDonor = donor.residency === 'NON_RESIDENT';
          let currency = 'KZT';
          if (!inKind && (donor.type === 'FOREIGN_STATE' || donor.type === 'INTERNATIONAL_ORG')) currency = r.chance(0.75) ? 'USD' : 'EUR';
          else if (!inKind && foreignDonor) currency = r.pick(['USD', 'EUR', 'RUB', 'KZT']);
          else if (!inKind && r.chance(0.03)) currency = r.pick(['USD', 'RUB']);
          const whole = amountFor(r, donor.type);
          let amountMinor: bigint;
          if (currency === 'KZT') amountMinor = BigInt(whole) * 100n;
          else if (donor.type === 'FOREIGN_STATE' || donor.type === 'INTERNATIONAL_ORG') amountMinor = BigInt(whole) * 100n;
          else if (currency === 'RUB') amountMinor = BigInt(roundTo(whole / 5, 100)) * 100n;
          else amountMinor = BigInt(Math.max(5, Math.round(whole / 500))) * 100n;
          const rate = currency === 'KZT' ? null : rateOn(rates.get(currency), day);
          if (currency !== 'KZT' && !rate) {
            currency = 'KZT';
            amountMinor = BigInt(whole) * 100n;
          }
          const amountKzt = rate ? toKzt(amountMinor, currency, rate.micro) : amountMinor;
          const recurring = donor.type === 'INDIVIDUAL' && !inKind && r.chance(0.08);
          const year = Number(isoDay(day).slice(0, 4));
          const key = `${recipient.id}|${year}`;
          const number = (receipt.get(key) ?? 0) + 1;
          receipt.set(key, number);
          const id = demoId('seed-donation', n);
          const recordedAt = at(day, r.int(8 * 60, 21 * 60));
          if (!inKind && r.chance(0.004)) {
            const refundDay = day + r.int(3, 40);
            if (refundDay <= LAST_DAY) {
              const full = r.chance(0.7);
              const minor = full ? amountMinor : amountMinor / 2n;
              if (minor > 0n) {
                const kzt = full ? amountKzt : rate ? toKzt(minor, currency, rate.micro) : minor;
                refunds.push([
                  demoId('seed-refund', n),
                  id,
                  minor.toString(),
                  kzt.toString(),
                  isoDay(refundDay),
                  r.pick(['Donor asked for the money back', 'Paid twice by mistake', 'Campaign cancelled']),
                  at(refundDay, 12 * 60),
                ]);
              }
            }
          }
          yield [
            id,
            donor.id,
            donor.type,
            donor.residency,
            recipient.id,
            recipient.regionCode,
            campaign?.id ?? null,
            inKind ? 'IN_KIND' : 'MONETARY',
            inKind ? r.pick(IN_KIND) : null,
            currency,
            amountMinor.toString(),
            rate ? rate.micro.toString() : null,
            rate ? isoDay(rate.day) : null,
            rate ? rate.source : null,
            amountKzt.toString(),
            recurring ? 'RECURRING' : 'ONE_TIME',
            recurring ? 'MONTHLY' : null,
            recurring ? isoDay(day) : null,
            recurring && r.chance(0.5) ? isoDay(day + 365) : null,
            isoDay(day),
            year,
            formatReceiptNumber(year, number),
            foreignDonor || (currency !== 'KZT' && r.chance(0.3)),
            null,
            recordedAt,
          ];
        }
      })(),
      () => phase.tick(),
    );
    phase.done();
    phase = progress.phase('refunds', refunds.length);
    await target.copy('refunds', ['id', 'donation_id', 'amount_minor', 'amount_kzt', 'refunded_on', 'reason', 'recorded_at'], refunds, () =>
      phase.tick(),
    );
    phase.done();

    await loadGrants(target, plan, progress);
  },
  async rebuild(db: Kysely<any>) {
    await rebuildDonationTotals(db);
  },
};

async function loadGrants(target: BulkTarget, plan: SeedPlan, progress: Progress): Promise<void> {
  const r = random(seedOf('grant-rows'));
  const budgets = new Map<number, bigint>();
  for (const g of plan.grants) budgets.set(g.programmeIndex, (budgets.get(g.programmeIndex) ?? 0n) + g.amountMinor);
  const phase = progress.phase('grant programmes, grants, payments', plan.programmes.length + plan.grants.length);
  await target.copy(
    'grant_programmes',
    [
      'id',
      'title',
      'description',
      'funder_kind',
      'funder_name',
      'funder_organization_id',
      'funder_partner_id',
      'currency',
      'budget_minor',
      'opens_on',
      'closes_on',
      'priorities',
      'min_grant_years',
      'max_grant_years',
      'created_at',
    ],
    plan.programmes.map((p) => {
      const awarded = budgets.get(p.index) ?? 0n;
      const budget = awarded === 0n ? 100_000_000n : (awarded * BigInt(120 + r.int(0, 60))) / 100n;
      return [
        p.id,
        p.title,
        `A call for long-term projects: ${p.priorities.join(', ').toLowerCase()}.`,
        p.funderKind,
        p.funderName,
        p.funderOrganizationIndex === null ? null : plan.organizations[p.funderOrganizationIndex]!.id,
        p.funderPartnerIndex === null ? null : plan.partners[p.funderPartnerIndex]!.id,
        p.currency,
        budget.toString(),
        isoDay(p.opensDay),
        isoDay(p.closesDay),
        p.priorities,
        p.minYears,
        p.maxYears,
        at(p.opensDay - 30, 10 * 60),
      ];
    }),
    () => phase.tick(),
  );

  const applications: CopyValue[][] = [];
  const grants: CopyValue[][] = [];
  const planned: CopyValue[][] = [];
  const paid: CopyValue[][] = [];
  const reports: CopyValue[][] = [];
  let extra = 0;
  for (const g of plan.grants) {
    const programme = plan.programmes[g.programmeIndex]!;
    const recipient = plan.organizations[g.recipientIndex]!;
    const submittedAt = at(programme.opensDay + r.int(1, Math.max(1, programme.closesDay - programme.opensDay)), 15 * 60);
    applications.push([
      g.applicationId,
      programme.id,
      recipient.id,
      recipient.regionCode,
      g.title,
      `Project of ${recipient.name}.`,
      ((g.amountMinor * BigInt(100 + r.int(0, 30))) / 100n).toString(),
      'AWARDED',
      submittedAt,
      at(g.awardDay, 11 * 60),
      null,
      new Date(submittedAt.getTime() - 3 * 86_400_000),
    ]);
    // Other applicants of the same call: rejected, still under review, or drafts.
    for (let k = r.int(0, 2); k > 0; k--) {
      const other = plan.organizations[r.int(0, plan.organizations.length - 1)]!;
      const s = r();
      const status = s < 0.6 ? 'REJECTED' : s < 0.8 ? 'SUBMITTED' : 'DRAFT';
      applications.push([
        demoId('seed-grant-application-extra', extra++),
        programme.id,
        other.id,
        other.regionCode,
        `${other.name}: community project`,
        null,
        ((g.amountMinor * BigInt(50 + r.int(0, 100))) / 100n).toString(),
        status,
        status === 'DRAFT' ? null : submittedAt,
        status === 'REJECTED' ? at(g.awardDay, 11 * 60) : null,
        status === 'REJECTED' ? 'Outside the priorities of the call' : null,
        new Date(submittedAt.getTime() - 86_400_000),
      ]);
    }
    grants.push([
      g.id,
      programme.id,
      g.applicationId,
      recipient.id,
      g.title,
      g.currency,
      g.amountMinor.toString(),
      isoDay(g.awardDay),
      isoDay(g.periodStartDay),
      isoDay(g.periodEndDay),
      at(g.awardDay, 11 * 60),
    ]);
    // Half-yearly instalments; those due by the end of the window are mostly paid.
    const years = Math.round((g.periodEndDay - g.periodStartDay + 1) / 365);
    const instalments = years * 2;
    const share = g.amountMinor / BigInt(instalments);
    for (let i = 0; i < instalments; i++) {
      const amount = i === instalments - 1 ? g.amountMinor - share * BigInt(instalments - 1) : share;
      const due = g.periodStartDay + i * 182;
      const plannedId = demoId('seed-planned-disbursement', g.index * 10 + i);
      planned.push([plannedId, g.id, programme.id, isoDay(due), amount.toString()]);
      const paidDay = due + r.int(0, 20);
      if (paidDay <= LAST_DAY && r.chance(0.93)) {
        paid.push([
          demoId('seed-disbursement', g.index * 10 + i),
          g.id,
          programme.id,
          amount.toString(),
          isoDay(paidDay),
          `PAY-${isoDay(paidDay).replaceAll('-', '')}-${g.index}-${i}`,
          at(paidDay, 14 * 60),
        ]);
      }
    }
    for (let k = 1; k <= years; k++) {
      const final = k === years;
      const due = final ? g.periodEndDay + 60 : g.periodStartDay + k * 365;
      let status = 'DUE';
      if (due <= AS_OF - 30) {
        const s = r();
        status = s < 0.8 ? 'ACCEPTED' : s < 0.88 ? 'SUBMITTED' : 'DUE';
      }
      reports.push([
        demoId('seed-grant-report', g.index * 4 + k),
        g.id,
        final ? 'FINAL' : 'INTERIM',
        isoDay(due),
        status,
        status === 'DUE' ? null : `Report ${k} of ${g.title}`,
        status === 'DUE' ? null : at(due - r.int(0, 10), 16 * 60),
        status === 'ACCEPTED' ? at(due + r.int(5, 25), 10 * 60) : null,
      ]);
    }
    phase.tick();
  }
  await target.copy(
    'grant_applications',
    [
      'id',
      'programme_id',
      'applicant_id',
      'applicant_region_code',
      'title',
      'summary',
      'requested_minor',
      'status',
      'submitted_at',
      'decided_at',
      'decision_reason',
      'created_at',
    ],
    applications,
  );
  await target.copy(
    'grants',
    [
      'id',
      'programme_id',
      'application_id',
      'recipient_id',
      'title',
      'currency',
      'amount_minor',
      'award_date',
      'period_start',
      'period_end',
      'created_at',
    ],
    grants,
  );
  await target.copy('planned_disbursements', ['id', 'grant_id', 'programme_id', 'due_on', 'amount_minor'], planned);
  await target.copy('disbursements', ['id', 'grant_id', 'programme_id', 'amount_minor', 'paid_on', 'reference', 'recorded_at'], paid);
  await target.copy('grant_reports', ['id', 'grant_id', 'kind', 'due_on', 'status', 'summary', 'submitted_at', 'accepted_at'], reports);
  phase.done(
    `${applications.length} applications, ${planned.length} planned and ${paid.length} paid instalments, ${reports.length} reports`,
  );
}

/**
 * Recomputes every rollup of the donations subgraph from its entries, with the
 * write path's rules (donation.service.ts, totals.repository.ts,
 * grant.service.ts): a donation counts +amount_kzt and +1 on its day, a refund
 * −amount_kzt and +0 on its own day, both with the donation's recipient, region,
 * donor type, residency, kind and foreign-source flag; a campaign's raised sum
 * is its donations less their refunds; receipt counters are the last number
 * used per recipient and year; a donor is linked to who registered it and to
 * every recipient; grant and programme totals are sums of their awards and
 * payments. test/scale checks it against the write path.
 */
export async function rebuildDonationTotals(db: Kysely<any>): Promise<void> {
  await sql`
    delete from donation_daily_totals;
    delete from donation_region_totals;
    delete from receipt_counters;

    create temporary table seed_ledger as
      select d.recipient_id, d.recipient_region_code, d.donated_on as day, d.donor_type, d.donor_residency, d.kind, d.foreign_source,
             d.amount_kzt as amount_kzt, 1 as donations
      from donations d
      union all
      select d.recipient_id, d.recipient_region_code, f.refunded_on, d.donor_type, d.donor_residency, d.kind, d.foreign_source,
             -f.amount_kzt, 0
      from refunds f join donations d on d.id = f.donation_id;

    insert into donation_daily_totals (organization_id, day, amount_kzt, donation_count)
      select recipient_id, day, sum(amount_kzt), sum(donations) from seed_ledger group by recipient_id, day;
    insert into donation_region_totals (region_code, year, donor_type, residency, kind, foreign_source, amount_kzt, donation_count)
      select recipient_region_code, extract(year from day)::int, donor_type, donor_residency, kind, foreign_source, sum(amount_kzt), sum(donations)
      from seed_ledger group by 1, 2, 3, 4, 5, 6;
    drop table seed_ledger;

    insert into receipt_counters (organization_id, year, last_number)
      select recipient_id, receipt_year, max(split_part(receipt_number, '-', 2)::int) from donations group by recipient_id, receipt_year;

    update campaigns c set raised_kzt = coalesce(t.raised, 0), donation_count = coalesce(t.n, 0)
    from (
      select c2.id,
             (select sum(d.amount_kzt) from donations d where d.campaign_id = c2.id)
               - coalesce((select sum(f.amount_kzt) from refunds f join donations d on d.id = f.donation_id where d.campaign_id = c2.id), 0) as raised,
             (select count(*) from donations d where d.campaign_id = c2.id) as n
      from campaigns c2
    ) t
    where t.id = c.id;

    insert into donor_organizations (organization_id, donor_id)
      select registered_by_organization_id, id from donors where registered_by_organization_id is not null
      union
      select distinct recipient_id, donor_id from donations
    on conflict do nothing;

    update grants g set disbursed_minor = coalesce((select sum(amount_minor) from disbursements x where x.grant_id = g.id), 0);

    -- Each grant funded by its programme's funder alone (100%); each payment at the official rate of
    -- its day or the latest earlier one (half-up to the tiyn), attributed to that funder in full.
    insert into grant_funders (grant_id, position, funder_type, name, organization_id, partner_id, share_bp)
      select g.id, 0, case p.funder_kind when 'STATE_BODY' then 'STATE' when 'INTERNATIONAL_PARTNER' then 'INTERNATIONAL' else 'PRIVATE' end,
             p.funder_name, p.funder_organization_id, p.funder_partner_id, 10000
      from grants g join grant_programmes p on p.id = g.programme_id
    on conflict do nothing;
    update disbursements d set (rate_micro, rate_date, rate_source) = (
        select x.rate_micro, x.rate_date, x.source from exchange_rates x where x.currency = g.currency and x.rate_date <= d.paid_on order by x.rate_date desc limit 1)
      from grants g where g.id = d.grant_id and g.currency <> 'KZT' and d.rate_micro is null;
    update disbursements d set amount_kzt = round(d.amount_minor::numeric * d.rate_micro * 100
        / (10::numeric ^ (case g.currency when 'JPY' then 0 when 'KRW' then 0 when 'JOD' then 3 when 'KWD' then 3 when 'BHD' then 3 else 2 end) * 1000000))
      from grants g where g.id = d.grant_id and g.currency <> 'KZT' and d.rate_micro is not null and d.amount_kzt is null;
    update disbursements d set amount_kzt = d.amount_minor from grants g where g.id = d.grant_id and g.currency = 'KZT' and d.amount_kzt is null;
    insert into disbursement_shares (disbursement_id, position, grant_id, funder_type, currency, amount_minor, amount_kzt, paid_on)
      select d.id, 0, d.grant_id, f.funder_type, g.currency, d.amount_minor, d.amount_kzt, d.paid_on
      from disbursements d join grants g on g.id = d.grant_id join grant_funders f on f.grant_id = d.grant_id and f.position = 0
    on conflict do nothing;
    update grant_programmes p set
      awarded_minor = coalesce((select sum(amount_minor) from grants g where g.programme_id = p.id), 0),
      disbursed_minor = coalesce((select sum(amount_minor) from disbursements x where x.programme_id = p.id), 0),
      grant_count = (select count(*) from grants g where g.programme_id = p.id);
  `.execute(db);
}

export { REGION_CODES };

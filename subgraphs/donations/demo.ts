import type { Kysely } from 'kysely';
import { demoId, prng, type DemoPlan, type PlannedOrganization } from '../kit/demo-plan.ts';
import { invariant, makeBin, makeIin } from '../kit/index.ts';
import { insertCampaign } from './campaign/campaign.repository.ts';
import { lockDonation } from './donation/donation.repository.ts';
import { writeDonation, writeRefund } from './donation/donation.service.ts';
import { insertDonor, linkDonorToOrganization, type NewDonor } from './donor/donor.repository.ts';
import { findRateOnOrBefore } from './exchange-rate/exchange-rate.repository.ts';
import { insertApplication } from './grant/grant-application.repository.ts';
import { insertProgramme } from './grant/grant-programme.repository.ts';
import { lockGrant } from './grant/grant.repository.ts';
import { programmeAsFunder, writeAward, writeDisbursement } from './grant/grant.service.ts';
import type { DonationsDB } from './migrations/tables.ts';
import { KZT, toKzt } from './money/money.ts';

/**
 * Loads the donations part of the demo, once (false when already there): donors
 * (individual, corporate, foreign), 40 donations in KZT and USD to the plan's
 * organizations with one refund, a campaign, and a grant programme of the
 * ministry with one grant (planned and one actual disbursement, reports). It
 * writes through the same functions as the mutations, so every total agrees
 * with the entries; the recipients' regions come from the plan.
 */
export async function seedDemo(db: Kysely<DonationsDB>, plan: DemoPlan): Promise<boolean> {
  const orgs = plan.organizations;
  const org = (i: number): PlannedOrganization => {
    const o = orgs[i];
    invariant(o, `demo organization ${i}`);
    return o;
  };
  const association = org(0);
  const shymkentCare = org(2);
  const ministry = org(10);
  const kazEnergy = org(11);
  const recipients = orgs.filter((o) => o.kind !== 'STATE_BODY' && o.kind !== 'COMPANY');
  const random = prng(4_2026);

  return db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('donors').select('id').limit(1).executeTakeFirst()) return false;

    const donors: (NewDonor & { id: string })[] = [
      {
        id: demoId('donor', 0),
        type: 'INDIVIDUAL',
        residency: 'RESIDENT',
        name: 'Aigerim Nurpeisova',
        bin: null,
        iin: makeIin('1988-03-14', 'FEMALE', 41),
        country: 'KZ',
        organizationId: null,
        partnerId: null,
        registeredByOrganizationId: association.id,
      },
      {
        id: demoId('donor', 1),
        type: 'INDIVIDUAL',
        residency: 'RESIDENT',
        name: 'Daniyar Seitkali',
        bin: null,
        iin: makeIin('1975-11-02', 'MALE', 42),
        country: 'KZ',
        organizationId: null,
        partnerId: null,
        registeredByOrganizationId: shymkentCare.id,
      },
      {
        id: demoId('donor', 2),
        type: 'CORPORATE',
        residency: 'RESIDENT',
        name: 'Steppe Logistics LLP',
        bin: makeBin(9001),
        iin: null,
        country: 'KZ',
        organizationId: null,
        partnerId: null,
        registeredByOrganizationId: association.id,
      },
      {
        id: demoId('donor', 3),
        type: 'CORPORATE',
        residency: 'RESIDENT',
        name: kazEnergy.name,
        bin: kazEnergy.bin,
        iin: null,
        country: 'KZ',
        organizationId: kazEnergy.id,
        partnerId: null,
        registeredByOrganizationId: association.id,
      },
      {
        id: demoId('donor', 4),
        type: 'FOUNDATION',
        residency: 'NON_RESIDENT',
        name: 'Silk Road Community Foundation',
        bin: null,
        iin: null,
        country: 'US',
        organizationId: null,
        partnerId: null,
        registeredByOrganizationId: association.id,
      },
      {
        id: demoId('donor', 5),
        type: 'FOREIGN_STATE',
        residency: 'NON_RESIDENT',
        name: 'Embassy of the Republic of Korea, small grants fund',
        bin: null,
        iin: null,
        country: 'KR',
        organizationId: null,
        partnerId: null,
        registeredByOrganizationId: shymkentCare.id,
      },
      {
        id: demoId('donor', 6),
        type: 'ANONYMOUS',
        residency: 'RESIDENT',
        name: null,
        bin: null,
        iin: null,
        country: 'KZ',
        organizationId: null,
        partnerId: null,
        registeredByOrganizationId: shymkentCare.id,
      },
    ];
    for (const d of donors) {
      await insertDonor(trx, d);
      if (d.registeredByOrganizationId) await linkDonorToOrganization(trx, d.id, d.registeredByOrganizationId);
    }

    const campaign = await insertCampaign(trx, {
      id: demoId('campaign', 0),
      organizationId: shymkentCare.id,
      title: 'Warm Winter 2026: coal and clothes for elderly people living alone',
      description: 'Heating fuel, winter clothes and home visits for 300 elderly people in Shymkent.',
      goalKzt: 5_000_000_00n,
      startsOn: '2026-10-01',
      endsOn: '2026-12-31',
    });

    const firstDonation = demoId('donation', 0);
    for (let n = 0; n < 40; n++) {
      const donor = donors[n % donors.length];
      invariant(donor, 'demo donor');
      const inCampaign = n % 5 === 2;
      const recipient = inCampaign ? shymkentCare : (recipients[n % recipients.length] as PlannedOrganization);
      const foreign = donor.residency === 'NON_RESIDENT' || (donor.type === 'CORPORATE' && n % 3 === 0);
      const currency = foreign ? 'USD' : KZT;
      const month = inCampaign ? 10 + (n % 2) : 1 + Math.floor(random() * 10);
      const date = `2026-${String(month).padStart(2, '0')}-${String(6 + Math.floor(random() * 14)).padStart(2, '0')}`;
      const amountMinor =
        currency === 'USD'
          ? BigInt(100 + Math.floor(random() * 49) * 100) * 100n
          : BigInt(5_000 + Math.floor(random() * 99) * 5_000) * 100n;
      const rate = currency === KZT ? null : await findRateOnOrBefore(trx, currency, date);
      invariant(currency === KZT || rate, `a shipped ${currency} rate on or before ${date}`);
      const inKind = n === 7;
      const recurring = donor.type === 'INDIVIDUAL' && n % 7 === 0;
      await writeDonation(trx, {
        id: demoId('donation', n),
        donorId: donor.id,
        donorType: donor.type,
        donorResidency: donor.residency,
        recipientId: recipient.id,
        recipientRegionCode: recipient.regionCode,
        campaignId: inCampaign ? campaign.id : null,
        kind: inKind ? 'IN_KIND' : 'MONETARY',
        inKindDescription: inKind ? 'Twelve refurbished laptops for a Bilim computer class' : null,
        currency,
        amountMinor,
        rate: rate ? { rateMicro: rate.rateMicro, date: rate.date, source: rate.source } : null,
        amountKztMinor: rate ? toKzt(amountMinor, currency, rate.rateMicro) : amountMinor,
        frequency: recurring ? 'RECURRING' : 'ONE_TIME',
        schedule: recurring ? { interval: 'MONTHLY', startsOn: `2026-${String(month).padStart(2, '0')}-01`, endsOn: null } : null,
        date,
        foreignSource: foreign || donor.residency === 'NON_RESIDENT',
        note: null,
      });
    }
    const refunded = await lockDonation(trx, firstDonation);
    invariant(refunded, 'the first demo donation');
    await writeRefund(trx, refunded, {
      id: demoId('refund', 0),
      amountMinor: refunded.amountMinor / 2n,
      date: refunded.date,
      reason: 'Paid twice by card; half returned to the donor',
    });

    const programme = await insertProgramme(trx, {
      id: demoId('grant-programme', 0),
      title: 'Strong front-offices 2026–2028',
      description: 'Long-term grants to raise the organizational, technical and staff capacity of volunteer front-offices.',
      funderKind: 'STATE_BODY',
      funderName: ministry.name,
      funderOrganizationId: ministry.id,
      funderPartnerId: null,
      currency: KZT,
      budgetMinor: 50_000_000_00n,
      opensOn: '2026-02-01',
      closesOn: '2026-03-31',
      priorities: ['Front-office staff and trainers', 'Equipment for regional front-offices', 'Volunteer accounting system roll-out'],
      minGrantYears: 1,
      maxGrantYears: 3,
    });
    const application = await insertApplication(trx, {
      id: demoId('grant-application', 0),
      programmeId: programme.id,
      applicantId: association.id,
      applicantRegionCode: association.regionCode,
      title: 'National front-office capacity 2026–2028',
      summary: 'Trainers in every region, equipment for seven front-offices, and the roll-out of the volunteer register.',
      requestedMinor: 12_000_000_00n,
      status: 'AWARDED',
      submittedAt: new Date('2026-03-20T09:00:00Z'),
    });
    const grant = await writeAward(trx, {
      programmeId: programme.id,
      applicationId: application.id,
      recipientId: association.id,
      title: application.title,
      currency: KZT,
      amountMinor: 12_000_000_00n,
      awardDate: '2026-04-15',
      periodStart: '2026-05-01',
      periodEnd: '2028-04-30',
      planned: [
        { dueOn: '2026-05-01', amountMinor: 4_000_000_00n },
        { dueOn: '2027-05-01', amountMinor: 4_000_000_00n },
        { dueOn: '2028-01-15', amountMinor: 4_000_000_00n },
      ],
      reports: [
        { kind: 'INTERIM', dueOn: '2026-11-15' },
        { kind: 'INTERIM', dueOn: '2027-11-15' },
        { kind: 'FINAL', dueOn: '2028-06-29' },
      ],
      funders: [programmeAsFunder(programme)],
    });
    const locked = await lockGrant(trx, grant.id);
    invariant(locked, 'the demo grant');
    await writeDisbursement(trx, locked, {
      id: demoId('disbursement', 0),
      amountMinor: 4_000_000_00n,
      date: '2026-05-05',
      reference: 'PP-2026-0412',
    });
    // The first interim report (due 2026-11-15) is left unsubmitted: the demo shows an overdue report.
    return true;
  });
}

import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../../../gateway/identity.ts';
import { internalSecret, PUBLIC_VIEWER, signIdentity, viewerFromClaims, type IdentityClaims } from '../../../subgraphs/kit/index.ts';
import { demoId } from '../../../subgraphs/kit/demo-plan.ts';
import { ACTIVITY_BY_DIRECTION, buildSeedPlan, isoDay, LAST_DAY, REGION_CODES, type PlanOrganization, type PlanVolunteer, type SeedPlan } from '../seed/plan.ts';
import { random, seedOf } from '../seed/random.ts';
import { SCALES, type ScaleName } from '../seed/scales.ts';

/**
 * The benchmark's mixed workload: what portals, analysts and partners send,
 * with the ids of a seeded data set (the same plan the seed loaded), and the
 * credentials each caller presents — a bearer JWT to our gateway, which
 * verifies it and signs the subgraph identity itself; for the peer gateways,
 * which know nothing of our JWTs, the same identity pre-signed by the client
 * and propagated to the subgraphs as a header.
 */

export const OPERATIONS = {
  VolunteerPage: /* GraphQL */ `
    query VolunteerPage {
      me {
        id firstName lastName phone email ageBand isAdult missionEligible
        region { code nameEn }
        skills languages
        book {
          approvedHours approvedRecords
          byYear { year hours }
          byDirection { direction hours }
          byOrganization { organization { id name } hours }
        }
        memberships { role organization { id name region { code nameEn } } }
        applications(first: 10) { nodes { id status appliedAt opportunity { id title startsOn status organization { id name } } } }
        missions { id role outcome mission { id title hostCountry startsOn status } }
      }
    }`,
  OrganizationPage: /* GraphQL */ `
    query OrganizationPage($id: ID!, $from: Date!, $to: Date!) {
      organization(id: $id) {
        id name kind directions status registeredAt
        region { code nameEn }
        volunteerCount
        approvedHours(from: $from, to: $to) { hours records iloHours replacementValue { amount currency } }
        opportunities(first: 10) { nodes { id title startsOn endsOn status placesAvailable applicantCount } }
        donationsReceived(from: $from, to: $to) { amount currency }
        campaigns(first: 5) { nodes { id title raised { amount currency } donationCount } }
        grants(first: 5) { nodes { id title awardDate amountAwarded { amount currency } disbursed { amount currency } } }
        missions { id title hostCountry startsOn }
        agreements { id title type }
      }
    }`,
  RegionDashboard: /* GraphQL */ `
    query RegionDashboard($code: ID!, $year: Int!) {
      region(code: $code) {
        code iso nameEn nameKk
        organizationCount
        volunteerCount
        approvedHours(year: $year) { hours records iloHours replacementValue { amount currency } }
        donationsTotal(year: $year) { amount currency }
        missionParticipants(year: $year)
        frontOffice { id name staff trainers equipmentItems trainingTotals(year: $year) { trainings peopleTrained } }
      }
    }`,
  PartnerMissionsAndGrants: /* GraphQL */ `
    query PartnerMissionsAndGrants($first: Int = 20) {
      exchangeMissions(first: $first) {
        nodes {
          id title hostCountry hostCountryName startsOn endsOn status places participantCount sdgGoals
          hostPartner { id name }
          organizingOrganization { id name region { code nameEn } }
          fundingGrants { id title awardDate amountAwarded { amount currency } recipient { id name } }
        }
        pageInfo { hasNextPage endCursor }
      }
      grants(first: $first) {
        nodes {
          id title awardDate periodStart periodEnd
          amountAwarded { amount currency } disbursed { amount currency } remaining { amount currency }
          recipient { id name }
        }
        pageInfo { hasNextPage endCursor }
      }
    }`,
  LogHours: /* GraphQL */ `
    mutation LogHours($input: LogHoursInput!) {
      logHours(input: $input) { id status minutes date }
    }`,
  RecordDonation: /* GraphQL */ `
    mutation RecordDonation($input: RecordDonationInput!, $key: String!) {
      recordDonation(input: $input, idempotencyKey: $key) { id receiptNumber amountKzt { amount currency } }
    }`,
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** Shares of the mixed workload (a portal-heavy day with some writes). */
export const MIX: readonly [OperationName, number][] = [
  ['VolunteerPage', 30],
  ['OrganizationPage', 25],
  ['RegionDashboard', 15],
  ['PartnerMissionsAndGrants', 15],
  ['LogHours', 8],
  ['RecordDonation', 7],
];

export interface PreparedRequest {
  operation: OperationName;
  body: string;
  /** Headers for our gateway (a bearer JWT). */
  bearer: Record<string, string>;
  /** Headers for a peer gateway (the subgraph identity, pre-signed, propagated as is). */
  identity: Record<string, string>;
}

/** Signs our development JWT (as `npm run token` does). */
async function bearerToken(claims: IdentityClaims): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? 'bench')
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(process.env.JWT_SECRET ?? DEV_JWT_SECRET));
}

async function credentials(claims: IdentityClaims | null): Promise<{ bearer: Record<string, string>; identity: Record<string, string> }> {
  const viewer = claims ? viewerFromClaims(claims) : PUBLIC_VIEWER;
  const identity = { 'x-internal-identity': await signIdentity(viewer, internalSecret(), 6 * 3600) };
  return { bearer: claims ? { authorization: `Bearer ${await bearerToken(claims)}` } : {}, identity };
}

export interface Workload {
  plan: SeedPlan;
  /** A fixed pool of prepared requests per operation (bodies and credentials), cycled through by the load tool. */
  pools: Record<OperationName, PreparedRequest[]>;
  /** A fresh write: each call gives a new idempotency key / a new day, so no write repeats. */
  nextWrite(operation: 'LogHours' | 'RecordDonation', run: string): PreparedRequest;
}

/** Picks the entities the workload reads and writes, from the plan of the seeded scale. */
export async function buildWorkload(scaleName: Exclude<ScaleName, 'demo'>, poolSize = 200): Promise<Workload> {
  const plan = buildSeedPlan(SCALES[scaleName]);
  const r = random(seedOf('bench-workload'));
  const volunteers: PlanVolunteer[] = [];
  const stride = Math.max(1, Math.floor(plan.volunteerCount / (poolSize * 4)));
  for (const v of plan.volunteers()) {
    if (v.index % stride === 0 && v.memberships.length > 0 && v.recordCount > 0 && v.age >= 18) volunteers.push(v);
    if (volunteers.length >= poolSize) break;
  }
  const organizations = plan.organizations.filter((o) => o.status === 'REGISTERED' && !o.demo);
  const byWeight = [...organizations].sort((a, b) => b.weight - a.weight);
  // Organization pages: the larger organizations are visited more.
  const pageOrganizations: PlanOrganization[] = [];
  for (let i = 0; i < poolSize; i++) pageOrganizations.push(byWeight[Math.floor(Math.pow(r(), 2) * byWeight.length)]!);
  const recipients = organizations.filter((o) => o.kind !== 'STATE_BODY');

  const pools = {} as Record<OperationName, PreparedRequest[]>;
  const prepare = async (operation: OperationName, variables: Record<string, unknown>, claims: IdentityClaims | null): Promise<PreparedRequest> => ({
    operation,
    body: JSON.stringify({ query: OPERATIONS[operation], variables, operationName: operation }),
    ...(await credentials(claims)),
  });

  pools.VolunteerPage = await Promise.all(volunteers.map((v) => prepare('VolunteerPage', {}, { sub: `bench:volunteer:${v.index}`, roles: ['volunteer'], volunteer_id: v.id })));
  pools.OrganizationPage = await Promise.all(pageOrganizations.map((o) => prepare('OrganizationPage', { id: o.id, from: '2026-01-01', to: '2026-10-31' }, null)));
  const analyst = { sub: 'bench:analyst', roles: ['analyst'] };
  pools.RegionDashboard = await Promise.all(REGION_CODES.flatMap((code) => [2025, 2026].map((year) => prepare('RegionDashboard', { code, year }, analyst))));
  pools.PartnerMissionsAndGrants = await Promise.all(plan.partners.map((p) => prepare('PartnerMissionsAndGrants', { first: 20 }, { sub: `bench:partner:${p.index}`, roles: ['partner'], partner_id: p.id })));

  // Writes: credentials are prepared once per caller; bodies are made fresh for each request.
  const volunteerCredentials = await Promise.all(volunteers.map((v) => credentials({ sub: `bench:volunteer:${v.index}`, roles: ['volunteer'], volunteer_id: v.id })));
  const coordinatorOf = recipients.slice(0, poolSize);
  const coordinatorCredentials = await Promise.all(coordinatorOf.map((o) => credentials({ sub: `bench:coordinator:${o.index}`, roles: ['coordinator'], org: [o.id] })));
  pools.LogHours = [];
  pools.RecordDonation = [];
  let writes = 0;
  const nextWrite: Workload['nextWrite'] = (operation, run) => {
    const n = writes++;
    const w = random(seedOf(`bench-write-${run}`, n));
    if (operation === 'LogHours') {
      const k = w.int(0, volunteers.length - 1);
      const v = volunteers[k]!;
      const organization = plan.organizations[v.memberships[0]!.organizationIndex]!;
      const direction = w.pick(organization.directions);
      const body = JSON.stringify({
        query: OPERATIONS.LogHours,
        operationName: 'LogHours',
        variables: {
          input: {
            organizationId: organization.id,
            // A past day of the window: self-reported, it waits for approval.
            date: isoDay(LAST_DAY - w.int(0, 600)),
            minutes: w.pick([30, 45, 60]),
            regionCode: organization.regionCode,
            activityType: w.pick(ACTIVITY_BY_DIRECTION[direction] ?? ['OTHER']),
            direction,
            description: `bench ${run} ${n}`,
          },
        },
      });
      return { operation, body, ...volunteerCredentials[k]! };
    }
    const k = w.int(0, coordinatorOf.length - 1);
    const recipient = coordinatorOf[k]!;
    const body = JSON.stringify({
      query: OPERATIONS.RecordDonation,
      operationName: 'RecordDonation',
      variables: {
        key: `bench-${run}-${n}`,
        input: {
          donorId: demoId('seed-donor', w.int(0, plan.scale.donors - 1)),
          recipientId: recipient.id,
          amount: { amount: `${w.int(10, 500) * 100}.00`, currency: 'KZT' },
          date: isoDay(LAST_DAY - w.int(0, 300)),
          note: `bench ${run}`,
        },
      },
    });
    return { operation, body, ...coordinatorCredentials[k]! };
  };
  return { plan, pools, nextWrite };
}

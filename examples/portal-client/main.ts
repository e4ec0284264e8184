/**
 * The portal client at work against a running gateway (`npm start`):
 *   npx tsx examples/portal-client/main.ts --volunteer <volunteer id> [--organization <id>] [--minutes 90]
 * It signs in with a development token for that volunteer (as `npm run token -- --role volunteer
 * --volunteer <id>` prints; PORTAL_TOKEN or --token to bring your own), shows the volunteer's book,
 * logs the hours (for today, for the first organization they belong to unless --organization is
 * given) and shows the latest records.
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../../gateway/identity.ts';
import { createPortalClient, type MyPage } from './client.ts';

/** A development sign-in: an HS256 token for the volunteer, signed with the development secret. */
export async function developmentToken(volunteerId: string, secret = process.env.JWT_SECRET ?? DEV_JWT_SECRET): Promise<string> {
  return new SignJWT({ roles: ['volunteer'], volunteer_id: volunteerId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(`dev-volunteer-${volunteerId}`)
    .setIssuer(process.env.JWT_ISSUER ?? DEV_ISSUER)
    .setAudience(process.env.JWT_AUDIENCE ?? DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

export function formatBook(page: MyPage): string {
  const lines = [
    `${page.firstName ?? ''} ${page.lastName ?? ''} (${page.ageBand}, ${page.region.nameEn})`.trim(),
    `Approved: ${page.book?.approvedHours ?? 0} h in ${page.book?.approvedRecords ?? 0} records`,
    ...(page.book?.byYear ?? []).map((y) => `  ${y.year}: ${y.hours} h`),
    ...(page.book?.byDirection ?? []).map((d) => `  ${d.direction}: ${d.hours} h`),
    'Latest records:',
    ...(page.hourRecords?.nodes ?? []).map((r) => `  ${r.date} ${r.minutes} min ${r.activityType} for ${r.organization.name}: ${r.status}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      volunteer: { type: 'string' },
      organization: { type: 'string' },
      minutes: { type: 'string', default: '90' },
      gateway: { type: 'string', default: process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql' },
      token: { type: 'string' },
    },
  });
  const token = values.token ?? process.env.PORTAL_TOKEN ?? (values.volunteer ? await developmentToken(values.volunteer) : undefined);
  if (!token) {
    console.error(
      'usage: npx tsx examples/portal-client/main.ts --volunteer <id> [--organization <id>] [--minutes 90] [--gateway URL] [--token T]',
    );
    process.exit(2);
  }
  const portal = createPortalClient({ url: values.gateway!, token });
  const before = await portal.myPage();
  if (!before) {
    console.error('The token names no volunteer record.');
    process.exit(1);
  }
  console.log(formatBook(before));
  const organizationId = values.organization ?? before.memberships?.[0]?.organization.id;
  if (!organizationId) {
    console.error('The volunteer belongs to no organization: pass --organization <id>.');
    process.exit(1);
  }
  const logged = await portal.logHours({
    organizationId,
    date: new Date().toISOString().slice(0, 10),
    minutes: Number(values.minutes),
    regionCode: before.region.code,
    activityType: 'EVENT_SUPPORT',
    direction: 'QAMQOR',
  });
  console.log(
    `\nLogged ${logged.hours} h for ${logged.organization.name} on ${logged.date}: ${logged.status} (a coordinator approves it).\n`,
  );
  console.log(formatBook((await portal.myPage())!));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();

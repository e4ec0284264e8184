/**
 * Prints a development token (HS256, signed with JWT_SECRET or the development secret):
 *   npm run token -- --role coordinator --org <organization id>
 *   npm run token -- --role volunteer --volunteer <volunteer id>
 *   npm run token -- --role front_office --region 710000000
 *   npm run token -- --role analyst | --role admin
 *   npm run token -- --role partner --partner <partner id>
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { CALLER_KINDS } from '../subgraphs/kit/index.ts';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../gateway/identity.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    org: { type: 'string', multiple: true },
    region: { type: 'string' },
    volunteer: { type: 'string' },
    partner: { type: 'string' },
    scope: { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '12h' },
  },
});
const roles = values.role ?? [];
const unknown = roles.filter((r) => !(CALLER_KINDS as readonly string[]).includes(r) || r === 'service');
if (roles.length === 0 || unknown.length) {
  console.error(
    `usage: npm run token -- --role <${CALLER_KINDS.filter((k) => k !== 'service' && k !== 'public').join('|')}> [--org ID] [--region KATO] [--volunteer ID] [--partner ID] [--scope "a b"] [--ttl 12h]`,
  );
  process.exit(2);
}
const secret = process.env.JWT_SECRET ?? DEV_JWT_SECRET;
const token = await new SignJWT({
  roles,
  ...(values.org ? { org: values.org } : {}),
  ...(values.region ? { region: values.region } : {}),
  ...(values.volunteer ? { volunteer_id: values.volunteer } : {}),
  ...(values.partner ? { partner_id: values.partner } : {}),
  ...(values.scope ? { scope: values.scope } : {}),
})
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(values.sub ?? `dev-${roles.join('+')}`)
  .setIssuer(process.env.JWT_ISSUER ?? DEV_ISSUER)
  .setAudience(process.env.JWT_AUDIENCE ?? DEV_AUDIENCE)
  .setIssuedAt()
  .setExpirationTime(values.ttl)
  .sign(new TextEncoder().encode(secret));
console.log(token);

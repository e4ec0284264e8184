import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { isId } from './ids.ts';
import { isProduction } from './settings.ts';

/** Who a caller is, after the gateway verified their credential. */
export type CallerKind = 'public' | 'volunteer' | 'coordinator' | 'front_office' | 'partner' | 'analyst' | 'admin' | 'service';

export const CALLER_KINDS: readonly CallerKind[] = [
  'public',
  'volunteer',
  'coordinator',
  'front_office',
  'partner',
  'analyst',
  'admin',
  'service',
];

export interface Viewer {
  /** The most privileged of the caller's roles: what limits and budgets key on. */
  kind: CallerKind;
  roles: CallerKind[];
  /** JWT subject, API key id or service name; null for the public. */
  subject: string | null;
  /** Set for volunteers: the Volunteer they are. */
  volunteerId: string | null;
  /** Organizations a coordinator acts for. */
  organizationIds: string[];
  /** KATO code of a front-office staff member's region. */
  regionCode: string | null;
  /** Set for partner agencies. */
  partnerId: string | null;
  scopes: string[];
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({
  kind: 'public',
  roles: ['public'],
  subject: null,
  volunteerId: null,
  organizationIds: [],
  regionCode: null,
  partnerId: null,
  scopes: [],
}) as Viewer;

const PRIVILEGE: CallerKind[] = ['admin', 'service', 'analyst', 'front_office', 'coordinator', 'partner', 'volunteer', 'public'];

/** Claims as they appear in a JWT (ours or an identity provider's). */
export interface IdentityClaims {
  sub?: string;
  role?: string;
  roles?: string[];
  org?: string | string[];
  region?: string;
  volunteer_id?: string;
  partner_id?: string;
  scope?: string;
  scopes?: string[];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Maps verified claims to a Viewer; unknown roles are ignored, never trusted. */
export function viewerFromClaims(claims: IdentityClaims): Viewer {
  const roles = [...new Set([...strings(claims.role), ...strings(claims.roles)])].filter((r): r is CallerKind =>
    (CALLER_KINDS as readonly string[]).includes(r),
  );
  if (claims.volunteer_id && !roles.includes('volunteer')) roles.push('volunteer');
  const kind = PRIVILEGE.find((k) => roles.includes(k)) ?? 'public';
  return {
    kind,
    roles: roles.length ? roles : ['public'],
    subject: typeof claims.sub === 'string' ? claims.sub : null,
    volunteerId: typeof claims.volunteer_id === 'string' ? claims.volunteer_id : null,
    organizationIds: strings(claims.org),
    regionCode: typeof claims.region === 'string' ? claims.region : null,
    partnerId: typeof claims.partner_id === 'string' ? claims.partner_id : null,
    scopes: [...new Set([...strings(claims.scope), ...strings(claims.scopes)])],
  };
}

/**
 * The first claim of a verified token that no caller of ours can carry: ids
 * that are not UUIDs, a region that is neither a KATO code nor `national`.
 * A signed token with such a claim is an identity provider's mistake; the
 * gateway refuses it rather than pass a malformed id on to SQL.
 */
export function invalidIdentityClaim(claims: IdentityClaims): string | null {
  const ids: [string, unknown][] = [
    ['volunteer_id', claims.volunteer_id],
    ['partner_id', claims.partner_id],
    ...strings(claims.org).map((org): [string, unknown] => ['org', org]),
  ];
  for (const [name, value] of ids) if (value !== undefined && !isId(value)) return name;
  if (claims.org !== undefined && typeof claims.org !== 'string' && !Array.isArray(claims.org)) return 'org';
  if (claims.region !== undefined && !(typeof claims.region === 'string' && /^(\d{9}|national)$/.test(claims.region))) return 'region';
  if (claims.sub !== undefined && (typeof claims.sub !== 'string' || claims.sub.length > 256)) return 'sub';
  return null;
}

export function viewerToClaims(viewer: Viewer): IdentityClaims {
  return {
    ...(viewer.subject ? { sub: viewer.subject } : {}),
    roles: viewer.roles,
    org: viewer.organizationIds,
    ...(viewer.regionCode ? { region: viewer.regionCode } : {}),
    ...(viewer.volunteerId ? { volunteer_id: viewer.volunteerId } : {}),
    ...(viewer.partnerId ? { partner_id: viewer.partnerId } : {}),
    scopes: viewer.scopes,
  };
}

export function hasRole(viewer: Viewer, ...roles: CallerKind[]): boolean {
  return viewer.roles.some((r) => roles.includes(r));
}

/** The header that carries the gateway-signed identity to subgraphs. */
export const IDENTITY_HEADER = 'x-internal-identity';
export const REQUEST_ID_HEADER = 'x-request-id';
const ISSUER = 'volunteer-graph-gateway';
const AUDIENCE = 'volunteer-graph-subgraphs';
/** Development default; `INTERNAL_TOKEN_SECRET` must be set in production. */
export const DEV_INTERNAL_SECRET = 'dev-internal-secret-change-me-0123456789abcdef';

export function internalSecret(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const secret = env.INTERNAL_TOKEN_SECRET ?? (isProduction(env) ? undefined : DEV_INTERNAL_SECRET);
  if (!secret || secret.length < 32) throw new Error('INTERNAL_TOKEN_SECRET must be set (at least 32 characters) in production');
  if (isProduction(env) && secret === DEV_INTERNAL_SECRET)
    throw new Error('INTERNAL_TOKEN_SECRET is the development secret; set a secret of your own in production');
  return new TextEncoder().encode(secret);
}

/** A short-lived token the gateway (or a service) signs for one subgraph call. */
export async function signIdentity(viewer: Viewer, secret: Uint8Array, ttlSeconds = 60): Promise<string> {
  return new SignJWT({ ...viewerToClaims(viewer) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(secret);
}

/**
 * Identities already verified, per secret: the gateway reuses one signed identity per caller
 * for half its life, so a subgraph checks each HMAC once instead of on every request.
 */
const verifiedIdentities = new WeakMap<Uint8Array, Map<string, { viewer: Viewer; until: number }>>();
const VERIFIED_IDENTITIES_MAX = 10_000;

/** Verifies a gateway-signed identity; throws on anything forged, expired or malformed. */
export async function verifyIdentity(token: string, secret: Uint8Array, now = Date.now()): Promise<Viewer> {
  let verified = verifiedIdentities.get(secret);
  if (!verified) verifiedIdentities.set(secret, (verified = new Map()));
  const hit = verified.get(token);
  if (hit && hit.until > now) return hit.viewer;
  const { payload } = await jwtVerify(token, secret, {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['HS256'],
    currentDate: new Date(now),
  });
  const viewer = Object.freeze(viewerFromClaims(payload as IdentityClaims));
  if (verified.size >= VERIFIED_IDENTITIES_MAX) verified.clear();
  // Kept no longer than the token is valid (exp is required: see signIdentity).
  verified.set(token, { viewer, until: Math.min(now + 60_000, (payload.exp ?? 0) * 1000) });
  return viewer;
}

export const isJoseError = (e: unknown): boolean => e instanceof joseErrors.JOSEError;

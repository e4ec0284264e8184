import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { PUBLIC_VIEWER, invalidIdentityClaim, viewerFromClaims, type IdentityClaims, type Logger, type Viewer } from '../platform/index.ts';
import { verifyApiKey, type ApiKeyStore } from './api-keys.ts';
import type { Caller } from './context.ts';
import { HttpRefusal } from './plugin.ts';
import { withRoleScopes } from './scopes.ts';
import { isProduction } from '../platform/settings.ts';

/** Development default; `JWT_SECRET` (or a JWKS) must be configured in production. */
export const DEV_JWT_SECRET = 'dev-jwt-secret-change-me-0123456789abcdef';
export const DEV_ISSUER = 'volunteer-graph-dev';
export const DEV_AUDIENCE = 'volunteer-graph';

export interface IdentityOptions {
  /** HS256 secret (development). */
  jwtSecret?: string | undefined;
  /** RS256/ES256 keys of the identity provider (production): a JWKS URL, fetched and cached by jose. */
  jwksUrl?: string | undefined;
  /** …or a JWKS file, re-read when it changes (key rotation without restart). */
  jwksFile?: string | undefined;
  issuer: string;
  audience: string;
  /** Allowed clock skew for exp/nbf. @default 5 */
  clockToleranceSeconds?: number;
}

export function identityOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityOptions {
  const production = isProduction(env);
  // BEARER_TOKENS=off: a gateway that takes no JWTs (only API keys and the public) needs no JWT settings.
  const bearerTokens = env.BEARER_TOKENS === undefined || !['0', 'false', 'off', 'no'].includes(env.BEARER_TOKENS.toLowerCase());
  const jwtSecret = bearerTokens
    ? (env.JWT_SECRET ?? (production || env.JWKS_URL || env.JWKS_FILE ? undefined : DEV_JWT_SECRET))
    : undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
  if (production && jwtSecret === DEV_JWT_SECRET)
    throw new Error('JWT_SECRET is the development secret; set a secret of your own in production');
  if (production && bearerTokens && !jwtSecret && !env.JWKS_URL && !env.JWKS_FILE) {
    throw new Error('set JWKS_URL, JWKS_FILE or JWT_SECRET in production (or BEARER_TOKENS=off for a gateway without signed-in users)');
  }
  if (!bearerTokens) return { issuer: env.JWT_ISSUER ?? DEV_ISSUER, audience: env.JWT_AUDIENCE ?? DEV_AUDIENCE };
  return {
    jwtSecret,
    jwksUrl: env.JWKS_URL,
    jwksFile: env.JWKS_FILE,
    issuer: env.JWT_ISSUER ?? DEV_ISSUER,
    audience: env.JWT_AUDIENCE ?? DEV_AUDIENCE,
    clockToleranceSeconds: Number(env.JWT_CLOCK_TOLERANCE_S ?? 5),
  };
}

export interface IdentityVerifier {
  /** The caller of a request from its Authorization header; the public without one. Throws HttpRefusal(401). */
  viewerOf(authorization: string | undefined): Promise<Viewer>;
  close(): void;
}

/** Asymmetric algorithms accepted from a JWKS; HS256 only with the shared secret. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export function unauthenticated(message: string): HttpRefusal {
  return new HttpRefusal(401, 'UNAUTHENTICATED', message, {}, { 'www-authenticate': 'Bearer' });
}

/**
 * Bearer JWTs: HS256 with a shared secret, or RS256/ES256 from a JWKS. Issuer,
 * audience, expiry and not-before are checked by jose. `alg: none` is never in
 * an allow-list, and algorithm confusion (an HS256 token "signed" with the
 * public key) fails because each key source accepts only its own algorithms.
 */
export async function createIdentityVerifier(options: IdentityOptions, log?: Logger): Promise<IdentityVerifier> {
  let jwks: JWTVerifyGetKey | undefined;
  let cleanup = () => {};
  if (options.jwksUrl) jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  else if (options.jwksFile) {
    const file = options.jwksFile;
    const load = () => createLocalJWKSet(JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet);
    let current = load();
    jwks = (header, token) => current(header, token);
    const reload = (): void => {
      try {
        current = load();
        log?.info({ file }, 'JWKS reloaded');
      } catch (error) {
        log?.error({ err: error, file }, 'JWKS file unreadable; keeping the keys loaded before');
      }
    };
    watchFile(file, { interval: 1_000, persistent: false }, reload);
    // Only this verifier's listener: another gateway may watch the same file.
    cleanup = () => unwatchFile(file, reload);
  }
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  // A token without `exp` would never expire: refused like an expired one.
  const common = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ['exp'],
  };

  // A verified token stays valid until it expires: each token is verified once (bounded cache, at most 60 s).
  const verified = new Map<string, { payload: JWTPayload; until: number }>();
  async function verify(token: string): Promise<JWTPayload> {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && hit.until > now) return hit.payload;
    const payload = await verifyUncached(token);
    if (verified.size > 50_000) verified.clear();
    verified.set(token, { payload, until: Math.min(now + 60_000, typeof payload.exp === 'number' ? payload.exp * 1000 : now) });
    return payload;
  }
  async function verifyUncached(token: string): Promise<JWTPayload> {
    const errors: unknown[] = [];
    if (jwks) {
      try {
        return (await jwtVerify(token, jwks, { ...common, algorithms: ASYMMETRIC })).payload;
      } catch (error) {
        errors.push(error);
      }
    }
    if (secret) {
      try {
        return (await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] })).payload;
      } catch (error) {
        errors.push(error);
      }
    }
    throw errors.find((e) => (e as { code?: string }).code === 'ERR_JWT_EXPIRED') ?? errors[0] ?? new Error('no key configured');
  }

  return {
    async viewerOf(authorization) {
      if (!authorization) return PUBLIC_VIEWER;
      if (!jwks && !secret) throw unauthenticated('This gateway accepts no bearer tokens');
      const match = /^Bearer\s+([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*)$/i.exec(authorization.trim());
      if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <JWT>"');
      let payload: JWTPayload;
      try {
        payload = await verify(match[1]);
      } catch (error) {
        const code = (error as { code?: string }).code;
        const claim = (error as { claim?: string }).claim;
        const reason =
          code === 'ERR_JWT_EXPIRED'
            ? 'expired'
            : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'exp'
              ? 'without an expiry (exp)'
              : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
                ? 'not valid for this gateway'
                : 'invalid';
        throw unauthenticated(`The bearer token is ${reason}`);
      }
      // The service role is the gateway's and the subgraphs' own: no outside token may claim it.
      const claims = payload as IdentityClaims;
      const invalid = invalidIdentityClaim(claims);
      if (invalid) throw unauthenticated(`The bearer token's ${invalid} claim is not valid`);
      const notService = (r: unknown) => r !== 'service';
      const roles = [
        ...(typeof claims.role === 'string' ? claims.role.split(/[\s,]+/) : []),
        ...(Array.isArray(claims.roles) ? claims.roles : []),
      ].filter(notService);
      return withRoleScopes(viewerFromClaims({ ...claims, role: undefined, roles } as IdentityClaims));
    },
    close: cleanup,
  };
}

export interface CallerResolverOptions {
  identity: IdentityVerifier;
  apiKeys: ApiKeyStore | null;
  /** Take the client address from X-Forwarded-For (behind a trusted proxy). @default false */
  trustProxy: boolean;
  /** Rate-limit tier of signed-in users. @default 'user' */
  userTier?: string;
}

export interface CallerResolver {
  callerOf(req: IncomingMessage): Promise<Caller>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = header(req, 'x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** Who is calling: a partner API key (`x-api-key`), a bearer JWT, or the public. */
export function createCallerResolver(options: CallerResolverOptions): CallerResolver {
  return {
    async callerOf(req) {
      const ip = clientAddress(req, options.trustProxy);
      const apiKey = header(req, 'x-api-key');
      const authorization = header(req, 'authorization');
      if (apiKey !== undefined) {
        if (authorization) throw unauthenticated('Send either an API key or a bearer token, not both');
        const record = options.apiKeys ? await verifyApiKey(options.apiKeys, apiKey) : null;
        if (!record) throw unauthenticated('The API key is unknown or revoked');
        const viewer: Viewer = {
          ...PUBLIC_VIEWER,
          kind: 'partner',
          roles: ['partner'],
          subject: `apikey:${record.id}`,
          partnerId: record.partnerId,
          scopes: [...record.scopes].sort(),
        };
        return { viewer, credential: 'api-key', apiKeyId: record.id, tier: record.tier, ip };
      }
      const viewer = await options.identity.viewerOf(authorization);
      if (viewer.kind === 'public') return { viewer, credential: 'none', apiKeyId: null, tier: 'anonymous', ip };
      return { viewer, credential: 'jwt', apiKeyId: null, tier: options.userTier ?? 'user', ip };
    },
  };
}

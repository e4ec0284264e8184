import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTPayload } from 'jose';
import { PUBLIC_VIEWER, Unauthenticated, viewerFromClaims, type IdentityClaims, type Viewer } from '../subgraphs/kit/index.ts';

/** Development default; `JWT_SECRET` (or a JWKS) must be configured in production. */
export const DEV_JWT_SECRET = 'dev-jwt-secret-change-me-0123456789abcdef';
export const DEV_ISSUER = 'volunteer-graph-dev';
export const DEV_AUDIENCE = 'volunteer-graph';

export interface IdentityOptions {
  /** HS256 secret (development). */
  jwtSecret?: string | undefined;
  /** RS256/ES256 keys of the identity provider (production). */
  jwksUrl?: string | undefined;
  jwksFile?: string | undefined;
  issuer: string;
  audience: string;
}

export function identityOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityOptions {
  const production = env.NODE_ENV === 'production';
  const jwtSecret = env.JWT_SECRET ?? (production || env.JWKS_URL || env.JWKS_FILE ? undefined : DEV_JWT_SECRET);
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
  if (production && !jwtSecret && !env.JWKS_URL && !env.JWKS_FILE) throw new Error('set JWKS_URL, JWKS_FILE or JWT_SECRET in production');
  return {
    jwtSecret,
    jwksUrl: env.JWKS_URL,
    jwksFile: env.JWKS_FILE,
    issuer: env.JWT_ISSUER ?? DEV_ISSUER,
    audience: env.JWT_AUDIENCE ?? DEV_AUDIENCE,
  };
}

export interface IdentityVerifier {
  /** The caller of a request from its Authorization header; the public without one. */
  viewerOf(authorization: string | undefined): Promise<Viewer>;
}

/**
 * Bearer JWTs: HS256 with a shared secret, or RS256/ES256 from a JWKS. Issuer,
 * audience, expiry and not-before are checked; `alg: none` and algorithm
 * confusion are refused because each key type accepts only its own algorithms.
 */
export async function createIdentityVerifier(options: IdentityOptions): Promise<IdentityVerifier> {
  let jwks: JWTVerifyGetKey | undefined;
  if (options.jwksUrl) jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  else if (options.jwksFile) jwks = createLocalJWKSet(JSON.parse(await readFile(options.jwksFile, 'utf8')));
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const common = { issuer: options.issuer, audience: options.audience, clockTolerance: 5 };

  async function verify(token: string): Promise<JWTPayload> {
    const errors: unknown[] = [];
    if (jwks) {
      try {
        return (await jwtVerify(token, jwks, { ...common, algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'] })).payload;
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
    throw errors[0] ?? new Error('no key configured');
  }

  return {
    async viewerOf(authorization) {
      if (!authorization) return PUBLIC_VIEWER;
      const match = /^Bearer\s+([A-Za-z0-9_\-.]+)$/i.exec(authorization.trim());
      if (!match?.[1]) throw new Unauthenticated('The Authorization header must be "Bearer <token>"');
      try {
        return viewerFromClaims((await verify(match[1])) as IdentityClaims);
      } catch (error) {
        const reason = (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid';
        throw new Unauthenticated(`The bearer token is ${reason}`);
      }
    },
  };
}

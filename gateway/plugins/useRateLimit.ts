import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../../platform/index.ts';
import type { Caller } from '../context.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { HttpRefusal, type GatewayPlugin } from '../plugin.ts';

export interface RateTier {
  /** Operations allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationSeconds: number;
}

export interface RateLimitOptions {
  /** @default true (the gateway turns it on by default in production only; RATE_LIMIT=on|off decides) */
  enabled?: boolean;
  /**
   * Budgets by tier. Anonymous callers are counted per IP address, signed-in
   * users per subject, partner agencies per API key (whose record names its tier).
   * @default { anonymous: 300/60 s, user: 1200/60 s, partner: 600/60 s, 'partner-plus': 6000/60 s }
   */
  tiers?: Record<string, RateTier>;
  /** Shared store: with Redis, every gateway replica draws on one budget; in memory otherwise. @default null */
  redis?: Redis | null;
  /**
   * What to do when the store fails (Redis down): `open` lets requests through
   * (availability first), `closed` refuses them with 503 (protection first).
   * @default 'open'
   */
  failureMode?: 'open' | 'closed';
  /** Prefix of the Redis keys. @default 'vg:rl' */
  keyPrefix?: string;
  metrics?: GatewayMetrics;
  logger?: Logger;
}

export const DEFAULT_RATE_TIERS: Readonly<Record<string, RateTier>> = {
  anonymous: { points: 300, durationSeconds: 60 },
  user: { points: 1_200, durationSeconds: 60 },
  partner: { points: 600, durationSeconds: 60 },
  'partner-plus': { points: 6_000, durationSeconds: 60 },
};

/** Parses `anonymous=300/60,user=1200/60` (points per seconds). */
export function parseRateTiers(text: string): Record<string, RateTier> {
  const tiers: Record<string, RateTier> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9_-]+)=(\d+)\/(\d+)$/.exec(part);
    if (!match) throw new Error(`RATE_LIMIT_TIERS: "${part}" is not name=points/seconds`);
    tiers[match[1]!] = { points: Number(match[2]), durationSeconds: Number(match[3]) };
  }
  return tiers;
}

/** The key a caller's budget is counted under. */
function budgetKey(caller: Caller): string {
  if (caller.apiKeyId) return `key:${caller.apiKeyId}`;
  if (caller.viewer.kind !== 'public' && caller.viewer.subject) return `user:${caller.viewer.subject}`;
  return `ip:${caller.ip}`;
}

/**
 * Rate limiting with rate-limiter-flexible, before any parsing: each operation
 * of a request (a batch counts each) takes one point from the caller's budget,
 * and so does each request of every other HTTP route (open data, explorer) —
 * one budget per caller, in the same store, whatever the route.
 * Refusal: 429 RATE_LIMITED with `Retry-After` and `extensions.retryAfterSeconds`.
 */
export function useRateLimit(options: RateLimitOptions = {}): GatewayPlugin {
  const enabled = options.enabled ?? true;
  const tiers = { ...DEFAULT_RATE_TIERS, ...options.tiers };
  const failureMode = options.failureMode ?? 'open';
  const prefix = options.keyPrefix ?? 'vg:rl';
  const limiters = new Map<string, RateLimiterAbstract>();
  let lastStoreError = 0;
  const limiterFor = (tierName: string): { limiter: RateLimiterAbstract; tier: string } => {
    const tier = tiers[tierName] ? tierName : tierName.startsWith('partner') ? 'partner' : 'anonymous';
    let limiter = limiters.get(tier);
    if (!limiter) {
      const { points, durationSeconds: duration } = tiers[tier]!;
      limiter = options.redis
        ? new RateLimiterRedis({
            storeClient: options.redis,
            points,
            duration,
            keyPrefix: `${prefix}:${tier}`,
            rejectIfRedisNotReady: true,
          })
        : new RateLimiterMemory({ points, duration, keyPrefix: `${prefix}:${tier}` });
      limiters.set(tier, limiter);
    }
    return { limiter, tier };
  };

  const consume = async (caller: Caller, points: number) => {
    if (!enabled) return;
    const { limiter, tier } = limiterFor(caller.tier);
    try {
      await limiter.consume(budgetKey(caller), points);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        const retryAfterSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
        options.metrics?.rateLimited.inc({ tier, caller_kind: caller.viewer.kind });
        throw new HttpRefusal(
          429,
          'RATE_LIMITED',
          `Rate limit of the ${tier} tier reached (${tiers[tier]!.points} operations per ${tiers[tier]!.durationSeconds} s); retry in ${retryAfterSeconds} s`,
          { retryAfterSeconds, tier },
          { 'retry-after': String(retryAfterSeconds) },
        );
      }
      if (Date.now() - lastStoreError > 10_000) {
        lastStoreError = Date.now(); // one line per 10 s while the store is down, not one per request
        options.logger?.error({ err: outcome, failureMode }, 'rate limiter store failed');
      }
      if (failureMode === 'closed') {
        options.metrics?.rateLimited.inc({ tier, caller_kind: caller.viewer.kind });
        const message = 'The rate limiter is unavailable and the gateway fails closed; retry shortly';
        throw new HttpRefusal(503, 'RATE_LIMITED', message, { retryAfterSeconds: 1 }, { 'retry-after': '1' });
      }
    }
  };

  return {
    name: 'rate-limit',
    onRequest: ({ caller, operations }) => consume(caller, Math.max(1, operations.length)),
    onRoute: ({ caller }) => consume(caller, 1),
    onRefusedCredential: (anonymous) => consume(anonymous, 1),
  };
}

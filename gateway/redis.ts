import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../platform/index.ts';

/**
 * The gateway's Redis connection (rate-limit budgets, APQ, API keys). Commands
 * fail at once while it is disconnected (no offline queue), so a Redis outage
 * reaches the rate limiter's fail-open/closed policy instead of stalling requests.
 */
export async function connectRedis(url: string, log: Logger, connectTimeoutMs = 2_000): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: connectTimeoutMs });
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    log.warn({ err: error }, 'redis unavailable');
  });
  redis.on('ready', () => log.info('redis connected'));
  const timeout = AbortSignal.timeout(connectTimeoutMs);
  try {
    await once(redis, 'ready', { signal: timeout });
  } catch {
    log.warn({ connectTimeoutMs }, 'redis not ready at start; continuing (see RATE_LIMIT_FAILURE_MODE)');
  }
  return redis;
}

/** Apollo's KeyValueCache over Redis, so that APQ documents are shared by every replica. */
export function redisKeyValueCache(redis: Redis, prefix = 'vg:apq:') {
  return {
    async get(key: string): Promise<string | undefined> {
      try {
        return (await redis.get(prefix + key)) ?? undefined;
      } catch {
        return undefined; // a cache miss: the client sends the full document
      }
    },
    async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
      try {
        if (options?.ttl) await redis.set(prefix + key, value, 'EX', options.ttl);
        else await redis.set(prefix + key, value);
      } catch {
        // best effort
      }
    },
    async delete(key: string): Promise<boolean | void> {
      try {
        await redis.del(prefix + key);
      } catch {
        // best effort
      }
    },
  };
}

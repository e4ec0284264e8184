import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Redis } from 'ioredis';
import { isId, type Logger } from '../platform/index.ts';

/** Scopes a partner key may never carry, whatever its record says. */
export const PARTNER_FORBIDDEN_SCOPES: readonly string[] = ['pii:read', 'admin'];

/** One partner agency's key, as stored: the key itself is never kept, only its SHA-256. */
export interface ApiKeyRecord {
  /** Public part of the key (`vgk_<id>_<secret>`), used to find the record. */
  id: string;
  /** Hex SHA-256 of the whole key. */
  hash: string;
  partnerId: string;
  scopes: string[];
  /** Rate-limit tier, e.g. `partner` or `partner-plus`. */
  tier: string;
  label?: string;
  createdAt: string;
  revokedAt?: string | null;
}

export interface ApiKeyStore {
  find(id: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  save(record: ApiKeyRecord): Promise<void>;
  close(): Promise<void>;
}

const KEY = /^vgk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface NewApiKey {
  partnerId: string;
  scopes: string[];
  tier?: string;
  label?: string;
}

/** A new random key and its record; the key is shown once and never stored. */
export function generateApiKey(input: NewApiKey, now = new Date()): { key: string; record: ApiKeyRecord } {
  // The partner id reaches the subgraphs' SQL as the caller's partner: it must be a Partner id.
  if (!isId(input.partnerId)) throw new Error(`The partner id must be a Partner's id (a UUID), not ${JSON.stringify(input.partnerId)}`);
  const id = randomBytes(8).toString('hex');
  const key = `vgk_${id}_${randomBytes(32).toString('base64url')}`;
  return {
    key,
    record: {
      id,
      hash: hashApiKey(key),
      partnerId: input.partnerId,
      scopes: input.scopes.filter((s) => !PARTNER_FORBIDDEN_SCOPES.includes(s)),
      tier: input.tier ?? 'partner',
      ...(input.label ? { label: input.label } : {}),
      createdAt: now.toISOString(),
      revokedAt: null,
    },
  };
}

/** The live record of a presented key, or null (unknown, revoked or wrong secret). */
export async function verifyApiKey(store: ApiKeyStore, key: string): Promise<ApiKeyRecord | null> {
  const match = KEY.exec(key.trim());
  if (!match?.[1]) return null;
  const record = await store.find(match[1]);
  if (!record || record.revokedAt) return null;
  const presented = Buffer.from(hashApiKey(key.trim()), 'hex');
  const stored = Buffer.from(record.hash, 'hex');
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) return null;
  return { ...record, scopes: record.scopes.filter((s) => !PARTNER_FORBIDDEN_SCOPES.includes(s)) };
}

interface ApiKeyFile {
  keys: ApiKeyRecord[];
}

/**
 * Keys in a JSON file (`{ "keys": [...] }`), re-read when the file changes, so
 * that a key created or revoked with `npm run api-key` takes effect without a
 * restart. Polling (`watchFile`) also sees a file that is replaced or created later.
 */
export class FileApiKeyStore implements ApiKeyStore {
  private byId = new Map<string, ApiKeyRecord>();
  /** This store's own listener: closing it must not stop other stores (other gateways) watching the same file. */
  private readonly onChange = (): void => this.load();

  constructor(
    readonly path: string,
    private readonly log?: Logger,
    /** How often the file is checked for changes. @default 500 */
    pollMs = 500,
    watchForChanges = true,
  ) {
    this.load();
    if (watchForChanges) watchFile(path, { interval: pollMs, persistent: false }, this.onChange);
  }

  private read(): ApiKeyFile {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<ApiKeyFile>;
      return { keys: Array.isArray(parsed.keys) ? parsed.keys : [] };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return { keys: [] };
    }
  }

  private load(): void {
    try {
      this.byId = new Map(this.read().keys.map((k) => [k.id, k]));
      this.log?.debug({ path: this.path, keys: this.byId.size }, 'API keys loaded');
    } catch (error) {
      // A half-written or broken file keeps the keys we had.
      this.log?.error({ err: error, path: this.path }, 'API key file unreadable; keeping the keys loaded before');
    }
  }

  async find(id: string): Promise<ApiKeyRecord | null> {
    return this.byId.get(id) ?? null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.read().keys;
  }

  async save(record: ApiKeyRecord): Promise<void> {
    const file = this.read();
    const keys = file.keys.filter((k) => k.id !== record.id);
    keys.push(record);
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.path); // atomic: a reader never sees half a file
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  async close(): Promise<void> {
    unwatchFile(this.path, this.onChange);
  }
}

/** Keys in a Redis hash (id → record): every gateway replica sees a revocation at once. */
export class RedisApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly redis: Redis,
    /** @default 'vg:api-keys' */
    private readonly hashKey: string = 'vg:api-keys',
  ) {}

  async find(id: string): Promise<ApiKeyRecord | null> {
    const value = await this.redis.hget(this.hashKey, id);
    return value ? (JSON.parse(value) as ApiKeyRecord) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const all = await this.redis.hgetall(this.hashKey);
    return Object.values(all).map((v) => JSON.parse(v) as ApiKeyRecord);
  }

  async save(record: ApiKeyRecord): Promise<void> {
    await this.redis.hset(this.hashKey, record.id, JSON.stringify(record));
  }

  async close(): Promise<void> {}
}

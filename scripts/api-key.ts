/**
 * API keys of partner agencies (stored hashed; the gateway picks changes up without a restart):
 *   npm run api-key -- create --partner <partner id> [--scope "partner missions:read"] [--tier partner|partner-plus] [--label "UNV Almaty"]
 *   npm run api-key -- revoke <key id>
 *   npm run api-key -- list
 * The store is API_KEYS_FILE (default <DATA_DIR>/api-keys.json, DATA_DIR defaulting to .data/ of the package), or Redis with API_KEYS_STORE=redis and REDIS_URL
 * (hash API_KEYS_REDIS_KEY, default vg:api-keys).
 * `create` prints the key once; only its SHA-256 is kept.
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { FileApiKeyStore, generateApiKey, PARTNER_FORBIDDEN_SCOPES, RedisApiKeyStore, type ApiKeyStore } from '../gateway/api-keys.ts';
import { defaultApiKeysFile } from '../gateway/config.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    partner: { type: 'string' },
    scope: { type: 'string', multiple: true },
    tier: { type: 'string', default: 'partner' },
    label: { type: 'string' },
  },
});
const [command, id] = positionals;
const usage = () => {
  console.error('usage: npm run api-key -- create --partner <id> [--scope "a b"] [--tier partner] [--label text] | revoke <key id> | list');
  process.exit(2);
};

let redis: Redis | undefined;
let store: ApiKeyStore;
if (process.env.API_KEYS_STORE === 'redis') {
  if (!process.env.REDIS_URL) throw new Error('API_KEYS_STORE=redis needs REDIS_URL');
  redis = new Redis(process.env.REDIS_URL);
  store = new RedisApiKeyStore(redis, process.env.API_KEYS_REDIS_KEY);
} else {
  store = new FileApiKeyStore(process.env.API_KEYS_FILE ?? defaultApiKeysFile(), undefined, 500, false);
}

try {
  switch (command) {
    case 'create': {
      if (!values.partner) usage();
      const scopes = (values.scope ?? ['partner']).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
      const refused = scopes.filter((s) => PARTNER_FORBIDDEN_SCOPES.includes(s));
      if (refused.length) console.error(`A partner key never carries ${refused.join(', ')}; left out.`);
      const { key, record } = generateApiKey({
        partnerId: values.partner!,
        scopes,
        tier: values.tier,
        ...(values.label ? { label: values.label } : {}),
      });
      await store.save(record);
      console.error(
        `Created key ${record.id} for partner ${record.partnerId} (scopes: ${record.scopes.join(' ') || 'none'}; tier ${record.tier}).`,
      );
      console.error('Send it as the x-api-key header; it is shown only now:');
      console.log(key);
      break;
    }
    case 'revoke': {
      if (!id) usage();
      const record = (await store.list()).find((k) => k.id === id);
      if (!record) {
        console.error(`No key ${id}.`);
        process.exitCode = 1;
        break;
      }
      await store.save({ ...record, revokedAt: new Date().toISOString() });
      console.log(`Revoked key ${id} (partner ${record.partnerId}).`);
      break;
    }
    case 'list': {
      for (const k of await store.list()) {
        const state = k.revokedAt ? `  REVOKED ${k.revokedAt}` : '';
        console.log(
          `${k.id}  partner=${k.partnerId}  tier=${k.tier}  scopes=${k.scopes.join(' ') || '-'}  created=${k.createdAt}${state}${k.label ? `  ${k.label}` : ''}`,
        );
      }
      break;
    }
    default:
      usage();
  }
} finally {
  await store.close();
  redis?.disconnect();
}

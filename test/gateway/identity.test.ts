/**
 * Who may call and what they may read, through the real gateway and subgraphs:
 * bearer JWTs (HS256 in development, RS256/ES256 from a JWKS), partner API keys,
 * the supergraph's @authenticated enforced before planning, row rules in the
 * subgraphs, the gateway's credential towards subgraphs, and introspection.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, RedisApiKeyStore } from '../../gateway/api-keys.ts';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../../gateway/identity.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { IDENTITY_HEADER, internalSecret, makeBin, makeIin, signIdentity, viewerFromClaims } from '../../subgraphs/kit/index.ts';
import { startGraph, type Graph } from '../harness.ts';

const run = promisify(execFile);
const ISSUER = 'https://id.volunteer.example.kz';
const AUDIENCE = 'volunteer-graph';
const PARTNER_UNV = '5b0f0c4e-7d8a-4c61-9a53-0c2f7e1d9a01';

let graph: Graph;
let dir: string;
let keysFile: string;
let jwksFile: string;
let jwksGateway: RunningGateway;
let productionGateway: RunningGateway;
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
let orgA: string;
let orgB: string;
let volunteerId: string;

async function jwks(...keys: [CryptoKey, string, string][]): Promise<string> {
  const list: JWK[] = [];
  for (const [key, kid, alg] of keys) list.push({ ...(await exportJWK(key)), kid, alg, use: 'sig' });
  return JSON.stringify({ keys: list });
}

function signed(
  key: CryptoKey | Uint8Array,
  alg: string,
  kid: string | undefined,
  claims: Record<string, unknown> = {},
  setup?: (jwt: SignJWT) => SignJWT,
): Promise<string> {
  let jwt = new SignJWT({ roles: ['admin'], ...claims })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setSubject('idp-user-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m');
  if (setup) jwt = setup(jwt);
  return jwt.sign(key);
}

const AUTHENTICATED_QUERY = '{ volunteers(first: 1) { nodes { id } } }';

async function script(args: string[]): Promise<string> {
  const { stdout } = await run('npx', ['tsx', 'scripts/api-key.ts', ...args], { env: { ...process.env, API_KEYS_FILE: keysFile } });
  return stdout.trim();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vg-identity-'));
  keysFile = join(dir, 'api-keys.json');
  jwksFile = join(dir, 'jwks.json');
  rsa = await generateKeyPair('RS256', { extractable: true });
  ec = await generateKeyPair('ES256', { extractable: true });
  writeFileSync(jwksFile, await jwks([rsa.publicKey, 'rsa-1', 'RS256'], [ec.publicKey, 'ec-1', 'ES256']));

  graph = await startGraph({ gateway: { apiKeys: { file: keysFile, pollMs: 100 } } });
  jwksGateway = await graph.startGateway({ identity: { jwksFile, issuer: ISSUER, audience: AUDIENCE } });
  productionGateway = await graph.startGateway({
    production: true,
    identity: { jwtSecret: DEV_JWT_SECRET, issuer: DEV_ISSUER, audience: DEV_AUDIENCE },
    trustedDocuments: { mode: 'allow' },
  });

  const admin = graph.token({ role: 'admin' });
  const register = async (serial: number) => {
    const { body } = await graph.query(`mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`, {
      token: admin,
      variables: {
        input: {
          bin: makeBin(7000 + serial * 100),
          name: `Identity test organization ${serial}`,
          kind: 'NGO',
          regionCode: '710000000',
          directions: ['BILIM'],
          contact: { phone: `+7701000000${serial}`, email: `org${serial}@example.kz`, person: `Contact ${serial}` },
        },
      },
    });
    expect(body.errors).toBeUndefined();
    return body.data!.registerOrganization.id as string;
  };
  orgA = await register(1);
  orgB = await register(2);
  const { body } = await graph.query(`mutation ($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`, {
    token: admin,
    variables: {
      input: {
        iin: makeIin('1990-04-12', 'FEMALE', 321),
        firstName: 'Aigerim',
        lastName: 'Nurlanova',
        birthDate: '1990-04-12',
        sex: 'FEMALE',
        regionCode: '710000000',
        skills: ['first aid'],
        phone: '+77011234567',
      },
    },
  });
  expect(body.errors).toBeUndefined();
  volunteerId = body.data!.registerVolunteer.id;
}, 180_000);

afterAll(async () => {
  await graph?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bearer tokens', () => {
  it('accepts a development HS256 token and RS256/ES256 tokens from the JWKS file', async () => {
    expect((await graph.query(AUTHENTICATED_QUERY, { token: graph.token({ role: 'admin' }) })).body.errors).toBeUndefined();
    for (const token of [await signed(rsa.privateKey, 'RS256', 'rsa-1'), await signed(ec.privateKey, 'ES256', 'ec-1')]) {
      const { status, body } = await graph.queryAt(jwksGateway.url, AUTHENTICATED_QUERY, { token });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data!.volunteers.nodes.length).toBeGreaterThan(0);
    }
  });

  it('refuses forged, expired, premature, foreign and unsigned tokens with 401 before any subgraph is called', async () => {
    const forger = await generateKeyPair('RS256', { extractable: true });
    const unsigned = (() => {
      const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      return `${part({ alg: 'none', typ: 'JWT' })}.${part({ roles: ['admin'], sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: now + 300 })}.`;
    })();
    // Key confusion: an HS256 token whose HMAC key is the public RSA key (as PEM) the gateway knows.
    const confused = await signed(new TextEncoder().encode(await exportSPKI(rsa.publicKey)), 'HS256', 'rsa-1');
    const cases: Record<string, string> = {
      forged: await signed(forger.privateKey, 'RS256', 'rsa-1'),
      expired: await signed(rsa.privateKey, 'RS256', 'rsa-1', {}, (jwt) =>
        jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60),
      ),
      notYetValid: await signed(rsa.privateKey, 'RS256', 'rsa-1', {}, (jwt) => jwt.setNotBefore(Math.floor(Date.now() / 1000) + 600)),
      wrongAudience: await signed(rsa.privateKey, 'RS256', 'rsa-1', {}, (jwt) => jwt.setAudience('another-api')),
      wrongIssuer: await signed(rsa.privateKey, 'RS256', 'rsa-1', {}, (jwt) => jwt.setIssuer('https://evil.example')),
      algNone: unsigned,
      keyConfusion: confused,
      devSecretOnJwksGateway: graph.token({ role: 'admin' }),
      // Signed by the identity provider, but never expiring, or with claims no caller of ours carries.
      noExpiry: await new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
        .setSubject('idp-user-1')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .sign(rsa.privateKey),
      malformedVolunteerId: await signed(rsa.privateKey, 'RS256', 'rsa-1', { roles: ['volunteer'], volunteer_id: 'zzz' }),
      malformedPartnerId: await signed(rsa.privateKey, 'RS256', 'rsa-1', { roles: ['partner'], partner_id: "x' or '1'='1" }),
      malformedOrg: await signed(rsa.privateKey, 'RS256', 'rsa-1', { roles: ['coordinator'], org: ['not-an-id'] }),
      malformedRegion: await signed(rsa.privateKey, 'RS256', 'rsa-1', { roles: ['front_office'], region: '71' }),
    };
    graph.resetSubgraphCalls();
    for (const [name, token] of Object.entries(cases)) {
      const { status, body, headers } = await graph.queryAt(jwksGateway.url, AUTHENTICATED_QUERY, { token });
      expect(status, name).toBe(401);
      expect(body.errors?.[0]?.extensions?.code, name).toBe('UNAUTHENTICATED');
      expect(headers.get('www-authenticate'), name).toBe('Bearer');
      expect(body.data, name).toBeUndefined();
    }
    const { body } = await graph.queryAt(jwksGateway.url, AUTHENTICATED_QUERY, { token: cases.expired });
    expect(body.errors?.[0]?.message).toMatch(/expired/);
    expect((await graph.queryAt(jwksGateway.url, AUTHENTICATED_QUERY, { token: cases.noExpiry })).body.errors?.[0]?.message).toMatch(
      /without an expiry/,
    );
    expect(
      (await graph.queryAt(jwksGateway.url, AUTHENTICATED_QUERY, { token: cases.malformedVolunteerId })).body.errors?.[0]?.message,
    ).toMatch(/volunteer_id claim/);
    const malformed = await graph.queryAt(jwksGateway.url, AUTHENTICATED_QUERY, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(malformed.status).toBe(401);
    expect(graph.subgraphCalls()).toBe(0);
  });

  it('picks up a rotated JWKS file without a restart', async () => {
    const next = await generateKeyPair('ES256', { extractable: true });
    const token = await signed(next.privateKey, 'ES256', 'ec-2');
    expect((await graph.queryAt(jwksGateway.url, AUTHENTICATED_QUERY, { token })).status).toBe(401);
    writeFileSync(jwksFile, await jwks([rsa.publicKey, 'rsa-1', 'RS256'], [next.publicKey, 'ec-2', 'ES256']));
    await expect
      .poll(async () => (await graph.queryAt(jwksGateway.url, AUTHENTICATED_QUERY, { token })).status, { timeout: 5_000, interval: 200 })
      .toBe(200);
  });
});

describe('partner API keys', () => {
  let key: string;
  let keyId: string;

  it('are created by the script and stored only as a hash', async () => {
    key = await script(['create', '--partner', PARTNER_UNV, '--scope', 'partner missions:read pii:read', '--label', 'UNV']);
    expect(key).toMatch(/^vgk_[a-f0-9]{16}_/);
    keyId = key.split('_')[1]!;
    const stored = readFileSync(keysFile, 'utf8');
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.split('_')[2]);
    const record = (JSON.parse(stored) as { keys: { id: string; scopes: string[] }[] }).keys.find((k) => k.id === keyId)!;
    expect(record.scopes).toEqual(['partner', 'missions:read']); // never pii:read
  });

  it('let a partner read the pseudonymous fields of a volunteer, never the personal data', async () => {
    await expect
      .poll(async () => (await graph.query('{ regions { code } }', { headers: { 'x-api-key': key } })).status, { timeout: 3_000 })
      .toBe(200);
    // Partners are served the partner contract: personal-data fields do not exist for them.
    const outside = await graph.query(`query ($id: ID!) { volunteer(id: $id) { id firstName } }`, {
      variables: { id: volunteerId },
      headers: { 'x-api-key': key },
    });
    expect(outside.status).toBe(400);
    expect(outside.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(outside.body.errors![0]!.message).toContain('firstName');
    const inside = await graph.query(`query ($id: ID!) { volunteer(id: $id) { id ageBand region { code } } }`, {
      variables: { id: volunteerId },
      headers: { 'x-api-key': key },
    });
    expect(inside.body.errors).toBeUndefined();
    expect(inside.body.data!.volunteer).toMatchObject({ id: volunteerId, region: { code: '710000000' } });

    // Without the contract, authorization still withholds them: null and FORBIDDEN at each path, the rest served.
    const noContract = await graph.startGateway({ apiKeys: { file: keysFile, pollMs: 100 }, contracts: false });
    try {
      await expect
        .poll(async () => (await graph.queryAt(noContract.url, '{ regions { code } }', { headers: { 'x-api-key': key } })).status, {
          timeout: 3_000,
        })
        .toBe(200);
      const { status, body } = await graph.queryAt(
        noContract.url,
        `query ($id: ID!) { volunteer(id: $id) { id iin firstName lastName phone ageBand sex region { code } skills } }`,
        { variables: { id: volunteerId }, headers: { 'x-api-key': key } },
      );
      expect(status).toBe(200);
      expect(body.data!.volunteer).toMatchObject({
        id: volunteerId,
        iin: null,
        firstName: null,
        lastName: null,
        phone: null,
        sex: 'FEMALE',
        region: { code: '710000000' },
        skills: ['first aid'],
      });
      const forbidden = body.errors!.filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path!.join('.'));
      expect(forbidden.sort()).toEqual(['volunteer.firstName', 'volunteer.iin', 'volunteer.lastName', 'volunteer.phone']);
    } finally {
      await noContract.close();
    }
    // The same fields for staff entitled to them.
    const admin = await graph.query(`query ($id: ID!) { volunteer(id: $id) { iin firstName } }`, {
      variables: { id: volunteerId },
      token: graph.token({ role: 'admin' }),
    });
    expect(admin.body.data!.volunteer).toEqual({ iin: makeIin('1990-04-12', 'FEMALE', 321), firstName: 'Aigerim' });
  });

  it('refuses unknown keys, and a key sent together with a bearer token', async () => {
    const unknown = await graph.query('{ regions { code } }', { headers: { 'x-api-key': `vgk_${'0'.repeat(16)}_${'A'.repeat(43)}` } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const tampered = await graph.query('{ regions { code } }', {
      headers: { 'x-api-key': `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}` },
    });
    expect(tampered.status).toBe(401);
    const both = await graph.query('{ regions { code } }', { headers: { 'x-api-key': key }, token: graph.token({ role: 'admin' }) });
    expect(both.status).toBe(401);
  });

  it('can live in Redis instead, shared by every replica, revoked at once', async () => {
    const redisKey = `vg-test-keys-${randomBytes(4).toString('hex')}`;
    const withRedis = await graph.startGateway({ redisUrl: 'redis://127.0.0.1:6379', apiKeys: { store: 'redis', redisKey } });
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const store = new RedisApiKeyStore(redis, redisKey);
      const { key: redisApiKey, record } = generateApiKey({ partnerId: 'c3d1e2f0-6a7b-4c8d-9e0f-1a2b3c4d5e6f', scopes: ['partner'] });
      await store.save(record);
      expect((await graph.queryAt(withRedis.url, '{ regions { code } }', { headers: { 'x-api-key': redisApiKey } })).status).toBe(200);
      await store.save({ ...record, revokedAt: new Date().toISOString() });
      expect((await graph.queryAt(withRedis.url, '{ regions { code } }', { headers: { 'x-api-key': redisApiKey } })).status).toBe(401);
    } finally {
      await redis.del(redisKey);
      redis.disconnect();
      await withRedis.close();
    }
  });

  it('are revoked by the script without a gateway restart', async () => {
    expect(await script(['revoke', keyId])).toContain(`Revoked key ${keyId}`);
    await expect
      .poll(async () => (await graph.query('{ regions { code } }', { headers: { 'x-api-key': key } })).status, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(401);
    expect(await script(['list'])).toMatch(new RegExp(`${keyId}.*REVOKED`));
  });
});

describe('authorization from the supergraph, before planning', () => {
  it('answers an @authenticated field null with UNAUTHENTICATED for the public, serves the rest, and never asks a subgraph for it', async () => {
    graph.resetSubgraphCalls();
    const { status, body } = await graph.query(`query ($id: ID!) { volunteer(id: $id) { id iin firstName ageBand } }`, {
      variables: { id: volunteerId },
    });
    expect(status).toBe(200);
    expect(body.data!.volunteer).toMatchObject({ id: volunteerId, iin: null, firstName: null });
    expect(body.errors!.map((e) => [e.path!.join('.'), e.extensions!.code]).sort()).toEqual([
      ['volunteer.firstName', 'UNAUTHENTICATED'],
      ['volunteer.iin', 'UNAUTHENTICATED'],
    ]);
    expect(body.errors![0]!.extensions!.serviceName).toBeUndefined(); // the gateway, not a subgraph, refused

    graph.resetSubgraphCalls();
    const me = await graph.query('{ me { id iin } }');
    expect(me.body).toMatchObject({ data: { me: null }, errors: [{ path: ['me'], extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(graph.subgraphCalls()).toBe(0);
  });

  it('refuses a mutation to the public without running it', async () => {
    graph.resetSubgraphCalls();
    const { body } = await graph.query(
      `mutation { registerOrganization(input: { name: "Nobody's group", kind: VOLUNTEER_GROUP, regionCode: "710000000", directions: [] }) { id } }`,
    );
    expect(body).toMatchObject({ data: null, errors: [{ path: ['registerOrganization'], extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(graph.subgraphCalls()).toBe(0);
  });

  it("keeps a coordinator of one organization out of another's restricted fields (row rules in the subgraph)", async () => {
    const token = graph.token({ role: 'coordinator', org: [orgA] });
    const { body } = await graph.query(
      `query ($a: ID!, $b: ID!) { a: organization(id: $a) { name contact { email } } b: organization(id: $b) { name contact { email } } }`,
      { variables: { a: orgA, b: orgB }, token },
    );
    expect(body.data).toEqual({
      a: { name: 'Identity test organization 1', contact: { email: 'org1@example.kz' } },
      b: { name: 'Identity test organization 2', contact: null },
    });
    expect(body.errors).toMatchObject([{ path: ['b', 'contact'], extensions: { code: 'FORBIDDEN' } }]);
  });
});

describe('the gateway credential towards subgraphs', () => {
  it('is required: a direct call to a subgraph port is refused', async () => {
    const direct = await fetch(graph.subgraphUrl('volunteers'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ volunteer(id: "${volunteerId}") { id iin } }` }),
    });
    expect(direct.status).toBe(401);
    expect(((await direct.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // A user's own JWT is not the gateway's credential either.
    const withUserToken = await fetch(graph.subgraphUrl('volunteers'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-identity': graph.token({ role: 'admin' }) },
      body: JSON.stringify({ query: `{ volunteer(id: "${volunteerId}") { id iin } }` }),
    });
    expect(withUserToken.status).toBe(401);
  });

  it('is honoured only while it is valid, even after the subgraph has verified it once', async () => {
    const identity = await signIdentity(viewerFromClaims({ role: 'admin', sub: 'short-lived' }), internalSecret(), 1);
    const call = () =>
      fetch(graph.subgraphUrl('volunteers'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
        body: JSON.stringify({ query: `{ volunteer(id: "${volunteerId}") { id } }` }),
      });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200); // now from the subgraph's cache of verified identities
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('introspection', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  it('is open in development', async () => {
    const { body } = await graph.query(INTROSPECT);
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('is for analysts and admins only in production', async () => {
    const publicCaller = await graph.queryAt(productionGateway.url, INTROSPECT);
    expect(publicCaller.status).toBe(401);
    expect(publicCaller.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const volunteer = await graph.queryAt(productionGateway.url, `{ __type(name: "Volunteer") { name } }`, {
      token: graph.token({ role: 'volunteer', volunteer_id: volunteerId }),
    });
    expect(volunteer.status).toBe(403);
    expect(volunteer.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    for (const role of ['analyst', 'admin']) {
      const { status, body } = await graph.queryAt(productionGateway.url, INTROSPECT, { token: graph.token({ role }) });
      expect(status, role).toBe(200);
      expect(body.data, role).toEqual({ __schema: { queryType: { name: 'Query' } } });
    }
    // __typename is not introspection.
    expect((await graph.queryAt(productionGateway.url, '{ __typename }')).body.data).toEqual({ __typename: 'Query' });
  });

  it('does not leak field names through suggestions in production', async () => {
    const dev = await graph.query('{ regionz { code } }');
    expect(dev.body.errors![0]!.message).toMatch(/Did you mean/);
    const production = await graph.queryAt(productionGateway.url, '{ regionz { code } }');
    expect(production.body.errors![0]!.message).not.toMatch(/Did you mean/);
  });
});

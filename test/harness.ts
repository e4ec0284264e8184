import { createHmac, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { inject } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway/server.ts';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../gateway/identity.ts';
import { createDatabase, startSubgraph, type Database, type RunningSubgraph } from '../subgraphs/kit/index.ts';
import { SUBGRAPHS, type SubgraphEntry, type SubgraphName } from '../subgraphs/registry.ts';

/**
 * The whole graph for end-to-end tests: the four subgraphs (each on a free port,
 * its own database: PGlite in memory, or a throwaway schema on the PostgreSQL of
 * TEST_DATABASE_URL) and the real gateway in front of them.
 */
export interface GraphQLResponseBody {
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, unknown>;
}

export interface QueryOptions {
  variables?: Record<string, unknown>;
  token?: string;
  headers?: Record<string, string>;
  operationName?: string;
}

export interface TokenClaims {
  role?: string;
  roles?: string[];
  sub?: string;
  org?: string | string[];
  region?: string;
  volunteer_id?: string;
  partner_id?: string;
  scope?: string;
  /** Seconds until expiry. @default 600 */
  expiresIn?: number;
}

export interface Graph {
  gatewayUrl: string;
  gateway: RunningGateway;
  query(document: string, options?: QueryOptions): Promise<{ status: number; body: GraphQLResponseBody; headers: Headers }>;
  token(claims: TokenClaims): string;
  db<DB = any>(name: SubgraphName): Kysely<DB>;
  /** SQL statements a subgraph ran since start or the last reset. */
  statements(name: SubgraphName): number;
  resetStatements(): void;
  subgraphUrl(name: SubgraphName): string;
  /** Stops a subgraph's server (its database stays). */
  stopSubgraph(name: SubgraphName): Promise<void>;
  /** Starts a stopped subgraph again on the same port. */
  restartSubgraph(name: SubgraphName): Promise<void>;
  close(): Promise<void>;
}

interface Member {
  entry: SubgraphEntry;
  database: Database<any>;
  server: RunningSubgraph | null;
  port: number;
}

const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

/**
 * Signs a development JWT (HS256 with the development secret), as `npm run token`
 * does. Synchronous so that tests can build tokens inline; the gateway verifies it with jose.
 */
export function signDevToken(claims: TokenClaims, secret: string = DEV_JWT_SECRET): string {
  const { expiresIn = 600, ...rest } = claims;
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = {
    ...rest,
    sub: rest.sub ?? `test-${rest.role ?? rest.roles?.join('+') ?? 'user'}`,
    iss: DEV_ISSUER,
    aud: DEV_AUDIENCE,
    iat: now,
    exp: now + expiresIn,
  };
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

export async function startGraph(): Promise<Graph> {
  const runId = `t${process.pid}_${randomBytes(3).toString('hex')}`;
  const template = testDatabaseUrl ? undefined : (inject('pgliteTemplate') as string | undefined);
  const members = new Map<SubgraphName, Member>();
  await Promise.all(
    SUBGRAPHS.map(async (entry) => {
      const database = await createDatabase<any>({
        schema: testDatabaseUrl ? `${runId}_${entry.name}` : entry.dbSchema,
        url: testDatabaseUrl,
        templateFile: template,
        poolSize: 5,
      });
      members.set(entry.name, { entry, database, server: null, port: 0 });
    }),
  );

  async function startMember(member: Member): Promise<void> {
    const definition = await member.entry.load();
    member.server = await startSubgraph(definition, member.database, { port: member.port, requireGateway: true });
    member.port = member.server.port;
    // Service-to-service calls read the owner's URL from the environment at call time.
    process.env[member.entry.urlEnv] = member.server.url;
  }
  for (const member of members.values()) await startMember(member);

  const gateway = await startGateway({
    supergraphPath: 'schema/supergraph.graphql',
    port: 0,
    serviceUrls: Object.fromEntries([...members].map(([name, m]) => [name, m.server!.url])),
    subgraphTimeoutMs: 5_000,
  });

  const graph: Graph = {
    gatewayUrl: gateway.url,
    gateway,
    async query(document, options = {}) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query: document, variables: options.variables, operationName: options.operationName }),
      });
      const text = await response.text();
      let body: GraphQLResponseBody;
      try {
        body = JSON.parse(text) as GraphQLResponseBody;
      } catch {
        throw new Error(`gateway answered ${response.status} with a non-JSON body: ${text.slice(0, 500)}`);
      }
      return { status: response.status, body, headers: response.headers };
    },
    token: (claims) => signDevToken(claims),
    db: (name) => members.get(name)!.database.db,
    statements: (name) => members.get(name)!.database.statements.count,
    resetStatements() {
      for (const m of members.values()) m.database.statements.reset();
    },
    subgraphUrl: (name) => `http://127.0.0.1:${members.get(name)!.port}/graphql`,
    async stopSubgraph(name) {
      const member = members.get(name)!;
      await member.server?.close();
      member.server = null;
    },
    async restartSubgraph(name) {
      const member = members.get(name)!;
      if (!member.server) await startMember(member);
    },
    async close() {
      await gateway.close();
      for (const member of members.values()) await member.server?.close();
      for (const member of members.values()) {
        if (testDatabaseUrl) await sql`drop schema if exists ${sql.id(member.database.schema)} cascade`.execute(member.database.db);
        await member.database.close();
      }
    },
  };
  return graph;
}

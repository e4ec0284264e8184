import { createHmac, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { inject } from 'vitest';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway/server.ts';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../gateway/identity.ts';
import { createDatabase, startSubgraph, type Database, type RunningSubgraph, type SubgraphServerOptions } from '../subgraphs/kit/index.ts';
import { SUBGRAPHS, type SubgraphEntry, type SubgraphName } from '../subgraphs/registry.ts';
import { loadSubgraph } from '../subgraphs/servers.ts';

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

export interface GraphOptions {
  /** The subgraphs to start. @default every subgraph of the registry */
  subgraphs?: SubgraphName[];
  /** @default 'schema/supergraph.graphql' */
  supergraphPath?: string;
  /**
   * Gateway options over the harness defaults. The harness turns rate limiting
   * off (tests of other features send bursts from one address) unless given here.
   */
  gateway?: Partial<GatewayOptions>;
  /** Options of each subgraph server (e.g. a logger to read its lines). */
  subgraph?: (name: SubgraphName) => Partial<SubgraphServerOptions>;
}

export interface Graph {
  gatewayUrl: string;
  gateway: RunningGateway;
  /** Starts another gateway in front of the same subgraphs (closed with the graph). */
  startGateway(options?: Partial<GatewayOptions>): Promise<RunningGateway>;
  /** Like `query`, against any gateway URL. */
  queryAt(url: string, document: string, options?: QueryOptions): Promise<{ status: number; body: GraphQLResponseBody; headers: Headers }>;
  query(document: string, options?: QueryOptions): Promise<{ status: number; body: GraphQLResponseBody; headers: Headers }>;
  token(claims: TokenClaims): string;
  db<DB = any>(name: SubgraphName): Kysely<DB>;
  /** SQL statements a subgraph ran since start or the last reset. */
  statements(name: SubgraphName): number;
  resetStatements(): void;
  /** GraphQL requests a subgraph (or, without a name, every subgraph) received since start or the last reset. */
  subgraphCalls(name?: SubgraphName): number;
  resetSubgraphCalls(): void;
  subgraphUrl(name: SubgraphName): string;
  /** Stops a subgraph's server (its database stays). */
  stopSubgraph(name: SubgraphName): Promise<void>;
  /** Starts a stopped subgraph again on the same port. */
  restartSubgraph(name: SubgraphName): Promise<void>;
  /**
   * Starts another server of a subgraph on the same database (a replica, as a
   * second process would be: its own HTTP server and its own event bus); closed with the graph.
   */
  startReplica(name: SubgraphName, options?: Partial<SubgraphServerOptions>): Promise<RunningSubgraph>;
  /** Runs a subgraph's scheduled jobs once now (e-mails, reminders): items handled per job. */
  runJobs(name: SubgraphName): Promise<Record<string, number>>;
  /** Subscriptions open at a subgraph's server (its event bus), or at one of its replicas. */
  eventSubscribers(name: SubgraphName, replica?: RunningSubgraph): number;
  close(): Promise<void>;
}

interface Member {
  entry: SubgraphEntry;
  database: Database<any>;
  server: RunningSubgraph | null;
  port: number;
  calls: number;
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

export async function startGraph(options: GraphOptions = {}): Promise<Graph> {
  const selected = SUBGRAPHS.filter((s) => !options.subgraphs || options.subgraphs.includes(s.name));
  const runId = `t${process.pid}_${randomBytes(3).toString('hex')}`;
  const template = testDatabaseUrl ? undefined : (inject('pgliteTemplate') as string | undefined);
  const members = new Map<SubgraphName, Member>();
  await Promise.all(
    selected.map(async (entry) => {
      const database = await createDatabase<any>({
        schema: testDatabaseUrl ? `${runId}_${entry.name}` : entry.dbSchema,
        url: testDatabaseUrl,
        templateFile: template,
        poolSize: 5,
      });
      members.set(entry.name, { entry, database, server: null, port: 0, calls: 0 });
    }),
  );

  async function startMember(member: Member): Promise<void> {
    const definition = await loadSubgraph(member.entry.name);
    member.server = await startSubgraph(definition, member.database, {
      port: member.port,
      requireGateway: true,
      // Test files run side by side: their events never share a Redis channel.
      events: { redisUrl: process.env.REDIS_URL, redisChannel: `vg:test:${runId}:${member.entry.name}` },
      // Jobs run when a test says so (graph.runJobs), never by timer; e-mails are logged unless a test gives an SMTP server.
      jobsIntervalMs: 0,
      mail: {},
      ...options.subgraph?.(member.entry.name),
    });
    member.port = member.server.port;
    member.server.server.on('request', (req: { url?: string }) => {
      if (req.url?.startsWith('/graphql')) member.calls += 1;
    });
    // Service-to-service calls read the owner's URL from the environment at call time.
    process.env[member.entry.urlEnv] = member.server.url;
  }
  for (const member of members.values()) await startMember(member);

  const extraGateways: RunningGateway[] = [];
  const replicas: RunningSubgraph[] = [];
  const launchGateway = (overrides: Partial<GatewayOptions> = {}) =>
    startGateway({
      supergraphPath: options.supergraphPath ?? 'schema/supergraph.graphql',
      port: 0,
      serviceUrls: Object.fromEntries([...members].map(([name, m]) => [name, m.server?.url ?? `http://127.0.0.1:${m.port}/graphql`])),
      subgraphTimeoutMs: 5_000,
      rateLimit: { enabled: false },
      ...options.gateway,
      ...overrides,
    });
  const gateway = await launchGateway();

  async function queryAt(url: string, document: string, options: QueryOptions = {}): ReturnType<Graph['query']> {
    const response = await fetch(url, {
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
  }

  const graph: Graph = {
    gatewayUrl: gateway.url,
    gateway,
    async startGateway(overrides = {}) {
      const started = await launchGateway(overrides);
      extraGateways.push(started);
      return started;
    },
    queryAt,
    query: (document, options = {}) => queryAt(gateway.url, document, options),
    token: (claims) => signDevToken(claims),
    db: (name) => members.get(name)!.database.db,
    statements: (name) => members.get(name)!.database.statements.count,
    resetStatements() {
      for (const m of members.values()) m.database.statements.reset();
    },
    subgraphCalls: (name) => (name ? members.get(name)!.calls : [...members.values()].reduce((sum, m) => sum + m.calls, 0)),
    resetSubgraphCalls() {
      for (const m of members.values()) m.calls = 0;
    },
    subgraphUrl: (name) => `http://127.0.0.1:${members.get(name)!.port}/graphql`,
    runJobs: (name) => members.get(name)!.server!.runJobs(),
    async stopSubgraph(name) {
      const member = members.get(name)!;
      await member.server?.close();
      member.server = null;
    },
    async restartSubgraph(name) {
      const member = members.get(name)!;
      if (!member.server) await startMember(member);
    },
    async startReplica(name, overrides = {}) {
      const member = members.get(name)!;
      const replica = await startSubgraph(await loadSubgraph(name), member.database, {
        port: 0,
        requireGateway: true,
        events: { redisUrl: process.env.REDIS_URL, redisChannel: `vg:test:${runId}:${name}` },
        ...options.subgraph?.(name),
        ...overrides,
      });
      replicas.push(replica);
      return replica;
    },
    eventSubscribers: (name, replica) => (replica ?? members.get(name)!.server)?.events?.size ?? 0,
    async close() {
      for (const extra of extraGateways) await extra.close();
      for (const replica of replicas) await replica.close();
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

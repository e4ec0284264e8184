import type { LogEvent } from 'kysely';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../../gateway/server.ts';
import { createDatabase, createLogger, startSubgraph, type Database, type RunningSubgraph } from '../../../subgraphs/kit/index.ts';
import { SUBGRAPHS, subgraphDatabaseUrl, type SubgraphName } from '../../../subgraphs/registry.ts';
import { loadSubgraph } from '../../../subgraphs/servers.ts';

/** A statement a subgraph ran, with its parameters and duration. */
export interface CapturedStatement {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}

export interface LocalSubgraph {
  name: SubgraphName;
  url: string;
  schema: string;
  database: Database<any>;
  server: RunningSubgraph;
  /** Statements since the last `reset()`. */
  statements: CapturedStatement[];
  /** Server-side durations (ms) of the GraphQL requests since the last `reset()`. */
  requests: number[];
}

export interface LocalGraph {
  gateway: RunningGateway;
  subgraphs: Map<SubgraphName, LocalSubgraph>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * The four subgraphs and our gateway in this process, on the seeded databases
 * (DATABASE_URL / <NAME>_DATABASE_URL), recording every statement each
 * subgraph runs and how long each of its requests takes at the subgraph.
 */
export async function startLocalGraph(options: { gateway?: Partial<GatewayOptions>; env?: NodeJS.ProcessEnv } = {}): Promise<LocalGraph> {
  const env = options.env ?? process.env;
  const subgraphs = new Map<SubgraphName, LocalSubgraph>();
  process.env.LOG_LEVEL ??= 'warn';
  const log = createLogger('bench');
  for (const entry of SUBGRAPHS) {
    const url = subgraphDatabaseUrl(entry, env);
    if (!url) throw new Error('the dashboards are measured on PostgreSQL: set DATABASE_URL');
    const member = { statements: [] as CapturedStatement[], requests: [] as number[] };
    const database = await createDatabase<any>({
      schema: entry.dbSchema,
      url,
      poolSize: 10,
      onLog: (event: LogEvent) => {
        if (event.level === 'query') member.statements.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
      },
    });
    const server = await startSubgraph(await loadSubgraph(entry.name), database, { port: 0, requireGateway: true, logger: log });
    server.server.on('request', (req: { url?: string }, res: { on(event: 'finish', listener: () => void): void }) => {
      if (!req.url?.startsWith('/graphql')) return;
      const started = performance.now();
      res.on('finish', () => member.requests.push(performance.now() - started));
    });
    // Service-to-service calls read the owner's URL from the environment at call time.
    process.env[entry.urlEnv] = server.url;
    subgraphs.set(entry.name, { name: entry.name, url: server.url, schema: entry.dbSchema, database, server, statements: member.statements, requests: member.requests });
  }
  const gateway = await startGateway({
    supergraphPath: 'schema/supergraph.graphql',
    port: 0,
    serviceUrls: Object.fromEntries([...subgraphs].map(([name, s]) => [name, s.url])),
    rateLimit: { enabled: false },
    logger: log,
    ...options.gateway,
  });
  return {
    gateway,
    subgraphs,
    reset() {
      for (const s of subgraphs.values()) {
        s.statements.length = 0;
        s.requests.length = 0;
      }
    },
    async close() {
      await gateway.close();
      for (const s of subgraphs.values()) {
        await s.server.close();
        await s.database.close();
      }
    },
  };
}

import { fileURLToPath } from 'node:url';

export type SubgraphName = 'volunteers' | 'organizations' | 'donations' | 'cooperation' | 'roadmap';

/**
 * The one list of subgraphs and where they live: plain data, no code of any
 * subgraph (so a subgraph's own clients may read it without an import cycle).
 * The compose script, the gateway's development defaults, `npm start` and the
 * tests read it; `servers.ts` maps each name to its server and demo data.
 */
export interface SubgraphEntry {
  name: SubgraphName;
  /** Default port; the URL can be overridden by `urlEnv`. */
  port: number;
  /** The SDL file, source of truth of the subgraph's schema. */
  sdlPath: string;
  /** The PostgreSQL schema the subgraph owns. */
  dbSchema: string;
  /** Environment variable with the subgraph's URL, as the gateway reaches it. */
  urlEnv: string;
  /** Environment variable with the subgraph's own database URL (else DATABASE_URL). */
  databaseUrlEnv: string;
}

const sdl = (name: string) => fileURLToPath(new URL(`./${name}/schema.graphql`, import.meta.url));

export const SUBGRAPHS: readonly SubgraphEntry[] = [
  {
    name: 'volunteers',
    port: 4001,
    sdlPath: sdl('volunteers'),
    dbSchema: 'volunteers',
    urlEnv: 'VOLUNTEERS_URL',
    databaseUrlEnv: 'VOLUNTEERS_DATABASE_URL',
  },
  {
    name: 'organizations',
    port: 4002,
    sdlPath: sdl('organizations'),
    dbSchema: 'organizations',
    urlEnv: 'ORGANIZATIONS_URL',
    databaseUrlEnv: 'ORGANIZATIONS_DATABASE_URL',
  },
  {
    name: 'donations',
    port: 4003,
    sdlPath: sdl('donations'),
    dbSchema: 'donations',
    urlEnv: 'DONATIONS_URL',
    databaseUrlEnv: 'DONATIONS_DATABASE_URL',
  },
  {
    name: 'cooperation',
    port: 4004,
    sdlPath: sdl('cooperation'),
    dbSchema: 'cooperation',
    urlEnv: 'COOPERATION_URL',
    databaseUrlEnv: 'COOPERATION_DATABASE_URL',
  },
  {
    name: 'roadmap',
    port: 4005,
    sdlPath: sdl('roadmap'),
    dbSchema: 'roadmap',
    urlEnv: 'ROADMAP_URL',
    databaseUrlEnv: 'ROADMAP_DATABASE_URL',
  },
];

export function subgraphEntry(name: string): SubgraphEntry {
  const entry = SUBGRAPHS.find((s) => s.name === name);
  if (!entry) throw new Error(`unknown subgraph ${name}; expected one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  return entry;
}

/** The URL the gateway uses for a subgraph: its env override, or the default port on loopback. */
export function subgraphUrl(entry: SubgraphEntry, env: NodeJS.ProcessEnv = process.env): string {
  return env[entry.urlEnv] ?? `http://127.0.0.1:${entry.port}/graphql`;
}

/** The database URL a subgraph uses: its own, or the shared one; undefined means PGlite. */
export function subgraphDatabaseUrl(entry: SubgraphEntry, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[entry.databaseUrlEnv] ?? env.DATABASE_URL ?? undefined;
}

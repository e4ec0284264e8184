/**
 * The cases where the query planner of @apollo/gateway 2.14.4 answers wrongly
 * (issue 14, after the public federation gateway audit), each on small subgraphs
 * of its own, composed here and served twice: through our gateway, whose
 * @apollo/query-planner and @apollo/query-graphs carry the fixes of `patches/`,
 * and through plain @apollo/gateway as Apollo ships it (a copy with the patches
 * reversed). Plain Apollo's wrong answers are expected failures: an upgrade of
 * Apollo that fixes one makes its test fail here, so that the patch is dropped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { serveHttp, type RunningServer } from '../../subgraphs/kit/index.ts';
import { FEATURE_CASES, FEDERATION_CASES, type CaseQuery, type FederationCase } from './cases.ts';
import { loadPristineApollo, type PristineApollo } from './pristine-apollo.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Body {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function ask(url: string, q: CaseQuery): Promise<Body> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q.query, variables: q.variables }),
  });
  return (await response.json()) as Body;
}

/** The answer a caller sees, exactly: data (absent counts as null), and errors when, and only when, expected. */
async function expectAnswer(url: string, q: CaseQuery): Promise<void> {
  const body = await ask(url, q);
  expect(body.data ?? null).toEqual(q.expected.data);
  if (q.expected.errors) expect(body.errors?.length).toBeGreaterThan(0);
  else expect(body.errors).toBeUndefined();
}

async function serveSubgraph(sdl: string, resolvers: Record<string, Record<string, unknown>>): Promise<RunningServer> {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as never }]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    logger: silent,
  });
  await apollo.start();
  return serveHttp({ apollo, port: 0, context: async () => ({}) });
}

let pristine: PristineApollo;
beforeAll(() => {
  pristine = loadPristineApollo(PROJECT_ROOT);
});
afterAll(() => pristine?.dispose());

describe('the planner patches', () => {
  it('are applied to the project modules, and reversed in the plain copy', () => {
    expect(pristine.changedFiles.length).toBeGreaterThan(0);
    for (const file of pristine.changedFiles) {
      expect(file.patched, file.path).toContain('Patched (volunteer-graph');
      expect(file.pristine, file.path).not.toContain('Patched (volunteer-graph');
    }
  });
});

function describeCase(federationCase: FederationCase) {
  describe(federationCase.name, () => {
    let dir: string;
    const subgraphs: RunningServer[] = [];
    let ours: RunningGateway;
    let plain: RunningServer;
    let plainApollo: ApolloServer;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'vg-planner-'));
      for (const subgraph of federationCase.subgraphs) subgraphs.push(await serveSubgraph(subgraph.sdl, subgraph.resolvers));
      const composed = composeServices(
        federationCase.subgraphs.map((s, i) => ({ name: s.name, url: subgraphs[i]!.url, typeDefs: parse(s.sdl) })),
      );
      if (composed.errors?.length || !composed.supergraphSdl) throw new Error(composed.errors?.map((e) => e.message).join('\n'));
      const supergraphPath = join(dir, 'supergraph.graphql');
      writeFileSync(supergraphPath, composed.supergraphSdl);

      ours = await startGateway({
        supergraphPath,
        port: 0,
        apiKeys: { file: join(dir, 'api-keys.json') },
        rateLimit: { enabled: false },
        contracts: false,
      });
      plainApollo = new ApolloServer({
        gateway: new pristine.ApolloGateway({ supergraphSdl: composed.supergraphSdl, logger: silent }),
        includeStacktraceInErrorResponses: false,
        logger: silent,
      });
      await plainApollo.start();
      plain = await serveHttp({ apollo: plainApollo, port: 0, context: async () => ({}) });
    }, 60_000);

    afterAll(async () => {
      await ours?.close();
      await plain?.close();
      await plainApollo?.stop();
      for (const subgraph of subgraphs) await subgraph.close();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const q of federationCase.queries) {
      it(`our gateway: ${q.title}`, () => expectAnswer(ours.url, q));
      // Expected to fail until Apollo fixes its planner: then this fails, and the patch can go.
      (q.wrongOnPlainApollo ? it.fails : it)(`plain @apollo/gateway: ${q.title}`, () => expectAnswer(plain.url, q));
    }
  });
}

for (const federationCase of [...FEDERATION_CASES, ...FEATURE_CASES]) describeCase(federationCase);

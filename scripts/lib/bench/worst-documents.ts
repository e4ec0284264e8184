/**
 * The worst documents that fit MAX_TOKENS (4 000 lexical tokens), sent to a
 * running gateway: how long each takes to be answered (refused, for all but
 * the last), and how long /health takes meanwhile. A measure that walked the
 * expansion of fragments would take 2^n here; the gateway's measures are
 * linear in the document.
 */
import { parse } from 'graphql';
import { countTokens } from '../../../gateway/plugins/useLimits.ts';

export interface WorstDocument {
  name: string;
  description: string;
  query: string;
}

const MAX_TOKENS = 4_000;

/** The longest chain of doubling fragments on `type` that fits the token limit with `head`. */
function doublingChain(head: string, type: string, leaf = '__typename'): { query: string; fragments: number } {
  let fragments = 1;
  const build = (n: number) => `${head}\n${Array.from({ length: n }, (_, i) => `fragment F${i} on ${type} { ...F${i + 1} ...F${i + 1} }`).join('\n')}\nfragment F${n} on ${type} { ${leaf} }`;
  while (countTokens(build(fragments + 1)) <= MAX_TOKENS) fragments += 1;
  return { query: build(fragments), fragments };
}

/** As many repetitions of `unit` inside `open … close` as fit the token limit. */
function repeated(open: string, unit: (i: number) => string, close: string, limit = MAX_TOKENS): string {
  const tokensOf = (n: number) => countTokens(`${open} ${Array.from({ length: n }, (_, i) => unit(i)).join(' ')} ${close}`);
  let n = 1;
  while (tokensOf(n * 2) <= limit) n *= 2;
  let step = n / 2;
  while (step >= 1) {
    if (tokensOf(n + step) <= limit) n += step;
    step = Math.floor(step / 2);
  }
  return `${open} ${Array.from({ length: n }, (_, i) => unit(i)).join(' ')} ${close}`;
}

function nested(limit = MAX_TOKENS): string {
  let depth = 1;
  const build = (n: number) => `{ regions { ${'organizations(first: 1) { nodes { region { '.repeat(n)}code${' } } }'.repeat(n)} } }`;
  while (countTokens(build(depth + 1)) <= limit) depth += 1;
  return build(depth);
}

export function worstDocuments(): WorstDocument[] {
  const root = doublingChain('query FanOut { ...F0 }', 'Query');
  const list = doublingChain('query FanOutUnderList { regions { ...F0 } }', 'Region');
  const accepted = `query ManySpreads { regions { ...F0 } }\n${Array.from({ length: 8 }, (_, i) => `fragment F${i} on Region { ...F${i + 1} ...F${i + 1} }`).join('\n')}\nfragment F8 on Region { code nameEn }`;
  const documents: WorstDocument[] = [
    { name: 'fan-out at the root', description: `${root.fragments} doubling fragments on Query (2^${root.fragments} root fields)`, query: root.query },
    { name: 'fan-out under a list', description: `${list.fragments} doubling fragments on Region under \`regions\``, query: list.query },
    { name: 'deep nesting', description: 'regions → organizations → region … as deep as the tokens allow', query: nested() },
    { name: 'many aliases', description: '`{ regions { a0: code a1: code … } }`', query: repeated('{ regions {', (i) => `a${i}: code`, '} }') },
    { name: 'many directives', description: '`{ regions { code @include(if: true) … } }`', query: repeated('{ regions {', () => 'code @include(if: true)', '} }') },
    { name: 'same field repeated', description: '`{ regions { code code … } }` (quadratic for field merging)', query: repeated('{ regions {', () => 'code', '} }') },
    {
      name: 'same field with arguments, within the fields limit',
      description: '`approvedHours(year: 2026) { hours }` ×300 under `regions`: validated, then over the cost budget',
      query: `{ regions { ${Array.from({ length: 300 }, () => 'approvedHours(year: 2026) { hours }').join(' ')} } }`,
    },
    { name: 'accepted: 2^8 spreads', description: '8 doubling fragments of `code nameEn` under `regions` (513 fields, within every limit: answered)', query: accepted },
  ];
  for (const document of documents) {
    parse(document.query); // each is a well-formed document
    const tokens = countTokens(document.query);
    if (tokens > MAX_TOKENS) throw new Error(`${document.name}: ${tokens} tokens, more than ${MAX_TOKENS}`);
  }
  return documents;
}

export interface WorstDocumentResult {
  name: string;
  description: string;
  bytes: number;
  tokens: number;
  status: number;
  /** The refusal's code and limit, or "answered". */
  outcome: string;
  /** Round trip, fastest and median of the tries (ms). */
  bestMs: number;
  medianMs: number;
  /** /health answers while four clients sent the document at once: median and slowest (ms). */
  healthMedianMs: number;
  healthMaxMs: number;
}

async function send(url: string, query: string, headers: Record<string, string>): Promise<{ status: number; outcome: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string; limit?: string } }[] };
  const ms = performance.now() - started;
  const error = body.errors?.[0]?.extensions;
  return { status: response.status, outcome: error ? `${error.code}${error.limit ? ` (${error.limit})` : ''}` : 'answered', ms };
}

/** Sends each worst document `tries` times, then four at a time while /health is probed. */
export async function measureWorstDocuments(options: { url: string; headers?: Record<string, string>; tries?: number; log?: (line: string) => void }): Promise<WorstDocumentResult[]> {
  const tries = options.tries ?? 9;
  const headers = options.headers ?? {};
  const health = new URL('/health', options.url).toString();
  const results: WorstDocumentResult[] = [];
  for (const document of worstDocuments()) {
    const times: number[] = [];
    let last = { status: 0, outcome: '' };
    for (let i = 0; i < tries; i++) {
      const sent = await send(options.url, document.query, headers);
      times.push(sent.ms);
      last = sent;
    }
    times.sort((a, b) => a - b);
    let sending = true;
    const sender = async () => {
      while (sending) await send(options.url, document.query, headers);
    };
    const senders = [sender(), sender(), sender(), sender()];
    const healthTimes: number[] = [];
    for (let i = 0; i < 21; i++) {
      const started = performance.now();
      await (await fetch(health)).text();
      healthTimes.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    healthTimes.sort((a, b) => a - b);
    sending = false;
    await Promise.all(senders);
    const result: WorstDocumentResult = {
      name: document.name,
      description: document.description,
      bytes: Buffer.byteLength(document.query),
      tokens: countTokens(document.query),
      status: last.status,
      outcome: last.outcome,
      bestMs: times[0]!,
      medianMs: times[Math.floor(times.length / 2)]!,
      healthMedianMs: healthTimes[10]!,
      healthMaxMs: healthTimes[20]!,
    };
    options.log?.(`  ${result.name}: ${result.status} ${result.outcome}, best ${result.bestMs.toFixed(1)} ms, median ${result.medianMs.toFixed(1)} ms; /health median ${result.healthMedianMs.toFixed(1)} ms, at most ${result.healthMaxMs.toFixed(1)} ms`);
    results.push(result);
  }
  return results;
}

export function renderWorstDocuments(results: readonly WorstDocumentResult[]): string[] {
  const lines = ['| document | bytes | tokens | answer | best ms | median ms | /health meanwhile, median / slowest ms |', '|---|---|---|---|---|---|---|'];
  for (const r of results) {
    lines.push(`| ${r.name}: ${r.description} | ${r.bytes} | ${r.tokens} | ${r.status} ${r.outcome} | ${r.bestMs.toFixed(1)} | ${r.medianMs.toFixed(1)} | ${r.healthMedianMs.toFixed(1)} / ${r.healthMaxMs.toFixed(1)} |`);
  }
  return lines;
}

/**
 * `npm run bench -- --only worst-documents`: the graph in this process on
 * in-memory PGlite with the demo data (no PostgreSQL, no national data set),
 * our gateway with its development settings, an anonymous caller.
 */
export async function worstDocumentsOnDemoGraph(log: (line: string) => void): Promise<WorstDocumentResult[]> {
  process.env.LOG_LEVEL ??= 'warn';
  const [{ startGateway }, kit, { SUBGRAPHS }, { loadSubgraph, seedSubgraphDemo }] = await Promise.all([
    import('../../../gateway/server.ts'),
    import('../../../subgraphs/kit/index.ts'),
    import('../../../subgraphs/registry.ts'),
    import('../../../subgraphs/servers.ts'),
  ]);
  const logger = kit.createLogger('bench');
  const running: { close(): Promise<void> }[] = [];
  try {
    const serviceUrls: Record<string, string> = {};
    for (const entry of SUBGRAPHS) {
      const database = await kit.createDatabase<any>({ schema: entry.dbSchema });
      running.push(database);
      const server = await kit.startSubgraph(await loadSubgraph(entry.name), database, { port: 0, logger });
      running.unshift(server);
      await seedSubgraphDemo(entry.name, database.db);
      serviceUrls[entry.name] = server.url;
      process.env[entry.urlEnv] = server.url;
    }
    const gateway = await startGateway({ supergraphPath: 'schema/supergraph.graphql', port: 0, serviceUrls, logger, rateLimit: { enabled: false } });
    running.unshift(gateway);
    log(`  graph on PGlite demo data, gateway ${gateway.url} (development settings, anonymous caller)`);
    return await measureWorstDocuments({ url: gateway.url, log });
  } finally {
    for (const r of running) await r.close();
  }
}

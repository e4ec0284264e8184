/**
 * A small document whose fragments spread each other twice over selects 2^n
 * fields. The gateway measures it without expanding it: it is refused in a few
 * milliseconds, at the root and under a list, in development (anonymous) and
 * with production settings (a signed-in volunteer), and /health keeps
 * answering while such documents arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../../gateway/identity.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { startGraph, type Graph, type GraphQLResponseBody } from '../harness.ts';

let graph: Graph;
let production: RunningGateway;
let volunteerToken: string;

/** `fragment F0 on <type> { ...F1 ...F1 } … fragment F<n> on <type> { __typename }`. */
function doublingFragments(n: number, type: string): string {
  const fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on ${type} { ...F${i + 1} ...F${i + 1} }`);
  return `${fragments.join(' ')} fragment F${n} on ${type} { __typename }`;
}

const ATTACKS = {
  /** The review's request: 21 fragments, 832 bytes, 2^20 root fields. */
  review: `query FanOut { ...F0 } ${doublingFragments(20, 'Query')}`,
  root: `query FanOut { ...F0 } ${doublingFragments(25, 'Query')}`,
  list: `query FanOutUnderList { regions { ...F0 } } ${doublingFragments(25, 'Region')}`,
};

beforeAll(async () => {
  graph = await startGraph();
  production = await graph.startGateway({
    production: true,
    identity: { jwtSecret: DEV_JWT_SECRET, issuer: DEV_ISSUER, audience: DEV_AUDIENCE },
    rateLimit: { enabled: true },
  });
  volunteerToken = graph.token({ role: 'volunteer', sub: 'fanout-volunteer', volunteer_id: '0f6c1c2e-4b1f-4e8a-9a57-3f1d2c3b4a5e' });
}, 180_000);

afterAll(async () => {
  await graph?.close();
});

interface Timed {
  status: number;
  body: GraphQLResponseBody;
  ms: number;
}

async function timedQuery(url: string, document: string, token?: string): Promise<Timed> {
  const started = performance.now();
  const { status, body } = await graph.queryAt(url, document, token ? { token } : {});
  return { status, body, ms: performance.now() - started };
}

/** The fastest of three tries (a busy machine slows one try, not all three). */
async function bestOfThree(url: string, document: string, token?: string): Promise<Timed> {
  let best: Timed | undefined;
  for (let i = 0; i < 3; i++) {
    const timed = await timedQuery(url, document, token);
    if (!best || timed.ms < best.ms) best = timed;
  }
  return best!;
}

describe('fragment fan-out', () => {
  const callers = [
    { name: 'in development, from an anonymous caller', url: () => graph.gatewayUrl, token: () => undefined },
    { name: 'with production settings, from a signed-in volunteer', url: () => production.url, token: () => volunteerToken },
  ];
  for (const caller of callers) {
    // The time is measured, not budgeted: the benchmark reports it (bench/RESULTS.md, worst documents; a few
    // ms when idle). The bound here only tells linear from exponential on a machine under any load: before
    // the fix, 21 fragments took 1.4 s and every further fragment doubled it (25 took over 20 s).
    it(`is refused at once (no expansion) at the root and under a list, ${caller.name}`, async () => {
      for (const [attack, limit, measured] of [
        ['review', 'rootFields', 2 ** 20],
        ['root', 'rootFields', 2 ** 25],
        ['list', 'fields', 1 + 2 ** 25],
      ] as const) {
        graph.resetSubgraphCalls();
        const { status, body, ms } = await bestOfThree(caller.url(), ATTACKS[attack], caller.token());
        expect({ attack, status }).toEqual({ attack, status: 400 });
        expect(body.data).toBeUndefined();
        expect(body.errors![0]!.extensions).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', limit, measured });
        expect(ms, `${attack} refused in ${ms.toFixed(1)} ms`).toBeLessThan(1_000);
        expect(graph.subgraphCalls()).toBe(0);
      }
    });
  }

  it('leaves /health answering while such requests are being refused (within 100 ms when idle)', async () => {
    const health = new URL('/health', graph.gatewayUrl).toString();
    const slowestHealthWhileAttacked = async (): Promise<number> => {
      let attacking = true;
      const statuses: number[] = [];
      const attacker = async () => {
        while (attacking) {
          for (const document of [ATTACKS.root, ATTACKS.list]) statuses.push((await timedQuery(graph.gatewayUrl, document)).status);
        }
      };
      const attackers = [attacker(), attacker(), attacker()];
      let slowest = 0;
      try {
        for (let i = 0; i < 15; i++) {
          const started = performance.now();
          const response = await fetch(health);
          expect(response.status).toBe(200);
          await response.text();
          slowest = Math.max(slowest, performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        attacking = false;
        await Promise.all(attackers);
      }
      expect(statuses.length).toBeGreaterThan(5);
      expect(new Set(statuses)).toEqual(new Set([400]));
      return slowest;
    };
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 3 && best >= 1_000; round++) best = Math.min(best, await slowestHealthWhileAttacked());
    expect(best, `slowest /health answer in the best round: ${best.toFixed(1)} ms`).toBeLessThan(1_000);
  });

  it('still serves documents that spread a fragment many times within the limits', async () => {
    const document = `{ regions { ...F0 } } ${doublingFragments(5, 'Region').replace('{ __typename }', '{ code }')}`;
    const { status, body } = await graph.query(document);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.regions).toHaveLength(20);
    expect(body.data!.regions[0]).toEqual({ code: expect.any(String) });
  });
});

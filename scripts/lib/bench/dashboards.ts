import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { SubgraphName } from '../../../subgraphs/registry.ts';
import { subgraphDatabaseUrl, subgraphEntry } from '../../../subgraphs/registry.ts';
import { startLocalGraph, type CapturedStatement, type LocalGraph } from './local-graph.ts';
import { buildWorkload, OPERATIONS } from './workload.ts';

/**
 * The dashboards of issue 6, measured at the subgraphs on the seeded national
 * data: each is sent through our gateway (in this process), and every
 * subgraph's server-side time and statements are recorded; then each
 * statement is run again under EXPLAIN (ANALYZE, BUFFERS) and the plans are
 * written to bench/explain/.
 */
export interface Dashboard {
  id: string;
  title: string;
  /** Target at the subgraph, ms. */
  budgetMs: number;
  query: string;
  variables: Record<string, unknown>;
  claims: Record<string, unknown> | null;
}

const MONTHS = Array.from({ length: 12 }, (_, i) => `m${i + 1}: approvedHours(year: $year, month: ${i + 1}) { hours records }`).join('\n        ');

export async function dashboards(scale: 'national' | 'max' = 'national'): Promise<Dashboard[]> {
  const workload = await buildWorkload(scale, 20);
  const plan = workload.plan;
  const bigOrganization = [...plan.organizations].filter((o) => !o.demo && o.status === 'REGISTERED').sort((a, b) => b.weight - a.weight)[0]!;
  let busiest: { id: string; records: number } = { id: '', records: -1 };
  for (const v of plan.volunteers()) {
    if (v.recordCount > busiest.records) busiest = { id: v.id, records: v.recordCount };
    if (v.index > 50_000) break;
  }
  const analyst = { sub: 'bench:analyst', roles: ['analyst'] };
  return [
    {
      id: 'region-hours-by-month',
      title: 'Analyst: approved hours per region per month (20 regions × 12 months)',
      budgetMs: 100,
      query: `query RegionHoursByMonth($year: Int!) {
      regions {
        code nameEn
        ${MONTHS}
      }
    }`,
      variables: { year: 2026 },
      claims: analyst,
    },
    {
      id: 'active-volunteers-by-region-and-age-band',
      title: 'Analyst: active volunteers by region and age band (20 regions × 6 bands, one year)',
      budgetMs: 100,
      query: `query ActiveVolunteersByRegion($year: Int!) {
      activeVolunteersByRegion(year: $year) { region { code nameEn } ageBand volunteers }
    }`,
      variables: { year: 2026 },
      claims: analyst,
    },
    {
      id: 'region-dashboard',
      title: "Analyst: one region's dashboard across the four subgraphs",
      budgetMs: 100,
      query: OPERATIONS.RegionDashboard,
      variables: { code: '750000000', year: 2026 },
      claims: analyst,
    },
    {
      id: 'donations-by-donor-type',
      title: 'Analyst: donations by donor type per year (2025 and 2026)',
      budgetMs: 100,
      query: `query DonationsByDonorType {
      y2025: donationTotals(year: 2025) { year total { amount currency } donationCount byDonorType { donorType total { amount currency } donationCount } byResidency { residency total { amount currency } } }
      y2026: donationTotals(year: 2026) { year total { amount currency } donationCount byDonorType { donorType total { amount currency } donationCount } byResidency { residency total { amount currency } } }
    }`,
      variables: {},
      claims: analyst,
    },
    {
      id: 'grants-disbursed-vs-planned',
      title: 'Analyst: grants disbursed vs planned, per funder',
      budgetMs: 100,
      query: `query GrantsDisbursedVsPlanned {
      grantTotalsByFunder(asOf: "2026-10-31") {
        funder { kind name } currency programmeCount grantCount
        budget { amount currency } awarded { amount currency } planned { amount currency } plannedToDate { amount currency } disbursed { amount currency }
      }
    }`,
      variables: {},
      claims: analyst,
    },
    {
      id: 'missions-per-partner-country',
      title: 'Analyst: exchange missions per partner country and partner',
      budgetMs: 100,
      query: `query MissionsPerCountry {
      y2025: cooperationTotals(year: 2025) { missions participants byHostCountry { country countryName missions participants } byHostPartner { partner { id name country } missions participants } }
      y2026: cooperationTotals(year: 2026) { missions participants byHostCountry { country countryName missions participants } byHostPartner { partner { id name country } missions participants } }
    }`,
      variables: {},
      claims: analyst,
    },
    {
      id: 'volunteer-book',
      title: "A volunteer's book (the busiest volunteer among the first 50,000)",
      budgetMs: 50,
      query: `query VolunteerBook($id: ID!) {
      volunteer(id: $id) {
        id ageBand approvedMinutes
        book {
          approvedHours approvedRecords
          byYear { year hours } byDirection { direction hours }
          byOrganization { organization { id name } hours }
          opportunitiesDone { opportunity { id title } hours firstDate lastDate }
        }
      }
    }`,
      variables: { id: busiest.id },
      claims: analyst,
    },
    {
      id: 'volunteer-page',
      title: "The volunteer portal's page (profile, book, memberships, applications, missions)",
      budgetMs: 50,
      query: OPERATIONS.VolunteerPage,
      variables: {},
      claims: { sub: 'bench:volunteer:busiest', roles: ['volunteer'], volunteer_id: busiest.id },
    },
    {
      id: 'organization-page',
      title: `An organization's page (the largest: ${bigOrganization.name})`,
      budgetMs: 50,
      query: OPERATIONS.OrganizationPage,
      variables: { id: bigOrganization.id, from: '2025-01-01', to: '2026-10-31' },
      claims: null,
    },
  ];
}

export interface DashboardResult {
  dashboard: Dashboard;
  errors: unknown[];
  /** Median over the runs, per subgraph: server-side ms (sum of that subgraph's requests for the operation). */
  subgraphMs: Partial<Record<SubgraphName, number>>;
  statements: Partial<Record<SubgraphName, number>>;
  gatewayMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
};

async function post(graph: LocalGraph, query: string, variables: Record<string, unknown>, token: string | null) {
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

async function explain(url: string, schema: string, statement: CapturedStatement): Promise<string> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const { rows } = await client.query(`explain (analyze, buffers) ${statement.sql}`, statement.parameters as unknown[]);
    return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  } catch (error) {
    return `EXPLAIN failed: ${(error as Error).message}`;
  } finally {
    await client.end();
  }
}

/** Runs each dashboard `runs` times (after a warm-up) and writes its statements' plans to `outDir`. */
export async function measureDashboards(options: { outDir: string; runs?: number; scale?: 'national' | 'max'; log?: (line: string) => void }): Promise<DashboardResult[]> {
  const runs = options.runs ?? 7;
  const log = options.log ?? console.log;
  const { SignJWT } = await import('jose');
  const { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } = await import('../../../gateway/identity.ts');
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(String(claims.sub ?? 'bench')).setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h').sign(new TextEncoder().encode(DEV_JWT_SECRET));
  const list = await dashboards(options.scale);
  const graph = await startLocalGraph();
  mkdirSync(options.outDir, { recursive: true });
  const results: DashboardResult[] = [];
  try {
    for (const dashboard of list) {
      const token = dashboard.claims ? await sign(dashboard.claims) : null;
      const warm = await post(graph, dashboard.query, dashboard.variables, token);
      const perRun: { subgraph: Partial<Record<SubgraphName, number>>; gateway: number }[] = [];
      let last: Map<SubgraphName, CapturedStatement[]> = new Map();
      for (let i = 0; i < runs; i++) {
        graph.reset();
        const started = performance.now();
        await post(graph, dashboard.query, dashboard.variables, token);
        const gateway = performance.now() - started;
        const subgraph: Partial<Record<SubgraphName, number>> = {};
        last = new Map();
        for (const [name, s] of graph.subgraphs) {
          if (s.requests.length > 0) subgraph[name] = s.requests.reduce((a, b) => a + b, 0);
          if (s.statements.length > 0) last.set(name, [...s.statements]);
        }
        perRun.push({ subgraph, gateway });
      }
      const names = [...new Set(perRun.flatMap((p) => Object.keys(p.subgraph)))] as SubgraphName[];
      const subgraphMs = Object.fromEntries(names.map((n) => [n, median(perRun.map((p) => p.subgraph[n] ?? 0))]));
      const statements = Object.fromEntries([...last].map(([n, list]) => [n, list.length]));
      const result: DashboardResult = { dashboard, errors: warm.errors ?? [], subgraphMs, statements, gatewayMs: median(perRun.map((p) => p.gateway)) };
      results.push(result);

      const lines = [
        `# ${dashboard.title}`,
        '',
        `Median of ${runs} runs after a warm-up, national data set, through our gateway in one process.`,
        `Gateway round trip: ${result.gatewayMs.toFixed(1)} ms. At the subgraphs (server-side, sum of their requests): ${names.map((n) => `${n} ${subgraphMs[n]!.toFixed(1)} ms`).join(', ')}. Budget: ${dashboard.budgetMs} ms per subgraph.`,
        result.errors.length ? `Errors: ${JSON.stringify(result.errors).slice(0, 2000)}` : 'No errors.',
        '',
        '```graphql',
        dashboard.query.trim(),
        '```',
        '',
        `Variables: \`${JSON.stringify(dashboard.variables)}\``,
      ];
      for (const [name, captured] of last) {
        const entry = subgraphEntry(name);
        const url = subgraphDatabaseUrl(entry)!;
        lines.push('', `## ${name}: ${captured.length} statement${captured.length === 1 ? '' : 's'}`);
        for (const [i, statement] of captured.entries()) {
          lines.push('', `### ${i + 1}. ${statement.ms.toFixed(2)} ms in the run`, '', '```sql', statement.sql, '```', '', `Parameters: \`${JSON.stringify(statement.parameters).slice(0, 600)}\``, '', '```', await explain(url, entry.dbSchema, statement), '```');
        }
      }
      writeFileSync(join(options.outDir, `${dashboard.id}.md`), `${lines.join('\n')}\n`);
      log(`  ${dashboard.id.padEnd(30)} gateway ${result.gatewayMs.toFixed(1).padStart(6)} ms   ${names.map((n) => `${n} ${subgraphMs[n]!.toFixed(1)} ms/${statements[n] ?? 0} st`).join('  ')}${result.errors.length ? `   ERRORS ${JSON.stringify(result.errors).slice(0, 300)}` : ''}`);
    }
  } finally {
    await graph.close();
  }
  return results;
}

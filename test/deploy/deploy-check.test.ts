import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployCheck, metricsInPromQL } from '../../scripts/lib/deploy/check.ts';
import { parseYamlDocuments, renderKustomization } from '../../scripts/lib/deploy/kustomize.ts';

/**
 * deploy:check against the repository's own deployment files (they pass), and
 * against broken copies of them in a temporary folder: each break must be
 * reported, naming what is wrong.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const DEPLOY_FILES = ['Dockerfile', '.dockerignore', 'compose.yaml', 'deploy', 'schema/supergraph.graphql'];

let copy: string;
beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), 'vg-deploy-check-'));
  for (const file of DEPLOY_FILES) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repo, file), join(copy, file), { recursive: true });
  }
});
afterEach(() => rmSync(copy, { recursive: true, force: true }));

/** Replaces one exact piece of a copied file (failing the test when it is not there). */
function edit(file: string, from: string, to: string): void {
  const path = join(copy, file);
  const text = readFileSync(path, 'utf8');
  expect(text, `${file} holds ${from}`).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

async function errorsOfCopy(): Promise<string[]> {
  return (await deployCheck({ codeRoot: repo, deployRoot: copy })).errors;
}

describe('deploy:check', () => {
  it('passes on the repository and on an untouched copy of its deployment files', async () => {
    const own = await deployCheck({ codeRoot: repo });
    expect(own.errors).toEqual([]);
    expect(own.counted.overlays).toEqual(['deploy/k8s/base', 'deploy/k8s/overlays/production']);
    expect(own.counted.objects).toBeGreaterThan(40);
    expect(await errorsOfCopy()).toEqual([]);
  });

  it('refuses an object the Kubernetes schema refuses', async () => {
    edit('deploy/k8s/base/gateway.yaml', 'containerPort: 4000', 'containerPort: "4000"');
    const errors = await errorsOfCopy();
    expect(errors).toContainEqual(expect.stringMatching(/Deployment\/gateway: .*containerPort.*must be integer/));
  });

  it('refuses probes on a path the process does not serve, or the wrong route', async () => {
    edit('deploy/k8s/base/gateway.yaml', 'httpGet: { path: /ready, port: http }', 'httpGet: { path: /readyz, port: http }');
    expect(await errorsOfCopy()).toContainEqual(
      expect.stringContaining('Deployment/gateway container gateway: readinessProbe asks /readyz, expected /ready'),
    );
  });

  it('refuses a setting the code never reads (a typo) and a missing one', async () => {
    edit('compose.yaml', 'TRUST_PROXY: "true"', 'TRUST_PROXIES: "true"');
    edit('deploy/k8s/base/cooperation.yaml', '- name: DONATIONS_URL', '- name: DONATION_URL');
    const errors = await errorsOfCopy();
    expect(errors).toContainEqual('compose.yaml: service gateway-1: sets TRUST_PROXIES, which the gateway code never reads');
    expect(errors).toContainEqual(
      expect.stringContaining(
        'Deployment/cooperation container cooperation: sets DONATION_URL, which the subgraph:cooperation code never reads',
      ),
    );
    expect(errors).toContainEqual(
      expect.stringContaining(
        'Deployment/cooperation container cooperation: DONATIONS_URL is not set (cooperation calls donations at write time)',
      ),
    );
  });

  it("refuses ports that are not the registry's and URLs that reach the wrong subgraph", async () => {
    edit('deploy/k8s/base/donations.yaml', 'value: "4003"', 'value: "4009"');
    edit(
      'compose.yaml',
      'VOLUNTEERS_URL: http://volunteers:4001/graphql\n    ORGANIZATIONS_URL',
      'VOLUNTEERS_URL: http://donations:4003/graphql\n    ORGANIZATIONS_URL',
    );
    const errors = await errorsOfCopy();
    expect(errors).toContainEqual(
      expect.stringContaining('Deployment/donations container donations: PORT=4009, the registry gives donations port 4003'),
    );
    expect(errors).toContainEqual(
      'compose.yaml: service gateway-1: VOLUNTEERS_URL=http://donations:4003/graphql reaches donations, not the volunteers subgraph on port 4003',
    );
  });

  it('refuses a NetworkPolicy that blocks a write-time call the code makes, or admits a pod that needs nothing', async () => {
    // cooperation calls volunteers (subgraphs/cooperation/reference/remote.ts): take it out of volunteers' policy.
    edit(
      'deploy/k8s/base/network-policies.yaml',
      '              app.kubernetes.io/name: cooperation\n      ports:\n        - port: 4001',
      '              app.kubernetes.io/name: donations\n      ports:\n        - port: 4001',
    );
    const errors = await errorsOfCopy();
    expect(errors).toContainEqual(expect.stringContaining('NetworkPolicy: cooperation cannot reach the volunteers subgraph, but must'));
    expect(errors).toContainEqual(
      expect.stringContaining('NetworkPolicy: donations may reach the volunteers subgraph, but nothing in the code needs it'),
    );
  });

  it('refuses a container that may write its filesystem or escalate', async () => {
    edit('deploy/k8s/base/organizations.yaml', 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    expect(await errorsOfCopy()).toContainEqual(
      expect.stringContaining('Deployment/organizations container organizations: readOnlyRootFilesystem is not true'),
    );
  });

  it('refuses a production overlay that patches nothing or runs an untagged image', async () => {
    edit('deploy/k8s/overlays/production/gateway-hpa.yaml', 'name: gateway', 'name: gateways');
    const errors = await errorsOfCopy();
    expect(errors).toContainEqual(expect.stringContaining('deploy/k8s/overlays/production: '));
    expect(errors.join('\n')).toContain('no HorizontalPodAutoscaler gateways to patch');

    rmSync(copy, { recursive: true, force: true });
    mkdirSync(copy);
    for (const file of DEPLOY_FILES) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(repo, file), join(copy, file), { recursive: true });
    }
    edit('deploy/k8s/overlays/production/kustomization.yaml', '    newTag: "0.1.0"\n', '');
    expect(await errorsOfCopy()).toContainEqual(
      expect.stringContaining('image registry.example.org/volunteer-graph/volunteer-graph:latest has no release tag'),
    );
  });

  it('refuses compose dependencies on services that do not exist and subgraphs that do not wait for the migrations', async () => {
    edit('compose.yaml', 'redis: { condition: service_healthy }', 'cache: { condition: service_healthy }');
    edit(
      'compose.yaml',
      '      migrate: { condition: service_completed_successfully }\n    healthcheck: *subgraph-healthcheck\n\n  organizations:',
      '      postgres: { condition: service_healthy }\n    healthcheck: *subgraph-healthcheck\n\n  organizations:',
    );
    const errors = await errorsOfCopy();
    expect(errors).toContainEqual('compose.yaml: service gateway-1 depends on cache, which does not exist');
    expect(errors).toContainEqual(expect.stringContaining('compose.yaml: service volunteers does not wait for the migrations'));
  });

  it('refuses an nginx upstream that misses a gateway', async () => {
    edit('deploy/nginx/nginx.conf', '    server gateway-2:4000 max_fails=1 fail_timeout=2s;\n', '');
    expect(await errorsOfCopy()).toContainEqual('compose.yaml: deploy/nginx/nginx.conf: gateway service gateway-2 is not in the upstream');
  });

  it('refuses a Dockerfile whose build steps are not the commands CI runs', async () => {
    edit('Dockerfile', 'RUN npm ci --no-audit --no-fund', 'RUN npm install');
    edit('Dockerfile', 'USER 1000:1000', 'USER root');
    const errors = await errorsOfCopy();
    expect(errors).toContain('Dockerfile: the build stage does not run npm ci');
    expect(errors).toContainEqual(expect.stringContaining("Dockerfile: the runtime stage's USER (root) is not a numeric non-root user"));
  });

  it('refuses a dashboard metric the gateway does not expose', async () => {
    edit('deploy/grafana/volunteer-graph.json', 'max by (subgraph) (circuit_breaker_state)', 'max by (subgraph) (circuit_breaker_status)');
    const errors = await errorsOfCopy();
    expect(errors).toContain(
      'deploy/grafana/volunteer-graph.json: metric circuit_breaker_status is not one the gateway exposes (gateway/metrics.ts)',
    );
    expect(errors).toContain('deploy/grafana/volunteer-graph.json: no panel shows circuit_breaker_state');
  });
});

describe('the kustomize subset', () => {
  it('renders the production overlay: namespace, image, strategic-merge and JSON 6902 patches', () => {
    const objects = renderKustomization(join(repo, 'deploy/k8s/overlays/production'));
    expect(objects.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'volunteer-graph')).toBe(true);
    const deployment = (name: string) =>
      objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as unknown as {
        spec: {
          replicas?: number;
          template: { spec: { containers: { image: string; env: { name: string; value?: string }[]; resources: unknown }[] } };
        };
      };
    const gateway = deployment('gateway').spec.template.spec.containers[0]!;
    expect(gateway.image).toBe('registry.example.org/volunteer-graph/volunteer-graph:0.1.0');
    // The strategic merge replaced the resources and kept every base setting (env merged by name).
    expect(gateway.resources).toEqual({ requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } });
    expect(gateway.env.map((e) => e.name)).toContain('SUPERGRAPH_PATH');
    expect(gateway.env.filter((e) => e.name === 'NODE_ENV')).toEqual([{ name: 'NODE_ENV', value: 'production' }]);
    for (const name of ['volunteers', 'organizations', 'donations', 'cooperation']) expect(deployment(name).spec.replicas).toBe(3);
    const supergraph = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'supergraph') as unknown as {
      data: Record<string, string>;
    };
    expect(supergraph.data['supergraph.graphql']).toBe(readFileSync(join(repo, 'schema/supergraph.graphql'), 'utf8'));
  });
});

/** kubectl with its built-in kustomize, where the machine has one (CI need not). */
function kubectlKustomize(dir: string): string | null {
  try {
    return execFileSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}
const hasKubectl = kubectlKustomize(join(repo, 'deploy/k8s/base')) !== null;

describe.skipIf(!hasKubectl)('the kustomize subset against kubectl kustomize', () => {
  it.each(['deploy/k8s/base', 'deploy/k8s/overlays/production'])('%s renders to the same objects', (dir) => {
    const ours = renderKustomization(join(repo, dir)).map((o) => JSON.parse(JSON.stringify(o)) as unknown);
    const theirs = parseYamlDocuments(kubectlKustomize(join(repo, dir))!, dir);
    const key = (o: unknown) => `${(o as { kind: string }).kind}/${(o as { metadata: { name: string } }).metadata.name}`;
    const sorted = (list: unknown[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(ours)).toEqual(sorted(theirs));
  });
});

describe('metric names in PromQL', () => {
  it('leaves out functions, labels, ranges, grouping and Grafana variables', () => {
    expect(
      metricsInPromQL(
        'histogram_quantile(0.99, sum by (le, subgraph) (rate(subgraph_fetch_duration_seconds_bucket{job="x"}[$__rate_interval])))',
      ),
    ).toEqual(['subgraph_fetch_duration_seconds_bucket']);
    expect(metricsInPromQL('sum(rate(graphql_errors_total[5m])) / sum(rate(graphql_requests_total[5m]))')).toEqual([
      'graphql_errors_total',
      'graphql_requests_total',
    ]);
    expect(metricsInPromQL('max by (subgraph) (circuit_breaker_state) > bool 1')).toEqual(['circuit_breaker_state']);
  });
});

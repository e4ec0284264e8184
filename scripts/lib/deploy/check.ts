import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { componentKey, readCodeFacts, type CodeFacts, type Component, type Entrypoint } from './code-facts.ts';
import {
  containersOf,
  KustomizeError,
  parseImage,
  parseYamlDocuments,
  podSpecOf,
  renderKustomization,
  type Container,
  type K8sObject,
  type Probe,
} from './kustomize.ts';
import { validateObject } from './manifests.ts';

/**
 * `npm run deploy:check`: the Dockerfile, compose.yaml, the Kubernetes
 * manifests (rendered with the kustomize subset), the Prometheus scrape
 * config and the Grafana dashboard, checked offline against the Kubernetes
 * schemas and against the code — entrypoints, ports, settings, routes,
 * who calls whom, metric names.
 */
export interface DeployCheckOptions {
  /** Where the code is (package.json, gateway/, subgraphs/, .ci/run). */
  codeRoot: string;
  /** Where the deployment files are (Dockerfile, compose.yaml, deploy/); the code root by default. */
  deployRoot?: string;
}

export interface DeployCheckReport {
  errors: string[];
  warnings: string[];
  /** What was checked, for the summary line. */
  counted: { objects: number; composeServices: number; overlays: string[] };
}

export const K8S_BASE = 'deploy/k8s/base';
export const K8S_OVERLAYS = ['deploy/k8s/overlays/production'];
export const SECRET_EXAMPLE = 'deploy/k8s/secret.example.yaml';
const MAX_CONFIGMAP_BYTES = 1024 * 1024;
const REQUIRED_DASHBOARD_METRICS = [
  'graphql_requests_total',
  'graphql_request_duration_seconds_bucket',
  'graphql_errors_total',
  'subgraph_fetch_duration_seconds_bucket',
  'circuit_breaker_state',
  'rate_limit_refusals_total',
];

/** One running process of the graph, as a deployment file describes it. */
interface Workload {
  where: string;
  component: Component;
  env: Map<string, string | undefined>;
  /** The image's name without registry host or tag. */
  imageName: string;
}

type Report = (message: string) => void;

export async function deployCheck(options: DeployCheckOptions): Promise<DeployCheckReport> {
  const codeRoot = resolve(options.codeRoot);
  const root = resolve(options.deployRoot ?? codeRoot);
  const errors: string[] = [];
  const warnings: string[] = [];
  const facts = readCodeFacts(codeRoot);
  const counted = { objects: 0, composeServices: 0, overlays: [] as string[] };
  const usedEntrypoints = new Set<Entrypoint>();

  const entrypointOf = (command: string[] | undefined, where: string, error: Report): Entrypoint | undefined => {
    const cmd = command?.join(' ') ?? '';
    const entry = facts.entrypoints.find((e) => e.command.join(' ') === cmd);
    if (!entry)
      error(
        `${where}: command "${cmd}" is none of the image's entrypoints (${facts.entrypoints.map((e) => e.command.join(' ')).join(', ')})`,
      );
    else usedEntrypoints.add(entry);
    return entry;
  };

  checkDockerfile(
    root,
    facts,
    (m) => errors.push(`Dockerfile: ${m}`),
    (m) => warnings.push(`Dockerfile: ${m}`),
    entrypointOf,
  );
  const composeGateways = checkCompose(root, facts, (m) => errors.push(`compose.yaml: ${m}`), entrypointOf, counted);

  for (const dir of [K8S_BASE, ...K8S_OVERLAYS]) {
    let objects: K8sObject[];
    try {
      objects = renderKustomization(join(root, dir));
    } catch (error) {
      if (!(error instanceof KustomizeError)) throw error;
      errors.push(`${dir}: ${error.message.split(root + '/').join('')}`);
      continue;
    }
    counted.objects += objects.length;
    counted.overlays.push(dir);
    checkKubernetes(root, dir, objects, facts, (m) => errors.push(`${dir}: ${m}`), entrypointOf, dir !== K8S_BASE);
  }

  checkPrometheus(root, facts, composeGateways, (m) => errors.push(`deploy/prometheus/prometheus.yml: ${m}`));
  checkDashboard(root, facts, (m) => errors.push(`deploy/grafana/volunteer-graph.json: ${m}`));

  // Entrypoints are build outputs: until `npm run build` exists, a missing source is only noted.
  for (const entry of usedEntrypoints) {
    if (existsSync(join(codeRoot, entry.source))) continue;
    const message = `entrypoint ${entry.command.join(' ')}: its source ${entry.source} does not exist`;
    if (facts.hasBuild) errors.push(message);
    else warnings.push(`${message} (no build script yet; settings checked against ${entry.readsFrom})`);
  }
  return { errors, warnings, counted };
}

// ---------------------------------------------------------------- settings

function checkWorkload(
  w: Workload,
  facts: CodeFacts,
  error: Report,
  resolveService: (host: string, port: number) => string | undefined,
): void {
  const read = facts.envRead.get(componentKey(w.component)) ?? new Set<string>();
  for (const name of w.env.keys())
    if (!read.has(name)) error(`${w.where}: sets ${name}, which the ${componentKey(w.component)} code never reads`);
  if (w.imageName !== facts.imageName) error(`${w.where}: image ${w.imageName} is not ${facts.imageName} (the one image of the graph)`);
  const has = (name: string) => w.env.has(name);
  const need = (name: string, why: string) => {
    if (!has(name)) error(`${w.where}: ${name} is not set (${why})`);
  };
  const subgraph = (name: string) => facts.subgraphs.find((s) => s.name === name)!;
  const checkUrl = (target: string) => {
    const s = subgraph(target);
    const value = w.env.get(s.urlEnv);
    if (value === undefined) return;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return error(`${w.where}: ${s.urlEnv}=${value} is not a URL`);
    }
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const reached = resolveService(url.hostname, port);
    if (reached !== target)
      error(`${w.where}: ${s.urlEnv}=${value} reaches ${reached ?? 'nothing'}, not the ${target} subgraph on port ${port}`);
    if (url.pathname !== '/graphql') error(`${w.where}: ${s.urlEnv}=${value} does not end in /graphql`);
  };

  if (w.component.kind === 'gateway') {
    need('INTERNAL_TOKEN_SECRET', 'the gateway signs the identity the subgraphs verify');
    if (!has('JWT_SECRET') && !has('JWKS_URL') && !has('JWKS_FILE'))
      error(`${w.where}: none of JWT_SECRET, JWKS_URL, JWKS_FILE is set (production refuses to start)`);
    need('REDIS_URL', 'replicas share rate-limit budgets, APQ and API keys through Redis');
    for (const s of facts.subgraphs) {
      need(s.urlEnv, `the supergraph's URLs point at 127.0.0.1`);
      checkUrl(s.name);
    }
    const port = w.env.get('GATEWAY_PORT');
    if (port !== undefined && Number(port) !== facts.gatewayPort)
      error(`${w.where}: GATEWAY_PORT=${port}, the gateway's port is ${facts.gatewayPort}`);
  } else if (w.component.kind === 'subgraph') {
    const s = subgraph(w.component.name);
    need('INTERNAL_TOKEN_SECRET', 'the subgraph verifies the gateway-signed identity with it');
    if (!has(s.databaseUrlEnv) && !has('DATABASE_URL'))
      error(`${w.where}: neither ${s.databaseUrlEnv} nor DATABASE_URL is set (it would fall back to PGlite in the container)`);
    for (const other of facts.subgraphs)
      if (other.name !== s.name && has(other.databaseUrlEnv))
        error(`${w.where}: sets ${other.databaseUrlEnv}: a subgraph holds only its own database`);
    for (const callee of s.calls) {
      need(subgraph(callee).urlEnv, `${s.name} calls ${callee} at write time`);
      checkUrl(callee);
    }
    const port = w.env.get('PORT');
    if (port !== undefined && Number(port) !== s.port) error(`${w.where}: PORT=${port}, the registry gives ${s.name} port ${s.port}`);
  } else if (w.component.kind === 'rates-import') {
    const donations = subgraph('donations');
    if (!has(donations.databaseUrlEnv) && !has('DATABASE_URL'))
      error(`${w.where}: neither ${donations.databaseUrlEnv} nor DATABASE_URL is set (the rates are written into the donations schema)`);
    for (const other of facts.subgraphs)
      if (other.name !== 'donations' && has(other.databaseUrlEnv))
        error(`${w.where}: sets ${other.databaseUrlEnv}: the rates import writes the donations database only`);
  } else {
    for (const s of facts.subgraphs)
      if (!has(s.databaseUrlEnv) && !has('DATABASE_URL'))
        error(`${w.where}: ${s.databaseUrlEnv} is not set (the migrations of ${s.name} need it)`);
  }
}

const expectedPort = (facts: CodeFacts, c: Component): number | undefined =>
  c.kind === 'gateway' ? facts.gatewayPort : c.kind === 'subgraph' ? facts.subgraphs.find((s) => s.name === c.name)?.port : undefined;

// ---------------------------------------------------------------- Dockerfile

function checkDockerfile(
  root: string,
  facts: CodeFacts,
  error: Report,
  warn: Report,
  entrypointOf: (c: string[] | undefined, w: string, e: Report) => Entrypoint | undefined,
): void {
  const path = join(root, 'Dockerfile');
  if (!existsSync(path)) return error('missing');
  if (!existsSync(join(root, '.dockerignore'))) error('.dockerignore is missing');
  else if (!/^\/?node_modules\/?$/m.test(readFileSync(join(root, '.dockerignore'), 'utf8')))
    error('.dockerignore does not leave node_modules out');
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: { name: string; lines: string[] }[] = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const body = rest.join(' ');
    if (instruction === 'ARG' && !stages.length) {
      const [k, v] = body.split('=');
      if (k && v) args.set(k, v);
    } else if (instruction === 'FROM') {
      const [image, , name] = body.split(/\s+/);
      const resolved = (image ?? '').replace(
        /\$\{(\w+)\}|\$(\w+)/g,
        (_, a: string | undefined, b: string | undefined) => args.get((a ?? b)!) ?? '',
      );
      if (!/^node:24(\.[\d.]+)?-(bookworm-)?slim$/.test(resolved)) error(`FROM ${image} (${resolved}) is not a Node 24 slim image`);
      stages.push({ name: name ?? String(stages.length), lines: [] });
    } else stages.at(-1)?.lines.push(line);
  }
  if (stages.length < 2) return error('is not multi-stage (a build stage and a runtime stage)');
  const [build, runtime] = [stages[0]!, stages.at(-1)!];
  const runs = build.lines.filter((l) => l.startsWith('RUN ')).map((l) => l.slice(4).trim());
  const ci = new Set(facts.ciCommands);
  const npmCi = runs.find((r) => r.startsWith('npm ci'));
  if (!npmCi) error('the build stage does not run npm ci');
  else if (!ci.has(npmCi))
    error(
      `the build stage runs "${npmCi}", which .ci/run does not (CI: ${facts.ciCommands.filter((c) => c.startsWith('npm ci')).join(', ') || 'none'})`,
    );
  if (!runs.includes('npm run build')) error('the build stage does not run npm run build');
  else if (!ci.has('npm run build')) (facts.hasBuild ? error : warn)('.ci/run does not run "npm run build", which the build stage runs');
  if (!runs.some((r) => /^npm (prune --omit=dev|ci --omit=dev)/.test(r)))
    error('the build stage keeps the development packages (npm prune --omit=dev)');

  const user = runtime.lines
    .find((l) => l.startsWith('USER '))
    ?.slice(5)
    .trim();
  if (!user || !/^[1-9]\d*(:\d+)?$/.test(user)) error(`the runtime stage's USER (${user ?? 'none'}) is not a numeric non-root user`);
  const health = runtime.lines.find((l) => l.startsWith('HEALTHCHECK '));
  if (!health || !health.includes('/health')) error('the runtime stage has no HEALTHCHECK on /health');
  for (const wanted of ['/app/dist', '/app/node_modules', '/app/schema', '/app/package.json']) {
    if (!runtime.lines.some((l) => l.startsWith('COPY ') && l.includes(`--from=${build.name}`) && l.includes(wanted)))
      error(`the runtime stage does not copy ${wanted} from the build stage`);
  }
  const readByAny = new Set([...facts.envRead.values()].flatMap((s) => [...s]));
  for (const l of runtime.lines.filter((x) => x.startsWith('ENV '))) {
    for (const m of l.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=/g))
      if (!readByAny.has(m[1]!)) error(`ENV ${m[1]} is read by no process of the graph`);
  }
  const cmd = runtime.lines.find((l) => l.startsWith('CMD '));
  let command: string[] | undefined;
  try {
    command = cmd ? (JSON.parse(cmd.slice(4)) as string[]) : undefined;
  } catch {
    error('CMD is not in exec form');
  }
  const entry = entrypointOf(command, 'CMD', error);
  if (entry && entry.component.kind !== 'gateway') error('CMD does not start the gateway');
}

// ---------------------------------------------------------------- compose

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string };
  volumes?: (string | { type?: string; source?: string })[];
  ports?: unknown[];
}

function composeEnv(service: ComposeService): Map<string, string | undefined> {
  const env = new Map<string, string | undefined>();
  if (Array.isArray(service.environment)) {
    for (const item of service.environment) {
      const at = item.indexOf('=');
      env.set(at < 0 ? item : item.slice(0, at), at < 0 ? undefined : item.slice(at + 1));
    }
  } else for (const [k, v] of Object.entries(service.environment ?? {})) env.set(k, v === null || v === undefined ? undefined : String(v));
  return env;
}

/** Returns the compose services running the gateway, for the Prometheus check. */
function checkCompose(
  root: string,
  facts: CodeFacts,
  error: Report,
  entrypointOf: (c: string[] | undefined, w: string, e: Report) => Entrypoint | undefined,
  counted: { composeServices: number },
): string[] {
  const path = join(root, 'compose.yaml');
  if (!existsSync(path)) {
    error('missing');
    return [];
  }
  let doc: { services?: Record<string, ComposeService>; volumes?: Record<string, unknown> };
  try {
    doc = parseYamlDocuments(readFileSync(path, 'utf8'), 'compose.yaml')[0] as typeof doc;
  } catch (e) {
    error((e as Error).message);
    return [];
  }
  const services = doc.services ?? {};
  counted.composeServices = Object.keys(services).length;
  const components = new Map<string, Component>();
  const imageOf = (s: ComposeService) => parseImage((s.image ?? '').replace(/\$\{[^}]*\}/g, 'x')).name;
  for (const [name, service] of Object.entries(services)) {
    if (!service.image && !service.build) error(`service ${name} has neither image nor build`);
    if (imageOf(service) !== facts.imageName) continue;
    const command = typeof service.command === 'string' ? service.command.split(/\s+/) : service.command;
    const entry = entrypointOf(command ?? ['node', 'dist/gateway/main.js'], `service ${name}`, error);
    if (entry) components.set(name, entry.component);
  }
  if (![...Object.values(services)].some((s) => imageOf(s) === facts.imageName && s.build))
    error(`no service builds the ${facts.imageName} image`);

  const validConditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
  const migrateServices = [...components].filter(([, c]) => c.kind === 'migrate').map(([n]) => n);
  if (!migrateServices.length) error('no service runs the migrations (node dist/scripts/migrate.js)');
  for (const [name, service] of Object.entries(services)) {
    const deps = Array.isArray(service.depends_on)
      ? Object.fromEntries(service.depends_on.map((d) => [d, { condition: 'service_started' }]))
      : (service.depends_on ?? {});
    for (const [dep, spec] of Object.entries(deps)) {
      const condition = spec?.condition ?? 'service_started';
      if (!services[dep]) error(`service ${name} depends on ${dep}, which does not exist`);
      else if (!validConditions.has(condition)) error(`service ${name}: depends_on ${dep} has an unknown condition ${condition}`);
      else if (condition === 'service_healthy' && !services[dep].healthcheck)
        error(`service ${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      else if (condition === 'service_completed_successfully' && components.get(dep)?.kind !== 'migrate')
        error(`service ${name} waits for ${dep} to complete, but ${dep} is not the migration`);
    }
    const component = components.get(name);
    if (component?.kind === 'subgraph' && !migrateServices.some((m) => deps[m]?.condition === 'service_completed_successfully')) {
      error(`service ${name} does not wait for the migrations (depends_on: {migrate: {condition: service_completed_successfully}})`);
    }
    if (component && component.kind !== 'migrate') {
      const test = [service.healthcheck?.test ?? []].flat().join(' ');
      if (!/\/(health|ready)\b/.test(test)) error(`service ${name} has no healthcheck on /health or /ready`);
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
      if (source.startsWith('.') && !existsSync(join(root, source))) error(`service ${name} mounts ${source}, which does not exist`);
      if (!source.startsWith('.') && !source.startsWith('/') && source && !(doc.volumes && source in doc.volumes))
        error(`service ${name} mounts the volume ${source}, which is not declared`);
    }
  }

  const resolveService = (host: string, port: number): string | undefined => {
    const c = components.get(host);
    return c?.kind === 'subgraph' && expectedPort(facts, c) === port ? c.name : undefined;
  };
  for (const [name, component] of components) {
    checkWorkload(
      { where: `service ${name}`, component, env: composeEnv(services[name]!), imageName: imageOf(services[name]!) },
      facts,
      error,
      resolveService,
    );
  }
  for (const s of facts.subgraphs)
    if (![...components.values()].some((c) => c.kind === 'subgraph' && c.name === s.name)) error(`no service runs the ${s.name} subgraph`);
  const gateways = [...components].filter(([, c]) => c.kind === 'gateway').map(([n]) => n);
  if (gateways.length < 2) error(`${gateways.length} gateway service(s); the topology has two replicas behind nginx`);

  // nginx: its upstream is exactly the gateway services, on the gateway's port.
  const nginx = Object.entries(services).find(([, s]) => (s.image ?? '').startsWith('nginx'));
  if (!nginx) error('no nginx service in front of the gateways');
  else {
    const conf = (nginx[1].volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':')[0]! : (v.source ?? '')))
      .find((s) => s.endsWith('nginx.conf'));
    if (!conf || !existsSync(join(root, conf))) error(`service ${nginx[0]} mounts no nginx.conf`);
    else {
      const text = readFileSync(join(root, conf), 'utf8');
      const confName = conf.replace(/^\.\//, '');
      const upstream = /upstream\s+\w+\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
      const servers = [...upstream.matchAll(/server\s+([\w.-]+):(\d+)/g)].map((m) => ({ host: m[1]!, port: Number(m[2]) }));
      for (const s of servers) {
        if (!gateways.includes(s.host)) error(`${confName}: upstream server ${s.host} is not a gateway service`);
        if (s.port !== facts.gatewayPort)
          error(`${confName}: upstream server ${s.host}:${s.port} is not on the gateway's port ${facts.gatewayPort}`);
      }
      for (const g of gateways) if (!servers.some((s) => s.host === g)) error(`${confName}: gateway service ${g} is not in the upstream`);
      if (!/proxy_set_header\s+X-Forwarded-For\s+\$remote_addr\s*;/.test(text))
        error(`${confName}: X-Forwarded-For must be replaced with $remote_addr (the gateway trusts its first address)`);
    }
  }
  return gateways;
}

// ---------------------------------------------------------------- Kubernetes

const labelsMatch = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  Boolean(selector && Object.keys(selector).length) && Object.entries(selector!).every(([k, v]) => labels?.[k] === v);

function podLabels(object: K8sObject): Record<string, string> | undefined {
  type Template = { template?: { metadata?: { labels?: Record<string, string> } } };
  const spec = object.spec as (Template & { jobTemplate?: { spec?: Template } }) | undefined;
  return (object.kind === 'CronJob' ? spec?.jobTemplate?.spec : spec)?.template?.metadata?.labels;
}

function checkKubernetes(
  root: string,
  _dir: string,
  objects: K8sObject[],
  facts: CodeFacts,
  error: Report,
  entrypointOf: (c: string[] | undefined, w: string, e: Report) => Entrypoint | undefined,
  isOverlay: boolean,
): void {
  const id = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
  for (const object of objects) for (const problem of validateObject(object)) error(`${id(object)}: ${problem}`);

  // The Secret the manifests read is kept out of the kustomization; its example lists the keys.
  const secretPath = join(root, SECRET_EXAMPLE);
  const secrets = objects.filter((o) => o.kind === 'Secret');
  if (existsSync(secretPath)) {
    for (const doc of parseYamlDocuments(readFileSync(secretPath, 'utf8'), SECRET_EXAMPLE)) {
      const secret = doc as K8sObject;
      for (const problem of validateObject(secret)) error(`${SECRET_EXAMPLE}: ${problem}`);
      for (const [key, value] of Object.entries((secret as { stringData?: Record<string, string> }).stringData ?? {})) {
        if (value !== 'REPLACE_ME') error(`${SECRET_EXAMPLE}: ${key} holds a value; the example keeps only REPLACE_ME placeholders`);
      }
      secrets.push(secret);
    }
  } else error(`${SECRET_EXAMPLE} is missing`);
  const configMaps = new Map(
    objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o as K8sObject & { data?: Record<string, string> }]),
  );
  for (const [name, cm] of configMaps) {
    const size = Object.entries(cm.data ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > MAX_CONFIGMAP_BYTES) error(`ConfigMap/${name}: ${size} bytes, over the 1 MiB a ConfigMap holds`);
  }

  const workloads = objects.filter(
    (o) => podSpecOf(o) && ['Deployment', 'Job', 'StatefulSet', 'DaemonSet', 'Pod', 'CronJob'].includes(o.kind),
  );
  const services = objects.filter((o) => o.kind === 'Service');
  const componentOf = new Map<K8sObject, Component>();
  const portOf = (container: Container, port: number | string | undefined): number | undefined =>
    typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;

  // First which component each workload runs (URLs are checked against the others).
  const entries = new Map<Container, Entrypoint | undefined>();
  for (const workload of workloads) {
    for (const container of containersOf(workload)) {
      const entry = entrypointOf(
        [...(container.command ?? []), ...(container.args ?? [])],
        `${id(workload)} container ${container.name}`,
        error,
      );
      entries.set(container, entry);
      if (entry) componentOf.set(workload, entry.component);
    }
  }

  for (const workload of workloads) {
    const pod = podSpecOf(workload)!;
    const podSecurity = (pod.securityContext ?? {}) as Record<string, unknown>;
    for (const container of containersOf(workload)) {
      const where = `${id(workload)} container ${container.name}`;
      const entry = entries.get(container);
      if (!entry) continue;
      const image = parseImage(container.image ?? '');
      const imageName = isOverlay ? (image.name.split('/').at(-1) ?? '') : image.name;
      if (isOverlay && (!image.tag || image.tag === 'latest') && !image.digest)
        error(`${where}: image ${container.image} has no release tag`);
      if (isOverlay && !(container.env ?? []).some((e) => e.name === 'NODE_ENV' && e.value === 'production'))
        error(`${where}: NODE_ENV=production is not set`);

      const env = new Map<string, string | undefined>();
      for (const e of container.env ?? []) {
        env.set(e.name, e.value);
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          const secret = secrets.find((s) => s.metadata.name === ref.name) as
            { stringData?: Record<string, string>; data?: Record<string, string> } | undefined;
          if (!secret) error(`${where}: ${e.name} reads Secret ${ref.name}, which neither the manifests nor ${SECRET_EXAMPLE} define`);
          else if (!ref.optional && !(ref.key in { ...secret.data, ...secret.stringData }))
            error(`${where}: ${e.name} reads key ${ref.key} of Secret ${ref.name}, which it does not list`);
        }
        const cmRef = e.valueFrom?.configMapKeyRef;
        if (cmRef && !cmRef.optional && !(cmRef.key in (configMaps.get(cmRef.name)?.data ?? {})))
          error(`${where}: ${e.name} reads ${cmRef.name}/${cmRef.key}, which does not exist`);
      }
      if (container.envFrom?.length) error(`${where}: envFrom hides which settings are set; list them under env`);
      checkWorkload({ where, component: entry.component, env, imageName }, facts, error, (host, port) => {
        const service = services.find((s) => s.metadata.name === host);
        const spec = service?.spec as { selector?: Record<string, string>; ports?: { port: number }[] } | undefined;
        if (!spec?.ports?.some((p) => p.port === port)) return undefined;
        const target = workloads.find((w) => labelsMatch(spec.selector, podLabels(w)));
        const c = target && componentOf.get(target);
        return c?.kind === 'subgraph' ? c.name : undefined;
      });

      const security = container.securityContext ?? {};
      if (!(security.runAsNonRoot ?? podSecurity.runAsNonRoot)) error(`${where}: runAsNonRoot is not set`);
      if (security.readOnlyRootFilesystem !== true) error(`${where}: readOnlyRootFilesystem is not true`);
      if (security.allowPrivilegeEscalation !== false) error(`${where}: allowPrivilegeEscalation is not false`);
      if (!((security.capabilities as { drop?: string[] } | undefined)?.drop ?? []).includes('ALL'))
        error(`${where}: capabilities are not dropped (drop: [ALL])`);
      for (const kind of ['requests', 'limits'] as const)
        for (const r of ['cpu', 'memory']) if (!container.resources?.[kind]?.[r]) error(`${where}: no ${r} ${kind.slice(0, -1)}`);

      const expected = expectedPort(facts, entry.component);
      if (expected === undefined) continue; // the migration serves nothing
      if (!container.ports?.some((p) => p.containerPort === expected)) error(`${where}: does not expose port ${expected}`);
      const served = entry.component.kind === 'gateway' ? facts.routes.gateway : facts.routes.subgraph;
      const probe = (name: 'livenessProbe' | 'readinessProbe', path: string) => {
        const p: Probe | undefined = container[name];
        if (!p?.httpGet) return error(`${where}: no ${name} (HTTP GET ${path})`);
        if (p.httpGet.path !== path) error(`${where}: ${name} asks ${p.httpGet.path}, expected ${path}`);
        if (!served.has(p.httpGet.path ?? ''))
          error(`${where}: ${name} asks ${p.httpGet.path}, which the ${entry.component.kind} does not serve`);
        if (portOf(container, p.httpGet.port) !== expected) error(`${where}: ${name} is not on port ${expected}`);
      };
      probe('livenessProbe', '/health');
      // Readiness is /ready wherever the process serves it (the gateway; subgraphs answer /health only).
      probe('readinessProbe', served.has('/ready') ? '/ready' : '/health');
      if (container.startupProbe?.httpGet && !served.has(container.startupProbe.httpGet.path ?? ''))
        error(`${where}: startupProbe asks a path the process does not serve`);

      for (const mount of container.volumeMounts ?? []) {
        const volume = (pod.volumes as { name: string; configMap?: { name: string } }[] | undefined)?.find((v) => v.name === mount.name);
        if (!volume) error(`${where}: mounts ${mount.name}, which is not a volume of the pod`);
        else if (volume.configMap && !configMaps.has(volume.configMap.name))
          error(`${where}: volume ${mount.name} is ConfigMap ${volume.configMap.name}, which the manifests do not define`);
      }
      if (entry.component.kind === 'gateway') {
        const supergraph = env.get('SUPERGRAPH_PATH');
        if (supergraph) {
          const mount = container.volumeMounts?.find((m) => supergraph.startsWith(`${m.mountPath}/`));
          const volume =
            mount && (pod.volumes as { name: string; configMap?: { name: string } }[] | undefined)?.find((v) => v.name === mount.name);
          const key = mount && supergraph.slice(mount.mountPath.length + 1);
          if (!volume?.configMap || !key || !(key in (configMaps.get(volume.configMap.name)?.data ?? {})))
            error(`${where}: SUPERGRAPH_PATH=${supergraph} is not a file of a mounted ConfigMap`);
        }
      }
    }
  }

  // What must exist, per component.
  const byComponent = (key: string, kind: string) =>
    workloads.filter((w) => w.kind === kind && componentOf.get(w) && componentKey(componentOf.get(w)!) === key);
  const gatewayDeployments = byComponent('gateway', 'Deployment');
  if (gatewayDeployments.length !== 1) error(`${gatewayDeployments.length} Deployments run the gateway; expected one`);
  for (const s of facts.subgraphs)
    if (byComponent(`subgraph:${s.name}`, 'Deployment').length !== 1) error(`no single Deployment runs the ${s.name} subgraph`);
  if (!byComponent('migrate', 'Job').length) error('no Job runs the migrations (node dist/scripts/migrate.js)');

  for (const deployment of workloads.filter((w) => w.kind === 'Deployment' && componentOf.get(w))) {
    const component = componentOf.get(deployment)!;
    const labels = podLabels(deployment);
    const selector = (deployment.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels;
    if (!labelsMatch(selector, labels)) error(`${id(deployment)}: its selector does not match its pod labels`);
    const service = services.find((s) => labelsMatch((s.spec as { selector?: Record<string, string> }).selector, labels));
    const port = expectedPort(facts, component)!;
    if (!service) error(`${id(deployment)}: no Service selects its pods`);
    else {
      const ports = (service.spec as { ports?: { port: number; targetPort?: number | string }[] }).ports ?? [];
      const container = containersOf(deployment)[0]!;
      if (!ports.some((p) => p.port === port && portOf(container, p.targetPort ?? p.port) === port))
        error(`${id(service)}: does not serve port ${port} onto the container's port ${port}`);
    }
    const pdb = objects.find(
      (o) =>
        o.kind === 'PodDisruptionBudget' &&
        labelsMatch((o.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels, labels),
    );
    if (!pdb) error(`${id(deployment)}: no PodDisruptionBudget covers its pods`);
    if (component.kind === 'gateway') {
      const hpa = objects.find(
        (o) =>
          o.kind === 'HorizontalPodAutoscaler' &&
          (o.spec as { scaleTargetRef?: { kind: string; name: string } }).scaleTargetRef?.name === deployment.metadata.name,
      );
      if (!hpa) error(`${id(deployment)}: no HorizontalPodAutoscaler scales it`);
      else if (hpa.apiVersion !== 'autoscaling/v2') error(`${id(hpa)}: use autoscaling/v2`);
    }
  }
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const ref = (hpa.spec as { scaleTargetRef?: { kind: string; name: string } }).scaleTargetRef;
    if (!objects.some((o) => o.kind === ref?.kind && o.metadata.name === ref?.name))
      error(`${id(hpa)}: scales ${ref?.kind}/${ref?.name}, which does not exist`);
  }

  // Network: by default nothing reaches the graph's pods; a subgraph is reached only by the
  // gateway and by the subgraphs whose code calls it.
  type Policy = {
    podSelector?: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
    ingress?: { from?: { podSelector?: { matchLabels?: Record<string, string> } }[]; ports?: { port?: number | string }[] }[];
  };
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => ({ object: o, spec: o.spec as Policy }));
  const nameLabel = 'app.kubernetes.io/name';
  const denies = policies.filter((p) => !p.spec.ingress?.length && (p.spec.policyTypes ?? []).includes('Ingress'));
  for (const workload of workloads.filter((w) => componentOf.get(w))) {
    const labels = podLabels(workload);
    if (!denies.some((p) => labelsMatch(p.spec.podSelector?.matchLabels, labels)))
      error(`${id(workload)}: no default-deny NetworkPolicy selects its pods`);
  }
  for (const s of facts.subgraphs) {
    const deployment = byComponent(`subgraph:${s.name}`, 'Deployment')[0];
    if (!deployment) continue;
    const rules = policies
      .filter((p) => labelsMatch(p.spec.podSelector?.matchLabels, podLabels(deployment)))
      .flatMap((p) => p.spec.ingress ?? []);
    const allowed = new Set<string>();
    for (const rule of rules) {
      if (!rule.from?.length) error(`NetworkPolicy: the ${s.name} subgraph takes ingress from anywhere`);
      if (rule.ports?.length && !rule.ports.some((p) => p.port === s.port))
        error(`NetworkPolicy: a rule for ${s.name} does not open its port ${s.port}`);
      for (const peer of rule.from ?? []) {
        const peerName = peer.podSelector?.matchLabels?.[nameLabel];
        if (!peerName) error(`NetworkPolicy: ${s.name} admits a peer that is not one named pod (${JSON.stringify(peer)})`);
        else allowed.add(peerName);
      }
    }
    const gatewayName = gatewayDeployments[0] && podLabels(gatewayDeployments[0])?.[nameLabel];
    const needed = new Set([
      gatewayName ?? 'gateway',
      ...facts.subgraphs
        .filter((o) => o.calls.includes(s.name))
        .map((o) => podLabels(byComponent(`subgraph:${o.name}`, 'Deployment')[0] ?? deployment)?.[nameLabel] ?? o.name),
    ]);
    for (const n of needed)
      if (!allowed.has(n))
        error(`NetworkPolicy: ${n} cannot reach the ${s.name} subgraph, but must (gateway, or its code calls ${s.name})`);
    for (const n of allowed)
      if (!needed.has(n)) error(`NetworkPolicy: ${n} may reach the ${s.name} subgraph, but nothing in the code needs it`);
  }
}

// ---------------------------------------------------------------- Prometheus and Grafana

function checkPrometheus(root: string, facts: CodeFacts, composeGateways: string[], error: Report): void {
  const path = join(root, 'deploy/prometheus/prometheus.yml');
  if (!existsSync(path)) return error('missing');
  const doc = parseYamlDocuments(readFileSync(path, 'utf8'), 'prometheus.yml')[0] as {
    scrape_configs?: {
      job_name?: string;
      metrics_path?: string;
      static_configs?: { targets?: string[] }[];
      kubernetes_sd_configs?: unknown[];
    }[];
  };
  const jobs = doc.scrape_configs ?? [];
  if (!jobs.length) error('no scrape_configs');
  for (const job of jobs) {
    const metricsPath = job.metrics_path ?? '/metrics';
    if (!facts.routes.gateway.has(metricsPath)) error(`job ${job.job_name}: the gateway does not serve ${metricsPath}`);
    if (!job.static_configs && !job.kubernetes_sd_configs) error(`job ${job.job_name}: no targets`);
    for (const target of (job.static_configs ?? []).flatMap((c) => c.targets ?? [])) {
      const [host, port] = target.split(':');
      if (!composeGateways.includes(host ?? '')) error(`job ${job.job_name}: target ${target} is not a gateway service of compose.yaml`);
      if (Number(port) !== facts.gatewayPort)
        error(`job ${job.job_name}: target ${target} is not on the gateway's port ${facts.gatewayPort}`);
    }
  }
  for (const g of composeGateways)
    if (!jobs.some((j) => (j.static_configs ?? []).some((c) => (c.targets ?? []).some((t) => t.startsWith(`${g}:`)))))
      error(`the compose gateway ${g} is not scraped`);
}

const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'histogram_quantile',
  'clamp_min',
  'clamp_max',
  'abs',
  'round',
  'vector',
  'scalar',
  'time',
  'label_replace',
  'label_join',
  'max_over_time',
  'min_over_time',
  'avg_over_time',
  'sum_over_time',
  'changes',
  'resets',
  'absent',
  'inf',
  'nan',
]);

/** Metric names in a PromQL expression (labels, functions, durations and Grafana variables left out). */
export function metricsInPromQL(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\w+/g, '');
  return [...stripped.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![a-zA-Z0-9_:]|\s*\()/g)]
    .map((m) => m[1]!)
    .filter((w) => !PROMQL_WORDS.has(w.toLowerCase()));
}

function checkDashboard(root: string, facts: CodeFacts, error: Report): void {
  const path = join(root, 'deploy/grafana/volunteer-graph.json');
  if (!existsSync(path)) return error('missing');
  let dashboard: unknown;
  try {
    dashboard = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return error(`not JSON: ${(e as Error).message}`);
  }
  const exprs: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        if (k === 'expr' && typeof v === 'string') exprs.push(v);
        else walk(v);
      }
  };
  walk(dashboard);
  if (!exprs.length) error('no queries');
  const used = new Set(exprs.flatMap(metricsInPromQL));
  for (const name of used) if (!facts.metricNames.has(name)) error(`metric ${name} is not one the gateway exposes (gateway/metrics.ts)`);
  for (const name of REQUIRED_DASHBOARD_METRICS) if (!used.has(name)) error(`no panel shows ${name}`);
  for (const q of ['0.5', '0.99'])
    if (!exprs.some((e) => e.includes(`histogram_quantile(${q},`) && e.includes('graphql_request_duration_seconds_bucket')))
      error(`no p${Number(q) * 100} of graphql_request_duration_seconds`);
}

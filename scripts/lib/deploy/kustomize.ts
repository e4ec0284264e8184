import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The part of kustomize that deploy/k8s uses, so that `npm run deploy:check`
 * renders the manifests without kubectl: `resources` (files and folders with a
 * kustomization), `configMapGenerator` (files and literals, without the name
 * hash), `patches` (strategic merge or JSON 6902, with an optional `target`),
 * `images` and `namespace`. Anything else in a kustomization is refused rather
 * than silently ignored.
 */
export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
};

export class KustomizeError extends Error {}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'configMapGenerator', 'patches', 'images', 'namespace', 'generatorOptions']);

interface PatchTarget {
  kind?: string;
  name?: string;
  labelSelector?: string;
}
interface Kustomization {
  resources?: string[];
  configMapGenerator?: { name: string; files?: string[]; literals?: string[]; options?: { disableNameSuffixHash?: boolean } }[];
  patches?: { path?: string; patch?: string; target?: PatchTarget }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  namespace?: string;
  generatorOptions?: { disableNameSuffixHash?: boolean };
}

/** Parses every YAML document of a text; null documents are dropped. */
export function parseYamlDocuments(text: string, origin: string): unknown[] {
  const docs = parseAllDocuments(text, { merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.flatMap((doc) => {
    if (doc.errors.length) throw new KustomizeError(`${origin}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    return value === null || value === undefined ? [] : [value];
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asK8sObject(value: unknown, origin: string): K8sObject {
  if (
    !isObject(value) ||
    typeof value.apiVersion !== 'string' ||
    typeof value.kind !== 'string' ||
    !isObject(value.metadata) ||
    typeof value.metadata.name !== 'string'
  ) {
    throw new KustomizeError(`${origin}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
  }
  return value as K8sObject;
}

/** Renders the kustomization in `dir` (the folder holding kustomization.yaml). */
export function renderKustomization(dir: string): K8sObject[] {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new KustomizeError(`${dir}: no kustomization.yaml`);
  const [raw] = parseYamlDocuments(readFileSync(file, 'utf8'), file);
  if (!isObject(raw)) throw new KustomizeError(`${file}: not a mapping`);
  for (const key of Object.keys(raw))
    if (!SUPPORTED.has(key)) throw new KustomizeError(`${file}: "${key}" is not supported by deploy:check's renderer`);
  const k = raw as Kustomization;

  const objects: K8sObject[] = [];
  for (const resource of k.resources ?? []) {
    const path = resolve(dir, resource);
    if (!existsSync(path)) throw new KustomizeError(`${file}: resource ${resource} does not exist`);
    if (statSync(path).isDirectory()) objects.push(...renderKustomization(path));
    else objects.push(...parseYamlDocuments(readFileSync(path, 'utf8'), path).map((d, i) => asK8sObject(d, `${path} #${i + 1}`)));
  }
  for (const generator of k.configMapGenerator ?? []) objects.push(generateConfigMap(dir, file, generator, k.generatorOptions));
  for (const patch of k.patches ?? []) applyPatch(objects, dir, file, patch);
  for (const image of k.images ?? []) setImage(objects, image);
  if (k.namespace) for (const object of objects) if (object.kind !== 'Namespace') object.metadata.namespace = k.namespace;
  assertUnique(objects, file);
  return objects;
}

function assertUnique(objects: K8sObject[], file: string): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw new KustomizeError(`${file}: ${o.kind} ${o.metadata.name} is defined twice`);
    seen.add(id);
  }
}

function generateConfigMap(
  dir: string,
  file: string,
  generator: NonNullable<Kustomization['configMapGenerator']>[number],
  options: Kustomization['generatorOptions'],
): K8sObject {
  if (!(generator.options?.disableNameSuffixHash ?? options?.disableNameSuffixHash)) {
    throw new KustomizeError(
      `${file}: configMapGenerator ${generator.name} needs options.disableNameSuffixHash (the renderer does not rewrite hashed names)`,
    );
  }
  const data: Record<string, string> = {};
  for (const entry of generator.files ?? []) {
    const [key, path] = entry.includes('=') ? (entry.split('=', 2) as [string, string]) : [basename(entry), entry];
    const full = resolve(dir, path);
    if (!existsSync(full)) throw new KustomizeError(`${file}: configMapGenerator ${generator.name}: ${path} does not exist`);
    data[key] = readFileSync(full, 'utf8');
  }
  for (const literal of generator.literals ?? []) {
    const at = literal.indexOf('=');
    if (at < 1) throw new KustomizeError(`${file}: literal "${literal}" is not key=value`);
    data[literal.slice(0, at)] = literal.slice(at + 1);
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data };
}

function matches(object: K8sObject, target: PatchTarget): boolean {
  // As kustomize does, kind and name are regular expressions anchored at both ends.
  if (target.kind && !new RegExp(`^(?:${target.kind})$`).test(object.kind)) return false;
  if (target.name && !new RegExp(`^(?:${target.name})$`).test(object.metadata.name)) return false;
  if (target.labelSelector) {
    const labels = object.metadata.labels ?? {};
    for (const term of target.labelSelector.split(',')) {
      const [key, value] = term.split('=').map((s) => s.trim());
      if (!key || labels[key] !== value) return false;
    }
  }
  return true;
}

function applyPatch(objects: K8sObject[], dir: string, file: string, patch: NonNullable<Kustomization['patches']>[number]): void {
  const origin = patch.path ? resolve(dir, patch.path) : `${file} (inline patch)`;
  const text = patch.path ? readFileSync(origin, 'utf8') : (patch.patch ?? '');
  const docs = parseYamlDocuments(text, origin);
  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (!patch.target) throw new KustomizeError(`${origin}: a JSON 6902 patch needs a target`);
    const targets = objects.filter((o) => matches(o, patch.target!));
    if (!targets.length) throw new KustomizeError(`${origin}: no object matches the target ${JSON.stringify(patch.target)}`);
    for (const object of targets) applyJson6902(object, docs[0] as Json6902Op[], origin);
    return;
  }
  for (const doc of docs) {
    const smp = asK8sObject(doc, origin);
    const target: PatchTarget = patch.target ?? { kind: smp.kind, name: smp.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') };
    const targets = objects.filter((o) => matches(o, target));
    if (!targets.length) throw new KustomizeError(`${origin}: no ${smp.kind} ${smp.metadata.name} to patch`);
    for (const object of targets) {
      const { metadata, ...rest } = smp;
      const { name: _name, ...metadataRest } = metadata;
      const merged = strategicMerge(object, { ...rest, metadata: metadataRest }, '') as K8sObject;
      for (const key of Object.keys(object)) delete object[key];
      Object.assign(object, merged);
    }
  }
}

/** Lists merged by a key instead of replaced, as the Kubernetes API declares them. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumes: 'name',
  imagePullSecrets: 'name',
};

function strategicMerge(base: unknown, patch: unknown, field: string): unknown {
  if (patch === null) return undefined;
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key || !Array.isArray(base)) return structuredClone(patch);
    const result = base.map((item) => structuredClone(item) as unknown);
    for (const item of patch) {
      const at = isObject(item) ? result.findIndex((b) => isObject(b) && b[key] === item[key]) : -1;
      if (at >= 0) result[at] = strategicMerge(result[at], item, '');
      else result.push(structuredClone(item));
    }
    return result;
  }
  if (isObject(patch)) {
    const result: Record<string, unknown> = isObject(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      const merged = strategicMerge(result[key], value, key);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
    return result;
  }
  return patch;
}

interface Json6902Op {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

function applyJson6902(object: K8sObject, ops: Json6902Op[], origin: string): void {
  for (const op of ops) {
    const parts = op.path
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    if (last === undefined) throw new KustomizeError(`${origin}: path "${op.path}" is not a JSON pointer`);
    let parent: unknown = object;
    for (const part of parts) {
      parent = Array.isArray(parent) ? parent[Number(part)] : isObject(parent) ? parent[part] : undefined;
      if (parent === undefined)
        throw new KustomizeError(`${origin}: ${op.op} ${op.path}: ${part} does not exist in ${object.kind} ${object.metadata.name}`);
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new KustomizeError(`${origin}: ${op.path}: bad index`);
      if (op.op === 'add') parent.splice(index, 0, structuredClone(op.value));
      else if (op.op === 'replace') parent[index] = structuredClone(op.value);
      else parent.splice(index, 1);
    } else if (isObject(parent)) {
      if (op.op !== 'add' && !(last in parent))
        throw new KustomizeError(`${origin}: ${op.op} ${op.path}: nothing there in ${object.kind} ${object.metadata.name}`);
      if (op.op === 'remove') delete parent[last];
      else parent[last] = structuredClone(op.value);
    } else {
      throw new KustomizeError(`${origin}: ${op.path}: parent is not a list or a mapping`);
    }
  }
}

/** The containers of any object that runs pods (Deployment, Job, Pod…). */
export function podSpecOf(object: K8sObject): Record<string, unknown> | undefined {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (object.kind === 'Pod') return spec;
  const template = (
    object.kind === 'CronJob' ? (spec.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template : spec.template
  ) as { spec?: Record<string, unknown> } | undefined;
  return template?.spec;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string; optional?: boolean };
      configMapKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }[];
  envFrom?: unknown[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface Probe {
  httpGet?: { path?: string; port: number | string };
}

export function containersOf(object: K8sObject): Container[] {
  const pod = podSpecOf(object);
  return [...((pod?.initContainers as Container[] | undefined) ?? []), ...((pod?.containers as Container[] | undefined) ?? [])];
}

/** Splits `registry/name:tag@digest` into its name and the rest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@') as [string, string | undefined];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

function setImage(objects: K8sObject[], image: NonNullable<Kustomization['images']>[number]): void {
  for (const object of objects) {
    for (const container of containersOf(object)) {
      if (!container.image) continue;
      const current = parseImage(container.image);
      if (current.name !== image.name) continue;
      const name = image.newName ?? current.name;
      const tag = image.newTag ?? current.tag;
      const digest = image.digest ?? (image.newTag ? undefined : current.digest);
      container.image = `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
    }
  }
}

/** For messages: a path relative to a root. */
export function relativeTo(root: string, path: string): string {
  const full = resolve(path);
  return full.startsWith(resolve(root)) ? full.slice(resolve(root).length + 1) : full;
}

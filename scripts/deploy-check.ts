/**
 * npm run deploy:check — checks the deployment files offline: the Kubernetes manifests
 * (deploy/k8s, rendered with the kustomize subset of scripts/lib/deploy/kustomize.ts)
 * against the Kubernetes object schemas, and the Dockerfile, compose.yaml, the manifests,
 * the Prometheus config and the Grafana dashboard against the code: the image, its
 * entrypoints, ports, settings, health routes, who calls whom, metric names.
 * Exits 1 on any error.
 */
import { fileURLToPath } from 'node:url';
import { deployCheck } from './lib/deploy/check.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = await deployCheck({ codeRoot: root });
for (const warning of report.warnings) console.warn(`warning: ${warning}`);
for (const error of report.errors) console.error(`error: ${error}`);
const { objects, composeServices, overlays } = report.counted;
const summary = `${objects} Kubernetes objects (${overlays.join(', ')}), ${composeServices} compose services`;
if (report.errors.length) {
  console.error(`deploy:check: ${report.errors.length} problem(s) in ${summary}`);
  process.exit(1);
}
console.log(`deploy:check: ${summary}, Dockerfile, Prometheus and Grafana agree with the code and the Kubernetes schemas`);

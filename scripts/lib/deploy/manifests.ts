import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as coreV1 from 'kubernetes-models/v1';
import type { K8sObject } from './kustomize.ts';

/**
 * Offline validation of Kubernetes objects against the API's OpenAPI schemas
 * (kubernetes-models: types, required fields, formats and enums; like the
 * API server, it does not refuse unknown fields, so the consistency checks
 * look for the fields that matter themselves).
 */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'autoscaling/v2': autoscalingV2,
  'policy/v1': policyV1,
  'networking.k8s.io/v1': networkingV1,
};

interface ValidationError {
  instancePath?: string;
  keyword?: string;
  params?: unknown;
  message?: string;
}

/** Problems of one object against its schema; [] when it is valid. */
export function validateObject(object: K8sObject): string[] {
  const group = MODELS[object.apiVersion];
  const Model = group?.[object.kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind} (supported: ${Object.keys(MODELS).join(', ')})`];
  try {
    new Model(structuredClone(object)).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: ValidationError[] }).errors;
    if (!errors?.length) return [(error as Error).message];
    return errors.map((e) => `${e.instancePath || '/'}: ${e.message ?? `${e.keyword ?? 'invalid'} ${JSON.stringify(e.params)}`}`);
  }
}

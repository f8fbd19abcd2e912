import { validateAgainstSchema } from '../generator/schema.js';
import type { KObject, Policy } from './engine/types.js';

/**
 * kustomize's secretGenerator wraps long base64 values over several lines; the API server's decoder
 * skips the line breaks, so the schema's "byte" format is checked on the value without them.
 */
function unwrapSecretData(object: KObject): KObject {
  const data = object.data;
  if (data === null || typeof data !== 'object') return object;
  const unwrapped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) unwrapped[k] = typeof v === 'string' ? v.replace(/\s+/g, '') : v;
  return { ...object, data: unwrapped };
}

export const schema: Policy = {
  id: 'schema',
  severity: 'error',
  description:
    'Every object is valid against its kind\'s schema: Kubernetes built-in kinds and the CRDs the project emits (ExternalSecret, SealedSecret, ServiceMonitor, Argo CD and Flux kinds). A kind with no known schema is a warning; an object without apiVersion, kind or metadata.name is an error.',
  remediation: 'Fix the field the message names (its JSON path is given), or use the apiVersion the kind is served at.',
  check({ object }) {
    const result = validateAgainstSchema(object.kind === 'Secret' ? unwrapSecretData(object) : object);
    if (result.ok) return [];
    if (result.unknownKind) return [{ message: `${result.message}; the object was not validated`, severity: 'warning' }];
    return [{ message: `fails its schema: ${result.message}` }];
  },
};

import { validateAgainstSchema } from '../../core/kube/validate-objects.js';
import type { Index } from '../lib/model.js';
import type { KObject, Policy } from '../lib/types.js';

/**
 * kustomize's secretGenerator wraps long base64 values over several lines; the API server's decoder
 * skips the line breaks, so the schema's "byte" format is checked on the value without them.
 */
function unwrapSecretData(object: KObject): KObject {
  const data = object.data;
  if (data === null || typeof data !== 'object') return object;
  const unwrapped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) unwrapped[k] = typeof v === 'string' ? v.replace(/\s/g, '') : v;
  return { ...object, data: unwrapped };
}

const unknownSaid = new WeakMap<Index, Set<string>>();

/**
 * Kinds with a schema that the Thanos rules do not model as what they run (prometheus-operator's
 * Prometheus, ThanosRuler and Alertmanager are; these are not): said once, so nothing is skipped silently.
 */
const NOT_MODELLED: Record<string, string> = {
  'monitoring.coreos.com/PrometheusAgent':
    'the Thanos rules do not model what the operator runs for a PrometheusAgent (its remote-write targets and external labels are not checked); only its schema and fields were',
};

/** True the first time `key` is said in this set. */
function firstTime(index: Index, key: string): boolean {
  let said = unknownSaid.get(index);
  if (!said) {
    said = new Set();
    unknownSaid.set(index, said);
  }
  if (said.has(key)) return false;
  said.add(key);
  return true;
}

/**
 * The CRDs: ExternalSecret, SealedSecret, ServiceMonitor, Argo CD and Flux kinds. A kind the Thanos rules do
 * not model (a prometheus-operator `PrometheusAgent`) is a warning too, once per kind; an object without
 * apiVersion, kind or metadata.name is an error.
 */
export const schema: Policy = {
  id: 'schema',
  severity: 'error',
  description:
    "Every object is valid against its kind's schema (built-in kinds and the CRDs the project emits); a kind without a known schema is a warning, once per kind.",
  remediation: 'Fix the field the message names (its JSON path is given), or use the apiVersion the kind is served at.',
  check({ object, index }) {
    // Stryker disable next-line ConditionalExpression: unwrapping is only needed for Secrets; other kinds' string data has no "byte" format, so unwrapping it too changes no verdict
    const result = validateAgainstSchema(object.kind === 'Secret' ? unwrapSecretData(object) : object);
    const groupKind = `${object.apiVersion.split('/')[0]}/${object.kind}`;
    const notModelled = NOT_MODELLED[groupKind];
    if (result.ok)
      return notModelled && firstTime(index, groupKind) ? [{ message: `${object.kind}: ${notModelled}`, severity: 'warning' }] : [];
    if (result.unknownKind) {
      // Said once per kind and set, on its first object: fifty objects of one unknown kind are one fact.
      if (!firstTime(index, `${object.apiVersion}/${object.kind}`)) return [];
      const count = index.ofKind(object.kind).filter((i) => i.object.apiVersion === object.apiVersion).length;
      return [
        {
          message: `${result.message}; ${count > 1 ? `the ${count} objects of this kind were` : 'the object was'} not validated, and no rule understands them`,
          severity: 'warning',
        },
      ];
    }
    return [{ message: `fails its schema: ${result.message}` }];
  },
};

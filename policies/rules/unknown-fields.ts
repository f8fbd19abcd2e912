import { asArray, asRecord, asString, type Index } from '../lib/model.js';
import { unknownFields } from '../lib/strict-fields.js';
import type { KObject, Policy } from '../lib/types.js';

/**
 * The prometheus-operator model package (4.4.4) predates fields current operator releases serve
 * (scrapeClasses, serviceName...): there an unknown field may be a newer one, so it is a warning.
 */
const OLDER_MODELS = /^monitoring\.coreos\.com\//;

/**
 * Unknown fields of a custom resource checked against its CustomResourceDefinition when the input
 * carries it, as the API server does: `properties` list the fields, `additionalProperties` and
 * `x-kubernetes-preserve-unknown-fields` leave an object open. Undefined when the CRD is not in the input.
 */
function unknownFieldsByCrd(index: Index, object: KObject, limit = 20): string[] | undefined {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const crd = index.ofKind('CustomResourceDefinition').find((i) => {
    const spec = asRecord(i.object.spec);
    return asString(spec?.group) === group && asString(asRecord(spec?.names)?.kind) === object.kind;
  });
  if (!crd) return undefined;
  const served = asArray(asRecord(crd.object.spec)?.versions)
    .map(asRecord)
    .find((v) => v?.name === version);
  const schema = asRecord(asRecord(served?.schema)?.openAPIV3Schema);
  if (!schema) return undefined;
  const out: string[] = [];
  const walk = (value: unknown, node: Record<string, unknown> | undefined, path: string): void => {
    if (!node || out.length >= limit || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, asRecord(node.items), `${path}[${i}]`);
      });
      return;
    }
    if (node['x-kubernetes-preserve-unknown-fields'] === true) return;
    const properties = asRecord(node.properties);
    const additional = node.additionalProperties;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}.${key}` : key;
      // apiVersion, kind and metadata are the API server's, not the CRD's to list.
      if (!path && ['apiVersion', 'kind', 'metadata'].includes(key)) continue;
      const sub = asRecord(properties?.[key]);
      if (sub) walk(child, sub, at);
      else if (additional !== undefined && additional !== false) walk(child, asRecord(additional), at);
      else if (properties) out.push(at);
    }
  };
  walk(object, schema, '');
  return out;
}

/**
 * Validated custom resources: ExternalSecret, SealedSecret, Argo CD, Flux; Argo CD's server-side apply is
 * strict too. A custom resource whose CustomResourceDefinition is in the input is checked against that CRD's
 * schema, as the API server does; otherwise prometheus-operator kinds are warnings (the model predates newer
 * operator fields). The allowed names come from policies/lib/strict-fields.json, generated from the
 * installed kubernetes-models declarations.
 */
export const unknownFieldsPolicy: Policy = {
  id: 'unknown-fields',
  severity: 'error',
  description:
    'Every field of a built-in kind or a validated custom resource exists in its schema, as `kubectl apply --validate=strict` requires; a misspelt field is otherwise dropped silently.',
  remediation:
    'Correct the field name (the message gives its path) or remove it; check the spelling and the level it belongs at with `kubectl explain <kind>.<path>`.',
  check({ object, index }) {
    // A CRD in the input is what the API server checks its resources against: it wins over the model.
    const byCrd = unknownFieldsByCrd(index, object);
    const fields = byCrd ?? unknownFields(object);
    if (fields.length === 0) return [];
    const warning = !byCrd && OLDER_MODELS.test(object.apiVersion);
    return fields.map((path) => ({
      message: `unknown field ${path}: ${object.apiVersion} ${object.kind} has no such field${warning ? ' in the prometheus-operator model this project has (a newer operator may)' : '; the API server rejects it under strict validation and drops it otherwise'}`,
      ...(warning ? { severity: 'warning' as const } : {}),
    }));
  },
};

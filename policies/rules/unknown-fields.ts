import { asArray, asRecord, asString, type Index } from '../lib/model.js';
import { unknownFields } from '../lib/strict-fields.js';
import { hasOperatorFields, operatorFieldProblems, PINNED_OPERATOR } from '../lib/operator-fields.js';
import type { Diagnostic, KObject, Policy } from '../lib/types.js';

const REJECTED =
  'the API server rejects it under strict validation (server-side apply, as Flux and the generated Argo CD Applications apply, and kubectl apply by default) and the sync fails';

/**
 * An operator resource's spec against the CRDs of the pinned operator release (its metadata against the
 * model): what no release up to the pinned one has is an error, what only a newer release has a warning.
 */
function operatorFindings(object: KObject): Diagnostic[] {
  const kind = `${object.apiVersion} ${object.kind}`;
  const out: Diagnostic[] = operatorFieldProblems(object).map((f) =>
    f.verdict === 'newer'
      ? {
          message: `field ${f.path}: ${kind} has it from prometheus-operator ${f.release}, newer than the ${PINNED_OPERATOR} this project pins, whose CRD rejects it; upgrade the operator (its config-reloader image in settings/versions.ts) or remove the field`,
          severity: 'warning' as const,
        }
      : {
          message: `unknown field ${f.path}: ${kind} ${f.verdict === 'removed' ? `lost it in prometheus-operator ${f.release}` : `has no such field in any prometheus-operator release up to ${PINNED_OPERATOR}, the one this project pins`}; ${REJECTED}.${f.suggestion ? ` Did you mean '${f.suggestion}'?` : ''}`,
        },
  );
  // Outside spec (metadata, a misplaced top-level key) the model knows as much as the CRD.
  for (const path of unknownFields(object).filter((p) => p !== 'spec' && !p.startsWith('spec.') && !p.startsWith('spec[')))
    out.push({ message: `unknown field ${path}: ${kind} has no such field; ${REJECTED}` });
  return out;
}

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
 * schema, as the API server does; prometheus-operator kinds are judged against the CRDs of the operator
 * release settings/versions.ts pins (core/reference/prometheus-operator-fields-by-version.json): a field
 * no release up to it has is an error with the nearest name, one only a newer release has a warning. The allowed names come from policies/lib/strict-fields.json, generated from the
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
    if (!byCrd && hasOperatorFields(object.apiVersion, object.kind)) return operatorFindings(object);
    // Every prometheus-operator kind the model package (4.4.4, older than the operator) knows is in the
    // operator reference and judged above, so what is left here is judged by a schema as current as the kind.
    return (byCrd ?? unknownFields(object)).map((path) => ({
      message: `unknown field ${path}: ${object.apiVersion} ${object.kind} has no such field; the API server rejects it under strict validation and drops it otherwise`,
    }));
  },
};

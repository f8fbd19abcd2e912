import { asArray, asRecord, asString, type Index } from './model.js';
import type { KObject } from './types.js';

/**
 * Unknown fields of a custom resource checked against its CustomResourceDefinition when the input
 * carries it, as the API server does: `properties` list the fields, `additionalProperties` and
 * `x-kubernetes-preserve-unknown-fields` leave an object open. Undefined when the CRD is not in the input.
 */
export function unknownFieldsByCrd(index: Index, object: KObject, limit = 20): string[] | undefined {
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

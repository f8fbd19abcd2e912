import table from './strict-fields.json' with { type: 'json' };
import { schemaKey } from '../../core/kube/validate-objects.js';
import type { FieldTable, FieldType } from '../build/strict-fields.js';

const TABLE = table as unknown as FieldTable;

/** Whether the field table knows this kind (it is validated strictly). */
export function hasFieldTable(apiVersion: string, kind: string): boolean {
  return schemaKey(apiVersion, kind) in TABLE.kinds;
}

/**
 * The paths of fields the kind's schema does not have (`spec.replica`,
 * `spec.template.spec.containers[0].imagePullPolcy`), at most `limit`; empty when the kind is unknown.
 */
export function unknownFields(object: Record<string, unknown>, limit = 20): string[] {
  const root = TABLE.kinds[schemaKey(String(object.apiVersion), String(object.kind))];
  if (root === undefined) return [];
  const out: string[] = [];
  const walk = (value: unknown, type: FieldType, path: string): void => {
    if (out.length >= limit || type === null || type === 'open' || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, type, `${path}[${i}]`));
      return;
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}.${key}` : key;
      const index = type[key];
      if (index === undefined) {
        out.push(at);
        if (out.length >= limit) return;
      } else {
        walk(child, TABLE.types[index], at);
      }
    }
  };
  walk(object, TABLE.types[root], '');
  return out;
}

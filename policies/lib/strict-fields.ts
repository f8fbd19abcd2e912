import table from './strict-fields.json' with { type: 'json' };
import { schemaKey } from '../../core/kube/validate-objects.js';

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
      value.forEach((item, i) => {
        walk(item, type, `${path}[${i}]`);
      });
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

/**
 * One type in the table: `null` is a leaf (a scalar, or a value not checked further), `"open"` a map
 * or free-form object (index signature, `{}`, `any`), an object lists its fields, each the index of
 * its type in `types` (arrays are their element's type).
 */
export type FieldType = null | 'open' | { readonly [field: string]: number };

export interface FieldTable {
  readonly note: string;
  /** Package name -> version the table was built from. */
  readonly packages: Record<string, string>;
  /** sha256 of every declaration file read: the drift test compares it with the installed packages without rebuilding. */
  readonly sources: string;
  /** "apiVersion/kind" -> the index of its top-level type. */
  readonly kinds: Record<string, number>;
  readonly types: FieldType[];
}

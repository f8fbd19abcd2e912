import { stringify as yamlStringify } from 'yaml';

/**
 * Deterministic YAML: keys sorted, no line folding (long flags and URLs stay on one line),
 * undefined values dropped. The same value always gives byte-identical text.
 */
export function stringify(value: unknown): string {
  return yamlStringify(dropUndefined(value), { sortMapEntries: true, lineWidth: 0, minContentWidth: 0 });
}

/** Plain data without undefined fields or class prototypes (model instances become plain objects). */
export function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue;
      out[key] = dropUndefined(inner);
    }
    return out;
  }
  return value;
}

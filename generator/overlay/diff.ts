/** One RFC 6902 operation, the form kustomize applies with `patches: [{ path, target }]`. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: unknown;
}

function pointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * The operations that turn `from` into `to`. Maps are compared key by key; lists of the same length
 * item by item, lists whose length changed are replaced whole (an index-based add/remove would be
 * correct too but unreadable). Deterministic: keys are visited in sorted order.
 */
export function jsonDiff(from: unknown, to: unknown, path = ''): JsonPatchOperation[] {
  if (deepEqual(from, to)) return [];
  if (isObject(from) && isObject(to)) {
    const ops: JsonPatchOperation[] = [];
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    for (const key of keys) {
      const at = `${path}/${pointer(key)}`;
      if (!(key in to)) ops.push({ op: 'remove', path: at });
      else if (!(key in from)) ops.push({ op: 'add', path: at, value: to[key] });
      else ops.push(...jsonDiff(from[key], to[key], at));
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    return from.flatMap((item, index) => jsonDiff(item, to[index], `${path}/${index}`));
  }
  return [{ op: 'replace', path, value: to }];
}

/** Applies operations the way kustomize does; used by the tests to prove a diff round-trips. */
export function applyJsonPatch(document: unknown, ops: readonly JsonPatchOperation[]): unknown {
  const root = structuredClone(document) as Record<string, unknown>;
  for (const op of ops) {
    const segments = op.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = segments.pop()!;
    let parent: Record<string, unknown> = root;
    for (const segment of segments) parent = parent[segment] as Record<string, unknown>;
    if (op.op === 'remove') delete parent[last];
    else parent[last] = structuredClone(op.value);
  }
  return root;
}

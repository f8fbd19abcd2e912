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

/** Lists that strategic merge patches merge by `name` and that a reviewer reads by name: the containers. */
const MERGED_BY_NAME = new Set(['containers', 'initContainers']);

/** Fields whose lists strategic merge patches merge item by item (patchMergeKey in the Kubernetes API). */
const MERGED_BY_KEY = new Set([
  'containers',
  'initContainers',
  'ephemeralContainers',
  'env',
  'ports',
  'volumeMounts',
  'volumeDevices',
  'volumes',
  'imagePullSecrets',
  'hostAliases',
  'topologySpreadConstraints',
  'resourceClaims',
]);

const names = (list: unknown[]): string[] | undefined =>
  list.every((item) => isObject(item) && typeof item.name === 'string') ? list.map((item) => (item as { name: string }).name) : undefined;

/**
 * A strategic-merge patch body that turns map `from` into `to`, naming what it changes: changed
 * keys only, a removed key as null; containers by name, each with only what differs (its whole
 * `args` list when a flag changed, so the diff reads `--retention.resolution-raw=90d` where it was
 * `=30d`); any other changed list whole (`$patch: replace` where kustomize would otherwise merge
 * list items by a key), so a position in a list never matters. Undefined when nothing differs.
 */
function strategicDiff(from: Record<string, unknown>, to: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    const a = from[key];
    const b = to[key];
    if (!(key in to)) out[key] = null;
    else if (!(key in from)) out[key] = b;
    else if (deepEqual(a, b)) continue;
    else if (isObject(a) && isObject(b)) out[key] = strategicDiff(a, b);
    else if (Array.isArray(a) && Array.isArray(b)) out[key] = strategicListDiff(key, a, b);
    else out[key] = b;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function strategicListDiff(key: string, from: unknown[], to: unknown[]): unknown[] {
  const before = names(from);
  const after = names(to);
  if (MERGED_BY_NAME.has(key) && before && after && deepEqual(before, after)) {
    return to.flatMap((item, index) => {
      const body = strategicDiff(from[index] as Record<string, unknown>, item as Record<string, unknown>);
      return body ? [{ ...body, name: (item as { name: string }).name }] : [];
    });
  }
  // Lists the Kubernetes schema merges by a key would keep base items the patch leaves out: say the
  // list is replaced. Any other list (args, volumeClaimTemplates, rules) is replaced by a patch anyway.
  return MERGED_BY_KEY.has(key) ? [{ $patch: 'replace' }, ...to] : to;
}

/**
 * The strategic-merge patch kustomize applies to turn object `from` into `to` (same kind and name):
 * apiVersion, kind and name identify the target, the rest is `strategicDiff`. Undefined when equal.
 */
// biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest YAML
export function strategicPatch(from: Record<string, any>, to: Record<string, any>): Record<string, unknown> | undefined {
  const body = strategicDiff(from, to);
  if (!body) return undefined;
  const metadata = isObject(body.metadata) ? body.metadata : {};
  return { ...body, apiVersion: to.apiVersion, kind: to.kind, metadata: { ...metadata, name: from.metadata.name } };
}

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';

/** The overlays a change touches, each with the reason it was chosen. */
export interface AffectedOverlays {
  readonly overlays: ReadonlyArray<{ readonly name: string; readonly reasons: readonly string[] }>;
  /** Overlays named by changed paths that no longer exist (deleted): nothing to check. */
  readonly removed: readonly string[];
  /** Changed paths that affect no overlay. */
  readonly unrelated: readonly string[];
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Changing these changes what every overlay renders to (or what the generator writes into them). */
const GLOBAL_PREFIXES: Array<[string, string]> = [
  ['generator/overlays.ts', 'the overlay registry changed'],
  ['generator/', 'the generator changed'],
  ['package-lock.json', 'the locked dependencies changed'],
];

/** Overlay folders on disk: overlays/<name>/ with a kustomization file. */
export function overlayNames(root: string): string[] {
  const dir = join(root, 'overlays');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => KUSTOMIZATION_FILES.some((file) => existsSync(join(dir, name, file))))
    .sort();
}

function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((file) => join(dir, file)).find((path) => existsSync(path));
}

/**
 * Every file and folder an overlay's render reads: its kustomization, the resources, components,
 * patches, generators' files and replacement sources it names, followed recursively into the
 * folders they point at. Paths are relative to `root`; folders end with '/'.
 */
export function dependencyClosure(root: string, overlayDir: string, cache: Map<string, ReadonlySet<string>> = new Map()): Set<string> {
  const inProgress = new Set<string>();
  // Overlays share their bases: each folder's closure is worked out once per run (cache), then reused.
  const closureOf = (dir: string): ReadonlySet<string> => {
    const known = cache.get(dir);
    if (known) return known;
    const closure = new Set<string>([`${relative(root, dir).split(sep).join('/')}/`]);
    if (inProgress.has(dir)) return closure; // a cycle: kustomize reports it
    inProgress.add(dir);
    for (const ref of references(dir)) {
      if (/^[a-z]+:\/\//.test(ref) || ref.startsWith('git@')) continue; // remote bases are outside the repo
      const target = normalize(join(dir, ref));
      if (!target.startsWith(root)) continue;
      if (existsSync(target) && statSync(target).isDirectory()) for (const path of closureOf(target)) closure.add(path);
      else closure.add(relative(root, target).split(sep).join('/'));
    }
    inProgress.delete(dir);
    cache.set(dir, closure);
    return closure;
  };
  return new Set(closureOf(overlayDir));
}

/** The paths a kustomization names: resources, components, patches, generator inputs, replacement sources. */
function references(dir: string): string[] {
  const file = kustomizationFile(dir);
  if (!file) return [];
  let doc: Record<string, unknown>;
  try {
    doc = (loadYaml(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }) ?? {}) as Record<string, unknown>;
  } catch {
    return []; // A kustomization that does not parse: its folder is in the closure; kustomize reports the error.
  }
  const refs: string[] = [];
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  refs.push(...strings(doc.resources), ...strings(doc.components), ...strings(doc.crds));
  for (const key of ['patches', 'replacements'] as const) {
    for (const entry of Array.isArray(doc[key]) ? (doc[key] as Array<Record<string, unknown>>) : []) {
      if (typeof entry?.path === 'string') refs.push(entry.path);
    }
  }
  for (const key of ['configMapGenerator', 'secretGenerator'] as const) {
    for (const entry of Array.isArray(doc[key]) ? (doc[key] as Array<Record<string, unknown>>) : []) {
      for (const source of [...strings(entry?.files), ...strings(entry?.envs), ...(typeof entry?.env === 'string' ? [entry.env] : [])]) {
        refs.push(source.includes('=') ? source.slice(source.indexOf('=') + 1) : source);
      }
    }
  }
  return refs;
}

function touches(closure: Set<string>, path: string): string | undefined {
  if (closure.has(path)) return path;
  let dir = dirname(path);
  while (dir !== '.' && dir !== '/') {
    if (closure.has(`${dir}/`)) return `${dir}/`;
    dir = dirname(dir);
  }
  return undefined;
}

/** Which overlays `changed` (paths relative to root) affect, and why. */
export function affectedOverlays(root: string, changed: readonly string[]): AffectedOverlays {
  const names = overlayNames(root);
  const cache = new Map<string, ReadonlySet<string>>();
  const closures = new Map(names.map((name) => [name, dependencyClosure(root, join(root, 'overlays', name), cache)]));
  const reasons = new Map<string, string[]>(names.map((name) => [name, []]));
  const removed = new Set<string>();
  const unrelated: string[] = [];
  for (const path of changed) {
    const global = GLOBAL_PREFIXES.find(([prefix]) => path === prefix || (prefix.endsWith('/') && path.startsWith(prefix)));
    if (global) {
      for (const name of names) reasons.get(name)!.push(`${path}: ${global[1]}`);
      continue;
    }
    let hit = false;
    for (const [name, closure] of closures) {
      const via = touches(closure, path);
      if (via) {
        hit = true;
        reasons.get(name)!.push(via === path ? `${path} is part of its render` : `${path} is under ${via}, which it renders`);
      }
    }
    const overlayMatch = /^overlays\/([^/]+)\//.exec(path);
    if (!hit && overlayMatch && !names.includes(overlayMatch[1])) {
      removed.add(overlayMatch[1]);
      hit = true;
    }
    if (!hit) unrelated.push(path);
  }
  return {
    overlays: names.filter((name) => reasons.get(name)!.length > 0).map((name) => ({ name, reasons: reasons.get(name)! })),
    removed: [...removed].sort(),
    unrelated,
  };
}

/** The first few reasons and how many more: a new overlay touches every one of its files. */
export function summarizeReasons(reasons: readonly string[], shown = 3): string {
  const head = reasons.slice(0, shown).join('; ');
  return reasons.length > shown ? `${head}; and ${reasons.length - shown} more changed path(s)` : head;
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { KUSTOMIZATION_FILES } from '../core/kube/kubectl.js';

/** The overlays a change touches, each with the reason it was chosen. */
export interface AffectedOverlays {
  readonly overlays: ReadonlyArray<{ readonly name: string; readonly reasons: readonly string[] }>;
  /** Overlays named by changed paths that no longer exist (deleted): nothing to check. */
  readonly removed: readonly string[];
  /** Changed paths that affect no overlay. */
  readonly unrelated: readonly string[];
  /** What else a reviewer should know about the selection (inputs that changed nothing, what could not be told). */
  readonly notes?: readonly string[];
}

/**
 * Changing these changes how every overlay is checked, though not what it renders to: `check`
 * selects every overlay for them, a rendered diff does not.
 */
const CHECK_PREFIXES: Array<[string, string]> = [
  ['policies/', 'the policies changed; every overlay is checked with them'],
  ['package-lock.json', 'the locked dependencies (schemas, YAML parsing) changed'],
];
/** Sources of generated files: explained by what they change in the generated files, see selectChanges. */
const GENERATOR_PREFIXES = ['generator/', 'settings/', 'core/', 'cli/', 'review/'];

export { overlayNames } from '../core/kube/kubectl.js';
import { overlayNames } from '../core/kube/kubectl.js';

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

export type SelectionPurpose = 'check' | 'render';

const underPrefix = (path: string, prefix: string) => path === prefix || (prefix.endsWith('/') && path.startsWith(prefix));

/**
 * Which overlays `changed` (paths relative to root) affect through what they render, and why.
 * Paths under generator/ are left to selectChanges (they matter through the files they generate);
 * with purpose 'check', policy and lockfile changes select every overlay.
 */
export function affectedOverlays(
  root: string,
  changed: readonly string[],
  purpose: SelectionPurpose = 'check',
): AffectedOverlays & {
  generatorSources: string[] /** Overlays chosen only through files they share with others (base/). */;
  sharedOnly: Set<string>;
} {
  const names = overlayNames(root);
  const cache = new Map<string, ReadonlySet<string>>();
  const closures = new Map(names.map((name) => [name, dependencyClosure(root, join(root, 'overlays', name), cache)]));
  const reasons = new Map<string, string[]>(names.map((name) => [name, []]));
  const removed = new Set<string>();
  const unrelated: string[] = [];
  const generatorSources: string[] = [];
  const decided = new Set<string>();
  for (const path of changed) {
    if (GENERATOR_PREFIXES.some((prefix) => underPrefix(path, prefix))) {
      generatorSources.push(path);
      continue;
    }
    const global = purpose === 'check' ? CHECK_PREFIXES.find(([prefix]) => underPrefix(path, prefix)) : undefined;
    if (global) {
      for (const name of names) reasons.get(name)!.push(`${path}: ${global[1]}`);
      for (const name of names) decided.add(name);
      continue;
    }
    let hit = false;
    for (const [name, closure] of closures) {
      const via = touches(closure, path);
      if (!via) continue;
      hit = true;
      const own = path.startsWith(`overlays/${name}/`);
      if (own) decided.add(name);
      reasons
        .get(name)!
        .push(
          own
            ? `${path} changed`
            : via === path
              ? `${path} changed (shared: part of its render)`
              : `${path} changed (shared: under ${via}, which it renders)`,
        );
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
    generatorSources,
    sharedOnly: new Set(names.filter((name) => reasons.get(name)!.length > 0 && !decided.has(name))),
  };
}

/** The first few reasons and how many more: a new overlay touches every one of its files. */
export function summarizeReasons(reasons: readonly string[], shown = 3): string {
  const head = reasons.slice(0, shown).join('; ');
  return reasons.length > shown ? `${head}; and ${reasons.length - shown} more changed path(s)` : head;
}

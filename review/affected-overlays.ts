import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { affectedOverlays, overlayNames, type AffectedOverlays, type SelectionPurpose } from './changed-paths.js';
import { changedPaths, resolveRef } from './git.js';
import { generatorChangesSince, INPUT_MODULES } from './generator-inputs.js';
import { renderKustomize } from '../core/kube/kubectl.js';
import { UserError } from '../core/errors.js';
import type { OverlayDefinition } from '../settings/schema/overlay-entry.js';
import { fleetOf } from '../generator/model/fleet.js';
import { BUCKET_ANNOTATION, CLUSTER_NAME_LABEL, FLEET_LABEL } from '../core/labels.js';
import { extractCommit, inPool } from './snapshot.js';

type Entry = OverlayDefinition & Record<string, unknown>;

/**
 * Registry fields whose equal values tie overlays together: a change to one overlay on a cluster,
 * a bucket or a fleet is checked together with the others there (cross-overlay rules such as
 * colliding names or duplicate external labels on one bucket need both sides). A field the
 * registry does not have yet simply never matches.
 */
const SHARED: ReadonlyArray<{ readonly what: string; readonly key: (entry: Entry) => string | undefined }> = [
  { what: 'cluster', key: (e) => (typeof e.cluster === 'string' ? e.cluster : undefined) },
  { what: 'bucket', key: (e) => (typeof e.bucket === 'string' ? `${e.provider} ${e.settings?.endpoint ?? ''} ${e.bucket}` : undefined) },
  // An observer and the leaves and agents naming it: the rules across a fleet need every member.
  { what: 'fleet', key: (e) => fleetOf(e) },
];
const sharedLabel = (what: string, entry: Entry) =>
  what === 'bucket' ? `bucket '${entry.bucket}' (${entry.provider})` : `${what} '${String(entry[what])}'`;

function show(value: unknown): string {
  const text = value === undefined ? '(unset)' : typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Field-level differences of two registry entries, dotted paths: "bucket: 'a' -> 'b'". */
export function entryChanges(before: unknown, after: unknown, path = ''): string[] {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(before) && isMap(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .sort()
      .flatMap((key) => entryChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${path}: ${show(before)} -> ${show(after)}`];
}

type RegistryModule = typeof import('../generator/model/registry-file.js');

function registryAt({ parseRegistry, REGISTRY_PATH }: RegistryModule, root: string, commit: string): Entry[] {
  let text: string;
  try {
    text = execFileSync('git', ['show', `${commit}:${REGISTRY_PATH}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return []; // no registry at that commit: every entry is new
  }
  return parseRegistry(text, `${REGISTRY_PATH} at ${commit.slice(0, 12)}`) as Entry[];
}

/** For each overlay: does its render at `commit` differ from the working tree's? A string says why it cannot be told. */
async function rendersDiffer(root: string, commit: string, what: string, names: readonly string[]): Promise<Array<boolean | string>> {
  const snapshot = extractCommit(root, commit, what);
  try {
    const render = (dir: string) => renderKustomize(dir).then((r) => r.yaml);
    return await inPool(
      names.map((name) => async () => {
        try {
          const [before, after] = await Promise.all([render(join(snapshot.dir, 'overlays', name)), render(join(root, 'overlays', name))]);
          return before !== after;
        } catch (error) {
          return (error as Error).message.split('\n')[0];
        }
      }),
      Math.max(1, Math.floor(availableParallelism() / 2)),
    );
  } finally {
    snapshot.cleanup();
  }
}

/**
 * The overlays that the changes between `ref` and the working tree affect, each with its reasons:
 * - files in an overlay's render (its own, or shared ones such as base/) select it;
 * - registry entries are compared field by field at `ref` and now (both read through the AST): an
 *   edited or new entry selects its overlay and the overlays sharing its cluster, bucket or fleet;
 * - generator sources matter through what they generate. The generated files are committed and
 *   checked for drift, so the changed generated files above already select the overlays a change
 *   of defaults, profiles, providers, settings or versions reaches; the changed input values are
 *   read at both sides and named in the reasons. A tree that was not regenerated is compared with
 *   what the generator writes now, and the overlays it would change are selected.
 * When a side cannot be read, every overlay is selected and the reason says why.
 */
export async function selectChanges(
  root: string,
  ref: string,
  what: string,
  purpose: SelectionPurpose = 'check',
  options: {
    /** Render overlays reached only through shared files at both sides, and drop those whose render is equal. @default true */ exact?: boolean;
  } = {},
): Promise<AffectedOverlays> {
  const commit = resolveRef(root, ref, what);
  const changed = changedPaths(root, ref, what);
  const byPath = affectedOverlays(root, changed, purpose);
  const names = overlayNames(root);
  const reasons = new Map<string, string[]>(names.map((name) => [name, []]));
  const front = new Map<string, string[]>(names.map((name) => [name, []])); // registry and input reasons read first
  const viaGenerated = new Set<string>();
  for (const o of byPath.overlays) {
    reasons.get(o.name)!.push(...o.reasons);
    viaGenerated.add(o.name);
  }
  const removed = new Set(byPath.removed);
  const notes: string[] = [];
  const everyOverlay = (reason: string) => {
    for (const name of names) front.get(name)!.push(reason);
  };

  const sources = byPath.generatorSources;
  // Loaded only for a generator change (ts-morph is slow to load): a change to one overlay's files does not need it.
  const registry = sources.length > 0 ? await import('../generator/model/registry-file.js') : undefined;
  const REGISTRY_PATH = registry?.REGISTRY_PATH;
  let current: Entry[] = [];
  let previous: Entry[] = [];
  try {
    current = registry ? (registry.readRegistry(root) as Entry[]) : [];
    previous = registry && sources.includes(registry.REGISTRY_PATH) ? registryAt(registry, root, commit) : current;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    everyOverlay(`the registry cannot be compared (${error.message.split('\n')[0]}), so every overlay is selected`);
  }

  if (REGISTRY_PATH && sources.includes(REGISTRY_PATH)) {
    const before = new Map(previous.map((e) => [e.name, e]));
    let edited = 0;
    for (const entry of current) {
      const old = before.get(entry.name);
      const fields = old ? entryChanges(old, entry) : [];
      if (old && fields.length === 0) continue;
      edited++;
      const reason = old ? `its registry entry changed (${fields.join('; ')})` : 'its registry entry is new';
      if (reasons.has(entry.name)) front.get(entry.name)!.push(reason);
      else notes.push(`${entry.name}: ${reason}, but overlays/${entry.name}/ is not generated yet (run npm run generate)`);
      // Overlays tied to this one by a shared value, before or after the edit.
      for (const { what: field, key } of SHARED) {
        for (const side of old ? [old, entry] : [entry]) {
          const value = key(side);
          if (value === undefined) continue;
          for (const other of current) {
            if (other.name === entry.name || key(other) !== value || !reasons.has(other.name)) continue;
            const text = `shares ${sharedLabel(field, side)} with ${entry.name}, whose entry changed`;
            if (!front.get(other.name)!.includes(text)) front.get(other.name)!.push(text);
          }
        }
      }
    }
    const now = new Set(current.map((e) => e.name));
    for (const name of before.keys()) {
      if (now.has(name)) continue;
      edited++;
      if (reasons.has(name))
        front.get(name)!.push('its registry entry was removed (its generated files are still there: run npm run generate)');
      else removed.add(name);
    }
    if (edited === 0) notes.push(`${REGISTRY_PATH} changed, but no entry did (comments or layout only)`);
  }

  const others = sources.filter((path) => path !== REGISTRY_PATH);
  let generator: ReturnType<typeof generatorChangesSince> | undefined;
  if (others.length > 0) {
    // Run by the working tree's generator: which input values changed, and whether the tree was regenerated.
    generator = generatorChangesSince(
      root,
      commit,
      others.some((path) => INPUT_MODULES.some((m) => m.path === path)),
    );
    notes.push(...generator.errors);
    const stale = generator.stale ?? [];
    if (generator.stale === undefined)
      everyOverlay('the generator could not be run (see the notes), so whether its change reaches this overlay cannot be told');
    if (stale.length > 0) {
      for (const o of affectedOverlays(root, stale, 'render').overlays) {
        front
          .get(o.name)!
          .push(
            `the generator now writes different files for it than are on disk (${o.reasons[0].replace(/ changed.*$/, '')}${o.reasons.length > 1 ? ` and ${o.reasons.length - 1} more` : ''}): run npm run generate`,
          );
      }
    }
    if (viaGenerated.size === 0 && stale.length === 0) notes.push(`${others.join(', ')} changed, but no generated file did`);
  }

  // Overlays reached only through shared files (base/) whose change their own patches may override:
  // their renders at both sides decide.
  const candidates = [...byPath.sharedOnly].filter((name) => front.get(name)!.length === 0);
  if (options.exact !== false && candidates.length > 0) {
    const verdicts = await rendersDiffer(root, commit, what, candidates);
    const unchanged = candidates.filter((_name, i) => verdicts[i] === false);
    candidates.forEach((name, i) => {
      const verdict = verdicts[i];
      if (typeof verdict === 'string') front.get(name)!.push(`its render could not be compared (${verdict}), so it is selected`);
    });
    for (const name of unchanged) {
      reasons.set(name, []);
      viaGenerated.delete(name);
    }
    if (unchanged.length > 0)
      notes.push(`${unchanged.join(', ')}: shared files changed, but their renders did not (their own patches set what changed)`);
  }

  // Named in the reasons: which default, profile, provider, setting or version changed.
  const entries = new Map(current.map((e) => [e.name, e]));
  for (const change of generator?.changes ?? []) {
    const concerned = [...viaGenerated].filter((name) => !change.scope || entries.get(name)?.[change.scope] === change.key);
    for (const name of concerned) front.get(name)!.push(change.text);
    if (concerned.length === 0) notes.push(`${change.text}: no overlay renders differently with it`);
  }

  // A check also needs the overlays tied to a selected one by cluster, bucket or fleet, whatever
  // selected it (a user/ patch too): the rules across overlays (cluster-collision, external-labels,
  // fleet-wiring) need both sides, and a fleet's rules every member.
  if (purpose === 'check') addPeers(root, names, front, reasons);

  const overlays = names
    .map((name) => ({ name, reasons: [...front.get(name)!, ...reasons.get(name)!] }))
    .filter((o) => o.reasons.length > 0);
  return { overlays, removed: [...removed].sort(), unrelated: byPath.unrelated, notes };
}

/**
 * What ties overlays together, read from each overlay's generated Namespace (the generator stamps
 * its cluster and fleet as labels and its bucket as an annotation): cheap to read, and true to the
 * files a check renders, whether or not the registry changed.
 */
function overlayTies(root: string, name: string): { what: string; value: string }[] {
  try {
    const ns = loadYaml(readFileSync(join(root, 'overlays', name, 'namespace.yaml'), 'utf8'), { schema: CORE_SCHEMA }) as
      | { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } }
      | undefined;
    const cluster = ns?.metadata?.labels?.[CLUSTER_NAME_LABEL];
    const bucket = ns?.metadata?.annotations?.[BUCKET_ANNOTATION];
    const fleet = ns?.metadata?.labels?.[FLEET_LABEL];
    return [
      ...(typeof cluster === 'string' ? [{ what: 'cluster', value: cluster }] : []),
      ...(typeof bucket === 'string' ? [{ what: 'bucket', value: bucket }] : []),
      ...(typeof fleet === 'string' ? [{ what: 'fleet', value: fleet }] : []),
    ];
  } catch {
    return []; // no generated Namespace (a hand-made overlay): nothing known to tie it to others
  }
}

function addPeers(root: string, names: string[], front: Map<string, string[]>, reasons: Map<string, string[]>): void {
  const ties = new Map(names.map((name) => [name, overlayTies(root, name)]));
  const all = (name: string) => [...front.get(name)!, ...reasons.get(name)!];
  const selected = new Set(names.filter((name) => all(name).length > 0));
  // Peers of a peer are not needed: only an overlay selected for its own change brings its peers.
  const changed = [...selected].filter((name) => all(name).some((r) => !r.startsWith('shares ')));
  for (const name of changed) {
    for (const tie of ties.get(name)!) {
      for (const other of names) {
        // An overlay selected for its own reasons is checked anyway; one tied twice gets one reason per tie.
        if (other === name || selected.has(other)) continue;
        if (!ties.get(other)!.some((t) => t.what === tie.what && t.value === tie.value)) continue;
        const text = `shares ${tie.what} '${tie.value}' with ${name}, which is checked`;
        if (!front.get(other)!.some((r) => r.startsWith(`shares ${tie.what} `))) front.get(other)!.push(text);
      }
    }
  }
}

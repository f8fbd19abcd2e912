import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_STACK } from '../model/stack.js';
import { planGeneration, type GenerationPlan } from './generate.js';
import { UserError } from '../../core/errors.js';
import { didYouMean } from '../../core/suggest.js';
import { membersOf, roleOf } from '../model/fleet.js';
import {
  isGeneratedContent,
  writeUnderLock,
  type FileChange,
  type GeneratedFile,
  type WriteHooks,
  type WritePlan,
} from '../write/writer.js';
import { committedPaths, declaredObjects, type GitOpsObject } from './lifecycle.js';
import { overlayDir, planModelOverlay, USER_COMPONENT } from '../overlay/plan.js';
import { PROVIDER_SPECS } from '../model/providers.js';
import { REGISTRY_PATH, parseRegistry, removeRegistryEntry } from '../model/registry-file.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { dnsLabelProblem } from '../model/validate-overlay.js';

export interface RemoveOverlayOptions {
  /** The overlay's name, exactly as typed. */
  readonly name: string;
  /** Also delete overlays/<name>/user/ and any other file of yours in the overlay folder. */
  readonly purge?: boolean;
}

export interface RemoveOverlayResult {
  readonly overlay: OverlayDefinition;
  readonly changes: readonly FileChange[];
  /** Files of the user's kept in the overlay folder (without --purge). */
  readonly kept: readonly string[];
  readonly gitopsObjects: readonly GitOpsObject[];
  readonly cleanup: readonly string[];
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Removes an overlay: its registry entry, every generated file that only existed because of it
 * (wherever the GitOps layout puts them), and the files derived from the whole registry rewritten
 * without it. Layout-agnostic by construction: the tree is planned twice, from the registry with
 * and without the entry, and the difference is the change. Under the repository lock, all or
 * nothing; SIGINT/SIGTERM during the write undo it.
 */
export async function removeOverlay(root: string, options: RemoveOverlayOptions, hooks?: WriteHooks): Promise<RemoveOverlayResult> {
  return writeUnderLock(root, {
    command: 'remove-overlay',
    plan: () => planRemoveOverlay(root, options),
    undone: () => `${REGISTRY_PATH} and every file removed or rewritten were put back as they were.`,
    failed: (error, result) =>
      new UserError(
        `remove-overlay ${result.overlay.name} failed while writing: ${error.message}. Rolled back: ${REGISTRY_PATH}, ${overlayDir(result.overlay.name)}/ and every other file are as they were.`,
      ),
    hooks,
  });
}

/** The registry edit, the files it deletes or rewrites and the report, read and computed under the lock; nothing is written here. */
function planRemoveOverlay(root: string, options: RemoveOverlayOptions): WritePlan<RemoveOverlayResult> {
  const problem = dnsLabelProblem(options.name);
  if (problem)
    throw new UserError(
      `overlay name '${options.name}' is not a lowercase DNS label: ${problem}. Give the name of an overlay in ${REGISTRY_PATH}, e.g. prod-oss.`,
    );
  const registryFile = join(root, REGISTRY_PATH);
  if (!existsSync(registryFile)) throw new UserError(`${REGISTRY_PATH} not found below ${root}; run this in a checkout of the scaffold.`);
  const text = readFileSync(registryFile, 'utf8');
  const entries = parseRegistry(text);
  const overlay = entries.find((entry) => entry.name === options.name);
  if (!overlay) {
    const names = entries.map((entry) => entry.name);
    throw new UserError(
      `remove-overlay: no overlay '${options.name}' in ${REGISTRY_PATH}.${didYouMean(options.name, names)} Overlays: ${names.length > 0 ? names.join(', ') : 'none'}.`,
    );
  }
  // An observer's leaves and agents take their bucket and endpoints from it: removing it first
  // would leave them pointing at nothing, so they go first.
  const members = roleOf(overlay) === 'observer' ? membersOf(overlay, entries) : [];
  if (members.length > 0) {
    const names = members.map((member) => member.name);
    throw new UserError(
      `remove-overlay: '${overlay.name}' is the observer of ${names.join(', ')} (their 'observer' field in ${REGISTRY_PATH}). ` +
        `Remove those first (${names.map((name) => `npm run remove-overlay ${name}`).join('; ')}), or point them at another observer, then remove '${overlay.name}'.`,
    );
  }
  const remaining = entries.filter((entry) => entry !== overlay);
  const updated = removeRegistryEntry(text, overlay.name);
  // The edited registry must read back as exactly the other entries.
  if (JSON.stringify(parseRegistry(updated)) !== JSON.stringify(remaining))
    throw new Error(`registry edit did not round-trip for '${overlay.name}'`);

  const before = planGeneration(DEFAULT_STACK, root, entries);
  // The same entries, less one: checked with the first plan, not again.
  const after = planGeneration(DEFAULT_STACK, root, remaining, before.registry);
  const changes = planRemoval(root, before, after.files, overlay, options.purge === true);
  const dir = overlayDir(overlay.name);
  const deleted = new Set(changes.filter((c) => c.change === 'delete').map((c) => c.path));
  const kept = listFiles(join(root, dir))
    .map((path) => path.slice(root.length + 1))
    .filter((path) => !deleted.has(path))
    .sort();
  // Read before they go: the cluster objects the deleted GitOps files declare.
  const gitopsObjects = declaredObjects(
    changes
      .filter((c) => c.change === 'delete' && !c.path.startsWith(`${dir}/`))
      .map((c) => ({ path: c.path, content: readFileSync(join(root, c.path), 'utf8') })),
  );
  const commit = `commit: git add -A ${[REGISTRY_PATH, ...committedPaths(changes, dir)].join(' ')} && git commit -m "Remove overlay ${overlay.name}"`;
  // The registry goes first, as one more file of the same all-or-nothing write.
  return {
    files: [{ path: REGISTRY_PATH, content: updated }, ...after.files],
    changes: [{ path: REGISTRY_PATH, change: 'update' }, ...changes],
    result: { overlay, changes, kept, gitopsObjects, cleanup: [commit, ...clusterCleanup(overlay, gitopsObjects)] },
  };
}

/**
 * The change removing `overlay` makes: generated files planned only with it are deleted (if they
 * are on disk and still carry the generated marker), files planned both ways but differently are
 * rewritten, and the overlay's user files go only when untouched (exactly as the generator
 * created them) or with purge. Drift elsewhere in the tree is left to `generate`.
 */
function planRemoval(
  root: string,
  before: GenerationPlan,
  after: readonly GeneratedFile[],
  overlay: OverlayDefinition,
  purge: boolean,
): FileChange[] {
  const afterByPath = new Map(after.map((file) => [file.path, file.content]));
  const changes = new Map<string, FileChange['change']>();
  const onDisk = (path: string) => existsSync(join(root, path));
  for (const file of before.files) {
    const next = afterByPath.get(file.path);
    if (next === undefined) {
      if (onDisk(file.path) && isGeneratedContent(readFileSync(join(root, file.path), 'utf8'))) changes.set(file.path, 'delete');
    } else if (next !== file.content) {
      changes.set(file.path, onDisk(file.path) ? 'update' : 'create');
    }
  }
  const dir = overlayDir(overlay.name);
  // What a fresh overlay's user files look like: a user folder holding only those is not the user's work.
  // (Planned below a root with no files, so that every user file is planned.)
  const pristine = new Map(
    planModelOverlay(before.registry.overlay(overlay.name), join(root, '.no-such-root')).userFiles.map((file) => [file.path, file.content]),
  );
  const userFiles = listFiles(join(root, dir)).map((path) => path.slice(root.length + 1));
  const untouched = userFiles
    .filter((path) => path.startsWith(`${dir}/${USER_COMPONENT}/`))
    .every((path) => pristine.get(path) === readFileSync(join(root, path), 'utf8'));
  for (const path of userFiles) {
    if (changes.has(path)) continue;
    const generated = isGeneratedContent(readFileSync(join(root, path), 'utf8'));
    // A stale generated file (no longer planned even with the overlay) goes with it.
    if (generated || purge || (untouched && path.startsWith(`${dir}/${USER_COMPONENT}/`))) changes.set(path, 'delete');
  }
  return [...changes].map(([path, change]) => ({ path, change })).sort((a, b) => a.path.localeCompare(b.path));
}

/** What the cluster still holds after the files are gone: nobody applies the removal for you. */
function clusterCleanup(overlay: OverlayDefinition, objects: readonly GitOpsObject[]): string[] {
  const steps: string[] = [];
  const ns = (o: GitOpsObject) => (o.namespace ? ` -n ${o.namespace}` : '');
  for (const o of objects.filter((o) => o.kind === 'Application')) {
    steps.push(
      `Argo CD: a hand-applied Application stays after its file is gone; delete it with its resources: argocd app delete ${o.name} --cascade (kubectl${ns(o)} delete application ${o.name} deletes only the Application, as it carries no resources finalizer). With the ApplicationSet, the Application goes when the folder leaves the branch.`,
    );
  }
  const flux = objects.filter((o) => o.kind === 'Kustomization');
  for (const o of flux) {
    // A GitRepository of its own goes with it; bootstrap's (flux-system) serves other overlays and stays.
    const sources = objects
      .filter((s) => s.kind === 'GitRepository' && s.file === o.file)
      .map((s) => `, then its source: kubectl${ns(s)} delete gitrepository ${s.name}`);
    steps.push(
      `Flux: kubectl${ns(o)} delete kustomization ${o.name} (prune is on, so Flux deletes what it applied)${sources.join('')}; or let Flux do it: the file is gone from the folder the cluster is bootstrapped from.`,
    );
  }
  steps.push(
    `volumes: StatefulSet claims (data-*) are never pruned: kubectl -n ${overlay.namespace} get pvc, then delete the ones of this stack; or, when no other overlay runs in it on that cluster, kubectl delete namespace ${overlay.namespace} (it is protected from prune on purpose, and deleting it deletes every volume in it).`,
  );
  if (PROVIDER_SPECS[overlay.provider].credentials.length > 0 && overlay.provider !== 'minio') {
    steps.push(
      `object store: the blocks stay in ${overlay.provider} bucket '${overlay.bucket}'; delete it with your cloud's tools once the data is no longer needed${overlay.secrets === 'external-secrets' ? `, and the secret store entry '${overlay.secretStore?.remoteKey ?? `thanos/${overlay.name}`}'` : ''}.`,
    );
  }
  return steps;
}

/** The text remove-overlay prints: what changed, what was kept, and what to clean up in the cluster. */
export function formatRemoveOverlayReport(result: RemoveOverlayResult): string {
  const o = result.overlay;
  const lines = [
    `remove-overlay: removed '${o.name}' from ${REGISTRY_PATH} (profile ${o.profile}, provider ${o.provider}, namespace ${o.namespace}).`,
    `Files changed (${result.changes.length}):`,
    ...result.changes.map((change) => `  ${change.change.padEnd(6)} ${change.path}`),
  ];
  if (result.kept.length > 0) {
    lines.push(`Kept (yours; pass --purge to delete them too):`, ...result.kept.map((path) => `  keep   ${path}`));
  }
  lines.push(
    'Next (the cluster keeps what was deployed until you remove it):',
    ...result.cleanup.map((step, index) => `  ${index + 1}. ${step}`),
  );
  return `${lines.join('\n')}\n`;
}

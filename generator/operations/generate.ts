import { buildStack } from '../build-stack.js';
import { DEFAULT_STACK, type StackConfig } from '../model/stack.js';
import { BASE_DIR, baseFiles } from '../base-layout.js';
import { GITOPS_MANAGED_DIRS, gitopsFiles } from '../gitops/files.js';
import { rolloutSeconds } from '../gitops/rollout.js';
import { GITOPS } from '../../settings/gitops.js';
import { WORKFLOWS_DIR, workflowFiles } from '../gitops/workflows.js';
import { fleetTopologyFile } from '../gitops/fleet-diagram.js';
import { OVERLAYS_DIR, planOverlays, readRegistry, type OverlayDefinition } from '../overlay/index.js';
import { repoRoot } from '../../core/repo-root.js';
import { registryModel, type RegistryModel } from '../model/registry.js';
import { RUNBOOKS_DIR, runbookFiles } from '../monitoring/runbooks.js';
import { planChanges, writeUnderLock, type FileChange, type GeneratedFile, type WriteHooks } from '../write/writer.js';

export interface GenerationPlan {
  readonly files: readonly GeneratedFile[];
  /** Folders whose generated files the writer may delete when they are no longer produced. */
  readonly managedDirs: readonly string[];
  /** The registry the overlays were planned from, each entry checked once. */
  readonly registry: RegistryModel;
}

/**
 * Everything `npm run generate` writes, in memory; nothing is written here. Overlays come from the
 * registry below `root` (read, not imported); their user-owned files appear only while missing, and
 * all of overlays/ is managed, so an overlay removed from the registry loses its generated files
 * but keeps the user's.
 */
export function planGeneration(
  stack: StackConfig = DEFAULT_STACK,
  root: string = repoRoot(),
  entries: readonly OverlayDefinition[] = readRegistry(root),
  earlier?: RegistryModel,
): GenerationPlan {
  // Each entry checked once, its fleet wiring derived once; everything below plans from this.
  const registry = registryModel(entries, root, { earlier });
  const overlays = planOverlays(registry, root);
  // Argo CD and Flux manifests follow the registry too, so new-overlay adds them with the overlay.
  const rollouts = new Map(overlays.plans.map((plan) => [plan.overlay.name, rolloutSeconds(plan.objects)]));
  const gitops = gitopsFiles(entries, GITOPS, rollouts);
  return {
    // The pull-request workflow follows the settings' branch like the Argo CD and Flux manifests.
    files: [
      ...baseFiles(stack, buildStack(stack)),
      ...overlays.files,
      ...gitops,
      fleetTopologyFile(entries),
      ...runbookFiles(stack),
      ...workflowFiles(),
    ],
    managedDirs: [BASE_DIR, OVERLAYS_DIR, ...GITOPS_MANAGED_DIRS, RUNBOOKS_DIR, WORKFLOWS_DIR],
    registry,
  };
}

export interface GenerateResult {
  readonly changes: readonly FileChange[];
}

/**
 * Writes the plan below `root` (or, with check, only reports what differs) through the one writer:
 * under the repository lock, all or nothing. SIGINT/SIGTERM during the run leave the tree as it
 * was: before the write nothing is written, and a write that a signal interrupted is completed and
 * then undone. `hooks`: tests only.
 */
export async function generate(
  root: string,
  options: { check?: boolean; plan?: GenerationPlan; hooks?: WriteHooks } = {},
): Promise<GenerateResult> {
  if (options.check) {
    const plan = options.plan ?? planGeneration(DEFAULT_STACK, root);
    return { changes: planChanges(root, plan.files, plan.managedDirs) };
  }
  return writeUnderLock(root, {
    command: 'generate',
    plan: () => {
      const plan = options.plan ?? planGeneration(DEFAULT_STACK, root);
      const changes = planChanges(root, plan.files, plan.managedDirs);
      return { files: plan.files, changes, result: { changes } };
    },
    undone: (changes) => `the ${changes.length} file(s) written were put back as they were.`,
    hooks: options.hooks,
  });
}

/**
 * Where a hand edit of a generated file belongs instead, so the next `generate` keeps it: the
 * registry or the overlay's user/ Component for an overlay file, the stack config for base/, the
 * GitOps settings for the Argo CD and Flux manifests.
 */
export function handEditAdvice(path: string): string {
  const overlay = /^overlays\/([^/]+)\//.exec(path)?.[1];
  if (overlay) {
    return `carry it into a field of '${overlay}' in settings/overlays.ts (docs/overlays.md lists them) or into a patch in overlays/${overlay}/user/ (applied last, never rewritten)`;
  }
  if (path.startsWith(`${BASE_DIR}/`))
    return 'carry it into the stack config (generator/model/stack.ts) or the component in generator/components/, or, for one overlay, a patch in its user/ folder';
  return 'carry it into settings/gitops.ts (repository, branch, Argo CD and Flux settings) or the registry entry';
}

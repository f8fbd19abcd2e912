import { buildStack } from './base.js';
import { DEFAULT_STACK, type StackConfig } from './config.js';
import { BASE_DIR, baseFiles } from './layout.js';
import { OVERLAYS_DIR, planOverlays, readRegistry } from './overlay/index.js';
import { repoRoot } from './repo.js';
import { applyChanges, planChanges, type FileChange, type GeneratedFile } from './writer.js';

export interface GenerationPlan {
  readonly files: readonly GeneratedFile[];
  /** Folders whose generated files the writer may delete when they are no longer produced. */
  readonly managedDirs: readonly string[];
}

/**
 * Everything `npm run generate` writes, in memory; nothing is written here. Overlays come from the
 * registry below `root` (read, not imported); their user-owned files appear only while missing, and
 * all of overlays/ is managed, so an overlay removed from the registry loses its generated files
 * but keeps the user's.
 */
export function planGeneration(stack: StackConfig = DEFAULT_STACK, root: string = repoRoot()): GenerationPlan {
  const overlays = planOverlays(readRegistry(root), root);
  return { files: [...baseFiles(stack, buildStack(stack)), ...overlays.files], managedDirs: [BASE_DIR, OVERLAYS_DIR] };
}

export interface GenerateResult {
  readonly changes: readonly FileChange[];
}

/** Writes the plan below `root` (or, with check, only reports what differs). */
export function generate(root: string, options: { check?: boolean; plan?: GenerationPlan } = {}): GenerateResult {
  const plan = options.plan ?? planGeneration(DEFAULT_STACK, root);
  const changes = planChanges(root, plan.files, plan.managedDirs);
  if (!options.check && changes.length > 0) applyChanges(root, plan.files, changes);
  return { changes };
}

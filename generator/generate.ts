import { buildStack } from './base.js';
import { DEFAULT_STACK, type StackConfig } from './config.js';
import { BASE_DIR, baseFiles } from './layout.js';
import { applyChanges, planChanges, type FileChange, type GeneratedFile } from './writer.js';

export interface GenerationPlan {
  readonly files: readonly GeneratedFile[];
  /** Folders whose generated files the writer may delete when they are no longer produced. */
  readonly managedDirs: readonly string[];
}

/** Everything `npm run generate` writes, in memory; nothing touches the disk here. */
export function planGeneration(stack: StackConfig = DEFAULT_STACK): GenerationPlan {
  return { files: baseFiles(stack, buildStack(stack)), managedDirs: [BASE_DIR] };
}

export interface GenerateResult {
  readonly changes: readonly FileChange[];
}

/** Writes the plan below `root` (or, with check, only reports what differs). */
export function generate(root: string, options: { check?: boolean; plan?: GenerationPlan } = {}): GenerateResult {
  const plan = options.plan ?? planGeneration();
  const changes = planChanges(root, plan.files, plan.managedDirs);
  if (!options.check && changes.length > 0) applyChanges(root, plan.files, changes);
  return { changes };
}

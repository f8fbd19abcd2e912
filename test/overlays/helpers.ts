import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderKustomize } from '../../core/kube/kubectl.js';
import { planOverlay, type OverlayPlan } from '../../generator/overlay/plan.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';

export type Obj = Record<string, any>;

/** A scratch root whose base/ is the repository's (linked), for overlays written only by the test. */
export function scratchRoot(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'thanos-ha-overlay-'));
  symlinkSync(join(REPO_ROOT, 'base'), join(root, 'base'), 'dir');
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes an overlay's generated and user files below root; returns the plan. */
export function writeOverlay(root: string, overlay: OverlayDefinition): OverlayPlan {
  const plan = planOverlay(overlay, root);
  for (const file of [...plan.files, ...plan.userFiles]) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
  }
  return plan;
}

export async function render(dir: string): Promise<{ objects: Obj[]; warnings: string; yaml: string }> {
  const { yaml, warnings } = await renderKustomize(dir);
  return { objects: parseAllDocuments(yaml).map((doc) => doc.toJS() as Obj), warnings, yaml };
}

export function find(objects: Obj[], kind: string, name: string): Obj {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found;
}

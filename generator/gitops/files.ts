import { assertValidObject, type KubeObject } from '../base.js';
import { kustomization } from '../layout.js';
import { dropUndefined } from '../lib/yaml.js';
import { yamlFile, type GeneratedFile } from '../writer.js';
import { argoApplication, argoApplicationSet, fluxManifests, type GitOpsOverlay } from './manifests.js';
import { GITOPS, type GitOpsSettings } from './settings.js';

export const GITOPS_DIR = 'gitops';
const SOURCE = 'generator/gitops/manifests.ts';

const plain = (object: unknown, where: string): KubeObject => {
  const value = dropUndefined(object) as KubeObject;
  assertValidObject(value, where);
  return value;
};

/**
 * gitops/argocd/applications/<overlay>.yaml (+ a kustomization listing them, to apply as one app of apps),
 * gitops/argocd/applicationset.yaml, and gitops/flux/<overlay>.yaml (+ kustomization) — all validated
 * against the Argo CD and Flux schemas before they are written.
 */
export function gitopsFiles(overlays: readonly GitOpsOverlay[], settings: GitOpsSettings = GITOPS): GeneratedFile[] {
  const sorted = [...overlays].sort((a, b) => a.name.localeCompare(b.name));
  const files: GeneratedFile[] = [];
  for (const overlay of sorted) {
    files.push(yamlFile(`${GITOPS_DIR}/argocd/applications/${overlay.name}.yaml`, [plain(argoApplication(overlay, settings), `${GITOPS_DIR}/argocd`)], SOURCE));
    files.push(yamlFile(`${GITOPS_DIR}/flux/${overlay.name}.yaml`, fluxManifests(overlay, settings).map((o) => plain(o, `${GITOPS_DIR}/flux`)), SOURCE));
  }
  files.push(yamlFile(`${GITOPS_DIR}/argocd/applications/kustomization.yaml`, [kustomization({ resources: sorted.map((o) => `${o.name}.yaml`) })], SOURCE));
  files.push(yamlFile(`${GITOPS_DIR}/argocd/applicationset.yaml`, [plain(argoApplicationSet(settings), `${GITOPS_DIR}/argocd`)], SOURCE));
  files.push(yamlFile(`${GITOPS_DIR}/flux/kustomization.yaml`, [kustomization({ resources: sorted.map((o) => `${o.name}.yaml`) })], SOURCE));
  return files;
}

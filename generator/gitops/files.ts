import { assertValidObject, type KubeObject } from '../build-stack.js';
import { kustomization } from '../base-layout.js';
import { dropUndefined } from '../../core/yaml.js';
import { yamlFile, type GeneratedFile } from '../write/writer.js';
import { argoApplication, argoApplicationSet, fluxGitRepository, fluxKustomization, type GitOpsOverlay } from './manifests.js';
import { GITOPS, type GitOpsSettings } from '../../settings/gitops.js';

export const GITOPS_DIR = 'gitops';
/** One folder per cluster, the path its Flux is bootstrapped with (`--path=clusters/<cluster>`). */
export const CLUSTERS_DIR = 'clusters';
/** The only folder the generator writes below clusters/<cluster>/: bootstrap owns flux-system/ and the cluster's kustomization.yaml. */
export const FLUX_FOLDER = 'thanos-ha';
/**
 * Folders whose generated files follow the registry. Below clusters/ only files with the generated
 * marker are ever replaced or deleted, so what `flux bootstrap` commits there (flux-system/, a
 * clusters/<cluster>/kustomization.yaml) is never touched and `generate --check` ignores it.
 */
export const GITOPS_MANAGED_DIRS = [GITOPS_DIR, CLUSTERS_DIR] as const;
const SOURCE = 'generator/gitops/manifests.ts';

const plain = (object: unknown, where: string): KubeObject => {
  const value = dropUndefined(object) as KubeObject;
  assertValidObject(value, where);
  return value;
};

export const fluxFolder = (cluster: string) => `${CLUSTERS_DIR}/${cluster}/${FLUX_FOLDER}`;

/**
 * Argo CD: gitops/argocd/applications/<overlay>.yaml (+ a kustomization listing them, to apply on the
 * Argo CD cluster as one app of apps) and gitops/argocd/applicationset.yaml. Flux:
 * clusters/<cluster>/thanos-ha/<overlay>.yaml per overlay of that cluster (+ its kustomization, and a
 * GitRepository when the settings ask for a separate one). No file applies the overlays of different
 * clusters to one cluster. Everything is validated against the Argo CD and Flux schemas before it is written.
 */
export function gitopsFiles(overlays: readonly GitOpsOverlay[], settings: GitOpsSettings = GITOPS): GeneratedFile[] {
  const sorted = [...overlays].sort((a, b) => a.name.localeCompare(b.name));
  const files: GeneratedFile[] = [];
  for (const overlay of sorted) {
    files.push(
      yamlFile(
        `${GITOPS_DIR}/argocd/applications/${overlay.name}.yaml`,
        [plain(argoApplication(overlay, settings), `${GITOPS_DIR}/argocd`)],
        SOURCE,
      ),
    );
  }
  files.push(
    yamlFile(
      `${GITOPS_DIR}/argocd/applications/kustomization.yaml`,
      [kustomization({ resources: sorted.map((o) => `${o.name}.yaml`) })],
      SOURCE,
    ),
  );
  files.push(
    yamlFile(`${GITOPS_DIR}/argocd/applicationset.yaml`, [plain(argoApplicationSet(sorted, settings), `${GITOPS_DIR}/argocd`)], SOURCE),
  );

  const clusters = [...new Set(sorted.map((o) => o.cluster))].sort();
  const source = fluxGitRepository(settings);
  for (const cluster of clusters) {
    const dir = fluxFolder(cluster);
    const mine = sorted.filter((o) => o.cluster === cluster);
    const resources = mine.map((o) => `${o.name}.yaml`);
    if (source) {
      files.push(yamlFile(`${dir}/gitrepository.yaml`, [plain(source, dir)], SOURCE));
      resources.unshift('gitrepository.yaml');
    }
    for (const overlay of mine)
      files.push(yamlFile(`${dir}/${overlay.name}.yaml`, [plain(fluxKustomization(overlay, settings), dir)], SOURCE));
    files.push(yamlFile(`${dir}/kustomization.yaml`, [kustomization({ resources })], SOURCE));
  }
  return files;
}

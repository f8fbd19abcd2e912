import { assertValidObject, type KubeObject } from '../build-stack.js';
import { kustomization } from '../base-layout.js';
import { dropUndefined } from '../../core/yaml.js';
import { yamlFile, type GeneratedFile } from '../write/writer.js';
import { argoApplication, argoApplicationSet, fluxGitRepository, fluxKustomization, type GitOpsOverlay } from './manifests.js';
import { GITOPS, type GitOpsSettings } from '../../settings/gitops.js';

export const GITOPS_DIR = 'gitops';
/** The per-overlay Applications, Argo CD's default mode. */
export const ARGOCD_APPLICATIONS_DIR = `${GITOPS_DIR}/argocd/applications`;
/** The ApplicationSet, the alternative: a folder apart from gitops/argocd/ so that one apply never takes both. */
export const ARGOCD_APPLICATIONSET_DIR = `${GITOPS_DIR}/argocd-applicationset`;
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
 * Argo CD cluster as one app of apps), the default, or gitops/argocd-applicationset/applicationset.yaml
 * instead (never both). Flux:
 * clusters/<cluster>/thanos-ha/<overlay>.yaml per overlay of that cluster (+ its kustomization, and a
 * GitRepository when the settings ask for a separate one). No file applies the overlays of different
 * clusters to one cluster. Everything is validated against the Argo CD and Flux schemas before it is written.
 */
export function gitopsFiles(
  overlays: readonly GitOpsOverlay[],
  settings: GitOpsSettings = GITOPS,
  /** Each overlay's rollout bound in seconds (rollout.ts); an overlay without one gets the settings' timeout. */
  rollouts: ReadonlyMap<string, number> = new Map(),
): GeneratedFile[] {
  const sorted = [...overlays].sort((a, b) => a.name.localeCompare(b.name));
  const files: GeneratedFile[] = [];
  for (const overlay of sorted) {
    files.push(
      yamlFile(
        `${ARGOCD_APPLICATIONS_DIR}/${overlay.name}.yaml`,
        [plain(argoApplication(overlay, settings), `${GITOPS_DIR}/argocd`)],
        SOURCE,
      ),
    );
  }
  files.push(
    yamlFile(`${ARGOCD_APPLICATIONS_DIR}/kustomization.yaml`, [kustomization({ resources: sorted.map((o) => `${o.name}.yaml`) })], SOURCE),
  );
  // The ApplicationSet renders the same Application names as applications/: applying both makes
  // two owners fight over each Application (the ApplicationSet rewrites what the hand-applied file
  // set, and pruning one deletes the other's). The per-overlay Applications are the default (each
  // overlay's file changes on its own in a pull request, and `new-overlay`/`remove-overlay` name the
  // file to apply or delete); the ApplicationSet lives outside gitops/argocd/, so applying that
  // folder (`kubectl apply -R -f gitops/argocd` or `-k gitops/argocd/applications`) never applies both.
  files.push(
    yamlFile(
      `${ARGOCD_APPLICATIONSET_DIR}/applicationset.yaml`,
      [plain(argoApplicationSet(sorted, settings), ARGOCD_APPLICATIONSET_DIR)],
      SOURCE,
    ),
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
      files.push(
        yamlFile(`${dir}/${overlay.name}.yaml`, [plain(fluxKustomization(overlay, settings, rollouts.get(overlay.name)), dir)], SOURCE),
      );
    files.push(yamlFile(`${dir}/kustomization.yaml`, [kustomization({ resources })], SOURCE));
  }
  return files;
}

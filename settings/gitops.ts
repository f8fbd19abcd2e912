/**
 * Where Argo CD and Flux fetch this repository from. Set these once after forking; every generated
 * Application, ApplicationSet, GitRepository and Kustomization reads them. The placeholders are
 * deliberately invalid so a sync fails loudly until they are set. Where each overlay deploys is not
 * here: it is the overlay's `cluster` in the registry.
 */
export interface GitOpsSettings {
  /** Clone URL of your fork. @default "https://git.example.com/CHANGE-ME/thanos-ha-gitops.git" */
  readonly repoURL: string;
  /** Branch Argo CD and Flux follow. @default "main" */
  readonly branch: string;
  readonly argocd: {
    /** Namespace Argo CD runs in (Applications live there). @default "argocd" */
    readonly namespace: string;
    /** @default "default" */
    readonly project: string;
  };
  readonly flux: {
    /** Namespace the Flux controllers run in. @default "flux-system" */
    readonly namespace: string;
    /** How often the source is fetched. @default "5m" */
    readonly sourceInterval: string;
    /** How often the overlay is reconciled. @default "10m" */
    readonly interval: string;
    /** How long a reconcile may wait for health. @default "10m" */
    readonly timeout: string;
    /** Secret holding the age (or GPG) key for SOPS overlays. @default "sops-age" */
    readonly sopsSecret: string;
    /**
     * A GitRepository of its own for this repository, written into each clusters/<cluster>/thanos-ha/
     * (url `repoURL`, branch `branch`), for clusters bootstrapped from another repository or branch.
     * `secretRef` names the Secret in the Flux namespace with its credentials (a deploy key:
     * `flux create secret git <name> --url=<repoURL>`). @default undefined: the Kustomizations read
     * GitRepository/flux-system, which `flux bootstrap` creates for the repository it bootstrapped from
     */
    readonly gitRepository?: { readonly name: string; readonly secretRef?: string };
  };
}

export const GITOPS: GitOpsSettings = {
  repoURL: 'https://git.example.com/CHANGE-ME/thanos-ha-gitops.git',
  branch: 'main',
  argocd: { namespace: 'argocd', project: 'default' },
  flux: { namespace: 'flux-system', sourceInterval: '5m', interval: '10m', timeout: '10m', sopsSecret: 'sops-age' },
};

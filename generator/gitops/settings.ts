/**
 * Where Argo CD and Flux fetch this repository from, and where they deploy. Set these once after
 * forking; every generated Application, ApplicationSet, GitRepository and Kustomization reads them.
 * The placeholders are deliberately invalid so a sync fails loudly until they are set.
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
    /** Destination cluster API server; the in-cluster one by default. @default "https://kubernetes.default.svc" */
    readonly server: string;
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
  };
}

export const GITOPS: GitOpsSettings = {
  repoURL: 'https://git.example.com/CHANGE-ME/thanos-ha-gitops.git',
  branch: 'main',
  argocd: { namespace: 'argocd', project: 'default', server: 'https://kubernetes.default.svc' },
  flux: { namespace: 'flux-system', sourceInterval: '5m', interval: '10m', timeout: '10m', sopsSecret: 'sops-age' },
};

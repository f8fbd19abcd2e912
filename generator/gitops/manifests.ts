import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { CLUSTER_NAME_LABEL } from '../../core/labels.js';
import { PART_OF } from '../../core/labels.js';
import type { GitOpsSettings } from '../../settings/gitops.js';
import { fluxTiming } from './rollout.js';

/** What the GitOps manifests need to know of an overlay (a registry entry has all of it). */
export interface GitOpsOverlay {
  readonly name: string;
  /** The cluster it deploys to: its Argo CD cluster name and its Flux folder clusters/<cluster>/. */
  readonly cluster: string;
  readonly namespace: string;
  readonly secrets: string;
  /** Argo CD runs in this very cluster: target the in-cluster API server, not a registered cluster. */
  readonly argocdInCluster?: boolean;
}

/** The API server address Argo CD uses for the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
/** The name Argo CD registers its own cluster under (the same cluster as IN_CLUSTER_SERVER). */
export const IN_CLUSTER_NAME = 'in-cluster';
/** The GitRepository `flux bootstrap` creates in every cluster, pointing at the repository it bootstrapped from. */
export const FLUX_BOOTSTRAP_SOURCE = 'flux-system';

const labels = { 'app.kubernetes.io/part-of': PART_OF };
export const appName = (overlay: string) => `${PART_OF}-${overlay}`;
export const overlayPath = (overlay: string) => `overlays/${overlay}`;
/** Argo CD's name for the overlay's destination cluster. */
const argoClusterName = (overlay: GitOpsOverlay) => (overlay.argocdInCluster ? IN_CLUSTER_NAME : overlay.cluster);

const syncOptions = ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'];

/**
 * Without `retry` a failed sync stays failed (limit 0 = no retries: argo-cd
 * pkg/apis/application/v1alpha1/types.go:1544-1551 at v3.5.1), e.g. a first sync that meets a CRD
 * or an admission webhook not ready yet. Five retries at 30 s doubling, capped at 10 m
 * (wait = duration x factor^n, types.go:1567-1595): 30 s + 1 m + 2 m + 4 m + 8 m, about 15 minutes,
 * enough for an operator's CRDs or a cert-manager webhook to come up; a sync still failing then
 * needs a person. Durations without `d` (parsed with Go's time.ParseDuration, types.go:1553-1564).
 */
export const ARGO_RETRY = { limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } as const;

/**
 * One Argo CD Application per overlay, for an Argo CD that deploys to many clusters (hub and spoke):
 * the destination is the overlay's cluster by the name it is registered under; the in-cluster server
 * only where the overlay says Argo CD runs in its own cluster. Automated sync that prunes and self-heals.
 */
export function argoApplication(overlay: GitOpsOverlay, settings: GitOpsSettings): Application {
  return new Application({
    metadata: {
      name: appName(overlay.name),
      namespace: settings.argocd.namespace,
      labels: { ...labels, [CLUSTER_NAME_LABEL]: overlay.cluster },
    },
    spec: {
      project: settings.argocd.project,
      source: { repoURL: settings.repoURL, targetRevision: settings.branch, path: overlayPath(overlay.name) },
      destination: overlay.argocdInCluster
        ? { server: IN_CLUSTER_SERVER, namespace: overlay.namespace }
        : { name: overlay.cluster, namespace: overlay.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // PruneLast: removed objects go only after everything else is healthy.
        syncOptions,
        retry: ARGO_RETRY,
      },
    },
  });
}

/** One element of the ApplicationSet's list generator: every value its template reads. */
export interface ApplicationSetElement {
  readonly name: string;
  readonly cluster: string;
  /** The Argo CD cluster name to deploy to: the cluster, or `in-cluster` where Argo CD runs in it. */
  readonly destination: string;
  readonly namespace: string;
  readonly path: string;
}

export function applicationSetElement(overlay: GitOpsOverlay): ApplicationSetElement {
  return {
    name: overlay.name,
    cluster: overlay.cluster,
    destination: argoClusterName(overlay),
    namespace: overlay.namespace,
    path: overlayPath(overlay.name),
  };
}

/**
 * The same Applications as one ApplicationSet, for users who prefer it: a list generator with one
 * element per registry entry (so each Application gets that overlay's cluster and namespace, never
 * one destination for every folder), rendered with missingkey=error so a missing value fails the
 * ApplicationSet instead of deploying to an empty destination.
 */
export function argoApplicationSet(overlays: readonly GitOpsOverlay[], settings: GitOpsSettings): ApplicationSet {
  return new ApplicationSet({
    metadata: { name: PART_OF, namespace: settings.argocd.namespace, labels },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: overlays.map((overlay) => ({ ...applicationSetElement(overlay) })) } }],
      template: {
        metadata: { name: `${PART_OF}-{{.name}}`, labels: { ...labels, [CLUSTER_NAME_LABEL]: '{{.cluster}}' } },
        spec: {
          project: settings.argocd.project,
          source: { repoURL: settings.repoURL, targetRevision: settings.branch, path: '{{.path}}' },
          destination: { name: '{{.destination}}', namespace: '{{.namespace}}' },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions, retry: ARGO_RETRY },
        },
      },
    },
  });
}

/** The GitRepository the Flux Kustomizations read: bootstrap's own, or a separate one the settings describe. */
export function fluxSourceName(settings: GitOpsSettings): string {
  return settings.flux.gitRepository?.name ?? FLUX_BOOTSTRAP_SOURCE;
}

/**
 * A separate GitRepository for this repository (another repository or branch than the one the
 * cluster was bootstrapped from), with the Secret that holds its deploy key; undefined when the
 * Kustomizations read bootstrap's GitRepository/flux-system.
 */
export function fluxGitRepository(settings: GitOpsSettings): GitRepository | undefined {
  const source = settings.flux.gitRepository;
  if (!source) return undefined;
  return new GitRepository({
    metadata: { name: source.name, namespace: settings.flux.namespace, labels },
    spec: {
      interval: settings.flux.sourceInterval,
      url: settings.repoURL,
      ref: { branch: settings.branch },
      ...(source.secretRef ? { secretRef: { name: source.secretRef } } : {}),
    },
  });
}

/**
 * Flux: a Kustomization that applies the overlay in its own cluster, from the repository Flux already
 * follows. `wait: true` health-checks every object it applies, a StatefulSet until its rollout is
 * done: the timeout covers the overlay's rollout bound (`rolloutSeconds`, rollout.ts) and stays
 * below the interval.
 */
export function fluxKustomization(overlay: GitOpsOverlay, settings: GitOpsSettings, rolloutSeconds = 0): Kustomization {
  const { interval, timeout } = fluxTiming(rolloutSeconds, settings.flux);
  return new Kustomization({
    metadata: { name: appName(overlay.name), namespace: settings.flux.namespace, labels },
    spec: {
      interval,
      path: `./${overlayPath(overlay.name)}`,
      prune: true,
      wait: true,
      timeout,
      sourceRef: { kind: 'GitRepository', name: fluxSourceName(settings) },
      // Only SOPS overlays carry encrypted files; decryption elsewhere would hide a mistake.
      ...(overlay.secrets === 'sops' ? { decryption: { provider: 'sops', secretRef: { name: settings.flux.sopsSecret } } } : {}),
    },
  });
}

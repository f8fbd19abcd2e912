import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { PART_OF } from '../versions.js';
import type { GitOpsSettings } from './settings.js';

/** What the GitOps manifests need to know of an overlay. */
export interface GitOpsOverlay {
  readonly name: string;
  readonly namespace: string;
  readonly secrets: string;
}

const labels = { 'app.kubernetes.io/part-of': PART_OF };
export const appName = (overlay: string) => `${PART_OF}-${overlay}`;
export const overlayPath = (overlay: string) => `overlays/${overlay}`;

/** One Argo CD Application per overlay: automated sync that prunes and self-heals. */
export function argoApplication(overlay: GitOpsOverlay, settings: GitOpsSettings): Application {
  return new Application({
    metadata: { name: appName(overlay.name), namespace: settings.argocd.namespace, labels },
    spec: {
      project: settings.argocd.project,
      source: { repoURL: settings.repoURL, targetRevision: settings.branch, path: overlayPath(overlay.name) },
      destination: { server: settings.argocd.server, namespace: overlay.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // PruneLast: removed objects go only after everything else is healthy.
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'],
      },
    },
  });
}

/**
 * One ApplicationSet over overlays/* for users who prefer it: a new overlay folder becomes an
 * Application without another file. Every rendered object carries its namespace (the overlay sets
 * it and ships its Namespace), so the destination needs none.
 */
export function argoApplicationSet(settings: GitOpsSettings): ApplicationSet {
  return new ApplicationSet({
    metadata: { name: PART_OF, namespace: settings.argocd.namespace, labels },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: settings.repoURL, revision: settings.branch, directories: [{ path: 'overlays/*' }] } }],
      template: {
        metadata: { name: `${PART_OF}-{{.path.basename}}`, labels },
        spec: {
          project: settings.argocd.project,
          source: { repoURL: settings.repoURL, targetRevision: settings.branch, path: '{{.path.path}}' },
          destination: { server: settings.argocd.server },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true', 'PruneLast=true'] },
        },
      },
    },
  });
}

/** Flux: the repository as a source, and a Kustomization that applies the overlay from it. */
export function fluxManifests(overlay: GitOpsOverlay, settings: GitOpsSettings): [GitRepository, Kustomization] {
  const name = appName(overlay.name);
  const source = new GitRepository({
    metadata: { name, namespace: settings.flux.namespace, labels },
    spec: { interval: settings.flux.sourceInterval, url: settings.repoURL, ref: { branch: settings.branch } },
  });
  const kustomization = new Kustomization({
    metadata: { name, namespace: settings.flux.namespace, labels },
    spec: {
      interval: settings.flux.interval,
      path: `./${overlayPath(overlay.name)}`,
      prune: true,
      wait: true,
      timeout: settings.flux.timeout,
      sourceRef: { kind: 'GitRepository', name },
      // Only SOPS overlays carry encrypted files; decryption elsewhere would hide a mistake.
      ...(overlay.secrets === 'sops' ? { decryption: { provider: 'sops', secretRef: { name: settings.flux.sopsSecret } } } : {}),
    },
  });
  return [source, kustomization];
}

import type { Policy } from '../lib/types.js';

/** apiVersion (or apiVersion/kind) -> what happened to it and what to use. Kubernetes deprecation guide. */
const REMOVED: Record<string, string> = {
  'extensions/v1beta1': 'removed in Kubernetes 1.16/1.22; use apps/v1, networking.k8s.io/v1 or policy/v1',
  'apps/v1beta1': 'removed in Kubernetes 1.16; use apps/v1',
  'apps/v1beta2': 'removed in Kubernetes 1.16; use apps/v1',
  'rbac.authorization.k8s.io/v1alpha1': 'removed in Kubernetes 1.22; use rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use rbac.authorization.k8s.io/v1',
  'networking.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use networking.k8s.io/v1',
  'admissionregistration.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use apiextensions.k8s.io/v1',
  'apiregistration.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use apiregistration.k8s.io/v1',
  'authentication.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use authentication.k8s.io/v1',
  'authorization.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use authorization.k8s.io/v1',
  'certificates.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use certificates.k8s.io/v1',
  'coordination.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use coordination.k8s.io/v1',
  'scheduling.k8s.io/v1beta1': 'removed in Kubernetes 1.22; use scheduling.k8s.io/v1',
  'scheduling.k8s.io/v1alpha1': 'removed in Kubernetes 1.22; use scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1': 'removed in Kubernetes 1.22/1.27; use storage.k8s.io/v1',
  'policy/v1beta1': 'removed in Kubernetes 1.25 (PodDisruptionBudget; PodSecurityPolicy is gone); use policy/v1',
  'batch/v1beta1': 'removed in Kubernetes 1.25; use batch/v1',
  'batch/v2alpha1': 'removed; use batch/v1',
  'discovery.k8s.io/v1beta1': 'removed in Kubernetes 1.25; use discovery.k8s.io/v1',
  'events.k8s.io/v1beta1': 'removed in Kubernetes 1.25; use events.k8s.io/v1',
  'node.k8s.io/v1beta1': 'removed in Kubernetes 1.25; use node.k8s.io/v1',
  'autoscaling/v2beta1': 'removed in Kubernetes 1.25; use autoscaling/v2',
  'autoscaling/v2beta2': 'removed in Kubernetes 1.26; use autoscaling/v2',
  'flowcontrol.apiserver.k8s.io/v1beta1': 'removed in Kubernetes 1.26; use flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta2': 'removed in Kubernetes 1.29; use flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta3': 'removed in Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1',
};

const DEPRECATED: Record<string, string> = {
  'external-secrets.io/v1beta1': 'deprecated since External Secrets Operator 0.16 and not served from 0.17; use external-secrets.io/v1',
  'external-secrets.io/v1alpha1': 'removed from External Secrets Operator; use external-secrets.io/v1',
  'source.toolkit.fluxcd.io/v1beta1': 'removed in Flux v2.3; use source.toolkit.fluxcd.io/v1',
  'source.toolkit.fluxcd.io/v1beta2':
    'deprecated in Flux v2.3 for GitRepository/HelmRepository/HelmChart/Bucket; use source.toolkit.fluxcd.io/v1 where served',
  'kustomize.toolkit.fluxcd.io/v1beta1': 'removed in Flux v2.3; use kustomize.toolkit.fluxcd.io/v1',
  'kustomize.toolkit.fluxcd.io/v1beta2': 'deprecated in Flux v2.3; use kustomize.toolkit.fluxcd.io/v1',
  'helm.toolkit.fluxcd.io/v2beta1': 'removed in Flux v2.4; use helm.toolkit.fluxcd.io/v2',
  'helm.toolkit.fluxcd.io/v2beta2': 'deprecated in Flux v2.3; use helm.toolkit.fluxcd.io/v2',
};

/**
 * Deprecated for one kind only: the same group version still carries kinds that have no newer
 * version (Gateway API's TCPRoute and UDPRoute are v1alpha2 only).
 */
const DEPRECATED_KINDS: Record<string, string> = {
  'gateway.networking.k8s.io/v1alpha2/TLSRoute':
    'TLSRoute is gateway.networking.k8s.io/v1 since Gateway API v1.5, where v1alpha2 is left in the Experimental channel only, to be removed in v1.6; use gateway.networking.k8s.io/v1',
  'gateway.networking.k8s.io/v1alpha3/TLSRoute':
    'TLSRoute is gateway.networking.k8s.io/v1 since Gateway API v1.5 and v1alpha3 is deprecated; use gateway.networking.k8s.io/v1',
};

/** OCIRepository is still only v1beta2 in Flux 2.3/2.4. */
const SERVED_EXCEPTIONS = new Set(['source.toolkit.fluxcd.io/v1beta2/OCIRepository']);

export const deprecatedApi: Policy = {
  id: 'deprecated-api',
  severity: 'error',
  description:
    'An object uses an API version removed from current Kubernetes (1.32) or from the controllers the project targets (an error), or one that is deprecated (a warning).',
  remediation:
    'Move the object to the API version the message names; its fields may need the changes listed in the Kubernetes deprecated API migration guide.',
  check({ object }) {
    const version = object.apiVersion;
    const full = `${version}/${object.kind}`;
    if (SERVED_EXCEPTIONS.has(full)) return [];
    const removed = REMOVED[version];
    if (removed) return [{ message: `${version} ${object.kind}: ${removed}` }];
    const deprecated = DEPRECATED[version] ?? DEPRECATED_KINDS[full];
    if (deprecated)
      return [{ message: `${version} ${object.kind}: ${deprecated}`, severity: deprecated.startsWith('removed') ? 'error' : 'warning' }];
    return [];
  },
};

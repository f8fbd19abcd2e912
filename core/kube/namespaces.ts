/**
 * Namespaces no overlay may use. An overlay's Namespace gets a default-deny NetworkPolicy and
 * `restricted` Pod Security enforcement: placed into one of these, it would cut the cluster's own
 * components (DNS, the API server's add-ons) or the GitOps controller that deploys it off the network,
 * or refuse their privileged pods. Shared by the registry validation and the `system-namespace` rule.
 */
export const KUBERNETES_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'default'] as const;
/** Where Argo CD and Flux run by default (their install manifests and `flux bootstrap`). */
export const GITOPS_CONTROLLER_NAMESPACES = ['argocd', 'flux-system'] as const;

/** Why `namespace` is reserved ("belongs to Kubernetes itself"), or undefined when an overlay may use it. */
export function reservedNamespace(namespace: string): string | undefined {
  if ((KUBERNETES_NAMESPACES as readonly string[]).includes(namespace)) return 'belongs to Kubernetes itself';
  if ((GITOPS_CONTROLLER_NAMESPACES as readonly string[]).includes(namespace)) return 'belongs to the GitOps controllers (Argo CD, Flux)';
  return undefined;
}

import { GITOPS_CONTROLLER_NAMESPACES, KUBERNETES_NAMESPACES, reservedNamespace } from '../../core/kube/namespaces.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import type { Policy } from '../lib/types.js';

const POD_SECURITY_PREFIX = 'pod-security.kubernetes.io/';

/**
 * The stack brings a default-deny NetworkPolicy and "restricted" Pod Security enforcement for its namespace:
 * there they would cut DNS or the controller that deploys everything off the network and refuse their
 * privileged pods, and a prune could delete what the cluster needs. Objects without a namespace are not
 * judged (where they land depends on the client).
 */
export const systemNamespace: Policy = {
  id: 'system-namespace',
  severity: 'error',
  description: `No workload, NetworkPolicy or Pod Security label lands in a namespace of Kubernetes (${KUBERNETES_NAMESPACES.join(', ')}) or of the GitOps controllers (${GITOPS_CONTROLLER_NAMESPACES.join(', ')}).`,
  remediation:
    "Give the stack a namespace of its own (the overlay's `namespace` in the registry, e.g. monitoring-prod) and leave kube-system, kube-public, kube-node-lease, default, argocd and flux-system to their owners.",
  kinds: [...WORKLOAD_KINDS, 'NetworkPolicy', 'Namespace'],
  check({ object }) {
    if (object.kind === 'Namespace') {
      const reserved = reservedNamespace(object.metadata.name);
      const labels = Object.keys(object.metadata.labels ?? {}).filter((key) => key.startsWith(POD_SECURITY_PREFIX));
      if (!reserved || labels.length === 0) return [];
      // Only the enforce label refuses pods; warn and audit labels report.
      const enforces = labels.includes(`${POD_SECURITY_PREFIX}enforce`);
      return [
        {
          message: `sets ${labels.join(', ')} on namespace ${object.metadata.name}, which ${reserved}; ${enforces ? 'enforcing a Pod Security level there can refuse the pods the cluster itself runs' : 'the cluster runs its own pods there, whose warnings and audit entries would be about this stack'}`,
          ...(enforces ? {} : { practice: true as const }),
        },
      ];
    }
    const namespace = object.metadata.namespace;
    const reserved = namespace === undefined ? undefined : reservedNamespace(namespace);
    if (!reserved) return [];
    const what =
      object.kind === 'NetworkPolicy'
        ? 'a NetworkPolicy, which selects and restricts the pods already running there'
        : 'a workload of this stack, beside the components the cluster relies on';
    // A NetworkPolicy there restricts pods the cluster runs; a workload there is only misplaced, which nothing refuses.
    return [
      {
        message: `is placed into namespace ${namespace}, which ${reserved}: ${what}`,
        ...(object.kind === 'NetworkPolicy' ? {} : { practice: true as const }),
      },
    ];
  },
};

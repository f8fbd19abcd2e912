import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { allowed, flowsOf } from '../lib/network-flows.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Connections: Query and Ruler discovery addresses, the Query Frontend downstream URL, Receive hashring
 * peers; each must be allowed by the egress policies of the client and the ingress policies of the
 * server. Not a practice: wherever the CNI enforces NetworkPolicies a blocked flow breaks the stack
 * (Query cannot reach Store over gRPC: every query misses that data), whoever wrote the manifests.
 * Pods no policy selects are open in that direction (network-policy says whether that is wanted).
 */
export const networkFlow: Policy = {
  id: 'network-flow',
  severity: 'error',
  description:
    "The input's NetworkPolicies allow every connection the stack's configuration makes between its workloads (Query to Store, Frontend to Query, Receive to its peers); where policies are enforced a blocked one breaks queries or writes.",
  remediation:
    'Allow each flow the configuration uses: an egress rule on the client to the server pods and port, and an ingress rule on the server from the client pods.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }): Diagnostic[] {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const flow of flowsOf(index, workload)) {
      const key = `${flow.to.kind}/${flow.to.name}:${flow.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const portText = flow.portName ? `${flow.port} (${flow.portName})` : String(flow.port);
      if (!allowed(index, workload, flow.to, flow, 'Egress')) {
        out.push({
          message: `egress to ${flow.to.kind} ${flow.to.name} port ${portText} is not allowed by its NetworkPolicies, but ${flow.what} needs it`,
        });
      }
      if (!allowed(index, flow.to, workload, flow, 'Ingress')) {
        out.push({
          message: `${flow.to.kind} ${flow.to.name} does not allow ingress from it on port ${portText}, but ${flow.what} needs it`,
        });
      }
    }
    return out;
  },
};

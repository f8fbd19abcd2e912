import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asRecord, sameNamespace } from '../lib/model.js';
import { policySelects } from '../lib/network-flows.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Every workload is isolated: a NetworkPolicy of its namespace selects its pods. A practice: the
 * cluster runs unselected pods fine. Flows a policy blocks are network-flow's (an error everywhere).
 */
export const networkPolicy: Policy = {
  id: 'network-policy',
  severity: 'error',
  practice: true,
  description: 'Every workload is selected by a NetworkPolicy in its namespace, so only the connections its policies allow reach it.',
  remediation:
    'Select the workload with a NetworkPolicy (a namespace default deny plus one policy per component that allows the flows it needs).',
  kinds: WORKLOAD_KINDS,
  check({ input, index }): Diagnostic[] {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const selected = index
      .ofKind('NetworkPolicy')
      .some(
        (p) =>
          sameNamespace(p.object.metadata.namespace, workload.namespace) &&
          policySelects(asRecord(p.object.spec)?.podSelector, workload.podLabels),
      );
    return selected
      ? []
      : [{ message: 'no NetworkPolicy selects its pods: any pod in the cluster can reach it and it can reach anything' }];
  },
};

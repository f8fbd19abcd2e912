import { REPLICATED_KINDS } from '../lib/kinds.js';
import { asRecord, sameNamespace, selectorMatches } from '../lib/model.js';
import type { Policy } from '../lib/types.js';

export const pdb: Policy = {
  id: 'pdb',
  severity: 'error',
  practice: true,
  description:
    'A workload with more than 1 replica is selected by a PodDisruptionBudget in its namespace, so a node drain cannot take every replica at once.',
  remediation: 'Add a policy/v1 PodDisruptionBudget with maxUnavailable: 1 whose selector matches the pod template labels.',
  kinds: REPLICATED_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload || workload.replicas <= 1) return [];
    const budgets = index
      .ofKind('PodDisruptionBudget')
      .filter(
        (p) =>
          sameNamespace(p.object.metadata.namespace, workload.namespace) &&
          selectorMatches(asRecord(p.object.spec)?.selector, workload.podLabels),
      );
    if (budgets.length === 0) return [{ message: `${workload.replicas} replicas and no PodDisruptionBudget selects its pods` }];
    if (budgets.length > 1) {
      return [
        {
          message: `more than one PodDisruptionBudget selects its pods (${budgets
            .map((b) => b.object.metadata.name)
            .sort()
            .join(', ')}); the eviction API refuses to evict them`,
          severity: 'warning',
        },
      ];
    }
    const spec = asRecord(budgets[0].object.spec);
    if (
      spec?.maxUnavailable === 0 ||
      spec?.maxUnavailable === '0%' ||
      (typeof spec?.minAvailable === 'number' && spec.minAvailable >= workload.replicas) ||
      spec?.minAvailable === '100%'
    ) {
      return [
        {
          message: `PodDisruptionBudget ${budgets[0].object.metadata.name} allows no disruption: node drains will block`,
          severity: 'warning',
        },
      ];
    }
    return [];
  },
};

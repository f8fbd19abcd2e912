import { REPLICATED_KINDS } from '../lib/kinds.js';
import { asArray, asRecord, selectorMatches, type Workload } from '../lib/model.js';
import { isReceiveRouter, prometheusContainer } from '../lib/thanos.js';
import type { Policy } from '../lib/types.js';

const HOST_KEYS = new Set(['kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone']);

/** Prometheus and Receive keep data per replica: two replicas on one node lose HA with the node (a Receive router keeps none). */
function requiresSpread(w: Workload): boolean {
  return w.containers.some((c) => c.thanos === 'receive' && !isReceiveRouter(c)) || prometheusContainer(w) !== undefined;
}

/**
 * Topology keys: kubernetes.io/hostname or a zone. Prometheus and Receive ingestors keep data per replica,
 * so a preference is not enough for them; a stateless workload may prefer it, and having none is a warning.
 * A term whose selector misses the pod's own labels is an error for any workload.
 */
export const antiAffinity: Policy = {
  id: 'anti-affinity',
  severity: 'error',
  practice: true,
  description:
    'A workload with more than 1 replica spreads its pods over nodes (anti-affinity or topology spread selecting its own pods): required for Prometheus and Receive, a warning elsewhere.',
  remediation:
    "Add podAntiAffinity on topologyKey kubernetes.io/hostname or a topologySpreadConstraint, selecting the workload's own pod labels; for Prometheus and Receive make it required (requiredDuringSchedulingIgnoredDuringExecution, or whenUnsatisfiable: DoNotSchedule).",
  kinds: REPLICATED_KINDS,
  check({ input, index }) {
    const w = index.workloadOf(input);
    if (!w || w.replicas <= 1) return [];
    const anti = asRecord(asRecord(w.podSpec.affinity)?.podAntiAffinity);
    const required = asArray(anti?.requiredDuringSchedulingIgnoredDuringExecution).map(asRecord);
    const preferred = asArray(anti?.preferredDuringSchedulingIgnoredDuringExecution).map((p) => asRecord(asRecord(p)?.podAffinityTerm));
    const spread = asArray(w.podSpec.topologySpreadConstraints).map(asRecord);
    const strict = spread.filter((s) => s?.whenUnsatisfiable !== 'ScheduleAnyway');
    const loose = spread.filter((s) => s?.whenUnsatisfiable === 'ScheduleAnyway');
    const good = (terms: (Record<string, unknown> | undefined)[]) =>
      terms.some((t) => t && HOST_KEYS.has(String(t.topologyKey)) && selectorMatches(t.labelSelector, w.podLabels));
    const all = [...required, ...preferred, ...spread].filter(Boolean);
    const strong = good(required) || good(strict);
    const weak = good(preferred) || good(loose);
    if (strong || (weak && !requiresSpread(w))) return [];
    if (all.length > 0 && !weak) {
      return [
        {
          message: `${w.replicas} replicas, but no anti-affinity or spread constraint selects its own pods on a node or zone topology key (check labelSelector against the pod labels ${Object.entries(
            w.podLabels,
          )
            .map(([k, v]) => `${k}=${v}`)
            .join(',')})`,
        },
      ];
    }
    if (requiresSpread(w)) {
      return [
        {
          message: `${w.replicas} replicas of a stateful ${prometheusContainer(w) ? 'Prometheus' : 'Receive'} need required pod anti-affinity on kubernetes.io/hostname (or a DoNotSchedule spread constraint); ${weak ? 'a preference' : 'nothing'} lets two replicas share a node`,
        },
      ];
    }
    return [
      {
        message: `${w.replicas} replicas with no pod anti-affinity or topology spread; they may all land on one node`,
        severity: 'warning',
      },
    ];
  },
};

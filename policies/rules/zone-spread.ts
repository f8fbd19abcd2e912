import { asArray, asRecord, selectorMatches, type Workload } from '../lib/model.js';
import { profileOf } from '../lib/profile.js';
import type { Policy } from '../lib/types.js';

export const ZONE_KEYS = new Set(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone']);

/** Whether the workload's pods spread over zones: a spread constraint or anti-affinity term on a zone key selecting its own pods. */
function spreadsOverZones(w: Workload): boolean {
  const anti = asRecord(asRecord(w.podSpec.affinity)?.podAntiAffinity);
  const terms = [
    ...asArray(w.podSpec.topologySpreadConstraints).map(asRecord),
    ...asArray(anti?.requiredDuringSchedulingIgnoredDuringExecution).map(asRecord),
    ...asArray(anti?.preferredDuringSchedulingIgnoredDuringExecution).map((p) => asRecord(asRecord(p)?.podAffinityTerm)),
  ];
  return terms.some((t) => t && ZONE_KEYS.has(String(t.topologyKey)) && selectorMatches(t.labelSelector, w.podLabels));
}

/**
 * Prod: a Namespace labelled thanos-ha.dev/profile: prod (an overlay's, or one in `--file` input), or
 * `--file` input with `--profile prod`. The StatefulSets: Prometheus, Receive ingestors, Store shards, Alertmanager, Ruler; the
 * zone spread selects its own pods, beside the hostname anti-affinity.
 */
export const zoneSpread: Policy = {
  id: 'zone-spread',
  severity: 'warning',
  description:
    'In prod, a StatefulSet with more than 1 replica spreads its pods over zones (a topologySpreadConstraint or anti-affinity on topology.kubernetes.io/zone), so a zone outage cannot take every replica.',
  remediation:
    "Add a topologySpreadConstraint with topologyKey topology.kubernetes.io/zone, maxSkew 1 and a labelSelector of the workload's own pod labels (the stack config's placement.zoneSpread does this for every stateful component).",
  kinds: ['StatefulSet'],
  check({ input, index, settings }) {
    const w = index.workloadOf(input);
    if (!w || w.replicas <= 1 || profileOf(index, input, settings) !== 'prod' || spreadsOverZones(w)) return [];
    return [
      { message: `${w.replicas} replicas and no spreading over zones (topology.kubernetes.io/zone): one zone outage can take all of them` },
    ];
  },
};

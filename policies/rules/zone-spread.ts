import { PROFILE_LABEL } from '../../core/labels.js';
import { asArray, asRecord, selectorMatches, type Index, type Workload } from '../lib/model.js';
import type { CheckSettings, InputObject, Policy } from '../lib/types.js';

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

/** prod: an overlay's Namespace says so (thanos-ha.dev/profile); `--file` input only with `--profile prod`. */
function isProd(index: Index, input: InputObject, settings: CheckSettings): boolean {
  if (input.overlay === undefined) return settings.profile === 'prod';
  const namespace = input.object.metadata.namespace;
  return index.find('Namespace', undefined, namespace ?? '')?.object.metadata.labels?.[PROFILE_LABEL] === 'prod';
}

/**
 * Prod: an overlay whose Namespace is labelled thanos-ha.dev/profile: prod, or `--file` input with
 * `--profile prod`. The StatefulSets: Prometheus, Receive ingestors, Store shards, Alertmanager, Ruler; the
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
    if (!w || w.replicas <= 1 || !isProd(index, input, settings) || spreadsOverZones(w)) return [];
    return [
      { message: `${w.replicas} replicas and no spreading over zones (topology.kubernetes.io/zone): one zone outage can take all of them` },
    ];
  },
};

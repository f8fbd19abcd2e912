import { WORKLOAD_KINDS } from './engine/kinds.js';
import type { Index } from './engine/model.js';
import { externalLabelsOf, perPodLabelFlags, sidecarOf } from './engine/thanos.js';
import type { Diagnostic, Policy } from './engine/types.js';

const cache = new WeakMap<Index, Map<string, string[]>>();

/** Per-replica label name -> the producers that set it, in one rendered set. */
export function replicaLabelProducers(index: Index): Map<string, string[]> {
  let map = cache.get(index);
  if (map) return map;
  map = new Map();
  const add = (label: string, who: string) => {
    const list = map!.get(label) ?? [];
    if (!list.includes(who)) list.push(who);
    map!.set(label, list);
  };
  for (const w of index.workloads) {
    if (sidecarOf(w)) for (const label of externalLabelsOf(index, w).perPod) add(label, `Prometheus ${w.kind} ${w.name} (external label)`);
    for (const c of w.containers) {
      if (c.thanos === 'rule' || c.thanos === 'receive') for (const label of perPodLabelFlags(c)) add(label, `thanos ${c.thanos} ${w.kind} ${w.name} (--label)`);
    }
  }
  cache.set(index, map);
  return map;
}

export const replicaLabels: Policy = {
  id: 'replica-labels',
  severity: 'error',
  description:
    'Every per-replica label a producer sets (a Prometheus external label with a per-pod value, found through the sidecar\'s config file and its ConfigMap; ruler and receive `--label` with a per-pod value) is listed in every Query\'s `--query.replica-label`; otherwise deduplication silently fails and every series appears once per replica.',
  remediation: 'Add --query.replica-label=<label> to every thanos query for each per-replica label the producers set.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { container: c } of index.thanosContainersOf(input, 'query')) {
      // --query.replica-label is repeatable and each value may also be comma-separated.
      const listed = new Set(c.flags.values('--query.replica-label').flatMap((v) => v.split(',')).map((v) => v.trim()));
      for (const [label, producers] of [...replicaLabelProducers(index).entries()].sort(([a], [b]) => a.localeCompare(b))) {
        if (!listed.has(label)) out.push({ message: `container ${c.name}: --query.replica-label does not list ${label}, the per-replica label of ${producers.join(', ')}` });
      }
    }
    return out;
  },
};

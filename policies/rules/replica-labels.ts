import { WORKLOAD_KINDS } from '../lib/kinds.js';
import type { Container, Index, Workload } from '../lib/model.js';
import { discoveryAddresses } from '../lib/discovery.js';
import { externalLabelsOf, perPodLabelFlags, receiveMode, sidecarOf } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

interface Producer {
  readonly who: string;
  readonly namespace?: string;
}

const cache = new WeakMap<Index, Map<string, Producer[]>>();

/** Per-replica label name -> the producers that set it, in one rendered set. */
export function replicaLabelProducers(index: Index): Map<string, Producer[]> {
  let map = cache.get(index);
  // Stryker disable next-line ConditionalExpression: the cache saves work only; recomputing gives the same map
  if (map) return map;
  map = new Map();
  const add = (label: string, who: string, namespace: string | undefined) => {
    const list = map!.get(label) ?? [];
    if (!list.some((p) => p.who === who && p.namespace === namespace)) list.push({ who, namespace });
    map!.set(label, list);
  };
  // Receive writes a series to more than one receiver only with a replication factor above 1 (set
  // where writes are routed); with 1, each series lives in one receiver and has nothing to deduplicate.
  const replicated = new Set<string>();
  for (const { workload, container } of index.thanos('receive')) {
    if (receiveMode(container) !== 'ingestor' && Number(container.flags.get('--receive.replication-factor') ?? '1') > 1)
      replicated.add(workload.namespace ?? '');
  }
  for (const w of index.workloads) {
    if (sidecarOf(w))
      for (const label of externalLabelsOf(index, w).perPod) add(label, `Prometheus ${w.kind} ${w.name} (external label)`, w.namespace);
    for (const c of w.containers) {
      // A router stores nothing: its --label never reaches a series.
      if (c.thanos === 'receive' && (receiveMode(c) === 'router' || !replicated.has(w.namespace ?? ''))) continue;
      if (c.thanos === 'rule' || c.thanos === 'receive')
        for (const label of perPodLabelFlags(c)) add(label, `thanos ${c.thanos} ${w.kind} ${w.name} (--label)`, w.namespace);
    }
  }
  cache.set(index, map);
  return map;
}

/** Why a label written in the list is not listed: a space next to a comma (an exact entry would have matched). */
function spacedHint(listed: ReadonlySet<string>, label: string): string {
  const spaced = [...listed].find((v) => v.trim() === label);
  return spaced === undefined
    ? ''
    : ` (it lists '${spaced}': Thanos splits the value on ',' without trimming spaces; write ${label} without them)`;
}

/**
 * The namespaces a Query reads from: its own and those its endpoint addresses name
 * (`<svc>.<namespace>.svc...`). Stacks in other namespaces are not its producers.
 */
function reachedNamespaces(index: Index, workload: Workload, c: Container): Set<string | undefined> {
  const out = new Set<string | undefined>([workload.namespace]);
  for (const a of discoveryAddresses(index, workload, c).addresses) {
    const host = a.address
      .replace(/^[a-z+]*\+/, '')
      .replace(/^[a-z]+:\/\//, '')
      .split(/[:/]/)[0];
    const m = /(?:^|\.)([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.|$)/.exec(host.replace(/^(_[^.]+\.){2}/, ''));
    if (m) out.add(m[2]);
  }
  return out;
}

/**
 * Per-replica labels: a Prometheus external label with a per-pod value (found through the sidecar's config
 * file and its ConfigMap), a ruler `--label` with a per-pod value, and a receive `--label` where writes are
 * replicated (`--receive.replication-factor` above 1; a router's labels reach no series). A Query reads the
 * producers in its namespace and in the namespaces its endpoints name.
 */
export const replicaLabels: Policy = {
  id: 'replica-labels',
  severity: 'error',
  description:
    'Every per-replica label a producer sets is in the `--query.replica-label` list of every Query reading it; otherwise deduplication silently fails and each series appears once per replica.',
  remediation: 'Add --query.replica-label=<label> to every thanos query for each per-replica label the producers set.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { workload, container: c } of index.thanosContainersOf(input, 'query')) {
      // --query.replica-label is repeatable and each value may also be comma-separated; Thanos splits on ','
      // without trimming (pkg/strutil/labels.go:15-25 at v0.42.4), so ' b' in 'a, b' is a label named ' b'.
      const listed = new Set(c.flags.values('--query.replica-label').flatMap((v) => v.split(',')));
      const reached = reachedNamespaces(index, workload, c);
      for (const [label, all] of [...replicaLabelProducers(index).entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const producers = all.filter((p) => p.namespace === undefined || workload.namespace === undefined || reached.has(p.namespace));
        if (producers.length > 0 && !listed.has(label))
          out.push({
            message: `container ${c.name}: --query.replica-label does not list ${label}, the per-replica label of ${producers.map((p) => p.who).join(', ')}${spacedHint(listed, label)}`,
          });
      }
    }
    return out;
  },
};

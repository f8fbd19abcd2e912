import { WORKLOAD_KINDS } from '../lib/kinds.js';
import {
  CLUSTER_LABEL,
  DATA_SCOPE_ANNOTATION,
  FLEET_SCOPE,
  clusterOfSet,
  describeWorkload,
  labelSetKey,
  producersOf,
  servesOtherClusters,
  type Producer,
} from '../lib/cluster.js';
import type { Container, Index, Workload } from '../lib/model.js';
import { externalLabelsOf, labelFlags, objstoreOf, sidecarOf } from '../lib/thanos.js';
import type { CrossSetDiagnostic, Diagnostic, Policy } from '../lib/types.js';

/** The cluster a set's producers belong to: the overlay's cluster, else the cluster label its Prometheus carries. */
function ownCluster(index: Index): string | undefined {
  return (
    clusterOfSet(index) ?? producersOf(index).find((p) => p.what === 'Prometheus' && p.labels?.[CLUSTER_LABEL])?.labels?.[CLUSTER_LABEL]
  );
}

/** A Ruler or Receive carries the cluster label exactly when it serves only its own cluster. */
function clusterScope(index: Index, producer: Producer): Diagnostic[] {
  const labels = labelFlags(producer.container);
  if (servesOtherClusters(producer.workload)) {
    if (labels[CLUSTER_LABEL] === undefined) return [];
    return [
      {
        message: `runs ${producer.what} that serves other clusters' data (${DATA_SCOPE_ANNOTATION}: ${FLEET_SCOPE}) but sets --label=${CLUSTER_LABEL}="${labels[CLUSTER_LABEL]}": Thanos external labels overwrite series and alert labels of the same name, so every other cluster's data would be labelled ${labels[CLUSTER_LABEL]}`,
      },
    ];
  }
  const cluster = ownCluster(index);
  if (labels[CLUSTER_LABEL] !== undefined || cluster === undefined) return [];
  return [
    {
      message: `runs ${producer.what} without a ${CLUSTER_LABEL} external label, though it serves only cluster ${cluster}: its alerts and the blocks it uploads cannot be told from another cluster's. Add --label=${CLUSTER_LABEL}="${cluster}" beside its replica label (or annotate ${DATA_SCOPE_ANNOTATION}: ${FLEET_SCOPE} if it serves other clusters' data)`,
      severity: 'warning',
    },
  ];
}

/**
 * A Ruler or Receive without any --label. Receive exits at start ("no external labels configured for receive",
 * T@v0.42.4 cmd/thanos/receive.go:81-83). A Ruler with a bucket (and its own TSDB, no --remote-write.config)
 * starts, but its shipper refuses every block ("empty external labels are not allowed for Thanos block.",
 * pkg/block/block.go:132-135 through pkg/shipper/shipper.go:503-518) and only logs it (cmd/thanos/rule.go:917-920):
 * two such Rulers on one bucket collide in nothing, because neither uploads.
 */
function withoutLabels(index: Index, workload: Workload): Map<Container, Diagnostic> {
  const out = new Map<Container, Diagnostic>();
  for (const c of workload.containers) {
    if (c.flags.values('--label').length > 0) continue;
    if (c.thanos === 'receive')
      out.set(c, {
        message: `container ${c.name}: thanos receive exits at start without --label ("no external labels configured for receive"); add --label=receive_replica="$(POD_NAME)" and a cluster label`,
      });
    else if (
      c.thanos === 'rule' &&
      objstoreOf(index, workload, c) &&
      !c.flags.has('--remote-write.config') &&
      !c.flags.has('--remote-write.config-file')
    )
      out.set(c, {
        message: `container ${c.name}: thanos rule uploads no block to its bucket without --label: the shipper refuses each one ("empty external labels are not allowed for Thanos block.") and only logs a warning every 30s, so its rule results stay on its volume until --tsdb.retention deletes them; add --label=rule_replica="$(POD_NAME)" and a cluster label`,
      });
  }
  return out;
}

const collisionsCache = new WeakMap<Index, Map<Producer, Producer[]>>();

/**
 * Within one set (stacks in several namespaces of one input, or two Prometheus of one stack): the
 * other producers uploading to the same visible bucket with the same label set whose per-pod values
 * can be equal too (the same pod names, or no per-pod label).
 * Grouped once per set by bucket and label set, so each producer is compared with its group only.
 */
function sameBlocks(index: Index): Map<Producer, Producer[]> {
  let map = collisionsCache.get(index);
  if (map) return map;
  map = new Map();
  const groups = new Map<string, Producer[]>();
  for (const p of producersOf(index)) {
    const key = labelSetKey(p);
    if (!key || !p.bucket) continue;
    const group = groups.get(`${p.bucket}|${key}`) ?? [];
    if (!group.some((q) => q.workload === p.workload)) group.push(p);
    groups.set(`${p.bucket}|${key}`, group);
  }
  // A per-pod label holds the pod name: two workloads of different names never write the same value.
  const collide = (a: Producer, b: Producer) => a !== b && (a.perPod.length === 0 || a.workload.name === b.workload.name);
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const p of group) {
      const others = group.filter((q) => collide(p, q));
      if (others.length > 0) map.set(p, others);
    }
  }
  collisionsCache.set(index, map);
  return map;
}

/**
 * The sidecar refuses to start without `global.external_labels`; with more than 1 replica one of them has a
 * per-pod value such as `$(POD_NAME)`. The labels are read from the config file the sidecar renders
 * (`--reloader.config-file`) or Prometheus reads (`--config.file`), through the volume mount to its
 * ConfigMap. Producers (Prometheus, Ruler, Receive) on one bucket (same provider, endpoint, bucket and
 * `prefix`) with the same label set, replica values aside, are an error naming both, within one input or
 * across overlays: the compactor sees overlapping blocks and halts, and a global query cannot tell the
 * clusters apart. A Receive without any `--label` exits; a Ruler with a bucket and none uploads nothing
 * (withoutLabels). A Ruler or Receive that serves only its own cluster and has no `cluster` label is a
 * warning; one annotated `thanos-ha.dev/data-scope: fleet` (it serves other clusters' data) that sets one is
 * an error, since external labels overwrite the series' own. `check --changed-since` adds the overlays that
 * share a bucket with a changed one.
 */
export const externalLabels: Policy = {
  id: 'external-labels',
  severity: 'error',
  description:
    'A Prometheus with a Thanos sidecar has external labels, one of them per-pod when replicated, a Receive or a Ruler that uploads has --label, and no two producers on one bucket, also across overlays, share a label set.',
  remediation:
    'Set global.external_labels in the Prometheus config, with a per-replica label such as prometheus_replica: $(POD_NAME) expanded by the sidecar reloader, and a cluster label that differs per cluster (the registry\'s `cluster`, or `overrides.prometheus.clusterLabel`); give a Ruler or Receive of one cluster --label=cluster="<cluster>", and none to one that serves several clusters.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const mine = producersOf(index).filter((p) => p.workload === workload);
    // A Ruler or Receive without any label is told to add them all: the missing cluster label is not said again.
    const bare = withoutLabels(index, workload);
    const out = [
      ...bare.values(),
      ...mine.filter((p) => p.what !== 'Prometheus' && !bare.has(p.container)).flatMap((p) => clusterScope(index, p)),
    ];
    const collisions = sameBlocks(index);
    for (const p of mine) {
      const others = collisions.get(p);
      if (!others) continue;
      out.push({
        message: `${p.what} ${describeWorkload(p.workload)} and ${others.map((o) => `${o.what} ${describeWorkload(o.workload)}`).join(', ')} upload to the same bucket ${p.bucket} with the same external labels {${labelSetKey(p)}}: the compactor sees overlapping blocks and halts, and a query cannot tell them apart`,
      });
    }
    if (!sidecarOf(workload)) return out;
    const found = externalLabelsOf(index, workload);
    if (!found.labels)
      return [...out, { message: `cannot see the Prometheus config to check external labels: ${found.problem}`, severity: 'warning' }];
    if (Object.keys(found.labels).length === 0)
      return [...out, { message: `${found.from} has no global.external_labels; the Thanos sidecar refuses to start without them` }];
    if (workload.replicas > 1 && found.perPod.length === 0) {
      out.push({
        message: `${workload.replicas} replicas share the external labels ${Object.entries(found.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}; one label must differ per replica (e.g. prometheus_replica: $(POD_NAME)) or their blocks collide`,
      });
    }
    return out;
  },
  checkAcrossSets(sets) {
    const out: CrossSetDiagnostic[] = [];
    const all = sets.flatMap((set) => producersOf(set.index).map((producer) => ({ set: set.name, producer, key: labelSetKey(producer) })));
    for (const a of all) {
      for (const b of all) {
        if (a.set === b.set || !a.key || a.key !== b.key || !a.producer.bucket || a.producer.bucket !== b.producer.bucket) continue;
        out.push({
          set: a.set,
          input: a.producer.workload.input,
          message: `overlay ${a.set} (${a.producer.what}, ${describeWorkload(a.producer.workload)}) and overlay ${b.set} (${b.producer.what}, ${describeWorkload(b.producer.workload)}) upload to the same bucket ${a.producer.bucket} with the same external labels {${a.key}}: the compactor sees overlapping blocks and halts, and a global query cannot tell them apart`,
        });
      }
    }
    return out;
  },
};

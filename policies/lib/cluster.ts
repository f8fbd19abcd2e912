import { CLUSTER_LABEL, DATA_SCOPE_ANNOTATION, FLEET_SCOPE } from '../../core/names.js';
import { CLUSTER_NAME_LABEL } from '../../core/labels.js';
import { asRecord, type Container, type Index, type Workload } from './model.js';
import { bucketIdentity, externalLabelsOf, isReceiveRouter, labelFlags, objstoreOf, perPodLabelFlags, sidecarOf } from './thanos.js';

export { CLUSTER_LABEL, CLUSTER_NAME_LABEL, DATA_SCOPE_ANNOTATION, FLEET_SCOPE };

/**
 * The cluster a rendered set deploys to, as the generator stamps it on the overlay's Namespace
 * (label thanos-ha.dev/cluster). Undefined for manifests that do not say (they are never compared
 * across sets by cluster: nothing tells whether they share one).
 */
export function clusterOfSet(index: Index): string | undefined {
  for (const input of index.ofKind('Namespace')) {
    const value = asRecord(input.object.metadata.labels)?.[CLUSTER_NAME_LABEL];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** A workload that writes blocks to object storage, with the external labels its blocks carry. */
export interface Producer {
  readonly workload: Workload;
  /** "Prometheus" (through its sidecar), "thanos rule" or "thanos receive". */
  readonly what: string;
  /** The container whose flags set the labels (the sidecar for Prometheus). */
  readonly container: Container;
  /** External labels; undefined when the Prometheus config is not visible. */
  readonly labels?: Record<string, string>;
  /** Label names whose value differs per pod (the replica labels). */
  readonly perPod: readonly string[];
  /** "GCS bucket@endpoint/prefix" where the objstore config is visible. */
  readonly bucket?: string;
}

const cache = new WeakMap<Index, Producer[]>();

/** Every Prometheus with a sidecar, Ruler and Receive of a set, each with its labels and bucket. */
export function producersOf(index: Index): Producer[] {
  let list = cache.get(index);
  if (list) return list;
  list = [];
  for (const workload of index.workloads) {
    const sidecar = sidecarOf(workload);
    if (sidecar) {
      const found = externalLabelsOf(index, workload);
      list.push({
        workload,
        what: 'Prometheus',
        container: sidecar,
        labels: found.labels,
        perPod: found.perPod,
        bucket: bucketIdentity(index, objstoreOf(index, workload, sidecar), workload.namespace),
      });
    }
    for (const container of workload.containers) {
      // A Receive router forwards and stores nothing: no blocks, no labels of its own.
      if ((container.thanos !== 'rule' && container.thanos !== 'receive') || isReceiveRouter(container)) continue;
      const bucket = bucketIdentity(index, objstoreOf(index, workload, container), workload.namespace);
      list.push({
        workload,
        what: `thanos ${container.thanos}`,
        container,
        labels: labelFlags(container),
        perPod: perPodLabelFlags(container),
        bucket,
      });
    }
  }
  cache.set(index, list);
  return list;
}

/**
 * The label set with each per-pod value left out: two producers whose sets read the same here write
 * blocks that can carry identical labels (prometheus-0 exists in every cluster), so the compactor
 * takes them for one stream. The replica label's name still counts: Prometheus and a Ruler differ by it.
 */
export function labelSetKey(producer: Producer): string | undefined {
  if (!producer.labels) return undefined;
  return Object.entries(producer.labels)
    .map(([name, value]) => `${name}=${producer.perPod.includes(name) ? '<per pod>' : value}`)
    .sort()
    .join(', ');
}

/** A Ruler or Receive marked as serving other clusters' data too (a fleet's central cluster). */
export function servesOtherClusters(workload: Workload): boolean {
  return asRecord(workload.object.metadata.annotations)?.[DATA_SCOPE_ANNOTATION] === FLEET_SCOPE;
}

export function describeWorkload(workload: Workload): string {
  return `${workload.kind} ${workload.namespace ? `${workload.namespace}/` : ''}${workload.name}`;
}

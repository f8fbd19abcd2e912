import { parseDuration } from '../../core/units/duration.js';
import { producersOf, servesOtherClusters } from './cluster.js';
import type { Container, Index, Workload } from './model.js';
import { hashShard, selectorRelabel, type HashShard, type Labels, type RelabelStep } from './relabel.js';
import { bucketIdentity, describeRef, objstoreKey, objstoreOf } from './thanos.js';

/**
 * Store Gateways, compactors and block producers of one rendered set, each with the bucket it
 * reads or writes and the shard selector it applies: what shard-coverage and compact-singleton
 * reason about. Built once per index.
 */

export interface Sharded {
  readonly workload: Workload;
  readonly container: Container;
  /** The bucket when its config is visible ("S3 b@endpoint"), else the Secret and key that name it. */
  readonly bucket: string;
  /** Whether `bucket` is a visible bucket (comparable across overlays) rather than a Secret key. */
  readonly bucketVisible: boolean;
  /** The selector's steps; undefined without a selector. */
  readonly steps?: readonly RelabelStep[];
  /** Why the selector could not be read. */
  readonly selectorProblem?: string;
  /** Its hashmod shard, when the selector has exactly one hashmod step. */
  readonly shard?: HashShard;
  /** The selector text, trimmed: two selectors with the same text keep the same blocks. */
  readonly selectorText?: string;
}

export interface StoreShard extends Sharded {
  /** --min-time / --max-time as written (Thanos' defaults when unset). */
  readonly minTime: string;
  readonly maxTime: string;
}

export interface Compactor extends Sharded {
  /** --deduplication.replica-label values: ignored when the compactor groups and shards blocks. */
  readonly dedupLabels: readonly string[];
}

/** One producer pod's block labels. */
export interface Producer {
  readonly workload: Workload;
  readonly what: string;
  readonly bucket: string;
  readonly bucketVisible: boolean;
  readonly labels: Labels;
  /** A Receive or Ruler that also carries other clusters' data: its set does not show every producer of its bucket. */
  readonly fleet: boolean;
}

export interface Shards {
  readonly stores: readonly StoreShard[];
  readonly compactors: readonly Compactor[];
  readonly producers: readonly Producer[];
}

export const MIN_TIME_DEFAULT = '0000-01-01T00:00:00Z';
export const MAX_TIME_DEFAULT = '9999-12-31T23:59:59Z';

function bucketOf(index: Index, workload: Workload, container: Container): { bucket: string; bucketVisible: boolean } {
  const ref = objstoreOf(index, workload, container);
  const visible = bucketIdentity(index, ref, workload.namespace);
  if (visible) return { bucket: visible, bucketVisible: true };
  return { bucket: ref ? `${describeRef(ref)} (${objstoreKey(workload, ref)})` : `no object storage configured`, bucketVisible: false };
}

function sharded(index: Index, workload: Workload, container: Container): Sharded {
  const selector = selectorRelabel(index, workload, container);
  return {
    workload,
    container,
    ...bucketOf(index, workload, container),
    steps: selector?.steps,
    selectorProblem: selector?.problem,
    shard: selector?.steps ? hashShard(selector.steps) : undefined,
    selectorText: selector?.text?.trim() || undefined,
  };
}

/** The labels a `$(POD_NAME)` value takes on each pod of a workload: the StatefulSet's pod names. */
function perPod(workload: Workload, container: Container, labels: Labels): Labels[] {
  const podVar = [...container.env.entries()].find(([, v]) => v.perPod)?.[0];
  const hasPerPod = podVar !== undefined && Object.values(labels).some((v) => v.includes(`$(${podVar})`));
  if (!hasPerPod) return [labels];
  return Array.from({ length: Math.max(1, workload.replicas) }, (_, i) => {
    const pod = workload.kind === 'StatefulSet' ? `${workload.name}-${i}` : `${workload.name}-pod-${i}`;
    return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v.split(`$(${podVar})`).join(pod)]));
  });
}

/** Each producer pod's block labels (engine/cluster.ts' producers, one label set per pod). */
function producerPods(index: Index): Producer[] {
  const out: Producer[] = [];
  for (const p of producersOf(index)) {
    if (!p.labels || !objstoreOf(index, p.workload, p.container)) continue;
    const labels: Record<string, string> = { ...p.labels };
    if (p.container.thanos === 'receive') {
      // Receive labels each tenant's blocks with the tenant; the default tenant's name stands for all.
      labels[p.container.flags.get('--receive.tenant-label-name') ?? 'tenant_id'] =
        p.container.flags.get('--receive.default-tenant-id') ?? 'default-tenant';
    }
    const where = bucketOf(index, p.workload, p.container);
    const what =
      p.what === 'Prometheus'
        ? `Prometheus ${p.workload.name}`
        : `${p.container.thanos === 'receive' ? 'Receive' : 'Ruler'} ${p.workload.name}`;
    for (const pod of perPod(p.workload, p.container, labels))
      out.push({ workload: p.workload, what, ...where, labels: pod, fleet: servesOtherClusters(p.workload) });
  }
  return out;
}

const cache = new WeakMap<Index, Shards>();

export function shardsOf(index: Index): Shards {
  let found = cache.get(index);
  if (!found) {
    found = {
      stores: index.thanos('store').map(({ workload, container }) => ({
        ...sharded(index, workload, container),
        minTime: container.flags.get('--min-time') ?? MIN_TIME_DEFAULT,
        maxTime: container.flags.get('--max-time') ?? MAX_TIME_DEFAULT,
      })),
      compactors: index.thanos('compact').map(({ workload, container }) => ({
        ...sharded(index, workload, container),
        dedupLabels: container.flags
          .values('--deduplication.replica-label')
          // Split on ',' without trimming, as Thanos does (pkg/strutil/labels.go:15-25 at v0.42.4).
          .flatMap((v) => v.split(','))
          .filter(Boolean),
      })),
      producers: producerPods(index),
    };
    cache.set(index, found);
  }
  return found;
}

/** A producer's labels as a compactor sees them: without its deduplication replica labels. */
export function asCompactorSees(compactor: Compactor, labels: Labels): Labels {
  if (compactor.dedupLabels.length === 0) return labels;
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !compactor.dedupLabels.includes(k)));
}

/**
 * A Thanos time (`--min-time`/`--max-time`): RFC 3339, or a duration relative to now ("-2w").
 * In milliseconds since the epoch; the defaults are the ends of time. Undefined when unreadable.
 */
export function thanosTime(text: string, now: number): number | undefined {
  if (text === MIN_TIME_DEFAULT) return Number.NEGATIVE_INFINITY;
  if (text === MAX_TIME_DEFAULT) return Number.POSITIVE_INFINITY;
  const relative = /^(-?)(.+)$/.exec(text.trim());
  const ms = relative ? parseDuration(relative[2]) : undefined;
  if (ms !== undefined) return now + (relative![1] === '-' ? -ms : ms);
  const absolute = Date.parse(text);
  return Number.isNaN(absolute) ? undefined : absolute;
}

export function who(s: { workload: Workload }): string {
  return `${s.workload.kind} ${s.workload.namespace ? `${s.workload.namespace}/` : ''}${s.workload.name}`;
}

export function labelText(labels: Labels): string {
  return `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
}

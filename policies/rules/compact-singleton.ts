import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asRecord, type Container, type Index, type Workload } from '../lib/model.js';
import { hashShard, relabel, selectorRelabel, type HashShard, type Labels, type RelabelStep } from '../lib/relabel.js';
import { asCompactorSees, labelText, shardsOf } from '../lib/shards.js';
import { bucketIdentity, describeRef, objstoreKey, objstoreOf } from '../lib/thanos.js';
import type { CheckedSet, CrossSetDiagnostic, Diagnostic, Policy } from '../lib/types.js';
import { memberOf, type FleetMember } from '../lib/fleet.js';

interface Compactor {
  readonly workload: Workload;
  readonly container: Container;
  /** The config's identity within the set (Secret and key, or inline text). */
  readonly configKey?: string;
  readonly configName?: string;
  /** The bucket, where the config is visible. */
  readonly bucket?: string;
  /** The shard selector text; undefined for an unsharded compactor. */
  readonly shard?: string;
  /** Its hashmod residues, when the selector is one hashmod step and keeps. */
  readonly hash?: HashShard;
  readonly steps?: readonly RelabelStep[];
  /** The label sets of the set's producers on its bucket, as it sees them (without its deduplication labels). */
  readonly producers: readonly Labels[];
}

const cache = new WeakMap<Index, Compactor[]>();

function compactors(index: Index): Compactor[] {
  let list = cache.get(index);
  if (!list) {
    const shards = shardsOf(index);
    list = index.thanos('compact').map(({ workload, container }) => {
      const ref = objstoreOf(index, workload, container);
      const mine = shards.compactors.find((c) => c.workload === workload && c.container === container);
      const producers = mine ? shards.producers.filter((p) => p.bucket === mine.bucket).map((p) => asCompactorSees(mine, p.labels)) : [];
      const shard = container.flags.get('--selector.relabel-config') ?? container.flags.get('--selector.relabel-config-file');
      const steps = selectorRelabel(index, workload, container)?.steps;
      return {
        workload,
        container,
        configKey: ref ? objstoreKey(workload, ref) : undefined,
        configName: ref ? describeRef(ref) : undefined,
        bucket: bucketIdentity(index, ref, workload.namespace),
        shard: shard?.trim() ? shard.trim() : undefined,
        hash: steps ? hashShard(steps) : undefined,
        steps,
        producers,
      };
    });
    cache.set(index, list);
  }
  return list;
}

const comparableHashes = (a: Compactor, b: Compactor) =>
  !!a.hash && !!b.hash && a.hash.modulus === b.hash.modulus && a.hash.sourceLabels.join(',') === b.hash.sourceLabels.join(',');

/** A producer (of the set, on the bucket) both compactors keep. */
function keptByBoth(a: Compactor, b: Compactor): Labels | undefined {
  if (!a.steps || !b.steps) return undefined;
  return a.producers.find((labels) => relabel(a.steps!, labels) !== undefined && relabel(b.steps!, labels) !== undefined);
}

/**
 * Two compactors may share a bucket only when both are sharded and keep different blocks: hashmod
 * shards over the same labels and modulus overlap when they keep a common residue; other selectors
 * (a list of clusters each) overlap when a producer in the input is kept by both, or, with no
 * producer in sight, when they are the same text.
 */
function overlap(a: Compactor, b: Compactor): boolean {
  if (!a.shard || !b.shard) return true;
  if (comparableHashes(a, b)) return a.hash!.residues.some((r) => b.hash!.residues.includes(r));
  if (a.producers.length > 0 && a.steps && b.steps) return keptByBoth(a, b) !== undefined;
  return a.shard === b.shard;
}

function sharedResidues(a: Compactor, b: Compactor): string {
  const both = comparableHashes(a, b) ? undefined : keptByBoth(a, b);
  if (both) return `both keep the blocks of ${labelText(both)}`;
  if (!a.hash || !b.hash || a.shard === b.shard) return 'both use the same shard selector';
  const common = a.hash.residues.filter((r) => b.hash!.residues.includes(r));
  return `both keep residue${common.length > 1 ? 's' : ''} ${common.join(', ')} of hashmod ${a.hash.sourceLabels.join(',')} mod ${a.hash.modulus}`;
}

function sameBlocks(a: Compactor, b: Compactor): boolean {
  if (a.bucket && b.bucket) return a.bucket === b.bucket;
  return a.configKey !== undefined && a.configKey === b.configKey;
}

function who(c: Compactor): string {
  return `${c.workload.kind} ${c.workload.namespace ? `${c.workload.namespace}/` : ''}${c.workload.name}`;
}

/** One compactor of a rendered set, with the fleet role of that set (leaf, agent or observer), if any. */
export interface SetCompactor {
  readonly set: string;
  readonly c: Compactor;
  readonly member?: FleetMember;
}

/**
 * Every compactor of the run grouped by the bucket it compacts (where its config shows the
 * bucket), across overlays: a fleet's leaves and agents beside its observer, and any other overlay
 * on the same bucket. The cross-overlay rules (and a shard partition across overlays) start here.
 */
export function compactorsByBucket(sets: readonly CheckedSet[]): Map<string, SetCompactor[]> {
  const groups = new Map<string, SetCompactor[]>();
  for (const set of sets) {
    const member = memberOf(set);
    for (const c of compactors(set.index)) {
      if (!c.bucket) continue;
      groups.set(c.bucket, [...(groups.get(c.bucket) ?? []), { set: set.name, c, ...(member ? { member } : {}) }]);
    }
  }
  return groups;
}

/**
 * A rolling update runs two compactors at once. Sharing a bucket: the same Secret, or the same visible
 * bucket; shard selectors are `--selector.relabel-config`. Overlapping compactors produce overlapping blocks
 * and halt.
 */
export const compactSingleton: Policy = {
  id: 'compact-singleton',
  severity: 'error',
  description:
    'One compactor per set of blocks: 1 replica (a StatefulSet or a Recreate Deployment), and disjoint shard selectors for compactors sharing a bucket, also across overlays.',
  remediation:
    'Run one compactor per bucket with replicas: 1 (a StatefulSet, or a Deployment with strategy Recreate), or shard compactors with disjoint --selector.relabel-config.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const mine = compactors(index).filter((c) => c.workload === workload);
    if (mine.length === 0) return [];
    const out: Diagnostic[] = [];
    // A DaemonSet has no replicas (the model counts it as 2): it is named as a DaemonSet below, not as "2 replicas".
    if (workload.replicas > 1 && workload.kind !== 'DaemonSet')
      out.push({
        message: `runs thanos compact with ${workload.replicas} replicas; two compactors on one bucket create overlapping blocks`,
      });
    if (workload.kind === 'DaemonSet') out.push({ message: 'runs thanos compact as a DaemonSet: one compactor per node' });
    if (workload.kind === 'Deployment') {
      const strategy = asRecord(asRecord(workload.object.spec)?.strategy);
      if (strategy?.type !== 'Recreate')
        out.push({
          message:
            'runs thanos compact in a Deployment with a rolling update, which starts the new compactor before the old one stops; use strategy Recreate or a StatefulSet',
        });
    }
    for (const me of mine) {
      if (mine.length > 1) out.push({ message: `runs thanos compact in ${mine.length} containers of one pod` });
      for (const other of compactors(index)) {
        if (other.workload === workload || !sameBlocks(me, other) || !overlap(me, other)) continue;
        const why =
          !me.shard && !other.shard
            ? 'neither is sharded'
            : !me.shard
              ? 'this one is not sharded'
              : !other.shard
                ? `${who(other)} is not sharded`
                : sharedResidues(me, other);
        out.push({ message: `compacts the same blocks (${me.bucket ?? me.configName}) as ${who(other)}, and ${why}` });
      }
    }
    return out;
  },
  checkAcrossSets(sets) {
    const out: CrossSetDiagnostic[] = [];
    for (const [bucket, group] of compactorsByBucket(sets)) {
      for (const a of group) {
        for (const b of group) {
          if (a.set === b.set || !overlap(a.c, b.c)) continue;
          // In a fleet only the observer compacts the shared bucket: say so when a leaf or agent is one of the two.
          const member = a.member && a.member.role !== 'observer' ? a.member : undefined;
          const message = member
            ? `${member.role} ${a.set} runs a compactor on ${bucket}, the bucket its observer ${member.fleet} compacts${b.set === member.fleet ? ` (${who(b.c)} there)` : ` (as does overlay ${b.set}, ${who(b.c)})`}: ${member.role === 'agent' ? 'an' : 'a'} ${member.role} never compacts, and two compactors on one bucket produce overlapping blocks and halt`
            : `overlay ${a.set} and overlay ${b.set} both run a compactor on ${bucket} (${who(b.c)} there); if both are deployed they compact the same blocks`;
          out.push({ set: a.set, input: a.c.workload.input, message });
        }
      }
    }
    return out;
  },
};

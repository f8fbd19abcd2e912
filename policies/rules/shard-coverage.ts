import { WORKLOAD_KINDS } from '../lib/kinds.js';
import type { Index, Workload } from '../lib/model.js';
import { relabel } from '../lib/relabel.js';
import {
  asCompactorSees,
  labelText,
  shardsOf,
  thanosTime,
  who,
  type Compactor,
  type Producer,
  type Sharded,
  type StoreShard,
} from '../lib/shards.js';
import type { CheckedSet, CrossSetDiagnostic, Diagnostic, Policy } from '../lib/types.js';

/**
 * Shards together cover every block exactly once. Findings are computed once per rendered set and
 * handed to the workload they concern, so each call is a lookup.
 */

const BLOCK_ID = '__block_id';

function names(list: readonly { workload: Workload }[]): string {
  return list.map((s) => s.workload.name).join(', ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Hashmod shards of one group (same bucket, same time range): one modulus, one source, every
 * residue kept by exactly one shard. `duplicates` says whether a residue kept twice is this rule's
 * to report (Store) or compact-singleton's (Compact). Reported once, on the group's first shard.
 */
function residueFindings(group: readonly Sharded[], what: string, duplicates: boolean, add: (w: Workload, d: Diagnostic) => void): void {
  const shards = group.filter((s) => s.shard);
  if (shards.length === 0) return;
  const first = shards[0].workload;
  const moduli = new Set(shards.map((s) => `${s.shard!.sourceLabels.join(',')} mod ${s.shard!.modulus}`));
  if (moduli.size > 1) {
    add(first, {
      message: `${what} shards ${names(shards)} hash different labels or use different moduli (${shards.map((s) => `${s.workload.name}: hashmod of ${s.shard!.sourceLabels.join(',')} mod ${s.shard!.modulus}`).join('; ')}); their residues cannot partition the blocks`,
    });
    return;
  }
  const { modulus, sourceLabels } = shards[0].shard!;
  const keptBy: Workload[][] = Array.from({ length: modulus }, () => []);
  for (const s of shards) for (const r of s.shard!.residues) keptBy[r].push(s.workload);
  const missing = keptBy.flatMap((list, r) => (list.length === 0 ? [r] : []));
  if (missing.length > 0) {
    add(first, {
      message: `${what} shards ${names(shards)} (hashmod of ${sourceLabels.join(',')} mod ${modulus}) keep no shard for residue${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: those blocks are ${what === 'Store' ? 'served by no Store Gateway' : 'never compacted'}`,
    });
  }
  if (!duplicates) return;
  for (const [r, list] of keptBy.entries()) {
    if (list.length > 1)
      add(first, {
        message: `${what} shards ${list.map((w) => w.name).join(' and ')} both keep residue ${r} of hashmod ${sourceLabels.join(',')} mod ${modulus}: those blocks are loaded twice`,
      });
  }
}

/** Time partitions of one bucket's Store Gateways: no gap from the oldest to the newest; overlap is a warning. */
function timeFindings(stores: readonly StoreShard[], add: (w: Workload, d: Diagnostic) => void): void {
  const now = Date.now();
  const ranges = new Map<string, { min: number; max: number; minText: string; maxText: string; stores: StoreShard[] }>();
  for (const s of stores) {
    const min = thanosTime(s.minTime, now);
    const max = thanosTime(s.maxTime, now);
    if (min === undefined || max === undefined) {
      add(s.workload, {
        message: `container ${s.container.name}: --min-time=${s.minTime} / --max-time=${s.maxTime} is not an RFC 3339 time or a duration such as -2w`,
      });
      continue;
    }
    // min > max stops the process ("--min-time can't be greater than --max-time", cmd/thanos/store.go:244-247 at
    // v0.42.4); min = max starts and serves nothing.
    if (min > max)
      add(s.workload, {
        message: `container ${s.container.name}: thanos store exits at start: --min-time=${s.minTime} is after --max-time=${s.maxTime} ("can't be greater than --max-time"); swap them`,
      });
    else if (min === max)
      add(s.workload, {
        message: `container ${s.container.name}: --min-time=${s.minTime} equals --max-time=${s.maxTime}; it serves no block`,
      });
    const key = `${s.minTime}|${s.maxTime}`;
    const range = ranges.get(key);
    if (range) range.stores.push(s);
    else ranges.set(key, { min, max, minText: s.minTime, maxText: s.maxTime, stores: [s] });
  }
  const sorted = [...ranges.values()].sort((a, b) => a.min - b.min || a.max - b.max);
  if (sorted.length < 2) return;
  let reach = sorted[0];
  for (const next of sorted.slice(1)) {
    if (next.min > reach.max) {
      add(next.stores[0].workload, {
        message: `Store time partitions leave a gap between ${reach.maxText} (--max-time of ${names(reach.stores)}) and ${next.minText} (--min-time of ${names(next.stores)}): blocks in between are served by no Store Gateway`,
      });
    } else if (next.min < reach.max) {
      add(next.stores[0].workload, {
        message: `Store time partitions overlap: ${names(next.stores)} (from ${next.minText}) and ${names(reach.stores)} (until ${reach.maxText}) both serve the blocks in between`,
        severity: 'warning',
      });
    }
    if (next.max > reach.max) reach = next;
  }
}

/**
 * Whether hashmod shards keep every block whatever its labels: each step is the hashmod or a keep/drop on the
 * label it writes (the sharding of Thanos' docs), so the residues together, when all kept, keep everything.
 */
function keepsEveryBlock(shard: Sharded): boolean {
  const targets = new Set(shard.steps!.flatMap((step) => (step.action === 'hashmod' ? [step.targetLabel!] : [])));
  return shard.steps!.every(
    (step) =>
      step.action === 'hashmod' || ((step.action === 'keep' || step.action === 'drop') && step.sourceLabels.every((l) => targets.has(l))),
  );
}

/**
 * A Store whose selector is no hashmod shard beside hashmod shards of its bucket and time range: the blocks it
 * keeps that a shard keeps too are loaded twice. Thanos relabels each block's external labels with __block_id
 * (T@v0.42.4 pkg/block/fetcher.go:803-821): shards that keep every block overlap whatever it keeps; otherwise
 * the producers of the bucket in the input tell which blocks both keep. Undefined when none is seen twice.
 */
function keptTwice(plain: StoreShard, shards: readonly StoreShard[], producers: readonly Producer[]): string | undefined {
  // A second hashmod makes it no shard this rule reads: judged by neither check.
  if (plain.steps!.some((step) => step.action === 'hashmod')) return undefined;
  const fix = 'keep these blocks out of the shards (a drop step before their hashmod) or make this Store a shard of theirs';
  if (shards.every(keepsEveryBlock))
    return `keeps blocks of ${plain.bucket} with a selector that is no hashmod shard, beside the Store shards ${names(shards)} that together keep every block of the same bucket and time range: each block it keeps is loaded twice; ${fix}`;
  const both = [
    ...new Set(
      producers
        .filter((p) => {
          const block = { __block_id: '01JBLOCK', ...p.labels };
          return (
            relabel(plain.steps!, block) !== undefined &&
            shards.some((s) => Array.from({ length: s.shard!.modulus }, (_, r) => r).some((r) => relabel(s.steps!, block, r) !== undefined))
          );
        })
        .map((p) => labelText(p.labels)),
    ),
  ];
  if (both.length === 0) return undefined;
  return `keeps the blocks ${both.slice(0, 3).join(', ')} of ${plain.bucket} with a selector that is no hashmod shard, and the Store shards ${names(shards)} of the same time range keep them too: those blocks are loaded twice; ${fix}`;
}

/** The compactors of `compactors` that keep a producer's blocks. */
export function keepers(compactors: readonly Compactor[], producer: Producer): Compactor[] {
  return compactors.filter((c) => !c.steps || relabel(c.steps, asCompactorSees(c, producer.labels)) !== undefined);
}

function uncompacted(producer: Producer, compactors: readonly Compactor[]): string {
  return `${producer.what}'s blocks ${labelText(producer.labels)} on ${producer.bucket} are kept by none of the compactors ${compactors.map((c) => who(c)).join(', ')}: they are never compacted, downsampled or deleted by retention`;
}

function emptyShard(c: Compactor, producers: readonly Producer[]): string {
  return `compactor shard ${c.workload.name} keeps none of the ${producers.length} producer label sets writing to ${c.bucket} (${[...new Set(producers.map((p) => labelText(p.labels)))].slice(0, 5).join(', ')}): it runs for nothing; change its selector or the shard count`;
}

const findingsCache = new WeakMap<Index, Map<Workload, Diagnostic[]>>();

function findings(index: Index): Map<Workload, Diagnostic[]> {
  const cached = findingsCache.get(index);
  if (cached) return cached;
  const out = new Map<Workload, Diagnostic[]>();
  const add = (w: Workload, d: Diagnostic) => {
    const list = out.get(w);
    if (list) list.push(d);
    else out.set(w, [d]);
  };
  const { stores, compactors, producers } = shardsOf(index);

  for (const s of [...stores, ...compactors]) {
    if (s.selectorProblem)
      add(s.workload, {
        message: `container ${s.container.name}: --selector.relabel-config ${s.selectorProblem}; shard coverage was not checked`,
      });
  }

  const producersByBucket = groupBy(producers, (p) => p.bucket);
  for (const [bucket, bucketStores] of groupBy(stores, (s) => s.bucket)) {
    for (const group of groupBy(bucketStores, (s) => `${s.minTime}|${s.maxTime}`).values()) {
      residueFindings(group, 'Store', true, add);
      const sharded = group.filter((s) => s.shard);
      if (sharded.length === 0) continue;
      for (const plain of group) {
        if (plain.shard || plain.selectorProblem) continue;
        if (!plain.steps) {
          add(plain.workload, {
            message: `serves every block of ${plain.bucket} unsharded, beside the Store shards ${names(sharded)} that split the same blocks: each block is loaded twice`,
            severity: 'warning',
          });
          continue;
        }
        const twice = keptTwice(plain, sharded, producersByBucket.get(bucket) ?? []);
        if (twice) add(plain.workload, { message: twice, severity: 'warning' });
      }
    }
    // Stores without a time range serve all of it: they take part in hash sharding, not in time partitions.
    const partitions = bucketStores.filter((s) => s.container.flags.has('--min-time') || s.container.flags.has('--max-time'));
    if (partitions.length > 0) timeFindings(partitions, add);
  }

  for (const c of compactors) {
    const onBlockId = c.steps?.filter((step) => step.sourceLabels.includes(BLOCK_ID)) ?? [];
    if (onBlockId.length > 0) {
      add(c.workload, {
        message: `container ${c.container.name}: shards compaction on ${BLOCK_ID}, which splits one producer's blocks across compactors that then compact them apart (overlaps, halts); shard compactors on an external label such as cluster`,
      });
    }
  }
  for (const [bucket, group] of groupBy(compactors, (c) => c.bucket)) {
    residueFindings(group, 'Compact', false, add);
    const mine = producersByBucket.get(bucket) ?? [];
    for (const p of mine) if (keepers(group, p).length === 0) add(p.workload, { message: uncompacted(p, group) });
    // A producer that also carries other clusters' data means the set does not show every producer: the fleet check judges emptiness.
    if (mine.length > 0 && !mine.some((p) => p.fleet)) {
      for (const c of group)
        if (c.steps && !mine.some((p) => keepers([c], p).length > 0))
          add(c.workload, { message: emptyShard(c, mine), severity: 'warning' });
    }
  }
  findingsCache.set(index, out);
  return out;
}

/**
 * Store Gateways on one bucket and time range sharded by `hashmod` in `--selector.relabel-config` use one
 * modulus over the same labels and keep every residue exactly once (a Store beside them without a selector,
 * or with one that is no hashmod shard and keeps blocks they keep, is a warning: those blocks load twice); their `--min-time`/`--max-time` partitions leave no gap from the oldest to the newest (overlap
 * is a warning). Compactors are sharded on an external label, never on `__block_id`; their hashmod residues
 * are all kept, every producer's external label set in the input (Prometheus external labels, Receive and
 * Ruler `--label`, without the compactor's `--deduplication.replica-label`s) is kept by a compactor of its
 * bucket, and a compactor shard that keeps no known producer is a warning.
 */
export const shardCoverage: Policy = {
  id: 'shard-coverage',
  severity: 'error',
  description:
    "Shards cover every block exactly once: sharded Store Gateways keep every hashmod residue once and leave no time gap; sharded compactors keep every producer's labels, also across overlays.",
  remediation:
    'Give every shard of a group the same hashmod step (source labels and modulus) and keep residues 0..modulus-1 once each (generate shards from one count), make time partitions meet (--max-time of one = --min-time of the next), and shard compactors with hashmod over an external label such as cluster.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    return workload ? (findings(index).get(workload) ?? []) : [];
  },
  checkAcrossSets(sets: readonly CheckedSet[]): CrossSetDiagnostic[] {
    // Only visible buckets compare across overlays; a Secret key names a different object in each.
    const compactorsByBucket = new Map<string, { set: string; c: Compactor }[]>();
    const producersByBucket = new Map<string, { set: string; p: Producer }[]>();
    const add = <T>(map: Map<string, T[]>, key: string, item: T) => {
      const list = map.get(key);
      if (list) list.push(item);
      else map.set(key, [item]);
    };
    for (const set of sets) {
      const { compactors, producers } = shardsOf(set.index);
      for (const c of compactors) if (c.bucketVisible) add(compactorsByBucket, c.bucket, { set: set.name, c });
      for (const p of producers) if (p.bucketVisible) add(producersByBucket, p.bucket, { set: set.name, p });
    }
    const out: CrossSetDiagnostic[] = [];
    for (const [bucket, compactors] of compactorsByBucket) {
      const producers = producersByBucket.get(bucket) ?? [];
      const compactorSets = new Set(compactors.map((c) => c.set));
      const every = compactors.map((c) => c.c);
      for (const { set, p } of producers) {
        // Producers beside a compactor of their own bucket were judged with their set.
        if (compactorSets.has(set)) continue;
        if (keepers(every, p).length === 0)
          out.push({
            set,
            input: p.workload.input,
            message: `overlay ${set}: ${uncompacted(p, every)} (in overlay ${[...compactorSets].join(', ')})`,
          });
      }
      if (new Set(producers.map((p) => p.set)).size < 2) continue;
      const all = producers.map(({ p }) => p);
      for (const { set, c } of compactors) {
        if (c.steps && !all.some((p) => keepers([c], p).length > 0))
          out.push({ set, input: c.workload.input, message: emptyShard(c, all), severity: 'warning' });
      }
    }
    return out;
  },
};

import type { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { StackConfig } from '../model/stack.js';
import { headlessService, serviceAccount } from '../lib/objects.js';
import { objstoreFlag, objstoreVolume, objstoreVolumeMount, scratchVolume } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../../core/ports.js';
import { stringify } from '../../core/yaml.js';
import { COMPACT_NAME } from '../../core/names.js';
import { replicaLabels } from './query.js';
import { hashmodSelector, shardedWorkload, thanosContainer, thanosIdentity, thanosStatefulSet } from './thanos-common.js';

const DATA_DIR = '/var/thanos/compact';

export interface CompactObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  /** One `thanos-compact`, or one `thanos-compact-<n>` per shard. */
  readonly statefulSets: readonly StatefulSet[];
}

/** The compactor StatefulSets' names, from the same count the selectors are made of. */
export function compactShardNames(stack: StackConfig): string[] {
  const { shards } = stack.compact;
  return shards > 1 ? Array.from({ length: shards }, (_, i) => `${COMPACT_NAME}-${i}`) : [COMPACT_NAME];
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Shard `index`'s selector. With known values (`shardValues`): keep its share of them; the last
 * shard drops the others' shares instead, so it also keeps values nobody listed. Without: hashmod.
 */
function shardSelector(stack: StackConfig, index: number): string {
  const { shards, shardLabel, shardValues } = stack.compact;
  if (shardValues.length === 0) return hashmodSelector(shardLabel, index, shards);
  const share = (i: number) => shardValues.filter((_, v) => v % shards === i);
  const regex = (values: readonly string[]) => values.map(escapeRegex).join('|');
  if (index < shards - 1) return stringify([{ action: 'keep', source_labels: [shardLabel], regex: regex(share(index)) }]);
  const others = shardValues.filter((_, v) => v % shards !== index);
  return stringify([{ action: 'drop', source_labels: [shardLabel], regex: regex(others) }]);
}

/**
 * Offline deduplication: every replica label of the stack is ignored when grouping blocks, so an HA
 * pair's blocks merge; penalty is the function Thanos documents for Prometheus replicas (samples that
 * are only logically the same).
 */
function deduplicationFlags(stack: StackConfig): string[] {
  if (!stack.compact.deduplication) return [];
  return [...replicaLabels(stack).map((label) => `--deduplication.replica-label=${label}`), '--deduplication.func=penalty'];
}

/**
 * One compactor per set of blocks: two compacting the same blocks produce overlaps and halt. A
 * StatefulSet with OrderedReady never runs two pods of one ordinal, unlike a Deployment's rollout.
 * Shards split the producers by an external label (hashmod of `shardLabel`), never by block id: a
 * producer's blocks must all reach the same compactor to be compacted together.
 */
export function compact(stack: StackConfig): CompactObjects {
  const c = stack.compact;
  const id = thanosIdentity(stack, COMPACT_NAME, 'database-compactor');
  const names = compactShardNames(stack);
  const statefulSets = names.map(
    (name, index) =>
      shardedWorkload(
        id,
        names.length > 1 ? String(index) : undefined,
        1,
        thanosStatefulSet({
          name,
          serviceName: COMPACT_NAME,
          serviceAccountName: COMPACT_NAME,
          id,
          replicas: 1,
          podManagementPolicy: 'OrderedReady',
          storageSize: c.storageSize,
          // The root filesystem is read-only; compact (and Go's os.TempDir) write scratch files under /tmp.
          volumes: [objstoreVolume(stack), scratchVolume('tmp')],
          container: thanosContainer(stack, 'thanos-compact', {
            subcommand: 'compact',
            args: [
              '--wait',
              `--data-dir=${DATA_DIR}`,
              `--http-address=${listenAddress(PORTS.http)}`,
              objstoreFlag(stack),
              `--retention.resolution-raw=${c.retentionRaw}`,
              `--retention.resolution-5m=${c.retention5m}`,
              `--retention.resolution-1h=${c.retention1h}`,
              `--delete-delay=${c.deleteDelay}`,
              `--compact.concurrency=${c.concurrency}`,
              ...deduplicationFlags(stack),
              ...(names.length > 1 ? [`--selector.relabel-config=${shardSelector(stack, index)}`] : []),
            ],
            resources: c.resources,
            probePort: PORTS.http.name,
            ports: [containerPort(PORTS.http)],
            volumeMounts: [{ name: 'data', mountPath: DATA_DIR }, objstoreVolumeMount(), { name: 'tmp', mountPath: '/tmp' }],
          }),
        }),
      ).workload,
  );
  return {
    serviceAccount: serviceAccount(COMPACT_NAME, id),
    service: headlessService(COMPACT_NAME, id, [PORTS.http]),
    statefulSets,
  };
}

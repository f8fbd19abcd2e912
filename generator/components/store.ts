import type { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig, StoreTimePartition } from '../model/stack.js';
import { headlessService, serviceAccount } from '../lib/objects.js';
import { objstoreFlag, objstoreVolume, objstoreVolumeMount, podIdentityEnv } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../../core/ports.js';
import { storeCacheFlags, withExternalCache } from './caches.js';
import { STORE_NAME } from '../../core/names.js';
import { hashmodSelector, shardedWorkload, thanosContainer, thanosIdentity, thanosStatefulSet } from './thanos-common.js';

const DATA_DIR = '/var/thanos/store';

export interface StoreObjects {
  readonly serviceAccount: ServiceAccount;
  /** Headless, selecting every shard: Query discovers them all through its one SRV record. */
  readonly service: Service;
  /** One per shard and time partition; one `thanos-store` when neither is configured. */
  readonly statefulSets: readonly StatefulSet[];
  readonly podDisruptionBudgets: readonly PodDisruptionBudget[];
}

/** One Store Gateway StatefulSet: its name, the shard it keeps (of how many) and its time range. */
interface StoreShard {
  readonly name: string;
  readonly shard?: { readonly index: number; readonly of: number };
  readonly partition?: StoreTimePartition;
}

/**
 * Every StatefulSet the config asks for, named from the same values the selectors are made of:
 * `thanos-store-<shard>`, `thanos-store-<partition>` or `thanos-store-<partition>-<shard>`.
 */
export function storeShards(stack: StackConfig): StoreShard[] {
  const { shards, timePartitions } = stack.store;
  const partitions: (StoreTimePartition | undefined)[] = timePartitions.length > 0 ? [...timePartitions] : [undefined];
  return partitions.flatMap((partition) =>
    Array.from({ length: shards }, (_, index) => ({
      name: [STORE_NAME, partition?.name, shards > 1 ? String(index) : undefined].filter((part) => part !== undefined).join('-'),
      shard: shards > 1 ? { index, of: shards } : undefined,
      partition,
    })),
  );
}

export function store(stack: StackConfig): StoreObjects {
  const s = stack.store;
  const id = thanosIdentity(stack, STORE_NAME, 'object-store-gateway');
  const built = storeShards(stack).map((shard) => {
    const shardKey = [shard.partition?.name, shard.shard ? String(shard.shard.index) : undefined].filter(Boolean).join('-');
    return shardedWorkload(
      id,
      shardKey || undefined,
      s.replicas,
      withExternalCache(
        stack,
        thanosStatefulSet({
          name: shard.name,
          serviceName: STORE_NAME,
          serviceAccountName: STORE_NAME,
          id,
          replicas: s.replicas,
          podManagementPolicy: 'Parallel',
          antiAffinity: 'preferred',
          storageSize: s.storageSize,
          volumes: [objstoreVolume(stack)],
          container: thanosContainer(stack, 'thanos-store', {
            subcommand: 'store',
            args: [
              `--data-dir=${DATA_DIR}`,
              `--grpc-address=${listenAddress(PORTS.grpc)}`,
              `--http-address=${listenAddress(PORTS.http)}`,
              objstoreFlag(stack),
              // Keep serving blocks marked for deletion for a while: Compact deletes them after --delete-delay.
              `--ignore-deletion-marks-delay=${s.ignoreDeletionMarksDelay}`,
              ...storeCacheFlags(stack),
              // Blocks by id, not by producer: every shard loads an even share whatever the producers' sizes.
              ...(shard.shard ? [`--selector.relabel-config=${hashmodSelector('__block_id', shard.shard.index, shard.shard.of)}`] : []),
              ...(shard.partition?.minTime ? [`--min-time=${shard.partition.minTime}`] : []),
              ...(shard.partition?.maxTime ? [`--max-time=${shard.partition.maxTime}`] : []),
            ],
            // $(NAMESPACE) in the memcached address (cacheAddresses) comes from the downward API.
            env: stack.cache.backend === 'memcached' ? podIdentityEnv() : undefined,
            resources: s.resources,
            probePort: PORTS.http.name,
            ports: [containerPort(PORTS.grpc), containerPort(PORTS.http)],
            volumeMounts: [{ name: 'data', mountPath: DATA_DIR }, objstoreVolumeMount()],
          }),
        }),
      ),
    );
  });
  return {
    serviceAccount: serviceAccount(STORE_NAME, id),
    service: headlessService(STORE_NAME, id, [PORTS.grpc, PORTS.http]),
    statefulSets: built.map((b) => b.workload),
    podDisruptionBudgets: built.flatMap((b) => (b.podDisruptionBudget ? [b.podDisruptionBudget] : [])),
  };
}

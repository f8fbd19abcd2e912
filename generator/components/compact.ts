import type { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { StackConfig } from '../config.js';
import { headlessService, serviceAccount } from '../lib/objects.js';
import { objstoreFlag, objstoreVolume, objstoreVolumeMount, scratchVolume } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../lib/ports.js';
import { COMPACT_NAME } from './names.js';
import { thanosContainer, thanosIdentity, thanosStatefulSet } from './thanos-common.js';

const DATA_DIR = '/var/thanos/compact';

export interface CompactObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  readonly statefulSet: StatefulSet;
}

/**
 * Exactly one compactor per bucket: two compacting the same blocks produce overlaps and halt.
 * A StatefulSet with OrderedReady never runs two pods of one ordinal, unlike a Deployment's rollout.
 */
export function compact(stack: StackConfig): CompactObjects {
  const c = stack.compact;
  const id = thanosIdentity(stack, COMPACT_NAME, 'database-compactor');
  const statefulSet = thanosStatefulSet({
    name: COMPACT_NAME,
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
      ],
      resources: c.resources,
      probePort: PORTS.http.name,
      ports: [containerPort(PORTS.http)],
      volumeMounts: [{ name: 'data', mountPath: DATA_DIR }, objstoreVolumeMount(), { name: 'tmp', mountPath: '/tmp' }],
    }),
  });
  return {
    serviceAccount: serviceAccount(COMPACT_NAME, id),
    service: headlessService(COMPACT_NAME, id, [PORTS.http]),
    statefulSet,
  };
}

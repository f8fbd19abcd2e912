import type { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../config.js';
import { headlessService, podDisruptionBudget, serviceAccount } from '../lib/objects.js';
import { objstoreFlag, objstoreVolume, objstoreVolumeMount } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../lib/ports.js';
import { STORE_NAME } from './names.js';
import { thanosContainer, thanosIdentity, thanosStatefulSet } from './thanos-common.js';

const DATA_DIR = '/var/thanos/store';

export interface StoreObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  readonly statefulSet: StatefulSet;
  readonly podDisruptionBudget?: PodDisruptionBudget;
}

export function store(stack: StackConfig): StoreObjects {
  const s = stack.store;
  const id = thanosIdentity(stack, STORE_NAME, 'object-store-gateway');
  const statefulSet = thanosStatefulSet({
    name: STORE_NAME,
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
      ],
      resources: s.resources,
      probePort: PORTS.http.name,
      ports: [containerPort(PORTS.grpc), containerPort(PORTS.http)],
      volumeMounts: [{ name: 'data', mountPath: DATA_DIR }, objstoreVolumeMount()],
    }),
  });
  return {
    serviceAccount: serviceAccount(STORE_NAME, id),
    service: headlessService(STORE_NAME, id, [PORTS.grpc, PORTS.http]),
    statefulSet,
    podDisruptionBudget: s.replicas > 1 ? podDisruptionBudget(STORE_NAME, id) : undefined,
  };
}

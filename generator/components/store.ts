import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../config.js';
import { labels, selectorLabels } from '../lib/labels.js';
import { headlessService, podDisruptionBudget, serviceAccount } from '../lib/objects.js';
import { dataVolumeClaim, hostnameAntiAffinity, objstoreFlag, objstoreVolume, objstoreVolumeMount } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../lib/ports.js';
import { STORE_NAME } from './names.js';
import { thanosContainer, thanosIdentity, thanosPodSpec } from './thanos-common.js';

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
  const statefulSet = new StatefulSet({
    metadata: { name: STORE_NAME, labels: labels(id) },
    spec: {
      replicas: s.replicas,
      serviceName: STORE_NAME,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selectorLabels(id) },
      template: {
        metadata: { labels: labels(id) },
        spec: thanosPodSpec(STORE_NAME, {
          affinity: hostnameAntiAffinity(selectorLabels(id), 'preferred'),
          containers: [
            thanosContainer(stack, 'thanos-store', {
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
          ],
          volumes: [objstoreVolume(stack)],
        }),
      },
      volumeClaimTemplates: [dataVolumeClaim('data', s.storageSize)],
    },
  });
  return {
    serviceAccount: serviceAccount(STORE_NAME, id),
    service: headlessService(STORE_NAME, id, [PORTS.grpc, PORTS.http]),
    statefulSet,
    podDisruptionBudget: s.replicas > 1 ? podDisruptionBudget(STORE_NAME, id) : undefined,
  };
}

import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../config.js';
import { WRITERS_ANNOTATION, labels } from '../lib/labels.js';
import { headlessService, podDisruptionBudget, serviceAccount, serviceHost, serviceHostIn } from '../lib/objects.js';
import {
  objstoreFlag,
  objstoreVolume,
  objstoreVolumeMount,
  podIdentityEnv,
} from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../lib/ports.js';
import { RECEIVE_NAME, RECEIVE_REPLICA_LABEL } from './names.js';
import { clusterLabelFlags, thanosContainer, thanosIdentity, thanosStatefulSet, withDataScope } from './thanos-common.js';
import type { ComponentIdentity } from '../lib/labels.js';
import { FLEET_TLS, tlsFiles, tlsVolume, tlsVolumeMount } from './fleet-tls.js';

export const HASHRING_CONFIGMAP = `${RECEIVE_NAME}-hashring`;
export const HASHRING_KEY = 'hashrings.json';
const DATA_DIR = '/var/thanos/receive';
const HASHRING_DIR = '/etc/thanos/hashring';

export interface ReceiveObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  readonly hashring: ConfigMap;
  readonly statefulSet: StatefulSet;
  readonly podDisruptionBudget?: PodDisruptionBudget;
}

/**
 * Hashring entries: the gRPC address of each StatefulSet pod through the headless Service, derived
 * from the same name, Service and namespace as the StatefulSet itself. A file is not env-expanded,
 * so the namespace is literal here; overlays regenerate this ConfigMap for their own namespace.
 */
export function hashringEndpoints(stack: StackConfig, namespace = stack.namespace): string[] {
  return Array.from(
    { length: stack.receive.replicas },
    (_, ordinal) => `${RECEIVE_NAME}-${ordinal}.${serviceHostIn(stack, RECEIVE_NAME, namespace)}:${PORTS.grpc.port}`,
  );
}

export function hashringConfigMap(stack: StackConfig, namespace = stack.namespace): ConfigMap {
  const id = thanosIdentity(stack, RECEIVE_NAME, 'database-write-hashring');
  const hashrings = [{ hashring: 'default', endpoints: hashringEndpoints(stack, namespace) }];
  return new ConfigMap({
    metadata: { name: HASHRING_CONFIGMAP, labels: labels(id) },
    data: { [HASHRING_KEY]: `${JSON.stringify(hashrings, null, 2)}\n` },
  });
}

/** This pod's own hashring entry, in the same form as `hashringEndpoints`, filled in per pod. */
export function localEndpoint(stack: StackConfig): string {
  return `$(POD_NAME).${serviceHost(stack, RECEIVE_NAME)}:${PORTS.grpc.port}`;
}

export function receiveIdentity(stack: StackConfig): ComponentIdentity {
  return thanosIdentity(stack, RECEIVE_NAME, 'database-write-hashring');
}

/**
 * An observer's Receive takes remote write from other clusters' agents over HTTPS: its own
 * certificate, and only clients with a certificate from the fleet's CA (Receive has no other
 * check of who writes). Forwarding between Receive replicas stays on the in-cluster gRPC port.
 */
function remoteWriteTls(stack: StackConfig): boolean {
  return stack.fleet.role === 'observer' && stack.fleet.exposure !== undefined;
}

export function receive(stack: StackConfig): ReceiveObjects {
  const r = stack.receive;
  const id = receiveIdentity(stack);
  const tls = remoteWriteTls(stack) ? tlsFiles(FLEET_TLS.receiveServer) : undefined;
  const hashring = hashringConfigMap(stack);
  const statefulSet = withDataScope(thanosStatefulSet({
    name: RECEIVE_NAME,
    id,
    replicas: r.replicas,
    podManagementPolicy: 'Parallel',
    antiAffinity: 'required',
    terminationGracePeriodSeconds: 900,
    storageSize: r.storageSize,
    volumes: [{ name: 'hashring', configMap: { name: HASHRING_CONFIGMAP } }, objstoreVolume(stack), ...(tls ? [tlsVolume(FLEET_TLS.receiveServer)] : [])],
    container: thanosContainer(stack, 'thanos-receive', {
      subcommand: 'receive',
      args: [
        `--grpc-address=${listenAddress(PORTS.grpc)}`,
        `--http-address=${listenAddress(PORTS.http)}`,
        `--remote-write.address=${listenAddress(PORTS.remoteWrite)}`,
        ...(tls ? [`--remote-write.server-tls-cert=${tls.cert}`, `--remote-write.server-tls-key=${tls.key}`, `--remote-write.server-tls-client-ca=${tls.ca}`] : []),
        `--tsdb.path=${DATA_DIR}`,
        `--tsdb.retention=${r.retention}`,
        objstoreFlag(stack),
        ...clusterLabelFlags(stack, r.ownClusterOnly),
        `--label=${RECEIVE_REPLICA_LABEL}="$(POD_NAME)"`,
        `--receive.replication-factor=${r.replicationFactor}`,
        `--receive.hashrings-file=${HASHRING_DIR}/${HASHRING_KEY}`,
        `--receive.local-endpoint=${localEndpoint(stack)}`,
      ],
      env: podIdentityEnv(),
      resources: r.resources,
      probePort: PORTS.http.name,
      ports: [containerPort(PORTS.grpc), containerPort(PORTS.http), containerPort(PORTS.remoteWrite)],
      volumeMounts: [
        { name: 'data', mountPath: DATA_DIR },
        { name: 'hashring', mountPath: HASHRING_DIR, readOnly: true },
        objstoreVolumeMount(),
        ...(tls ? [tlsVolumeMount(FLEET_TLS.receiveServer)] : []),
      ],
    }),
  }), r.ownClusterOnly);
  if (r.writers.length > 0) statefulSet.metadata = { ...statefulSet.metadata, annotations: { ...statefulSet.metadata?.annotations, [WRITERS_ANNOTATION]: r.writers.join(', ') } };
  return {
    serviceAccount: serviceAccount(RECEIVE_NAME, id),
    service: headlessService(RECEIVE_NAME, id, [PORTS.grpc, PORTS.http, PORTS.remoteWrite]),
    hashring,
    statefulSet,
    podDisruptionBudget: r.replicas > 1 ? podDisruptionBudget(RECEIVE_NAME, id) : undefined,
  };
}

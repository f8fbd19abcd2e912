import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../model/stack.js';
import { WRITERS_ANNOTATION, labels } from '../../core/labels.js';
import { clusterIpService, headlessService, serviceAccount, serviceHost, serviceHostIn } from '../lib/objects.js';
import { objstoreFlag, objstoreVolume, objstoreVolumeMount, podIdentityEnv } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../../core/ports.js';
import type { ComponentIdentity } from '../../core/labels.js';
import { FLEET_TLS, tlsFiles, tlsVolume, tlsVolumeMount } from './fleet-tls.js';
import { retentionSize } from '../../core/units/sizing.js';
import { RECEIVE_NAME, RECEIVE_REPLICA_LABEL, RECEIVE_ROUTER_NAME } from '../../core/names.js';
import {
  clusterLabelFlags,
  shardedWorkload,
  thanosContainer,
  thanosDeployment,
  thanosIdentity,
  thanosStatefulSet,
  withDataScope,
} from './thanos-common.js';

export const HASHRING_CONFIGMAP = `${RECEIVE_NAME}-hashring`;
export const HASHRING_KEY = 'hashrings.json';
const DATA_DIR = '/var/thanos/receive';
const HASHRING_DIR = '/etc/thanos/hashring';
const DEFAULT_HASHRING = 'default';

export interface ReceiveObjects {
  readonly serviceAccount: ServiceAccount;
  /** Headless, selecting the pods that store (every ingestor): the hashring's DNS names and Query's endpoint. */
  readonly service: Service;
  readonly hashring: ConfigMap;
  /** One `thanos-receive` that routes and ingests, or one `thanos-receive-ingestor-<hashring>` per hashring. */
  readonly statefulSets: readonly StatefulSet[];
  readonly podDisruptionBudgets: readonly PodDisruptionBudget[];
  /** A split Receive's routers: the remote-write entry point. */
  readonly routerServiceAccount?: ServiceAccount;
  readonly routerService?: Service;
  readonly router?: Deployment;
}

/** Whether Receive is split into routers and ingestors. */
export function receiveSplit(stack: StackConfig): boolean {
  return stack.receive.routers > 0;
}

/** The hashrings and the StatefulSet each one's pods belong to: the one list both are derived from. */
export function receiveHashrings(stack: StackConfig): { name: string; tenants: readonly string[]; statefulSet: string }[] {
  if (!receiveSplit(stack)) return [{ name: DEFAULT_HASHRING, tenants: [], statefulSet: RECEIVE_NAME }];
  const rings = stack.receive.hashrings.length > 0 ? stack.receive.hashrings : [{ name: DEFAULT_HASHRING, tenants: [] }];
  return rings.map((ring) => ({ name: ring.name, tenants: ring.tenants, statefulSet: `${RECEIVE_NAME}-ingestor-${ring.name}` }));
}

/**
 * Hashring entries of one hashring: the gRPC address of each of its StatefulSet's pods through the
 * headless Service, derived from the same names, Service and namespace as the StatefulSets
 * themselves. A file is not env-expanded, so the namespace is literal here; overlays regenerate this
 * ConfigMap for their own namespace.
 */
function ringEndpoints(stack: StackConfig, statefulSet: string, namespace: string): string[] {
  return Array.from(
    { length: stack.receive.replicas },
    (_, ordinal) => `${statefulSet}-${ordinal}.${serviceHostIn(stack, RECEIVE_NAME, namespace)}:${PORTS.grpc.port}`,
  );
}

/** Every pod that stores, across hashrings, in hashring order. */
export function hashringEndpoints(stack: StackConfig, namespace = stack.namespace): string[] {
  return receiveHashrings(stack).flatMap((ring) => ringEndpoints(stack, ring.statefulSet, namespace));
}

export function hashringConfigMap(stack: StackConfig, namespace = stack.namespace): ConfigMap {
  const id = thanosIdentity(stack, RECEIVE_NAME, 'database-write-hashring');
  const hashrings = receiveHashrings(stack).map((ring) => ({
    hashring: ring.name,
    ...(ring.tenants.length > 0 ? { tenants: [...ring.tenants] } : {}),
    endpoints: ringEndpoints(stack, ring.statefulSet, namespace),
  }));
  return new ConfigMap({
    metadata: { name: HASHRING_CONFIGMAP, labels: labels(id) },
    data: { [HASHRING_KEY]: `${JSON.stringify(hashrings, null, 2)}\n` },
  });
}

/** This pod's own hashring entry, in the same form as `hashringEndpoints`, filled in per pod. */
export function localEndpoint(stack: StackConfig): string {
  return `$(POD_NAME).${serviceHost(stack, RECEIVE_NAME)}:${PORTS.grpc.port}`;
}

/** The pods that store (every Receive pod, or a split Receive's ingestors). */
function ingestorIdentity(stack: StackConfig): ComponentIdentity {
  return thanosIdentity(stack, RECEIVE_NAME, 'database-write-hashring');
}

function routerIdentity(stack: StackConfig): ComponentIdentity {
  return thanosIdentity(stack, RECEIVE_NAME, 'database-write-router');
}

/** The pods that take remote write: a split Receive's routers, else every Receive pod. */
export function receiveIdentity(stack: StackConfig): ComponentIdentity {
  return receiveSplit(stack) ? routerIdentity(stack) : ingestorIdentity(stack);
}

/**
 * An observer's Receive takes remote write from other clusters' agents over HTTPS: its own
 * certificate, and only clients with a certificate from the fleet's CA (Receive has no other
 * check of who writes). Forwarding between Receive replicas stays on the in-cluster gRPC port.
 */
function remoteWriteTls(stack: StackConfig): boolean {
  return stack.fleet.role === 'observer' && stack.fleet.exposure !== undefined;
}

const hashringVolume = { name: 'hashring', configMap: { name: HASHRING_CONFIGMAP } };

/** Every Receive pod listens for gRPC, HTTP and remote write (a router takes the writes, an ingestor its routers' gRPC). */
const listenFlags = [
  `--grpc-address=${listenAddress(PORTS.grpc)}`,
  `--http-address=${listenAddress(PORTS.http)}`,
  `--remote-write.address=${listenAddress(PORTS.remoteWrite)}`,
];
const listenPorts = [containerPort(PORTS.grpc), containerPort(PORTS.http), containerPort(PORTS.remoteWrite)];
const hashringMount = { name: 'hashring', mountPath: HASHRING_DIR, readOnly: true };

function withWriters<W extends StatefulSet | Deployment>(stack: StackConfig, workload: W): W {
  if (stack.receive.writers.length > 0)
    workload.metadata = {
      ...workload.metadata,
      annotations: { ...workload.metadata?.annotations, [WRITERS_ANNOTATION]: stack.receive.writers.join(', ') },
    };
  return workload;
}

export function receive(stack: StackConfig): ReceiveObjects {
  const r = stack.receive;
  const split = receiveSplit(stack);
  const id = ingestorIdentity(stack);
  const hashring = hashringConfigMap(stack);
  // Remote write from other clusters (an observer's agents) arrives over mTLS where writes arrive: the routers when split.
  const tls = remoteWriteTls(stack) ? tlsFiles(FLEET_TLS.receiveServer) : undefined;
  const tlsFlags = tls
    ? [
        `--remote-write.server-tls-cert=${tls.cert}`,
        `--remote-write.server-tls-key=${tls.key}`,
        `--remote-write.server-tls-client-ca=${tls.ca}`,
      ]
    : [];
  const ingestors = receiveHashrings(stack).map((ring) => {
    const statefulSet = withDataScope(
      thanosStatefulSet({
        name: ring.statefulSet,
        serviceName: RECEIVE_NAME,
        serviceAccountName: RECEIVE_NAME,
        id,
        replicas: r.replicas,
        podManagementPolicy: 'Parallel',
        antiAffinity: 'required',
        terminationGracePeriodSeconds: 900,
        storageSize: r.storageSize,
        // An ingestor (split) reads no hashring: Thanos runs it ingest-only; routers do the hashing.
        volumes: [
          ...(split ? [] : [hashringVolume]),
          objstoreVolume(stack),
          ...(tls && !split ? [tlsVolume(FLEET_TLS.receiveServer)] : []),
        ],
        container: thanosContainer(stack, 'thanos-receive', {
          subcommand: 'receive',
          args: [
            ...listenFlags,
            ...(split ? [] : tlsFlags),
            `--tsdb.path=${DATA_DIR}`,
            `--tsdb.retention=${r.retention}`,
            ...(r.retentionSizePercent > 0 ? [`--tsdb.max-retention-bytes=${retentionSize(r.storageSize, r.retentionSizePercent)}`] : []),
            objstoreFlag(stack),
            ...clusterLabelFlags(stack, r.ownClusterOnly),
            `--label=${RECEIVE_REPLICA_LABEL}="$(POD_NAME)"`,
            ...(split
              ? []
              : [
                  `--receive.replication-factor=${r.replicationFactor}`,
                  `--receive.hashrings-file=${HASHRING_DIR}/${HASHRING_KEY}`,
                  `--receive.local-endpoint=${localEndpoint(stack)}`,
                ]),
          ],
          env: podIdentityEnv(),
          resources: r.resources,
          probePort: PORTS.http.name,
          ports: listenPorts,
          volumeMounts: [
            { name: 'data', mountPath: DATA_DIR },
            ...(split ? [] : [hashringMount]),
            objstoreVolumeMount(),
            ...(tls && !split ? [tlsVolumeMount(FLEET_TLS.receiveServer)] : []),
          ],
        }),
      }),
      r.ownClusterOnly,
    );
    return shardedWorkload(id, split ? ring.name : undefined, r.replicas, withWriters(stack, statefulSet));
  });
  const routerId = routerIdentity(stack);
  const router = split
    ? withWriters(
        stack,
        thanosDeployment({
          name: RECEIVE_ROUTER_NAME,
          id: routerId,
          replicas: r.routers,
          antiAffinity: 'preferred',
          volumes: [hashringVolume, ...(tls ? [tlsVolume(FLEET_TLS.receiveServer)] : [])],
          // A router keeps no TSDB and uploads nothing: no data volume, no object storage.
          container: thanosContainer(stack, 'thanos-receive', {
            subcommand: 'receive',
            args: [
              ...listenFlags,
              ...tlsFlags,
              `--receive.replication-factor=${r.replicationFactor}`,
              `--receive.hashrings-file=${HASHRING_DIR}/${HASHRING_KEY}`,
              // Every receive, a router too, exits at start without one (T@v0.42.4 cmd/thanos/receive.go:81-83,
              // checked before the mode is known); a router stores nothing, so the label names only the pod.
              `--label=${RECEIVE_REPLICA_LABEL}="$(POD_NAME)"`,
            ],
            env: podIdentityEnv(),
            resources: r.routerResources,
            probePort: PORTS.http.name,
            ports: listenPorts,
            volumeMounts: [hashringMount, ...(tls ? [tlsVolumeMount(FLEET_TLS.receiveServer)] : [])],
          }),
        }),
      )
    : undefined;
  const routerBudget = router ? shardedWorkload(routerId, undefined, r.routers, router).podDisruptionBudget : undefined;
  if (routerBudget) routerBudget.metadata = { ...routerBudget.metadata, name: RECEIVE_ROUTER_NAME };
  return {
    serviceAccount: serviceAccount(RECEIVE_NAME, id),
    service: headlessService(RECEIVE_NAME, id, [PORTS.grpc, PORTS.http, PORTS.remoteWrite]),
    hashring,
    statefulSets: ingestors.map((i) => i.workload),
    podDisruptionBudgets: [
      ...ingestors.flatMap((i) => (i.podDisruptionBudget ? [i.podDisruptionBudget] : [])),
      ...(routerBudget ? [routerBudget] : []),
    ],
    routerServiceAccount: router ? serviceAccount(RECEIVE_ROUTER_NAME, routerId) : undefined,
    routerService: router ? clusterIpService(RECEIVE_ROUTER_NAME, routerId, [PORTS.http, PORTS.remoteWrite]) : undefined,
    router,
  };
}

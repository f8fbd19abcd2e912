import type { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../model/stack.js';
import { clusterIpService, dnsSrvAddress, podDisruptionBudget, serviceAccount } from '../lib/objects.js';
import { podIdentityEnv } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../../core/ports.js';
import { stringify } from '../../core/yaml.js';
import {
  PROMETHEUS_NAME,
  PROMETHEUS_REPLICA_LABEL,
  QUERY_NAME,
  RECEIVE_NAME,
  RECEIVE_REPLICA_LABEL,
  RULER_NAME,
  RULER_REPLICA_LABEL,
  STORE_NAME,
} from '../../core/names.js';
import { thanosContainer, thanosDeployment, thanosIdentity } from './thanos-common.js';
import type { ComponentIdentity } from '../../core/labels.js';
import { FLEET_TLS, tlsFiles, tlsVolume, tlsVolumeMount } from './fleet-tls.js';

export interface QueryObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  readonly deployment: Deployment;
  readonly podDisruptionBudget?: PodDisruptionBudget;
}

/** Every replica label a producer in this stack sets: Query must drop each one to deduplicate. */
export function replicaLabels(stack: StackConfig): string[] {
  return [
    PROMETHEUS_REPLICA_LABEL,
    ...(stack.ruler.enabled ? [RULER_REPLICA_LABEL] : []),
    ...(stack.receive.enabled ? [RECEIVE_REPLICA_LABEL] : []),
  ];
}

/** The StoreAPI servers Query fans out to, each through the headless Service of its component. */
export function storeApiServices(stack: StackConfig): string[] {
  return [
    // An agent has no StoreAPI (no sidecar); its samples reach Query through the observer's Receive.
    ...(stack.prometheus.mode === 'server' ? [PROMETHEUS_NAME] : []),
    ...(stack.store.enabled ? [STORE_NAME] : []),
    ...(stack.ruler.enabled ? [RULER_NAME] : []),
    ...(stack.receive.enabled ? [RECEIVE_NAME] : []),
  ];
}

/**
 * Endpoint SD config (the successor of the removed --store and the deprecated --endpoint flags).
 * The stack's own StoreAPIs are plaintext inside the cluster; an observer adds every leaf's Query
 * with TLS set for that endpoint alone (`client_config`, Thanos v0.42), so the deprecated global
 * --grpc-client-tls-* flags stay unused. A leaf is not `strict`: a strict endpoint counts as
 * queryable and connected whatever its health (thanos v0.42.4 pkg/query/endpointset.go:726-734,
 * :438-456), so every query, and every rule evaluation of the observer's Ruler, would wait for and
 * fail on a dead leaf, and thanos_store_nodes_grpc_connections could not tell that it is gone. Left
 * out while it does not answer, it is missing from that metric, which the observer's Ruler turns
 * into one page naming the leaf (rules/fleet.ts).
 */
export function queryEndpointConfig(stack: StackConfig): string {
  const client = tlsFiles(FLEET_TLS.queryClient);
  return stringify({
    endpoints: [
      ...storeApiServices(stack).map((service) => ({ address: dnsSrvAddress(stack, service, PORTS.grpc.name) })),
      ...stack.fleet.leafEndpoints.map((leaf) => ({
        address: leaf.address,
        client_config: { server_name: leaf.serverName, tls_config: { ca_file: client.ca, cert_file: client.cert, key_file: client.key } },
      })),
    ],
  });
}

/**
 * An observer labels its connection metric by endpoint address too (by default it has only the
 * external labels and the store type, thanos v0.42.4 cmd/thanos/query.go:105-107): a leaf is known
 * by its exposed address from the registry, which stays the same when its Prometheus pair is down,
 * unlike the external labels its Query advertises then (none).
 */
function connectionMetricFlags(stack: StackConfig): string[] {
  if (stack.fleet.leafEndpoints.length === 0) return [];
  return CONNECTION_METRIC_LABELS.map((label) => `--query.conn-metric.label=${label}`);
}

/** The labels of thanos_store_nodes_grpc_connections on an observer's Query (pkg/query/endpointset.go:48-52). */
export const CONNECTION_METRIC_LABELS = ['external_labels', 'store_type', 'ip_port'] as const;

export function queryIdentity(stack: StackConfig): ComponentIdentity {
  return thanosIdentity(stack, QUERY_NAME, 'query-layer');
}

/** A leaf's Query serves its gRPC to the observer over mTLS: its own certificate, clients from the fleet's CA only. */
function grpcServerTlsFlags(stack: StackConfig): string[] {
  if (stack.fleet.role !== 'leaf') return [];
  const files = tlsFiles(FLEET_TLS.queryServer);
  return [`--grpc-server-tls-cert=${files.cert}`, `--grpc-server-tls-key=${files.key}`, `--grpc-server-tls-client-ca=${files.ca}`];
}

/** The certificate Secrets the Query pod mounts: its server certificate (leaf), its client certificate (observer with leaves). */
function queryTlsMounts(stack: StackConfig) {
  if (stack.fleet.role === 'leaf') return [FLEET_TLS.queryServer];
  if (stack.fleet.leafEndpoints.length > 0) return [FLEET_TLS.queryClient];
  return [];
}

export function query(stack: StackConfig): QueryObjects {
  const q = stack.query;
  const id = queryIdentity(stack);
  const mounts = queryTlsMounts(stack);
  const deployment = thanosDeployment({
    name: QUERY_NAME,
    id,
    replicas: q.replicas,
    antiAffinity: 'preferred',
    container: thanosContainer(stack, 'thanos-query', {
      subcommand: 'query',
      args: [
        `--grpc-address=${listenAddress(PORTS.grpc)}`,
        ...grpcServerTlsFlags(stack),
        `--http-address=${listenAddress(PORTS.queryHttp)}`,
        ...replicaLabels(stack).map((label) => `--query.replica-label=${label}`),
        `--query.timeout=${q.timeout}`,
        '--query.auto-downsampling',
        `--endpoint.sd-config=${queryEndpointConfig(stack)}`,
        ...connectionMetricFlags(stack),
      ],
      env: podIdentityEnv(),
      resources: q.resources,
      probePort: PORTS.queryHttp.name,
      ports: [containerPort(PORTS.grpc), containerPort(PORTS.queryHttp)],
      ...(mounts.length > 0 ? { volumeMounts: mounts.map(tlsVolumeMount) } : {}),
    }),
    ...(mounts.length > 0 ? { volumes: mounts.map(tlsVolume) } : {}),
  });
  return {
    serviceAccount: serviceAccount(QUERY_NAME, id),
    service: clusterIpService(QUERY_NAME, id, [PORTS.grpc, PORTS.queryHttp]),
    deployment,
    podDisruptionBudget: q.replicas > 1 ? podDisruptionBudget(QUERY_NAME, id) : undefined,
  };
}

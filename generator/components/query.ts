import type { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../config.js';
import { clusterIpService, dnsSrvAddress, podDisruptionBudget, serviceAccount } from '../lib/objects.js';
import { podIdentityEnv } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../lib/ports.js';
import { stringify } from '../lib/yaml.js';
import {
  PROMETHEUS_NAME,
  PROMETHEUS_REPLICA_LABEL,
  QUERY_NAME,
  RECEIVE_NAME,
  RECEIVE_REPLICA_LABEL,
  RULER_NAME,
  RULER_REPLICA_LABEL,
  STORE_NAME,
} from './names.js';
import { thanosContainer, thanosDeployment, thanosIdentity } from './thanos-common.js';

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
    PROMETHEUS_NAME,
    STORE_NAME,
    ...(stack.ruler.enabled ? [RULER_NAME] : []),
    ...(stack.receive.enabled ? [RECEIVE_NAME] : []),
  ];
}

/** Endpoint SD config (the successor of the removed --store and the deprecated --endpoint flags). */
export function queryEndpointConfig(stack: StackConfig): string {
  return stringify({
    endpoints: storeApiServices(stack).map((service) => ({ address: dnsSrvAddress(stack, service, PORTS.grpc.name) })),
  });
}

export function query(stack: StackConfig): QueryObjects {
  const q = stack.query;
  const id = thanosIdentity(stack, QUERY_NAME, 'query-layer');
  const deployment = thanosDeployment({
    name: QUERY_NAME,
    id,
    replicas: q.replicas,
    antiAffinity: 'preferred',
    container: thanosContainer(stack, 'thanos-query', {
      subcommand: 'query',
      args: [
        `--grpc-address=${listenAddress(PORTS.grpc)}`,
        `--http-address=${listenAddress(PORTS.queryHttp)}`,
        ...replicaLabels(stack).map((label) => `--query.replica-label=${label}`),
        `--query.timeout=${q.timeout}`,
        '--query.auto-downsampling',
        `--endpoint.sd-config=${queryEndpointConfig(stack)}`,
      ],
      env: podIdentityEnv(),
      resources: q.resources,
      probePort: PORTS.queryHttp.name,
      ports: [containerPort(PORTS.grpc), containerPort(PORTS.queryHttp)],
    }),
  });
  return {
    serviceAccount: serviceAccount(QUERY_NAME, id),
    service: clusterIpService(QUERY_NAME, id, [PORTS.grpc, PORTS.queryHttp]),
    deployment,
    podDisruptionBudget: q.replicas > 1 ? podDisruptionBudget(QUERY_NAME, id) : undefined,
  };
}

import type { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../model/stack.js';
import { clusterIpService, podDisruptionBudget, serviceAccount, serviceHost } from '../lib/objects.js';
import { podIdentityEnv } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../../core/ports.js';
import { responseCacheConfig, withExternalCache } from './caches.js';
import { QUERY_FRONTEND_NAME, QUERY_NAME } from '../../core/names.js';
import { thanosContainer, thanosDeployment, thanosIdentity } from './thanos-common.js';
import { stringify } from '../../core/yaml.js';

/**
 * The HTTP client to Query. Its downstream URL is one host (Query's Service), and Go keeps two idle
 * connections per host unless told (Thanos sets only max_idle_conns: 100, cmd/thanos/query_frontend.go:197
 * at v0.42.4), so split and retried queries would open a new connection each; the Thanos docs ask for
 * max_idle_conns_per_host of at least 100 (docs/components/query-frontend.md:170 at v0.42.4), i.e.
 * every idle connection of the pool may go to Query.
 */
export const DOWNSTREAM_TRIPPER_CONFIG = { max_idle_conns_per_host: 100 } as const;

export interface QueryFrontendObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  readonly deployment: Deployment;
  readonly podDisruptionBudget?: PodDisruptionBudget;
}

/** Query's HTTP URL, as the frontend (and dashboards) reach it. */
export function queryUrl(stack: StackConfig): string {
  return `http://${serviceHost(stack, QUERY_NAME)}:${PORTS.queryHttp.port}`;
}

export function queryFrontend(stack: StackConfig): QueryFrontendObjects {
  const f = stack.queryFrontend;
  const id = thanosIdentity(stack, QUERY_FRONTEND_NAME, 'query-cache');
  const cacheConfig = responseCacheConfig(stack);
  const deployment = withExternalCache(
    stack,
    thanosDeployment({
      name: QUERY_FRONTEND_NAME,
      id,
      replicas: f.replicas,
      antiAffinity: 'preferred',
      container: thanosContainer(stack, 'thanos-query-frontend', {
        subcommand: 'query-frontend',
        args: [
          `--http-address=${listenAddress(PORTS.queryHttp)}`,
          `--query-frontend.downstream-url=${queryUrl(stack)}`,
          `--query-frontend.downstream-tripper-config=${stringify(DOWNSTREAM_TRIPPER_CONFIG)}`,
          `--query-range.split-interval=${f.splitInterval}`,
          `--query-range.response-cache-config=${cacheConfig}`,
          `--labels.split-interval=${f.splitInterval}`,
          `--labels.response-cache-config=${cacheConfig}`,
          '--query-frontend.compress-responses',
        ],
        env: podIdentityEnv(),
        resources: f.resources,
        probePort: PORTS.queryHttp.name,
        ports: [containerPort(PORTS.queryHttp)],
      }),
    }),
  );
  return {
    serviceAccount: serviceAccount(QUERY_FRONTEND_NAME, id),
    service: clusterIpService(QUERY_FRONTEND_NAME, id, [PORTS.queryHttp]),
    deployment,
    podDisruptionBudget: f.replicas > 1 ? podDisruptionBudget(QUERY_FRONTEND_NAME, id) : undefined,
  };
}

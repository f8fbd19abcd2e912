import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { StackConfig } from '../model/stack.js';
import { imageTag, labels, selectorLabels, type ComponentIdentity } from '../../core/labels.js';
import { headlessService, podDisruptionBudget, serviceAccount, serviceHost } from '../lib/objects.js';
import { containerResources, hostnameAntiAffinity, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../lib/pod.js';
import { MEMCACHED_PORTS, containerPort } from '../../core/ports.js';
import { parseQuantity } from '../../core/units/quantity.js';
import { memcachedItemMemoryMiB } from '../../core/units/sizing.js';
import { MEMCACHED_EXPORTER_IMAGE, MEMCACHED_IMAGE } from '../../settings/versions.js';
import { MEMCACHED_EXPORTER_CONTAINER, MEMCACHED_NAME } from '../../core/names.js';

/** The official image's `memcache` user (uid and gid 11211): the pod runs as it, never as root. */
const MEMCACHE_UID = 11211;

export interface MemcachedObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  readonly statefulSet: StatefulSet;
  readonly podDisruptionBudget?: PodDisruptionBudget;
}

export function memcachedIdentity(stack: StackConfig): ComponentIdentity {
  return { name: MEMCACHED_NAME, component: 'cache', instance: stack.instance, version: imageTag(MEMCACHED_IMAGE) };
}

/** memcached's `-m` (MiB of items) for the configured memory limit. */
export function memcachedMemoryMiB(stack: StackConfig): number {
  const limit = parseQuantity(stack.cache.resources.memoryLimit);
  if (limit === undefined || limit <= 0)
    throw new Error(`cache.resources.memoryLimit '${stack.cache.resources.memoryLimit}' is not a memory quantity`);
  return memcachedItemMemoryMiB(limit);
}

/**
 * The addresses Thanos' memcached clients use: the SRV record of the headless Service's client
 * port, without A lookups (`dnssrvnoa+`, as Thanos' store docs advise for a StatefulSet): the
 * targets stay the pods' stable DNS names, so the jump hash keeps each key on the same pod across
 * restarts, where IP addresses would change. An external cache's addresses as the overlay gives them.
 */
export function cacheAddresses(stack: StackConfig): string[] {
  if (stack.cache.backend === 'external') return [...stack.cache.externalAddresses];
  return [`dnssrvnoa+_${MEMCACHED_PORTS.client.name}._tcp.${serviceHost(stack, MEMCACHED_NAME)}`];
}

/**
 * memcached as a StatefulSet (stable pod names for the clients' hashing) behind a headless Service,
 * restricted, with its exporter beside it. Items live in memory only: no volume.
 */
export function memcached(stack: StackConfig): MemcachedObjects {
  const c = stack.cache;
  const id = memcachedIdentity(stack);
  const server: IContainer = {
    name: MEMCACHED_NAME,
    image: MEMCACHED_IMAGE,
    args: [`-m`, String(memcachedMemoryMiB(stack)), '-I', c.maxItemSize, '-c', '4096', '-p', String(MEMCACHED_PORTS.client.port), '-v'],
    ports: [containerPort(MEMCACHED_PORTS.client)],
    livenessProbe: { tcpSocket: { port: MEMCACHED_PORTS.client.name }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 4 },
    readinessProbe: { tcpSocket: { port: MEMCACHED_PORTS.client.name }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
    resources: containerResources(c.resources),
    securityContext: { ...restrictedContainerSecurityContext(), runAsUser: MEMCACHE_UID, runAsGroup: MEMCACHE_UID },
  };
  const exporter: IContainer = {
    name: MEMCACHED_EXPORTER_CONTAINER,
    image: MEMCACHED_EXPORTER_IMAGE,
    args: [`--memcached.address=localhost:${MEMCACHED_PORTS.client.port}`, `--web.listen-address=:${MEMCACHED_PORTS.metrics.port}`],
    ports: [containerPort(MEMCACHED_PORTS.metrics)],
    livenessProbe: {
      httpGet: { path: '/', port: MEMCACHED_PORTS.metrics.name, scheme: 'HTTP' },
      periodSeconds: 30,
      timeoutSeconds: 5,
      failureThreshold: 4,
    },
    readinessProbe: {
      httpGet: { path: '/', port: MEMCACHED_PORTS.metrics.name, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    resources: containerResources({ cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '64Mi' }),
    securityContext: restrictedContainerSecurityContext(),
  };
  const statefulSet = new StatefulSet({
    metadata: { name: MEMCACHED_NAME, labels: labels(id) },
    spec: {
      replicas: c.replicas,
      serviceName: MEMCACHED_NAME,
      // Caches start empty and equal: no reason to start them one by one.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selectorLabels(id) },
      template: {
        // No prometheus.io/scrape annotation: the stack's own memcached job scrapes the exporter (its
        // rules and dashboards select job="memcached"); the annotated-pods job would scrape it twice.
        metadata: { labels: labels(id) },
        spec: {
          serviceAccountName: MEMCACHED_NAME,
          automountServiceAccountToken: false,
          securityContext: { ...restrictedPodSecurityContext(), runAsUser: MEMCACHE_UID, runAsGroup: MEMCACHE_UID, fsGroup: MEMCACHE_UID },
          affinity: hostnameAntiAffinity(selectorLabels(id), 'preferred'),
          terminationGracePeriodSeconds: 30,
          containers: [server, exporter],
        },
      },
    },
  });
  return {
    serviceAccount: serviceAccount(MEMCACHED_NAME, id),
    service: headlessService(MEMCACHED_NAME, id, [MEMCACHED_PORTS.client, MEMCACHED_PORTS.metrics]),
    statefulSet,
    podDisruptionBudget: c.replicas > 1 ? podDisruptionBudget(MEMCACHED_NAME, id) : undefined,
  };
}

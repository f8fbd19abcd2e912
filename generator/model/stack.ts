import { ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE, THANOS_IMAGE } from '../../settings/versions.js';
import type { Resources, StackConfig, StackOverrides } from '../../settings/schema/stack.js';

// The stack's types are the settings schema (settings/schema/stack.ts); the generator reads them from here too.
export type * from '../../settings/schema/stack.js';

const resources = (cpuRequest: string, memoryRequest: string, memoryLimit: string): Resources => ({
  cpuRequest,
  memoryRequest,
  memoryLimit,
});

export const DEFAULT_STACK: StackConfig = {
  namespace: 'monitoring',
  clusterDomain: 'cluster.local',
  instance: 'main',
  queryUrl: '',
  thanosImage: THANOS_IMAGE,
  prometheusImage: PROMETHEUS_IMAGE,
  alertmanagerImage: ALERTMANAGER_IMAGE,
  objstoreSecret: { name: 'thanos-objstore', key: 'objstore.yml' },
  prometheus: {
    mode: 'server',
    replicas: 2,
    retention: '24h',
    blockDuration: '2h',
    storageSize: '50Gi',
    scrapeInterval: '30s',
    clusterLabel: 'main',
    resources: resources('500m', '2Gi', '4Gi'),
    sidecarResources: resources('100m', '128Mi', '512Mi'),
    sidecarLimits: { requestSeries: 0, requestSamples: 0 },
    kubeletInsecureSkipVerify: false,
    retentionSizePercent: 0,
  },
  query: { enabled: true, replicas: 2, timeout: '2m', resources: resources('250m', '512Mi', '2Gi') },
  queryFrontend: {
    enabled: true,
    replicas: 2,
    splitInterval: '24h',
    resources: resources('100m', '256Mi', '1Gi'),
  },
  store: {
    enabled: true,
    replicas: 1,
    shards: 1,
    timePartitions: [],
    storageSize: '20Gi',
    ignoreDeletionMarksDelay: '24h',
    resources: resources('250m', '1Gi', '4Gi'),
  },
  compact: {
    enabled: true,
    retentionRaw: '30d',
    retention5m: '90d',
    retention1h: '1y',
    deleteDelay: '48h',
    concurrency: 1,
    storageSize: '100Gi',
    shards: 1,
    shardLabel: 'cluster',
    shardValues: [],
    deduplication: false,
    resources: resources('250m', '1Gi', '4Gi'),
  },
  receive: {
    enabled: true,
    replicas: 3,
    replicationFactor: 2,
    retention: '15d',
    retentionSizePercent: 0,
    routers: 0,
    routerResources: resources('250m', '512Mi', '2Gi'),
    hashrings: [],
    ownClusterOnly: true,
    storageSize: '50Gi',
    writers: [],
    resources: resources('250m', '1Gi', '4Gi'),
  },
  ruler: {
    enabled: true,
    replicas: 2,
    evalInterval: '1m',
    ownClusterOnly: true,
    storageSize: '10Gi',
    resources: resources('100m', '256Mi', '1Gi'),
  },
  nodeExporter: { enabled: true, namespace: 'node-exporter', resources: resources('50m', '32Mi', '128Mi') },
  kubeStateMetrics: { enabled: true, resources: resources('50m', '128Mi', '512Mi') },
  alertmanager: {
    enabled: true,
    replicas: 3,
    storageSize: '2Gi',
    retention: '120h',
    externalUrls: [],
    resources: resources('50m', '128Mi', '256Mi'),
  },
  networkPolicies: { enabled: true, objstorePorts: [443], credentialEndpoints: [] },
  fleet: { role: 'full', issuer: { name: 'thanos-fleet-ca', kind: 'ClusterIssuer' }, leafEndpoints: [] },
  cache: { backend: 'in-memory', replicas: 2, maxItemSize: '1m', resources: resources('100m', '1Gi', '1Gi'), externalAddresses: [] },
  placement: { zoneSpread: false, priorityClassName: '' },
  autoGoMemLimit: true,
};

/** Merges overrides over a full config, two levels deep (component, then its resources). */
export function mergeStack(base: StackConfig, overrides: StackOverrides = {}): StackConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = (base as unknown as Record<string, unknown>)[key];
    if (isPlainObject(current) && isPlainObject(value)) {
      const merged: Record<string, unknown> = { ...current };
      for (const [inner, innerValue] of Object.entries(value)) {
        if (innerValue === undefined) continue;
        const innerCurrent = current[inner];
        merged[inner] = isPlainObject(innerCurrent) && isPlainObject(innerValue) ? { ...innerCurrent, ...innerValue } : innerValue;
      }
      out[key] = merged;
    } else {
      out[key] = value;
    }
  }
  return out as unknown as StackConfig;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

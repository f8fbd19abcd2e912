import { sidecarMemoryMiB, type SidecarRequestLimits } from '../core/units/sizing.js';
import type { ProfileName } from './schema/overlay-entry.js';
import type { Resources, StackOverrides } from './schema/stack.js';

/**
 * Prod bounds one query through a sidecar: 250k series and 50M samples (a day of 1M series at 30s
 * is 2.9G samples: such a query belongs on Store after the upload, with its own limits).
 */
const PROD_SIDECAR_LIMITS: SidecarRequestLimits = { requestSeries: 250_000, requestSamples: 50_000_000 };

const res = (cpuRequest: string, memoryRequest: string, memoryLimit: string): Resources => ({ cpuRequest, memoryRequest, memoryLimit });

export interface Profile {
  readonly description: string;
  /** Merged over DEFAULT_STACK; the `enabled` flags of the optional components are the profile's defaults. */
  readonly stack: StackOverrides;
}

/**
 * Where real deployments differ between environments. Dev fits a laptop cluster (one replica,
 * short retention, no optional components); staging keeps HA pairs but small volumes; prod keeps
 * every component, long downsampled retention and quorum-safe Receive replication (3 of 3).
 */
export const PROFILE_DEFINITIONS: Readonly<Record<ProfileName, Profile>> = {
  dev: {
    description:
      'single replicas, small volumes, 7d raw retention; Receive, Ruler, Query Frontend, node-exporter and kube-state-metrics off; Alertmanager with 1 replica',
    stack: {
      prometheus: {
        replicas: 1,
        retention: '12h',
        storageSize: '10Gi',
        resources: res('100m', '512Mi', '1Gi'),
        sidecarResources: res('50m', '64Mi', '256Mi'),
      },
      query: { replicas: 1, resources: res('100m', '128Mi', '512Mi') },
      queryFrontend: { enabled: false, replicas: 1, resources: res('50m', '64Mi', '256Mi') },
      store: { replicas: 1, storageSize: '5Gi', resources: res('100m', '256Mi', '1Gi') },
      compact: { retentionRaw: '7d', retention5m: '14d', retention1h: '30d', storageSize: '10Gi', resources: res('100m', '256Mi', '1Gi') },
      receive: {
        enabled: false,
        replicas: 1,
        replicationFactor: 1,
        retention: '1d',
        storageSize: '5Gi',
        resources: res('100m', '256Mi', '1Gi'),
      },
      ruler: { enabled: false, replicas: 1, storageSize: '1Gi', resources: res('50m', '64Mi', '256Mi') },
      // A laptop cluster has its own tools for node and object metrics; the stack stays small.
      nodeExporter: { enabled: false },
      kubeStateMetrics: { enabled: false },
      // One replica: a small cluster may not have three nodes for the required anti-affinity.
      alertmanager: { replicas: 1, storageSize: '1Gi', resources: res('10m', '64Mi', '128Mi') },
      // The scale options stay off on a laptop (docs/scale.md): in-memory caches, no shards, no split.
      cache: { backend: 'in-memory' },
      placement: { zoneSpread: false, priorityClassName: '' },
      autoGoMemLimit: false,
    },
  },
  staging: {
    description:
      'HA pairs, moderate volumes, 14d raw retention; Query Frontend, Ruler, node-exporter and kube-state-metrics on, Receive where writers are named; Alertmanager cluster of 3',
    stack: {
      prometheus: { replicas: 2, retention: '24h', storageSize: '20Gi', resources: res('250m', '1Gi', '2Gi') },
      query: { replicas: 2, resources: res('100m', '256Mi', '1Gi') },
      queryFrontend: { enabled: true, replicas: 2, resources: res('50m', '128Mi', '512Mi') },
      store: { replicas: 1, storageSize: '10Gi', resources: res('100m', '512Mi', '2Gi') },
      compact: { retentionRaw: '14d', retention5m: '30d', retention1h: '90d', storageSize: '50Gi', resources: res('100m', '512Mi', '2Gi') },
      receive: {
        enabled: false,
        replicas: 2,
        replicationFactor: 1,
        retention: '3d',
        storageSize: '20Gi',
        resources: res('100m', '512Mi', '2Gi'),
      },
      ruler: { enabled: true, replicas: 2, storageSize: '5Gi', resources: res('50m', '128Mi', '512Mi') },
      nodeExporter: { enabled: true },
      kubeStateMetrics: { enabled: true },
    },
  },
  prod: {
    description:
      'HA everywhere, large volumes, 90d raw / 1y 5m / 5y 1h retention; Query Frontend, Ruler, node-exporter and kube-state-metrics on, Receive 3 of 3 where the registry names its writers; Alertmanager cluster of 3',
    stack: {
      prometheus: {
        replicas: 2,
        retention: '48h',
        storageSize: '100Gi',
        resources: res('1', '4Gi', '8Gi'),
        sidecarLimits: PROD_SIDECAR_LIMITS,
        // Derived from the bounds, not left at the base default.
        sidecarResources: res('100m', '256Mi', `${sidecarMemoryMiB(PROD_SIDECAR_LIMITS)}Mi`),
      },
      query: { replicas: 3, resources: res('500m', '1Gi', '4Gi') },
      queryFrontend: { enabled: true, replicas: 2, resources: res('250m', '512Mi', '2Gi') },
      store: { replicas: 2, storageSize: '50Gi', resources: res('500m', '2Gi', '8Gi') },
      compact: { retentionRaw: '90d', retention5m: '1y', retention1h: '5y', storageSize: '200Gi', resources: res('500m', '2Gi', '8Gi') },
      receive: {
        enabled: false,
        replicas: 3,
        replicationFactor: 3,
        retention: '15d',
        storageSize: '100Gi',
        resources: res('500m', '2Gi', '8Gi'),
      },
      ruler: { enabled: true, replicas: 2, storageSize: '10Gi', resources: res('100m', '256Mi', '1Gi') },
      nodeExporter: { enabled: true, resources: res('100m', '64Mi', '256Mi') },
      kubeStateMetrics: { enabled: true, resources: res('100m', '256Mi', '1Gi') },
      // Replicas in different zones: a zone outage leaves one of each (ScheduleAnyway: one-zone clusters still schedule).
      placement: { zoneSpread: true },
    },
  },
};

import type { OverlayDefinition } from './schema/overlay-entry.js';

/**
 * The overlay registry: one entry per folder under overlays/, and the only place overlays are
 * declared. Each overlay names the cluster it deploys to (`cluster`): the Argo CD destination, the
 * Flux folder clusters/<cluster>/thanos-ha/ and the `cluster` external label all come from it.
 * `npm run generate` writes overlays/<name>/ from it; `npm run new-overlay <env>-<provider>` adds an
 * entry here (through the TypeScript AST, so these comments and the layout stay).
 *
 * Keep entries as plain data (strings, numbers, booleans, arrays, objects): the CLI reads this file
 * without running it. Credentials never go here; see docs/overlays.md for each secrets mode.
 */
export const overlays: OverlayDefinition[] = [
  // Laptop and CI clusters: MinIO in the cluster, its dev credentials in Git on purpose.
  {
    name: 'dev-minio',
    profile: 'dev',
    provider: 'minio',
    cluster: 'dev-local',
    // kind and minikube clusters are kubeadm-built: self-signed kubelet serving certificates.
    platform: 'kubeadm',
    // Argo CD runs in the laptop cluster itself.
    argocdInCluster: true,
    namespace: 'monitoring-dev',
    secrets: 'plain',
    bucket: 'thanos',
  },
  // Staging on AWS; the keys come from the secret store through External Secrets.
  {
    name: 'staging-s3',
    profile: 'staging',
    provider: 's3',
    cluster: 'staging-aws-eu-west-1',
    platform: 'eks',
    namespace: 'monitoring-staging',
    secrets: 'external-secrets',
    bucket: 'CHANGE-ME-staging-s3',
    settings: { region: 'eu-west-1' },
  },
  // Production on GKE.
  {
    name: 'prod-gcs',
    profile: 'prod',
    provider: 'gcs',
    cluster: 'prod-gke-1',
    platform: 'gke',
    namespace: 'monitoring-prod',
    secrets: 'external-secrets',
    bucket: 'CHANGE-ME-prod-gcs',
  },
  // Production on Tencent Cloud.
  {
    name: 'prod-cos',
    profile: 'prod',
    provider: 'cos',
    cluster: 'prod-tke-ap-singapore',
    platform: 'tke',
    namespace: 'monitoring-prod',
    secrets: 'external-secrets',
    bucket: 'CHANGE-ME-prod-cos',
    settings: { region: 'ap-singapore' },
  },
  // Production on Alibaba Cloud.
  {
    name: 'prod-oss',
    profile: 'prod',
    provider: 'oss',
    cluster: 'prod-ack-cn-hangzhou',
    platform: 'ack',
    namespace: 'monitoring-prod',
    secrets: 'external-secrets',
    bucket: 'CHANGE-ME-prod-oss',
    settings: { region: 'cn-hangzhou' },
  },
  // A fleet (docs/fleet.md): one observer with the global view, two leaves it queries over mTLS,
  // one agent writing to its Receive. Leaves and agents name the observer; nothing else is repeated.
  {
    name: 'global-gcs',
    role: 'observer',
    profile: 'prod',
    provider: 'gcs',
    cluster: 'prod-global',
    platform: 'gke',
    namespace: 'monitoring-global',
    secrets: 'external-secrets',
    bucket: 'CHANGE-ME-global-gcs',
    // Agents write to the observer's Receive at this host.
    expose: { host: 'thanos-receive.global.example.com' },
    // The bucket holds every cluster of the fleet and agents write here: the scale options of
    // docs/scale.md. Compact shards split the clusters (this one's and each leaf's, from the registry).
    overrides: {
      cache: { backend: 'memcached' },
      store: { shards: 3 },
      compact: { shards: 2 },
      receive: { routers: 2, retentionSizePercent: 80 },
      prometheus: { retentionSizePercent: 80 },
    },
  },
  {
    name: 'eu-gcs',
    role: 'leaf',
    observer: 'global-gcs',
    profile: 'prod',
    provider: 'gcs',
    cluster: 'prod-eu-1',
    platform: 'gke',
    namespace: 'monitoring-eu',
    secrets: 'external-secrets',
    expose: { host: 'thanos-grpc.eu-1.example.com' },
  },
  {
    name: 'us-gcs',
    role: 'leaf',
    observer: 'global-gcs',
    profile: 'prod',
    provider: 'gcs',
    cluster: 'prod-us-1',
    platform: 'gke',
    namespace: 'monitoring-us',
    secrets: 'external-secrets',
    // Through the cluster's shared Gateway (a TLS listener in Passthrough mode) instead of a load balancer of its own.
    expose: { host: 'thanos-grpc.us-1.example.com', via: 'TLSRoute', gateway: { name: 'shared-gateway', namespace: 'gateway-system' } },
  },
  {
    name: 'edge-gcs',
    role: 'agent',
    observer: 'global-gcs',
    profile: 'prod',
    provider: 'gcs',
    cluster: 'edge-1',
    platform: 'gke',
    namespace: 'monitoring-edge',
    secrets: 'external-secrets',
  },
];

import type { FleetRole, StackOverrides } from './stack.js';

/** Environment profiles: each is a set of stack overrides plus which optional components run. */
export const PROFILES = ['dev', 'staging', 'prod'] as const;
export type ProfileName = (typeof PROFILES)[number];

/** Object stores an overlay can target; `minio` runs in-cluster, `filesystem` is dev only. */
export const PROVIDERS = ['s3', 'gcs', 'azure', 'swift', 'cos', 'oss', 'minio', 'filesystem'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** How the `thanos-objstore` Secret reaches the cluster. No mode puts a credential in Git except `plain` (dev only). */
export const SECRETS_MODES = ['external-secrets', 'sops', 'sealed-secrets', 'workload-identity', 'plain'] as const;
export type SecretsMode = (typeof SECRETS_MODES)[number];

/**
 * The Kubernetes distribution the overlay's cluster runs: it decides whether the kubelet and cAdvisor
 * jobs can verify the kubelets' serving certificates against the cluster CA (docs/overlays.md#kubelet-tls-per-platform).
 * `kubeadm` and `generic` (any other) serve the kubelet's self-signed certificate unless the nodes set
 * `serverTLSBootstrap: true` and something approves the CSRs.
 */
export const PLATFORMS = ['eks', 'gke', 'aks', 'ack', 'tke', 'kubeadm', 'generic'] as const;
export type PlatformName = (typeof PLATFORMS)[number];

/** Non-secret object-store settings; credentials never go here, only into the secret store. */
export interface ProviderSettings {
  /** s3, cos, oss, swift (`region_name`). @default per provider */
  readonly region?: string;
  /**
   * s3: the API host[:port] (no scheme; TLS is on); cos, oss: the API URL and swift: the Keystone
   * `auth_url`, both https:// outside dev. @default derived from region
   */
  readonly endpoint?: string;
  /** s3: plain HTTP to `endpoint` (`insecure: true` in objstore.yml); dev only. @default false */
  readonly insecure?: boolean;
  /**
   * oss: use the region's internal (VPC) endpoint, oss-<region>-internal.aliyuncs.com, so Store and
   * Compact do not pay internet egress for every block they read. (s3: a gateway VPC endpoint needs
   * no setting; for an interface endpoint set `endpoint` to its DNS name.) @default false
   */
  readonly internal?: boolean;
  /** azure: the storage account that holds the container. @default "CHANGE-ME-storage-account" */
  readonly storageAccount?: string;
  /** cos: the APPID that suffixes Tencent bucket names. @default "CHANGE-ME-app-id" */
  readonly appId?: string;
  /** swift: Keystone project. @default "CHANGE-ME-project" */
  readonly project?: string;
}

/** Optional components; unset means the profile decides. */
export interface OverlayComponents {
  readonly receive?: boolean;
  readonly ruler?: boolean;
  readonly queryFrontend?: boolean;
  /** node-exporter DaemonSet in its own privileged namespace; one overlay per cluster may run it. */
  readonly nodeExporter?: boolean;
  readonly kubeStateMetrics?: boolean;
}

/** Where an ExternalSecret reads the credentials. */
export interface SecretStoreRef {
  /** @default "thanos-objstore" */
  readonly name?: string;
  /** @default "ClusterSecretStore" */
  readonly kind?: 'ClusterSecretStore' | 'SecretStore';
  /** Key of the entry in the store that holds the credential properties. @default "thanos/<overlay name>" */
  readonly remoteKey?: string;
}

/** Where the overlay's alerts go when not to the stack's own Alertmanager. */
export interface OverlayAlertmanager {
  /**
   * An Alertmanager that already exists: the URL of each of its replicas (http(s), host and port,
   * optional path prefix), e.g. ["http://alertmanager-0.alertmanager.ops.svc:9093", ...]. Required:
   * there is no default address. The stack then runs no Alertmanager of its own.
   */
  readonly external: { readonly urls: readonly string[] };
}

/** What a cluster is in a fleet (docs/fleet.md); `full` is a self-contained single-cluster stack. */
export const ROLES = ['full', 'observer', 'leaf', 'agent'] as const satisfies readonly FleetRole[];

/** How other clusters reach this overlay's cross-cluster endpoint (a leaf's Query, an observer's Receive). */
export interface OverlayExposure {
  /** The DNS name other clusters dial, e.g. "thanos-grpc.eu-1.example.com"; it goes into the server certificate. */
  readonly host: string;
  /** `LoadBalancer` Service or a Gateway API v1 `TLSRoute` in passthrough mode. @default "LoadBalancer" */
  readonly via?: 'LoadBalancer' | 'TLSRoute';
  /** The port dialled: the LoadBalancer's, or the Gateway listener's. @default 443 */
  readonly port?: number;
  /**
   * LoadBalancer: the client CIDRs the load balancer admits (`loadBalancerSourceRanges`), e.g. the
   * observer's egress addresses. Unset, the cloud's load balancer admits the whole internet and only
   * mTLS keeps others out; `check` warns. @default unset
   */
  readonly sourceRanges?: readonly string[];
  /** TLSRoute: the existing Gateway whose listener (protocol TLS, tls.mode Passthrough) takes the route. */
  readonly gateway?: { readonly name: string; readonly namespace: string; readonly sectionName?: string };
}

/** One overlay: everything `npm run generate` needs to write overlays/<name>/. */
export interface OverlayDefinition {
  /** `<env>-<provider>`, a lowercase DNS label; also the folder name under overlays/. */
  readonly name: string;
  readonly profile: ProfileName;
  readonly provider: ProviderName;
  /**
   * The cluster the overlay deploys to, a DNS label such as `prod-eu-1`: the name the cluster is
   * registered under in Argo CD (`argocd cluster add <context> --name <cluster>`), the folder
   * clusters/<cluster>/ its Flux bootstraps from, and the `cluster` external label of its
   * Prometheus (and of a Ruler or Receive that serves only this cluster). Two overlays may share a
   * cluster only in different namespaces.
   */
  readonly cluster: string;
  /**
   * The cluster's Kubernetes distribution: `eks` (EKS-optimized AMIs), `gke`, `aks`, `ack`, `tke`,
   * `kubeadm` or `generic`. Where its kubelets serve certificates the cluster CA signs (eks), the
   * kubelet jobs verify them; elsewhere they skip verification (docs/overlays.md#kubelet-tls-per-platform).
   * Every overlay of one cluster names the same platform. @default "generic"
   */
  readonly platform?: PlatformName;
  /** Namespace every object of the overlay lands in; never a Kubernetes or GitOps controller namespace. */
  readonly namespace: string;
  readonly secrets: SecretsMode;
  /**
   * Bucket (s3, gcs, cos, oss, minio), container (azure, swift) or sub-directory (filesystem).
   * Required for `full` and `observer`; a leaf or agent has none of its own (its blocks or samples
   * end up in its observer's bucket), so it leaves this out.
   */
  readonly bucket?: string;
  /**
   * The overlay's place in a fleet of clusters (docs/fleet.md): `full` (one cluster, everything),
   * `observer` (the central cluster: global Query, Store, Compact, Ruler and Receive), `leaf`
   * (Prometheus with sidecars and a Query the observer dials over mTLS) or `agent` (Prometheus in
   * agent mode remote-writing to the observer's Receive). @default "full"
   */
  readonly role?: FleetRole;
  /** leaf, agent: the observer overlay (its name in this registry) they belong to. */
  readonly observer?: string;
  /**
   * leaf: how the observer reaches its Query's gRPC; observer: how agents reach its Receive's
   * remote write (required once an agent names it).
   */
  readonly expose?: OverlayExposure;
  /**
   * observer: the cert-manager issuer of the fleet's certificates, a CA every cluster of the fleet
   * has under this name (its leaves and agents use the same). @default { kind: 'ClusterIssuer', name: 'thanos-fleet-ca' }
   */
  readonly issuer?: { readonly name: string; readonly kind?: 'ClusterIssuer' | 'Issuer' };
  readonly settings?: ProviderSettings;
  /** workload-identity: the IAM role ARN (s3), Google service account email (gcs) or managed identity client ID (azure). */
  readonly identity?: string;
  /** external-secrets: the store to read from. */
  readonly secretStore?: SecretStoreRef;
  readonly components?: OverlayComponents;
  /**
   * Who remote-writes into this overlay's Receive (e.g. "edge-eu-1 Prometheus agent"). Receive runs
   * only where this names at least one writer: without one it holds replicas and volumes for nothing.
   * @default [] (no Receive)
   */
  readonly writers?: readonly string[];
  /**
   * StorageClass of each data volume (the StatefulSets' claim templates, and the filesystem
   * provider's claim): `all` for every one, or per volume; a per-volume value wins.
   * @default unset: the cluster's default StorageClass
   */
  readonly storageClassName?: StorageClassNames;
  /**
   * Extra Prometheus scrape jobs, appended after the generated ones: each a Prometheus
   * `scrape_config` (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config)
   * with a `job_name` of its own. @default []
   */
  readonly scrapeJobs?: readonly ScrapeJob[];
  /**
   * Extra Prometheus rule files, paths relative to overlays/<name>/ (keep them under `user/`, e.g.
   * `user/rules/team.yaml`): each a rule file with `groups`, loaded by every Prometheus replica.
   * `generate` copies them into the rules ConfigMap; run it again after editing one. @default []
   */
  readonly ruleFiles?: readonly string[];
  /** sops: the age public keys (`age1...`) `.sops.yaml` encrypts for. @default a CHANGE-ME placeholder */
  readonly sops?: { readonly age: readonly string[] };
  /**
   * Argo CD runs in this overlay's own cluster: its Application targets the in-cluster API server
   * (https://kubernetes.default.svc) instead of the cluster registered by name. @default false
   */
  readonly argocdInCluster?: boolean;
  /**
   * The URL people open Query at, behind your ingress (docs/day-two.md#reaching-query-and-grafana),
   * e.g. "https://thanos.example.com": alert links (Prometheus' and the Ruler's) point there instead
   * of at pod names. @default unset (links name the pods)
   */
  readonly queryUrl?: string;
  /** Send alerts to an existing Alertmanager instead of the stack's own. @default the stack's own */
  readonly alertmanager?: OverlayAlertmanager;
  /** Stack settings over the profile's, e.g. `{ prometheus: { replicas: 3 } }`. */
  readonly overrides?: StackOverrides;
}

/** The data volumes a StorageClass can be set for. */
export const STORAGE_VOLUMES = ['all', 'prometheus', 'store', 'compact', 'receive', 'ruler', 'filesystem'] as const;
export type StorageClassNames = Partial<Record<(typeof STORAGE_VOLUMES)[number], string>>;

/** A Prometheus scrape_config; only `job_name` is read by the generator, the rest goes through as written. */
export interface ScrapeJob {
  readonly job_name: string;
  readonly [field: string]: unknown;
}

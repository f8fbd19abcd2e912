import type { SidecarRequestLimits } from '../../core/units/sizing.js';

/**
 * The stack every overlay is built from: each component's settings, with its default in DEFAULT_STACK
 * (generator/model/stack.ts). An overlay's `overrides` in settings/overlays.ts is a StackOverrides.
 */

/** CPU and memory for one container. Requests always; a memory limit always (OOM over node pressure). */
export interface Resources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** Where every component that talks to object storage finds its objstore config. */
export interface ObjstoreSecretRef {
  /** @default "thanos-objstore" */
  readonly name: string;
  /** @default "objstore.yml" */
  readonly key: string;
}

export interface PrometheusConfig {
  /**
   * `server` keeps a TSDB, evaluates rules and ships blocks through the Thanos sidecar; `agent`
   * (`--agent`) only scrapes and remote-writes (a fleet's agent cluster): no sidecar, no rules, no
   * alerting, no `--storage.tsdb.*` flags (they make an agent exit). @default "server"
   */
  readonly mode: 'server' | 'agent';
  /** Equal replicas scraping the same targets; Query deduplicates them. @default 2 */
  readonly replicas: number;
  /**
   * Local TSDB retention; at least 3 x blockDuration so the sidecar always has time to upload. Written
   * to the config file's `storage.tsdb.retention.time` from Prometheus v3.11, to the flag before. @default "24h"
   */
  readonly retention: string;
  /** Min = max TSDB block duration; local compaction off so the sidecar uploads every block. @default "2h" */
  readonly blockDuration: string;
  /** @default "50Gi" */
  readonly storageSize: string;
  /** @default "30s" */
  readonly scrapeInterval: string;
  /**
   * Value of the `cluster` external label: on Prometheus, and on a Ruler or Receive that serves only
   * this cluster (`ownClusterOnly`). An overlay derives it from its registry `cluster`; override it
   * per overlay with `overrides: { prometheus: { clusterLabel: '...' } }`. @default "main"
   */
  readonly clusterLabel: string;
  readonly resources: Resources;
  /** The sidecar's memory limit must hold `sidecarLimits` (checked; see lib/sizing.ts). */
  readonly sidecarResources: Resources;
  /**
   * Bounds on what one query may pull through the sidecar (`--store.limits.request-series`,
   * `--store.limits.request-samples`); 0 leaves a bound off. @default { requestSeries: 0, requestSamples: 0 }
   */
  readonly sidecarLimits: SidecarRequestLimits;
  /**
   * Skip verifying the kubelets' serving certificates in the kubelet and cAdvisor jobs: for clusters
   * whose kubelets use self-signed certificates (no serverTLSBootstrap). An overlay derives it from its
   * registry `platform` (true but for eks); set it here where the nodes differ from their platform's
   * default. The base (no platform) verifies. @default false
   */
  readonly kubeletInsecureSkipVerify: boolean;
  /**
   * Size-based retention as a share of `storageSize` (1-95), written beside the time where the image's
   * release reads both (the config file's `storage.tsdb.retention` from v3.11; docs/scale.md): the oldest blocks go before the
   * volume fills, so two replicas that scrape the same targets do not both stop on a full disk at the
   * same moment. 0 keeps time-based retention only. @default 0
   */
  readonly retentionSizePercent: number;
}

export interface QueryConfig {
  /** Off only where nothing is queried in the cluster (a fleet's agent cluster). @default true */
  readonly enabled: boolean;
  /** @default 2 */
  readonly replicas: number;
  /** @default "2m" */
  readonly timeout: string;
  readonly resources: Resources;
}

export interface QueryFrontendConfig {
  /** @default true */
  readonly enabled: boolean;
  /** @default 2 */
  readonly replicas: number;
  /** Range queries are split into pieces of this length and cached per piece. @default "24h" */
  readonly splitInterval: string;
  readonly resources: Resources;
}

/** A time range one group of Store Gateways serves (Thanos' `--min-time` / `--max-time`). */
export interface StoreTimePartition {
  /** DNS label naming the partition's StatefulSets (`thanos-store-<name>[-<shard>]`), e.g. "recent". */
  readonly name: string;
  /** RFC 3339 time or a duration relative to now such as "-2w"; "" for the beginning of time. */
  readonly minTime: string;
  /** Same forms; "" for the end of time. */
  readonly maxTime: string;
}

export interface StoreConfig {
  /** Off where another cluster's Store Gateway serves the bucket (a fleet's leaf or agent). @default true */
  readonly enabled: boolean;
  /** Pods per shard (each serves the same blocks: availability, not capacity). @default 1 */
  readonly replicas: number;
  /**
   * Store Gateway shards: one StatefulSet each, keeping the blocks whose `__block_id` hashes to its
   * residue (hashmod in `--selector.relabel-config`), so each loads 1/shards of the bucket's index
   * headers. 1 runs the single `thanos-store`. @default 1
   */
  readonly shards: number;
  /**
   * Time partitions, newest last, each served by its own `shards` StatefulSets: consecutive
   * partitions must meet (one's maxTime is the next's minTime). [] serves all of time. @default []
   */
  readonly timePartitions: readonly StoreTimePartition[];
  /** @default "20Gi" */
  readonly storageSize: string;
  /** Should be about half of compact.deleteDelay. @default "24h" */
  readonly ignoreDeletionMarksDelay: string;
  readonly resources: Resources;
}

export interface CompactConfig {
  /**
   * Off where another cluster compacts the bucket (a fleet's leaf or agent: the observer compacts
   * the shared bucket, and a second compactor on it halts on overlapping blocks). @default true
   */
  readonly enabled: boolean;
  /** @default "30d" */
  readonly retentionRaw: string;
  /** @default "90d" */
  readonly retention5m: string;
  /** @default "1y" */
  readonly retention1h: string;
  /** @default "48h" */
  readonly deleteDelay: string;
  /** @default 1 */
  readonly concurrency: number;
  /** About 100Gi per unit of concurrency at scale. @default "100Gi" */
  readonly storageSize: string;
  /**
   * Compactor shards for a bucket too large for one: each a StatefulSet with its own volume keeping
   * the producers whose `shardLabel` hashes to its residue. 1 runs the single `thanos-compact`. @default 1
   */
  readonly shards: number;
  /** External label the shards split the producers by; never `__block_id`. @default "cluster" */
  readonly shardLabel: string;
  /**
   * The known values of `shardLabel` (a fleet observer derives its own and its leaves' clusters from
   * the registry). With values, shard i keeps values i, i+shards, ... and the last shard also keeps
   * every value not listed (a cluster added later, blocks without the label): each producer lands on
   * exactly one shard, and where, a reviewer reads off the selectors. [] splits by hashmod of the
   * label, whose spread depends on the names. @default []
   */
  readonly shardValues: readonly string[];
  /**
   * Offline deduplication: merge the HA replicas' blocks in the bucket (`--deduplication.replica-label`
   * for every replica label of the stack, `--deduplication.func=penalty`, the function Thanos documents
   * for Prometheus HA pairs). Halves the bucket; irreversible, and experimental upstream. @default false
   */
  readonly deduplication: boolean;
  readonly resources: Resources;
}

/** One Receive hashring of a split Receive. */
export interface ReceiveHashringConfig {
  /** DNS label; names the ingestor StatefulSet. */
  readonly name: string;
  /** Tenants (THANOS-TENANT header) written to this hashring; [] for every tenant no other hashring names. */
  readonly tenants: readonly string[];
}

export interface ReceiveConfig {
  /** @default true */
  readonly enabled: boolean;
  /** @default 3 */
  readonly replicas: number;
  /** @default 2 */
  readonly replicationFactor: number;
  /** Local TSDB retention before blocks live only in the bucket. @default "15d" */
  readonly retention: string;
  /**
   * Size-based retention as a share of `storageSize` (1-95): `--tsdb.max-retention-bytes`, so a
   * write spike does not fill every ingestor's volume at once. 0 keeps time-based retention only. @default 0
   */
  readonly retentionSizePercent: number;
  /**
   * Split Receive: this many stateless routers (a Deployment taking remote write, hashing it to the
   * ingestors, keeping no TSDB) in front of `replicas` ingestors per hashring (a StatefulSet with the
   * TSDB, no hashring of its own). 0 keeps one StatefulSet that routes and ingests. @default 0
   */
  readonly routers: number;
  /** A router holds writes only while forwarding them: far less than an ingestor's TSDB. */
  readonly routerResources: Resources;
  /**
   * Per-tenant hashrings when split: each gets its own ingestor StatefulSet
   * (`thanos-receive-ingestor-<name>`); a hashring without tenants takes every other tenant and
   * comes last. [] is one hashring "default" for every tenant. @default []
   */
  readonly hashrings: readonly ReceiveHashringConfig[];
  /**
   * Sees only this cluster's data, so it carries the `cluster` external label (prometheus.clusterLabel).
   * Set false where it ingests other clusters' data (a fleet's central cluster): Thanos external labels
   * overwrite series and alert labels of the same name, so a `cluster` label there would relabel every
   * other cluster's data as this one's. @default true
   */
  readonly ownClusterOnly: boolean;
  /** @default "50Gi" */
  readonly storageSize: string;
  /**
   * Who remote-writes into Receive (a Prometheus agent, another cluster), one entry each; written on
   * the StatefulSet so `check` can warn about a Receive nobody writes to. @default []
   */
  readonly writers: readonly string[];
  readonly resources: Resources;
}

export interface RulerConfig {
  /** @default true */
  readonly enabled: boolean;
  /** @default 2 */
  readonly replicas: number;
  /** @default "1m" */
  readonly evalInterval: string;
  /**
   * Sees only this cluster's data, so it carries the `cluster` external label (prometheus.clusterLabel).
   * Set false where it evaluates other clusters' data (a fleet's central cluster): Thanos external labels
   * overwrite series and alert labels of the same name, so a `cluster` label there would relabel every
   * other cluster's data as this one's. @default true
   */
  readonly ownClusterOnly: boolean;
  /** @default "10Gi" */
  readonly storageSize: string;
  readonly resources: Resources;
}

export interface NodeExporterConfig {
  /** A DaemonSet on every node, in its own namespace (host network, PID and filesystem need "privileged"). @default true */
  readonly enabled: boolean;
  /** One per cluster: its host port is the node's. @default "node-exporter" */
  readonly namespace: string;
  readonly resources: Resources;
}

export interface KubeStateMetricsConfig {
  /** Metrics of the objects' state (Deployments, Pods, Nodes, ...), without the secrets collector. @default true */
  readonly enabled: boolean;
  readonly resources: Resources;
}

/** One address and TCP port a NetworkPolicy lets pods reach. */
export interface EgressEndpoint {
  /** e.g. "169.254.169.254/32" */
  readonly cidr: string;
  readonly port: number;
}

export interface AlertmanagerConfig {
  /**
   * Run Alertmanager in the stack. Off only with `externalUrls`: then Prometheus and the Ruler send
   * to an Alertmanager that already exists. @default true
   */
  readonly enabled: boolean;
  /** Replicas forming one gossip cluster; each alert is delivered once however many there are. @default 3 */
  readonly replicas: number;
  /** Silences and the notification log, per replica. @default "2Gi" */
  readonly storageSize: string;
  /** How long silences and notification log entries are kept. @default "120h" */
  readonly retention: string;
  /**
   * The replicas of an existing Alertmanager (when `enabled` is false), each an http(s) URL with
   * host and port, e.g. "http://alertmanager-0.alertmanager.ops.svc:9093". @default []
   */
  readonly externalUrls: readonly string[];
  readonly resources: Resources;
}

export interface NetworkPoliciesConfig {
  /** Default deny in the namespace, then exactly the flows the design needs. @default true */
  readonly enabled: boolean;
  /**
   * Ports the object-store clients may reach anywhere. Overlays derive them from the endpoint
   * (its explicit port, else 443); nothing else, plain HTTP included, is open. @default [443]
   */
  readonly objstorePorts: readonly number[];
  /** Node-local credential endpoints (workload identity) the object-store clients may reach. @default [] */
  readonly credentialEndpoints: readonly EgressEndpoint[];
}

/** What a cluster is in a fleet of clusters (docs/fleet.md). */
export type FleetRole = 'full' | 'observer' | 'leaf' | 'agent';

/** The cert-manager issuer every certificate of a fleet comes from: a CA the fleet's clusters share. */
export interface IssuerRef {
  /** @default "thanos-fleet-ca" */
  readonly name: string;
  /** @default "ClusterIssuer" */
  readonly kind: 'ClusterIssuer' | 'Issuer';
}

/** How an endpoint is reached from other clusters. TLS is always end to end: nothing in between terminates it. */
export interface FleetExposure {
  /** The DNS name other clusters dial; the server certificate's dnsName and the name clients verify. */
  readonly host: string;
  /**
   * `LoadBalancer`: a Service of that type in front of the pods. `TLSRoute`: a Gateway API v1
   * TLSRoute in passthrough mode on an existing Gateway (`gateway`), which forwards the TLS stream
   * by SNI without terminating it (a terminating route would present the gateway's certificate and
   * drop the client certificate). From the entry's `expose.via` (settings/schema/overlay-entry.ts),
   * where a missing value means `LoadBalancer`; DEFAULT_STACK exposes nothing.
   */
  readonly via: 'LoadBalancer' | 'TLSRoute';
  /** The port other clusters dial (the LoadBalancer port, or the Gateway listener's): the entry's `expose.port`, 443 where it names none. */
  readonly port: number;
  /** LoadBalancer only: the client CIDRs it admits (`loadBalancerSourceRanges`), from the entry's `expose.sourceRanges`. */
  readonly sourceRanges?: readonly string[];
  /** TLSRoute only: the Gateway (a listener with protocol TLS, mode Passthrough) the route attaches to. */
  readonly gateway?: { readonly name: string; readonly namespace: string; readonly sectionName?: string };
}

/** One leaf Query the observer's Query dials, derived from the leaf's registry entry. */
export interface LeafEndpoint {
  /** The leaf overlay's name. */
  readonly overlay: string;
  /** host:port as exposed by the leaf. */
  readonly address: string;
  /** The exposed port alone (the observer's egress NetworkPolicy opens it). */
  readonly port: number;
  /** The name the observer verifies in the leaf's certificate (the leaf's exposed host). */
  readonly serverName: string;
  /** The leaf Prometheus' `cluster` external label: what its series carry through the observer's Query. */
  readonly cluster: string;
}

/** An agent writing to the observer's Receive, derived from the agent's registry entry. */
export interface AgentMember {
  /** The agent overlay's name. */
  readonly overlay: string;
  /** The agent's `cluster` external label, which Receive keeps on every sample. */
  readonly cluster: string;
}

/** Wiring between overlays of one fleet, derived from the registry (generator/model/fleet.ts); never typed by hand. */
export interface FleetConfig {
  /** @default "full" */
  readonly role: FleetRole;
  /** Where the certificates come from (the observer's issuer, shared by its leaves and agents). */
  readonly issuer: IssuerRef;
  /** leaf: how the observer reaches its Query's gRPC; observer: how agents reach its Receive's remote write. */
  readonly exposure?: FleetExposure;
  /** observer: every leaf's Query, each over mTLS. @default [] */
  readonly leafEndpoints: readonly LeafEndpoint[];
  /** observer: every agent writing to its Receive (the observer's Ruler alerts when one goes quiet). */
  readonly agents?: readonly AgentMember[];
  /** agent: the observer's Receive it remote-writes to. */
  readonly remoteWrite?: { readonly observer: string; readonly url: string; readonly serverName: string };
}

/**
 * Shared caches for Store Gateway (index cache, caching bucket) and Query Frontend (response cache).
 * `in-memory` keeps each cache in its own process, sized from the container's memory limit
 * (core/units/sizing.ts); `memcached` runs a memcached StatefulSet in the stack; `external` uses
 * a memcached the overlay names (`externalAddresses`), which `check` reports as not checked.
 */
export interface CacheConfig {
  /** @default "in-memory" */
  readonly backend: 'in-memory' | 'memcached' | 'external';
  /** memcached pods: the clients spread keys over all of them (jump hash). @default 2 */
  readonly replicas: number;
  /** memcached's `-I` and the clients' `max_item_size`, equal so no item is sent only to be refused. @default "1m" */
  readonly maxItemSize: string;
  /** memcached's `-m` is derived from `resources.memoryLimit` (lib/sizing.ts). */
  readonly resources: Resources;
  /** `external`: memcached addresses as Thanos reads them (host:port, dns+..., dnssrv+...). @default [] */
  readonly externalAddresses: readonly string[];
}

/** Where pods run: across zones, and how they rank against other pods when the cluster is full. */
export interface PlacementConfig {
  /**
   * `topologySpreadConstraints` on topology.kubernetes.io/zone (maxSkew 1, ScheduleAnyway) for the
   * stateful HA components (Prometheus, Receive, Store, Ruler, Alertmanager, memcached), beside the
   * hostname anti-affinity: a zone outage leaves a replica. @default false
   */
  readonly zoneSpread: boolean;
  /** `priorityClassName` of every pod (the PriorityClass is the cluster's); "" for none. @default "" */
  readonly priorityClassName: string;
}

/** The whole stack: every component reads what it needs from here, so nothing is typed twice. */
export interface StackConfig {
  /** Namespace the base renders into; overlays override it. @default "monitoring" */
  readonly namespace: string;
  /** @default "cluster.local" */
  readonly clusterDomain: string;
  /** `app.kubernetes.io/instance` of every object. @default "main" */
  readonly instance: string;
  /**
   * Where people open Query (the Query Frontend where it runs) behind your ingress, e.g.
   * "https://thanos.example.com": the link of every alert, Prometheus' `--web.external-url` and the
   * Ruler's `--alert.query-url`. From the registry entry's `queryUrl`. Empty: each process links to
   * its own pod's name, which nobody outside the cluster resolves. @default ""
   */
  readonly queryUrl: string;
  readonly thanosImage: string;
  readonly prometheusImage: string;
  readonly alertmanagerImage: string;
  readonly objstoreSecret: ObjstoreSecretRef;
  readonly prometheus: PrometheusConfig;
  readonly query: QueryConfig;
  readonly queryFrontend: QueryFrontendConfig;
  readonly store: StoreConfig;
  readonly compact: CompactConfig;
  readonly receive: ReceiveConfig;
  readonly ruler: RulerConfig;
  readonly nodeExporter: NodeExporterConfig;
  readonly kubeStateMetrics: KubeStateMetricsConfig;
  readonly alertmanager: AlertmanagerConfig;
  readonly networkPolicies: NetworkPoliciesConfig;
  /** The overlay's place in a fleet; a `full` stack talks to no other cluster. */
  readonly fleet: FleetConfig;
  readonly cache: CacheConfig;
  readonly placement: PlacementConfig;
  /**
   * `--enable-auto-gomemlimit` on every Thanos container: the Go runtime collects garbage harder as
   * the heap nears the container's memory limit instead of being OOM-killed first. @default true
   */
  readonly autoGoMemLimit: boolean;
}

/** A partial config, deep-merged over a full one. */
export type StackOverrides = {
  readonly [K in keyof StackConfig]?: StackConfig[K] extends string | number | boolean
    ? StackConfig[K]
    : { readonly [P in keyof StackConfig[K]]?: StackConfig[K][P] extends object ? Partial<StackConfig[K][P]> : StackConfig[K][P] };
};

import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { StackConfig } from '../model/stack.js';
import { PART_OF } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { KSM_PORTS, MEMCACHED_PORTS, NODE_EXPORTER_PORT, PORTS } from '../../core/ports.js';
import {
  ALERTMANAGER_NAME,
  COMPACT_NAME,
  KUBE_STATE_METRICS_NAME,
  MEMCACHED_NAME,
  NODE_EXPORTER_NAME,
  PROMETHEUS_NAME,
  QUERY_FRONTEND_NAME,
  QUERY_NAME,
  RECEIVE_NAME,
  RECEIVE_ROUTER_NAME,
  RULER_NAME,
  STORE_NAME,
} from '../../core/names.js';

export const DEFAULT_DENY_NAME = 'default-deny';
export const ALLOW_DNS_NAME = 'allow-dns';
/** A pod carrying this label ("true"), in any namespace, may reach Alertmanager's UI and API. */
export const ALERTMANAGER_ACCESS_LABEL = 'thanos-ha.dev/alertmanager-access';

const tcp = (port: number): INetworkPolicyPort => ({ protocol: 'TCP', port });
const fromPods = (...selectors: Labels[]): INetworkPolicyPeer[] => selectors.map((matchLabels) => ({ podSelector: { matchLabels } }));
const policyLabels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'network-policy' };

function policy(
  name: string,
  podSelector: Labels,
  ingress: INetworkPolicyIngressRule[],
  egress: INetworkPolicyEgressRule[],
): NetworkPolicy {
  return new NetworkPolicy({
    metadata: { name, labels: policyLabels },
    spec: { podSelector: { matchLabels: podSelector }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  });
}

/**
 * Default deny in the namespace, DNS for everyone, then one policy per component allowing exactly
 * the flows the design uses. Selectors are read off the workloads the components built, never retyped.
 * Prometheus keeps open egress: it scrapes targets anywhere in the cluster on ports nobody can list.
 */
export interface NetworkPolicies {
  /** Default deny and DNS: apply to every pod in the namespace. */
  readonly namespaceWide: NetworkPolicy[];
  /** The policies of each component (one, or one per workload kind: Receive's routers and ingestors), keyed by the component's base folder. */
  readonly byComponent: Record<string, NetworkPolicy | readonly NetworkPolicy[]>;
}

/** Pod selectors of the workloads, by workload name, as the components built them. */
export type WorkloadSelectors = ReadonlyMap<string, Labels>;

/** `alertmanagerPorts`: the ports of every Alertmanager replica the stack sends alerts to (monitoring/ reads them off the settings). */
export function networkPolicies(stack: StackConfig, selectors: WorkloadSelectors, alertmanagerPorts: readonly number[]): NetworkPolicies {
  const selector = (name: string) => {
    const found = selectors.get(name);
    if (!found) throw new Error(`network policies: no workload named ${name} among the built components`);
    return found;
  };
  const prom = selector(PROMETHEUS_NAME);
  // Query, Store and Compact run per role (a fleet's agent has none, a leaf no Store or Compact).
  const q = stack.query.enabled ? selector(QUERY_NAME) : undefined;
  const queriers = q ? [q] : [];
  // An egress rule without ports allows every port: with no object-store port (filesystem) there is no rule.
  const objstore: INetworkPolicyEgressRule[] = [
    ...(stack.networkPolicies.objstorePorts.length > 0 ? [{ ports: stack.networkPolicies.objstorePorts.map(tcp) }] : []),
    ...stack.networkPolicies.credentialEndpoints.map(({ cidr, port }) => ({ to: [{ ipBlock: { cidr } }], ports: [tcp(port)] })),
  ];
  const scrapedBy: INetworkPolicyIngressRule = { from: fromPods(prom), ports: [tcp(PORTS.http.port)] };

  // The stack's own Alertmanager pods, or an external one on its ports wherever it runs.
  const toAlertmanager: INetworkPolicyEgressRule = stack.alertmanager.enabled
    ? { to: fromPods(selector(ALERTMANAGER_NAME)), ports: [tcp(PORTS.alertmanagerWeb.port)] }
    : { ports: alertmanagerPorts.map(tcp) };
  const alertSenders = [prom];

  // The shared cache: the stack's memcached pods, or an external one on the ports its addresses name.
  const toCache: INetworkPolicyEgressRule[] =
    stack.cache.backend === 'memcached'
      ? [{ to: fromPods(selector(MEMCACHED_NAME)), ports: [tcp(MEMCACHED_PORTS.client.port)] }]
      : stack.cache.backend === 'external'
        ? [
            {
              ports: [
                ...new Set(stack.cache.externalAddresses.map((a) => Number(/:(\d+)$/.exec(a)?.[1] ?? MEMCACHED_PORTS.client.port))),
              ].map(tcp),
            },
          ]
        : [];

  const queryClients = [prom];
  const storeApis = stack.prometheus.mode === 'server' ? [prom] : [];
  if (stack.store.enabled) storeApis.push(selector(STORE_NAME));
  const byComponent: Record<string, NetworkPolicy | readonly NetworkPolicy[]> = {};
  const namespaceWide: NetworkPolicy[] = [
    new NetworkPolicy({
      metadata: { name: DEFAULT_DENY_NAME, labels: policyLabels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }),
    new NetworkPolicy({
      metadata: { name: ALLOW_DNS_NAME, labels: policyLabels },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [{ protocol: 'UDP', port: 53 }, tcp(53)] }],
      },
    }),
  ];

  if (stack.queryFrontend.enabled) {
    const qf = selector(QUERY_FRONTEND_NAME);
    queryClients.push(qf);
    // The user-facing entry point (Grafana, people): reachable from anywhere in the cluster.
    byComponent['query-frontend'] = policy(
      'thanos-query-frontend',
      qf,
      [{ ports: [tcp(PORTS.queryHttp.port)] }],
      [{ to: fromPods(...queriers), ports: [tcp(PORTS.queryHttp.port)] }, ...toCache],
    );
  }
  if (stack.ruler.enabled) {
    const ru = selector(RULER_NAME);
    queryClients.push(ru);
    storeApis.push(ru);
    alertSenders.push(ru);
    byComponent.ruler = policy(
      'thanos-rule',
      ru,
      [{ from: fromPods(...queriers), ports: [tcp(PORTS.grpc.port)] }, scrapedBy],
      [{ to: fromPods(...queriers), ports: [tcp(PORTS.queryHttp.port)] }, toAlertmanager, ...objstore],
    );
  }
  if (stack.receive.enabled && stack.receive.routers > 0) {
    // Split: routers take remote write from anywhere and forward to the ingestors, which store.
    const re = selector(RECEIVE_NAME);
    const router = selector(RECEIVE_ROUTER_NAME);
    storeApis.push(re);
    byComponent.receive = [
      policy('thanos-receive', re, [{ from: fromPods(...queriers, router), ports: [tcp(PORTS.grpc.port)] }, scrapedBy], objstore),
      policy(
        RECEIVE_ROUTER_NAME,
        router,
        // Remote-write producers may live in any namespace, or another cluster (a fleet's agents,
        // through the exposure): that is what Receive is for.
        [{ ports: [tcp(PORTS.remoteWrite.port)] }, scrapedBy],
        [{ to: fromPods(re), ports: [tcp(PORTS.grpc.port)] }],
      ),
    ];
  } else if (stack.receive.enabled) {
    const re = selector(RECEIVE_NAME);
    storeApis.push(re);
    byComponent.receive = policy(
      'thanos-receive',
      re,
      [
        // Remote-write producers may live in any namespace, or another cluster (a fleet's agents,
        // through the exposure): that is what Receive is for.
        { ports: [tcp(PORTS.remoteWrite.port)] },
        { from: fromPods(...queriers, re), ports: [tcp(PORTS.grpc.port)] },
        scrapedBy,
      ],
      [{ to: fromPods(re), ports: [tcp(PORTS.grpc.port)] }, ...objstore],
    );
  }

  byComponent.prometheus = policy(
    'prometheus',
    prom,
    [
      ...(stack.prometheus.mode === 'server' && q ? [{ from: fromPods(q), ports: [tcp(PORTS.grpc.port)] }] : []),
      {
        from: fromPods(prom),
        ports: [tcp(PORTS.prometheusWeb.port), ...(stack.prometheus.mode === 'server' ? [tcp(PORTS.http.port)] : [])],
      },
    ],
    // Open egress: scrape targets anywhere, and (an agent) the observer's Receive in another cluster.
    [{}],
  );
  if (q) {
    const leaves = stack.fleet.leafEndpoints;
    byComponent.query = policy(
      'thanos-query',
      q,
      [
        // Without a frontend, Query is the user-facing entry point (Grafana, people) and takes HTTP from anywhere.
        stack.queryFrontend.enabled
          ? { from: fromPods(...queryClients), ports: [tcp(PORTS.queryHttp.port)] }
          : { ports: [tcp(PORTS.queryHttp.port)] },
        // A leaf's Query takes the observer's gRPC from outside the cluster; mTLS decides who gets in.
        ...(stack.fleet.role === 'leaf' ? [{ ports: [tcp(PORTS.grpc.port)] }] : []),
      ],
      [
        { to: fromPods(...storeApis), ports: [tcp(PORTS.grpc.port)] },
        // An observer dials each leaf's exposed Query in another cluster, on its exposed port.
        ...(leaves.length > 0 ? [{ ports: [...new Set(leaves.map((leaf) => leaf.port))].sort((a, b) => a - b).map(tcp) }] : []),
      ],
    );
  }
  if (stack.kubeStateMetrics.enabled) {
    // Reads the API server: its Service port (443) or, behind some CNIs, the endpoint's (6443).
    byComponent['kube-state-metrics'] = policy(
      KUBE_STATE_METRICS_NAME,
      selector(KUBE_STATE_METRICS_NAME),
      [{ from: fromPods(prom), ports: [tcp(KSM_PORTS.metrics.port), tcp(KSM_PORTS.telemetry.port)] }],
      [{ ports: [tcp(443), tcp(6443)] }],
    );
  }
  if (stack.nodeExporter.enabled) {
    // In its own namespace: Prometheus comes from the stack's namespace, whichever an overlay picks.
    // Most CNIs do not apply NetworkPolicies to host-network pods; where one does, this is the flow.
    const own = policy(
      NODE_EXPORTER_NAME,
      selector(NODE_EXPORTER_NAME),
      [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: prom } }], ports: [tcp(NODE_EXPORTER_PORT.port)] }],
      [],
    );
    byComponent['node-exporter'] = new NetworkPolicy({ ...own, metadata: { ...own.metadata, namespace: stack.nodeExporter.namespace } });
  }
  if (stack.alertmanager.enabled) {
    const am = selector(ALERTMANAGER_NAME);
    const web = PORTS.alertmanagerWeb.port;
    const mesh = PORTS.alertmanagerMeshTcp.port;
    const gossip: INetworkPolicyPort[] = [tcp(mesh), { protocol: 'UDP', port: mesh }];
    byComponent.alertmanager = policy(
      'alertmanager',
      am,
      [
        // Alerts from Prometheus and the Ruler (Prometheus also scrapes it on this port).
        { from: fromPods(...alertSenders), ports: [tcp(web)] },
        // People and Grafana reach the UI and API through pods they label for it, in any namespace
        // (kubectl port-forward needs no rule).
        { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { [ALERTMANAGER_ACCESS_LABEL]: 'true' } } }], ports: [tcp(web)] },
        { from: fromPods(am), ports: gossip },
      ],
      // Receivers (webhooks, chat, paging services, mail) live anywhere on ports nobody can list.
      [{}],
    );
  }
  if (stack.store.enabled)
    byComponent.store = policy(
      'thanos-store',
      selector(STORE_NAME),
      [{ from: fromPods(...queriers), ports: [tcp(PORTS.grpc.port)] }, scrapedBy],
      [...objstore, ...toCache],
    );
  if (stack.cache.backend === 'memcached') {
    const clients = [
      ...(stack.store.enabled ? [selector(STORE_NAME)] : []),
      ...(stack.queryFrontend.enabled ? [selector(QUERY_FRONTEND_NAME)] : []),
    ];
    byComponent.memcached = policy(
      MEMCACHED_NAME,
      selector(MEMCACHED_NAME),
      [
        { from: fromPods(...clients), ports: [tcp(MEMCACHED_PORTS.client.port)] },
        { from: fromPods(prom), ports: [tcp(MEMCACHED_PORTS.metrics.port)] },
      ],
      // A cache answers and never calls out.
      [],
    );
  }
  if (stack.compact.enabled) byComponent.compact = policy('thanos-compact', selector(COMPACT_NAME), [scrapedBy], objstore);
  return { namespaceWide, byComponent };
}

import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../model/stack.js';
import { imageTag, labels, selectorLabels, type ComponentIdentity } from '../../core/labels.js';
import { headlessService, podDisruptionBudget, serviceAccount } from '../lib/objects.js';
import {
  containerResources,
  dataVolumeClaim,
  hostnameAntiAffinity,
  httpProbes,
  objstoreFlag,
  objstoreVolume,
  objstoreVolumeMount,
  podIdentityEnv,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  scratchVolume,
} from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../../core/ports.js';
import { stringify } from '../../core/yaml.js';
import type { PrometheusMonitoring } from '../lib/prometheus-config.js';
import { retentionSize } from '../../core/units/sizing.js';
import { type RetentionLayout, retentionLayout } from '../../core/prometheus/retention.js';
import { CLUSTER_LABEL, PROMETHEUS_NAME, PROMETHEUS_REPLICA_LABEL } from '../../core/names.js';
import { configReloaderContainer } from './config-reloader.js';
import { FLEET_TLS, tlsFiles, tlsVolume, tlsVolumeMount } from './fleet-tls.js';
import { goMemLimitFlags } from './thanos-common.js';

/** Placeholder the sidecar's reloader (and the init container) replaces with the pod name. */
export const POD_NAME_PLACEHOLDER = '$(POD_NAME)';
export const PROMETHEUS_CONFIG_TEMPLATE_KEY = 'prometheus.yaml.tmpl';

const CONFIG_DIR = '/etc/prometheus/config';
const CONFIG_OUT_DIR = '/etc/prometheus/config_out';
const RULES_DIR = '/etc/prometheus/rules';
const DATA_DIR = '/prometheus';

export interface PrometheusObjects {
  readonly serviceAccount: ServiceAccount;
  readonly clusterRole: ClusterRole;
  readonly clusterRoleBinding: ClusterRoleBinding;
  readonly configMap: ConfigMap;
  /** Absent in agent mode, which evaluates no rules. */
  readonly rulesConfigMap?: ConfigMap;
  readonly service: Service;
  readonly statefulSet: StatefulSet;
  readonly podDisruptionBudget?: PodDisruptionBudget;
}

export function prometheusIdentity(stack: StackConfig): ComponentIdentity {
  return { name: PROMETHEUS_NAME, component: 'prometheus', instance: stack.instance, version: imageTag(stack.prometheusImage) };
}

/** The Prometheus configuration, with the replica label left as a placeholder for each pod to fill in. */
export function prometheusConfigTemplate(stack: StackConfig, monitoring: PrometheusMonitoring): Record<string, unknown> {
  const p = stack.prometheus;
  const externalLabels = { [CLUSTER_LABEL]: p.clusterLabel, [PROMETHEUS_REPLICA_LABEL]: POD_NAME_PLACEHOLDER };
  if (p.mode === 'agent') {
    // An agent refuses alerting, rule_files and remote_read (promtool check config --agent); its
    // external labels travel with every remote-written series instead of on blocks.
    return {
      global: { scrape_interval: p.scrapeInterval, external_labels: externalLabels },
      scrape_configs: monitoring.scrapeConfigs,
      remote_write: agentRemoteWrite(stack),
    };
  }
  return {
    global: {
      scrape_interval: p.scrapeInterval,
      evaluation_interval: p.scrapeInterval,
      external_labels: externalLabels,
    },
    alerting: monitoring.alerting,
    rule_files: [`${RULES_DIR}/*.yaml`],
    scrape_configs: monitoring.scrapeConfigs,
    ...retentionSection(stack),
  };
}

/** Retention time and size, and where the image's release reads each (core/prometheus/retention.ts). */
function retention(stack: StackConfig): { layout: RetentionLayout; time: string; size?: string } {
  const p = stack.prometheus;
  const tag = imageTag(stack.prometheusImage);
  const layout = retentionLayout(tag);
  // validateStack refuses a tag that is no v3 release; this is the type's guard.
  if (!layout) throw new Error(`Prometheus image tag ${tag} is no version`);
  return { layout, time: p.retention, size: p.retentionSizePercent > 0 ? retentionSize(p.storageSize, p.retentionSizePercent) : undefined };
}

/**
 * The config file's part of the retention: from v3.11 the whole of it, time and size in one block
 * (a block without `time` would turn the time limit off); on v3.8-v3.10 only the size (a `time`
 * there is read a million times too long); before v3.8 nothing (the block stops the process).
 */
function retentionSection(stack: StackConfig): Record<string, unknown> {
  const { layout, time, size } = retention(stack);
  const block = layout === 'file' ? { time, ...(size ? { size } : {}) } : layout === 'time-flag' && size ? { size } : undefined;
  return block ? { storage: { tsdb: { retention: block } } } : {};
}

/** The flags' part of the retention: none from v3.11 (the block is read whole), the time on v3.8-v3.10, both before. */
function retentionFlags(stack: StackConfig): string[] {
  const { layout, time, size } = retention(stack);
  if (layout === 'file') return [];
  const timeFlag = `--storage.tsdb.retention.time=${time}`;
  if (layout === 'time-flag') return [timeFlag];
  return [timeFlag, ...(size ? [`--storage.tsdb.retention.size=${size}`] : [])];
}

/**
 * An agent's one destination: the observer's Receive as exposed to other clusters, over HTTPS with
 * the agent's client certificate (Receive verifies it against the fleet's CA) and the exposed host
 * as the name it verifies in Receive's certificate.
 */
function agentRemoteWrite(stack: StackConfig): Record<string, unknown>[] {
  const target = stack.fleet.remoteWrite;
  if (!target) return [];
  const files = tlsFiles(FLEET_TLS.remoteWriteClient);
  return [
    {
      name: target.observer,
      url: target.url,
      tls_config: { ca_file: files.ca, cert_file: files.cert, key_file: files.key, server_name: target.serverName },
    },
  ];
}

/** Server-only flags: an agent exits on any --storage.tsdb.* flag and keeps its WAL under --storage.agent.path. */
function storageFlags(stack: StackConfig): string[] {
  const p = stack.prometheus;
  if (p.mode === 'agent') return ['--agent', `--storage.agent.path=${DATA_DIR}`];
  return [
    `--storage.tsdb.path=${DATA_DIR}`,
    ...retentionFlags(stack),
    // Equal min and max block duration turns local compaction off, so the sidecar uploads every block.
    `--storage.tsdb.min-block-duration=${p.blockDuration}`,
    `--storage.tsdb.max-block-duration=${p.blockDuration}`,
  ];
}

/** Prometheus with its Thanos sidecar (or, in agent mode, its config reloader); `monitoring` fills its config and rules. */
export function prometheus(stack: StackConfig, monitoring: PrometheusMonitoring): PrometheusObjects {
  const p = stack.prometheus;
  const agent = p.mode === 'agent';
  const id = prometheusIdentity(stack);
  const objectLabels = labels(id);

  const configMap = new ConfigMap({
    metadata: { name: `${PROMETHEUS_NAME}-config`, labels: objectLabels },
    data: { [PROMETHEUS_CONFIG_TEMPLATE_KEY]: stringify(prometheusConfigTemplate(stack, monitoring)) },
  });
  const rulesConfigMap = new ConfigMap({
    metadata: { name: `${PROMETHEUS_NAME}-rules`, labels: objectLabels },
    // One file per component; Prometheus loads every *.yaml in the directory.
    data: { ...monitoring.ruleFiles },
  });

  // Read-only discovery, cluster-wide: no Secrets, no writes.
  const clusterRole = new ClusterRole({
    metadata: { name: `${stack.instance}-${PROMETHEUS_NAME}-discovery`, labels: objectLabels },
    rules: [
      { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ],
  });
  const clusterRoleBinding = new ClusterRoleBinding({
    metadata: { name: `${stack.instance}-${PROMETHEUS_NAME}-discovery`, labels: objectLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.metadata!.name! },
    subjects: [{ kind: 'ServiceAccount', name: PROMETHEUS_NAME, namespace: stack.namespace }],
  });

  const substituteReplica =
    // $$ keeps Kubernetes from expanding $(POD_NAME) itself; sed then replaces the literal placeholder.
    `sed 's/\\$$(POD_NAME)/'"$POD_NAME"'/g' ${CONFIG_DIR}/${PROMETHEUS_CONFIG_TEMPLATE_KEY} > ${CONFIG_OUT_DIR}/prometheus.yaml`;

  const sidecar = {
    name: 'thanos-sidecar',
    image: stack.thanosImage,
    args: [
      'sidecar',
      ...goMemLimitFlags(stack, 'sidecar'),
      `--prometheus.url=http://localhost:${PORTS.prometheusWeb.port}`,
      `--tsdb.path=${DATA_DIR}`,
      `--grpc-address=${listenAddress(PORTS.grpc)}`,
      `--http-address=${listenAddress(PORTS.http)}`,
      objstoreFlag(stack),
      `--reloader.config-file=${CONFIG_DIR}/${PROMETHEUS_CONFIG_TEMPLATE_KEY}`,
      `--reloader.config-envsubst-file=${CONFIG_OUT_DIR}/prometheus.yaml`,
      `--reloader.rule-dir=${RULES_DIR}`,
      ...(p.sidecarLimits.requestSeries > 0 ? [`--store.limits.request-series=${p.sidecarLimits.requestSeries}`] : []),
      ...(p.sidecarLimits.requestSamples > 0 ? [`--store.limits.request-samples=${p.sidecarLimits.requestSamples}`] : []),
    ],
    env: podIdentityEnv(),
    ports: [containerPort(PORTS.grpc), containerPort(PORTS.http)],
    ...httpProbes(PORTS.http.name),
    resources: containerResources(p.sidecarResources),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
      { name: 'config-out', mountPath: CONFIG_OUT_DIR },
      { name: 'rules', mountPath: RULES_DIR, readOnly: true },
      { name: 'data', mountPath: DATA_DIR },
      objstoreVolumeMount(),
    ],
  };
  // An agent has no sidecar to rewrite its config on a change: the config reloader does that and reloads it.
  const agentReloader = configReloaderContainer({
    watchedDirs: [],
    reloadUrl: `http://127.0.0.1:${PORTS.prometheusWeb.port}/-/reload`,
    volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR }],
    writableMounts: [{ name: 'config-out', mountPath: CONFIG_OUT_DIR }],
    configEnvsubst: {
      template: `${CONFIG_DIR}/${PROMETHEUS_CONFIG_TEMPLATE_KEY}`,
      output: `${CONFIG_OUT_DIR}/prometheus.yaml`,
      env: podIdentityEnv(),
    },
  });

  const statefulSet = new StatefulSet({
    metadata: { name: PROMETHEUS_NAME, labels: objectLabels },
    spec: {
      replicas: p.replicas,
      serviceName: PROMETHEUS_NAME,
      // Replicas are equal peers: start them together, not one after another.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selectorLabels(id) },
      template: {
        metadata: { labels: objectLabels },
        spec: {
          serviceAccountName: PROMETHEUS_NAME,
          automountServiceAccountToken: true,
          securityContext: restrictedPodSecurityContext(),
          affinity: hostnameAntiAffinity(selectorLabels(id), 'required'),
          terminationGracePeriodSeconds: 600,
          initContainers: [
            {
              // Writes the first config before Prometheus starts; afterwards the sidecar's reloader keeps it current.
              name: 'init-config',
              image: stack.prometheusImage,
              command: ['/bin/sh', '-c', substituteReplica],
              env: podIdentityEnv(),
              resources: containerResources({ cpuRequest: '10m', memoryRequest: '16Mi', memoryLimit: '32Mi' }),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'config-out', mountPath: CONFIG_OUT_DIR },
              ],
            },
          ],
          containers: [
            {
              name: 'prometheus',
              image: stack.prometheusImage,
              args: [
                `--config.file=${CONFIG_OUT_DIR}/prometheus.yaml`,
                ...storageFlags(stack),
                `--web.listen-address=${listenAddress(PORTS.prometheusWeb)}`,
                // The reloader POSTs /-/reload after it rewrites the config or the rules.
                '--web.enable-lifecycle',
                ...externalUrlFlags(stack),
              ],
              ports: [containerPort(PORTS.prometheusWeb)],
              ...httpProbes(PORTS.prometheusWeb.name),
              resources: containerResources(p.resources),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [
                { name: 'config-out', mountPath: CONFIG_OUT_DIR, readOnly: true },
                ...(agent ? [tlsVolumeMount(FLEET_TLS.remoteWriteClient)] : [{ name: 'rules', mountPath: RULES_DIR, readOnly: true }]),
                { name: 'data', mountPath: DATA_DIR },
              ],
            },
            ...(agent ? [agentReloader] : [sidecar]),
          ],
          volumes: [
            { name: 'config', configMap: { name: configMap.metadata!.name! } },
            scratchVolume('config-out'),
            ...(agent
              ? [tlsVolume(FLEET_TLS.remoteWriteClient)]
              : [{ name: 'rules', configMap: { name: rulesConfigMap.metadata!.name! } }, objstoreVolume(stack)]),
          ],
        },
      },
      volumeClaimTemplates: [dataVolumeClaim('data', p.storageSize)],
    },
  });

  return {
    serviceAccount: serviceAccount(PROMETHEUS_NAME, id, true),
    clusterRole,
    clusterRoleBinding,
    configMap,
    rulesConfigMap: agent ? undefined : rulesConfigMap,
    // An agent serves no StoreAPI: only its web port (metrics, reload).
    service: headlessService(PROMETHEUS_NAME, id, agent ? [PORTS.prometheusWeb] : [PORTS.prometheusWeb, PORTS.grpc, PORTS.http]),
    statefulSet,
    podDisruptionBudget: p.replicas > 1 ? podDisruptionBudget(PROMETHEUS_NAME, id) : undefined,
  };
}

/**
 * Alerts carry `<external URL>/graph?g0.expr=...` as their source; Query serves the same path, so with
 * the overlay's queryUrl a link opens the deduplicated view instead of a pod name nobody resolves.
 * The route prefix would otherwise follow the URL's path and move the API the sidecar, the reloader
 * and the probes call on localhost.
 */
function externalUrlFlags(stack: StackConfig): string[] {
  return stack.queryUrl ? [`--web.external-url=${stack.queryUrl}`, '--web.route-prefix=/'] : [];
}

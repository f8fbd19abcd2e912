import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { StackConfig } from '../model/stack.js';
import { labels } from '../../core/labels.js';
import { dnsSrvAddress, headlessService, podDisruptionBudget, serviceAccount } from '../lib/objects.js';
import { objstoreFlag, objstoreVolume, objstoreVolumeMount, podIdentityEnv } from '../lib/pod.js';
import { PORTS, containerPort, listenAddress } from '../../core/ports.js';
import { QUERY_NAME, RULER_NAME, RULER_REPLICA_LABEL } from '../../core/names.js';
import type { RulerMonitoring } from '../lib/prometheus-config.js';
import { configReloaderContainer } from './config-reloader.js';
import { clusterLabelFlags, thanosContainer, thanosIdentity, thanosStatefulSet, withDataScope } from './thanos-common.js';

const DATA_DIR = '/var/thanos/rule';
const RULES_DIR = '/etc/thanos/rules';

export interface RulerObjects {
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  readonly rulesConfigMap: ConfigMap;
  readonly statefulSet: StatefulSet;
  readonly podDisruptionBudget?: PodDisruptionBudget;
}

/** The Ruler evaluates the rules that need every replica's data; `monitoring` gives its rule files and Alertmanagers. */
export function ruler(stack: StackConfig, monitoring: RulerMonitoring): RulerObjects {
  const r = stack.ruler;
  const id = thanosIdentity(stack, RULER_NAME, 'rule-evaluation-engine');
  const rulesConfigMap = new ConfigMap({
    metadata: { name: `${RULER_NAME}-rules`, labels: labels(id) },
    data: { ...monitoring.ruleFiles },
  });
  const statefulSet = withDataScope(
    thanosStatefulSet({
      name: RULER_NAME,
      id,
      replicas: r.replicas,
      podManagementPolicy: 'Parallel',
      antiAffinity: 'preferred',
      storageSize: r.storageSize,
      // Rule changes take effect without a restart: the reloader POSTs /-/reload when the ConfigMap changes.
      sidecars: [
        configReloaderContainer({
          watchedDirs: [RULES_DIR],
          reloadUrl: `http://127.0.0.1:${PORTS.http.port}/-/reload`,
          volumeMounts: [{ name: 'rules', mountPath: RULES_DIR }],
        }),
      ],
      volumes: [{ name: 'rules', configMap: { name: rulesConfigMap.metadata!.name! } }, objstoreVolume(stack)],
      container: thanosContainer(stack, 'thanos-rule', {
        subcommand: 'rule',
        args: [
          `--data-dir=${DATA_DIR}`,
          `--grpc-address=${listenAddress(PORTS.grpc)}`,
          `--http-address=${listenAddress(PORTS.http)}`,
          objstoreFlag(stack),
          `--rule-file=${RULES_DIR}/*.yaml`,
          `--eval-interval=${r.evalInterval}`,
          // Any Query pod will do: the ClusterIP Service's SRV record points at its virtual IP.
          `--query=${dnsSrvAddress(stack, QUERY_NAME, PORTS.queryHttp.name)}`,
          // Inline YAML (JSON is YAML) on one line: every Alertmanager replica, API v2.
          `--alertmanagers.config=${JSON.stringify(monitoring.alertmanagersConfig)}`,
          ...clusterLabelFlags(stack, r.ownClusterOnly),
          `--label=${RULER_REPLICA_LABEL}="$(POD_NAME)"`,
          // Both replicas fire the same alert; dropping the replica label lets Alertmanager deduplicate.
          `--alert.label-drop=${RULER_REPLICA_LABEL}`,
          // The source link of every alert; unset, the Ruler names its own pod.
          ...(stack.queryUrl ? [`--alert.query-url=${stack.queryUrl}`] : []),
        ],
        env: podIdentityEnv(),
        resources: r.resources,
        probePort: PORTS.http.name,
        ports: [containerPort(PORTS.grpc), containerPort(PORTS.http)],
        volumeMounts: [
          { name: 'data', mountPath: DATA_DIR },
          { name: 'rules', mountPath: RULES_DIR, readOnly: true },
          objstoreVolumeMount(),
        ],
      }),
    }),
    r.ownClusterOnly,
  );
  return {
    serviceAccount: serviceAccount(RULER_NAME, id),
    service: headlessService(RULER_NAME, id, [PORTS.grpc, PORTS.http]),
    rulesConfigMap,
    statefulSet,
    podDisruptionBudget: r.replicas > 1 ? podDisruptionBudget(RULER_NAME, id) : undefined,
  };
}

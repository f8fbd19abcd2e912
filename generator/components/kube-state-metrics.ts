import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { Service } from 'kubernetes-models/v1/Service';
import type { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { StackConfig } from '../model/stack.js';
import { imageTag, labels, selectorLabels, type ComponentIdentity } from '../../core/labels.js';
import { headlessService, serviceAccount, type NamedPort } from '../lib/objects.js';
import { containerResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../lib/pod.js';
import { KSM_PORTS, containerPort } from '../../core/ports.js';
import { KUBE_STATE_METRICS_IMAGE } from '../../settings/versions.js';
import { KUBE_STATE_METRICS_NAME } from '../../core/names.js';

/**
 * The collectors kube-state-metrics v2.20 enables by default (its --resources default), by API group,
 * without `secrets`: no role of this stack can read a Secret. The admission-policy collectors of
 * alpha/beta APIs (mutatingadmissionpolicies, -bindings) are left out: clusters without those APIs
 * would log a failed list for each.
 */
export const KSM_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  '': [
    'configmaps',
    'limitranges',
    'namespaces',
    'nodes',
    'persistentvolumeclaims',
    'persistentvolumes',
    'pods',
    'replicationcontrollers',
    'resourcequotas',
    'services',
  ],
  apps: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  batch: ['cronjobs', 'jobs'],
  autoscaling: ['horizontalpodautoscalers'],
  policy: ['poddisruptionbudgets'],
  'certificates.k8s.io': ['certificatesigningrequests'],
  'discovery.k8s.io': ['endpointslices'],
  'storage.k8s.io': ['storageclasses', 'volumeattachments'],
  'admissionregistration.k8s.io': [
    'mutatingwebhookconfigurations',
    'validatingadmissionpolicies',
    'validatingadmissionpolicybindings',
    'validatingwebhookconfigurations',
  ],
  'networking.k8s.io': ['ingresses', 'networkpolicies'],
  'coordination.k8s.io': ['leases'],
};

export interface KubeStateMetricsObjects {
  readonly serviceAccount: ServiceAccount;
  readonly clusterRole: ClusterRole;
  readonly clusterRoleBinding: ClusterRoleBinding;
  readonly service: Service;
  readonly deployment: Deployment;
}

export function kubeStateMetricsIdentity(stack: StackConfig): ComponentIdentity {
  return {
    name: KUBE_STATE_METRICS_NAME,
    component: 'object-metrics',
    instance: stack.instance,
    version: imageTag(KUBE_STATE_METRICS_IMAGE),
  };
}

export function kubeStateMetrics(stack: StackConfig): KubeStateMetricsObjects {
  const id = kubeStateMetricsIdentity(stack);
  const resources = Object.values(KSM_RESOURCES).flat().sort();
  // list/watch only, on exactly the collectors it runs.
  const clusterRole = new ClusterRole({
    metadata: { name: `${stack.instance}-${KUBE_STATE_METRICS_NAME}`, labels: labels(id) },
    rules: Object.entries(KSM_RESOURCES).map(([apiGroup, names]) => ({
      apiGroups: [apiGroup],
      resources: [...names],
      verbs: ['list', 'watch'],
    })),
  });
  const clusterRoleBinding = new ClusterRoleBinding({
    metadata: { name: clusterRole.metadata!.name!, labels: labels(id) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.metadata!.name! },
    subjects: [{ kind: 'ServiceAccount', name: KUBE_STATE_METRICS_NAME, namespace: stack.namespace }],
  });
  const probe = (path: string, port: NamedPort): IProbe => ({
    httpGet: { path, port: port.name, scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  });
  const deployment = new Deployment({
    metadata: { name: KUBE_STATE_METRICS_NAME, labels: labels(id) },
    spec: {
      // One replica: two would export every series twice; a restart loses a scrape, not data.
      replicas: 1,
      selector: { matchLabels: selectorLabels(id) },
      template: {
        metadata: { labels: labels(id) },
        spec: {
          serviceAccountName: KUBE_STATE_METRICS_NAME,
          automountServiceAccountToken: true,
          securityContext: restrictedPodSecurityContext(),
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: KUBE_STATE_METRICS_NAME,
              image: KUBE_STATE_METRICS_IMAGE,
              args: [
                `--resources=${resources.join(',')}`,
                `--port=${KSM_PORTS.metrics.port}`,
                `--telemetry-port=${KSM_PORTS.telemetry.port}`,
              ],
              ports: [containerPort(KSM_PORTS.metrics), containerPort(KSM_PORTS.telemetry)],
              // As upstream's example: alive while serving metrics, ready once its caches are synced.
              livenessProbe: probe('/livez', KSM_PORTS.metrics),
              readinessProbe: probe('/readyz', KSM_PORTS.telemetry),
              resources: containerResources(stack.kubeStateMetrics.resources),
              securityContext: restrictedContainerSecurityContext(),
            },
          ],
        },
      },
    },
  });
  return {
    serviceAccount: serviceAccount(KUBE_STATE_METRICS_NAME, id, true),
    clusterRole,
    clusterRoleBinding,
    service: headlessService(KUBE_STATE_METRICS_NAME, id, [KSM_PORTS.metrics, KSM_PORTS.telemetry]),
    deployment,
  };
}

import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { StackConfig } from '../model/stack.js';
import { imageTag, labels, selectorLabels, type ComponentIdentity } from '../../core/labels.js';
import { NODE_EXPORTER_PORT } from '../../core/ports.js';
import { NOBODY, containerResources, restrictedContainerSecurityContext } from '../lib/pod.js';
import { NODE_EXPORTER_IMAGE } from '../../settings/versions.js';
import { NODE_EXPORTER_NAME } from '../../core/names.js';

/**
 * The one Pod Security level that admits host namespaces and hostPath volumes. The namespace holds
 * this DaemonSet alone, so nothing else of the stack runs with less than "restricted"; the
 * `pod-security` policy accepts exactly this DaemonSet there.
 */
export const PRIVILEGED_LABELS = {
  'pod-security.kubernetes.io/enforce': 'privileged',
  'pod-security.kubernetes.io/audit': 'privileged',
  'pod-security.kubernetes.io/warn': 'privileged',
} as const;

export interface NodeExporterObjects {
  readonly namespace: Namespace;
  readonly serviceAccount: ServiceAccount;
  readonly service: Service;
  readonly daemonSet: DaemonSet;
}

export function nodeExporterIdentity(stack: StackConfig): ComponentIdentity {
  return { name: NODE_EXPORTER_NAME, component: 'node-metrics', instance: stack.instance, version: imageTag(NODE_EXPORTER_IMAGE) };
}

const HOST = { proc: '/host/proc', sys: '/host/sys', root: '/host/root' } as const;

/**
 * node-exporter reads the node, not the container: host network (the node's interfaces and
 * addresses), host PID (the node's processes) and the node's /proc, /sys and / read-only. Everything
 * else is as restricted as the rest of the stack: non-root, no capabilities, no privilege
 * escalation, a read-only root filesystem, RuntimeDefault seccomp, no API token.
 */
export function nodeExporter(stack: StackConfig): NodeExporterObjects {
  const c = stack.nodeExporter;
  const id = nodeExporterIdentity(stack);
  const meta = { name: NODE_EXPORTER_NAME, namespace: c.namespace, labels: labels(id) };
  const probe = (failureThreshold: number): IProbe => ({
    httpGet: { path: '/', port: NODE_EXPORTER_PORT.name, scheme: 'HTTP' },
    periodSeconds: 15,
    timeoutSeconds: 5,
    failureThreshold,
  });
  const daemonSet = new DaemonSet({
    metadata: meta,
    spec: {
      selector: { matchLabels: selectorLabels(id) },
      // One node at a time: metrics of the others keep flowing during an upgrade.
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: labels(id) },
        spec: {
          serviceAccountName: NODE_EXPORTER_NAME,
          automountServiceAccountToken: false,
          hostNetwork: true,
          hostPID: true,
          dnsPolicy: 'ClusterFirstWithHostNet',
          // Every node, tainted ones included: a node without metrics is the node nobody watches.
          tolerations: [{ operator: 'Exists' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          securityContext: { runAsNonRoot: true, runAsUser: NOBODY, runAsGroup: NOBODY, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: NODE_EXPORTER_NAME,
              image: NODE_EXPORTER_IMAGE,
              args: [
                `--path.procfs=${HOST.proc}`,
                `--path.sysfs=${HOST.sys}`,
                `--path.rootfs=${HOST.root}`,
                `--web.listen-address=:${NODE_EXPORTER_PORT.port}`,
                // Container and pod mounts are the runtime's business, not the node's disks.
                '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/containerd/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+)($|/)',
              ],
              ports: [{ name: NODE_EXPORTER_PORT.name, containerPort: NODE_EXPORTER_PORT.port, protocol: 'TCP' }],
              livenessProbe: probe(8),
              readinessProbe: probe(3),
              resources: containerResources(c.resources),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [
                { name: 'proc', mountPath: HOST.proc, readOnly: true },
                { name: 'sys', mountPath: HOST.sys, readOnly: true },
                // HostToContainer: filesystems mounted on the node after start-up show up too.
                { name: 'root', mountPath: HOST.root, readOnly: true, mountPropagation: 'HostToContainer' },
              ],
            },
          ],
          volumes: [
            { name: 'proc', hostPath: { path: '/proc' } },
            { name: 'sys', hostPath: { path: '/sys' } },
            { name: 'root', hostPath: { path: '/' } },
          ],
        },
      },
    },
  });
  return {
    namespace: new Namespace({ metadata: { name: c.namespace, labels: { ...PRIVILEGED_LABELS } } }),
    serviceAccount: new ServiceAccount({ metadata: meta, automountServiceAccountToken: false }),
    // Headless: Prometheus discovers one endpoint per node through its EndpointSlices.
    service: new Service({
      metadata: meta,
      spec: {
        clusterIP: 'None',
        selector: selectorLabels(id),
        ports: [{ name: NODE_EXPORTER_PORT.name, port: NODE_EXPORTER_PORT.port, targetPort: NODE_EXPORTER_PORT.name, protocol: 'TCP' }],
      },
    }),
    daemonSet,
  };
}

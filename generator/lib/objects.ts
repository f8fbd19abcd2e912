import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import type { StackConfig } from '../model/stack.js';
import type { NamedPort } from '../../core/ports.js';
import { labels, selectorLabels, type ComponentIdentity } from '../../core/labels.js';

export type { NamedPort } from '../../core/ports.js';

function servicePorts(ports: readonly NamedPort[]): IServicePort[] {
  return ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: 'TCP' }));
}

/**
 * A headless Service: DNS returns one record per ready pod (A and SRV), which is what
 * `dnssrv+` discovery and StatefulSet pod DNS names need.
 */
export function headlessService(name: string, id: ComponentIdentity, ports: readonly NamedPort[]): Service {
  return new Service({
    metadata: { name, labels: labels(id) },
    spec: { clusterIP: 'None', selector: selectorLabels(id), ports: servicePorts(ports) },
  });
}

/** A ClusterIP Service: one virtual IP, for clients where any one pod will do. */
export function clusterIpService(name: string, id: ComponentIdentity, ports: readonly NamedPort[]): Service {
  return new Service({
    metadata: { name, labels: labels(id) },
    spec: { type: 'ClusterIP', selector: selectorLabels(id), ports: servicePorts(ports) },
  });
}

/** A ServiceAccount whose token is mounted only where the component talks to the Kubernetes API. */
export function serviceAccount(name: string, id: ComponentIdentity, needsApiToken = false): ServiceAccount {
  return new ServiceAccount({
    metadata: { name, labels: labels(id) },
    automountServiceAccountToken: needsApiToken,
  });
}

/** Keeps all but one replica up through voluntary disruptions (node drains, upgrades). */
export function podDisruptionBudget(name: string, id: ComponentIdentity): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: { name, labels: labels(id) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(id) } },
  });
}

/** DNS name of a Service, with the namespace taken from the pod's own at run time. */
export function serviceHost(stack: StackConfig, service: string): string {
  return `${service}.$(NAMESPACE).svc.${stack.clusterDomain}`;
}

/** A literal DNS name of a Service in a known namespace (for files that no env substitution reaches). */
export function serviceHostIn(stack: StackConfig, service: string, namespace: string): string {
  return `${service}.${namespace}.svc.${stack.clusterDomain}`;
}

/** `dnssrv+` address: Thanos resolves the SRV record of a named port to every pod behind the Service. */
export function dnsSrvAddress(stack: StackConfig, service: string, portName: string): string {
  return `dnssrv+_${portName}._tcp.${serviceHost(stack, service)}`;
}

/**
 * Kubernetes service discovery, played from the rendered objects onto loopback addresses. Debian's
 * Prometheus 2.42 is built without Kubernetes discovery (it refuses the `kubernetes_sd_configs`
 * field), and a machine without a cluster has no pods anyway. So each discovery block becomes a
 * static list of the targets Kubernetes would have returned for the rendered workloads and Services,
 * with the `__meta_kubernetes_*` labels of Prometheus' pod and endpointslice roles
 * (prometheus v2.42.0 discovery/kubernetes/pod.go, endpointslice.go), and every target, not only the
 * intended ones: the generated relabelling does the selecting, for real. What the pods really are is
 * the caller's choice of address per container port (a real process, or the synthetic exporter).
 */

/** A pod of a rendered workload, as the API server would list it. */
export interface LoopbackPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly controller: { readonly kind: string; readonly name: string };
  readonly containers: ReadonlyArray<{
    readonly name: string;
    readonly ports: ReadonlyArray<{ readonly name?: string; readonly containerPort: number; readonly protocol: string }>;
  }>;
}

export interface LoopbackService {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: ReadonlyArray<{
    readonly name?: string;
    readonly port: number;
    readonly targetPort?: string | number;
    readonly protocol?: string;
  }>;
}

/** Where a container port of a pod listens on this machine ("127.0.0.1:<port>"). */
export type AddressOf = (pod: LoopbackPod, container: string, port: { readonly name?: string; readonly containerPort: number }) => string;

type K8sObject = Record<string, any>;

/**
 * The pods the API server would run for the rendered StatefulSets and Deployments: StatefulSet pods
 * by ordinal, Deployment pods with a fixed template hash and suffix. DaemonSets get none: a machine
 * without a cluster has no nodes (the node role returns nothing either).
 */
export function podsOf(objects: readonly K8sObject[]): LoopbackPod[] {
  const pods: LoopbackPod[] = [];
  for (const object of objects) {
    if (object.kind !== 'StatefulSet' && object.kind !== 'Deployment') continue;
    const replicas: number = object.spec.replicas ?? 1;
    const template = object.spec.template;
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      const name =
        object.kind === 'StatefulSet'
          ? `${object.metadata.name}-${ordinal}`
          : `${object.metadata.name}-6d4cf56db6-${'abcdefgh'[ordinal]}x2kq`;
      pods.push({
        name,
        namespace: object.metadata.namespace,
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        controller: { kind: object.kind === 'StatefulSet' ? 'StatefulSet' : 'ReplicaSet', name: object.metadata.name },
        containers: (template.spec.containers ?? []).map((container: K8sObject) => ({
          name: container.name,
          ports: (container.ports ?? []).map((port: K8sObject) => ({
            name: port.name,
            containerPort: port.containerPort,
            protocol: port.protocol ?? 'TCP',
          })),
        })),
      });
    }
  }
  return pods;
}

export function servicesOf(objects: readonly K8sObject[]): LoopbackService[] {
  return objects
    .filter((object) => object.kind === 'Service' && object.spec?.selector)
    .map((object) => ({
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      labels: object.metadata.labels ?? {},
      selector: object.spec.selector,
      ports: object.spec.ports ?? [],
    }));
}

/** Prometheus' strutil.SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes "_". */
function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

function metaOf(prefix: string, kind: 'label' | 'annotation', values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    out[`${prefix}_${kind}_${sanitize(key)}`] = value;
    out[`${prefix}_${kind}present_${sanitize(key)}`] = 'true';
  }
  return out;
}

function podMeta(pod: LoopbackPod): Record<string, string> {
  return {
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_name: pod.name,
    __meta_kubernetes_pod_ip: '127.0.0.1',
    __meta_kubernetes_pod_ready: 'true',
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_node_name: 'localhost',
    __meta_kubernetes_pod_host_ip: '127.0.0.1',
    __meta_kubernetes_pod_controller_kind: pod.controller.kind,
    __meta_kubernetes_pod_controller_name: pod.controller.name,
    ...metaOf('__meta_kubernetes_pod', 'label', pod.labels),
    ...metaOf('__meta_kubernetes_pod', 'annotation', pod.annotations),
  };
}

function containerMeta(container: string, port: { name?: string; containerPort: number; protocol: string }): Record<string, string> {
  return {
    __meta_kubernetes_pod_container_name: container,
    __meta_kubernetes_pod_container_init: 'false',
    __meta_kubernetes_pod_container_port_name: port.name ?? '',
    __meta_kubernetes_pod_container_port_number: String(port.containerPort),
    __meta_kubernetes_pod_container_port_protocol: port.protocol,
  };
}

/** The namespaces a discovery block watches: its own (the overlay's), a list, or all. */
function namespacesOf(block: K8sObject, ownNamespace: string): (namespace: string) => boolean {
  if (block.namespaces?.own_namespace) return (namespace) => namespace === ownNamespace;
  if (block.namespaces?.names) return (namespace) => block.namespaces.names.includes(namespace);
  return () => true;
}

export interface StaticGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** The static groups one `kubernetes_sd_configs` entry would have discovered. */
export function discover(
  block: K8sObject,
  inventory: { pods: readonly LoopbackPod[]; services: readonly LoopbackService[]; ownNamespace: string; addressOf: AddressOf },
): StaticGroup[] {
  const watched = namespacesOf(block, inventory.ownNamespace);
  const pods = inventory.pods.filter((pod) => watched(pod.namespace));
  switch (block.role) {
    case 'pod':
      // One target per declared container port (discovery/kubernetes/pod.go buildPod).
      return pods.flatMap((pod) =>
        pod.containers.flatMap((container) =>
          container.ports.map((port) => ({
            targets: [inventory.addressOf(pod, container.name, port)],
            labels: { ...podMeta(pod), ...containerMeta(container.name, port) },
          })),
        ),
      );
    case 'endpointslice':
      // One target per Service port and ready pod behind it (discovery/kubernetes/endpointslice.go buildEndpointSlice).
      return inventory.services
        .filter((service) => watched(service.namespace))
        .flatMap((service) =>
          pods
            .filter((pod) => Object.entries(service.selector).every(([key, value]) => pod.labels[key] === value))
            .flatMap((pod) =>
              service.ports.flatMap((servicePort) => {
                const target = servicePort.targetPort ?? servicePort.port;
                const protocol = servicePort.protocol ?? 'TCP';
                const container = pod.containers.find((c) =>
                  c.ports.some(
                    (p) => (typeof target === 'number' ? p.containerPort === target : p.name === target) && p.protocol === protocol,
                  ),
                );
                if (!container) return [];
                const port = container.ports.find(
                  (p) => (typeof target === 'number' ? p.containerPort === target : p.name === target) && p.protocol === protocol,
                )!;
                return [
                  {
                    targets: [inventory.addressOf(pod, container.name, port)],
                    labels: {
                      __meta_kubernetes_namespace: service.namespace,
                      __meta_kubernetes_endpointslice_name: `${service.name}-x7k2p`,
                      __meta_kubernetes_endpointslice_address_type: 'IPv4',
                      __meta_kubernetes_endpointslice_address_target_kind: 'Pod',
                      __meta_kubernetes_endpointslice_address_target_name: pod.name,
                      __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'true',
                      __meta_kubernetes_endpointslice_endpoint_conditions_serving: 'true',
                      __meta_kubernetes_endpointslice_endpoint_conditions_terminating: 'false',
                      __meta_kubernetes_endpointslice_port: String(servicePort.port),
                      __meta_kubernetes_endpointslice_port_name: servicePort.name ?? '',
                      __meta_kubernetes_endpointslice_port_protocol: protocol,
                      __meta_kubernetes_service_name: service.name,
                      ...metaOf('__meta_kubernetes_service', 'label', service.labels),
                      ...podMeta(pod),
                      ...containerMeta(container.name, port),
                    },
                  },
                ];
              }),
            ),
        );
    case 'node':
      return [];
    default:
      throw new Error(`loopback-sd: Kubernetes discovery role "${block.role}" is not played here (pod, endpointslice and node are)`);
  }
}

/**
 * A Prometheus configuration whose every `kubernetes_sd_configs` block (scrape jobs and
 * Alertmanager discovery alike) is replaced by the static groups it would have discovered. Jobs
 * left without any target keep an empty static list, as a cluster without their pods would.
 */
export function withLoopbackTargets(config: Record<string, any>, inventory: Parameters<typeof discover>[1]): Record<string, any> {
  const out = structuredClone(config);
  const swap = (block: Record<string, any>) => {
    if (!block.kubernetes_sd_configs) return;
    const groups = block.kubernetes_sd_configs.flatMap((sd: K8sObject) => discover(sd, inventory));
    delete block.kubernetes_sd_configs;
    block.static_configs = [...(block.static_configs ?? []), ...groups];
  };
  for (const job of out.scrape_configs ?? []) swap(job);
  for (const alertmanager of out.alerting?.alertmanagers ?? []) swap(alertmanager);
  return out;
}

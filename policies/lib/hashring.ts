import { asRecord, asString, type Container, type Index, type Workload } from './model.js';
import { receiveMode } from './thanos.js';

/**
 * The Receive hashring: where a container reads it from, the StatefulSet pods its entries name,
 * and the `<pod>.<service>.<namespace>:<port>` key an entry and a pod are compared by.
 */

export interface ReceivePod {
  readonly workload: Workload;
  readonly pod: string;
  readonly service: string;
  readonly namespace?: string;
  readonly port: string;
}

function portOf(address: string | undefined, fallback: string): string {
  const m = address ? /:(\d+)$/.exec(address) : null;
  return m ? m[1] : fallback;
}

/** host:port -> { pod, service, namespace, port } for a StatefulSet pod DNS name; undefined when not that form. */
export function parseEndpoint(
  address: string,
  ownNamespace: string | undefined,
): { pod: string; service: string; namespace?: string; port?: string } | undefined {
  const m = /^([^:]+)(?::(\d+))?$/.exec(address.trim());
  if (!m) return undefined;
  const labels = m[1]
    .replace(/\.$/, '')
    .replace(/\.svc(\.cluster\.local)?$/, '')
    .split('.');
  if (labels.length < 2 || labels.length > 3) return undefined;
  const namespace = labels[2] ?? ownNamespace;
  return { pod: labels[0], service: labels[1], namespace: namespace?.includes('$(') ? undefined : namespace, port: m[2] };
}

const podsCache = new WeakMap<Index, ReceivePod[]>();

/** The pods of every Receive StatefulSet in the set, with their DNS parts and gRPC port. */
export function receivePods(index: Index): ReceivePod[] {
  let pods = podsCache.get(index);
  if (pods) return pods;
  pods = [];
  for (const { workload, container } of index.thanos('receive')) {
    if (workload.kind !== 'StatefulSet') continue;
    // A router (a hashring and no local endpoint) forwards only: its pods are no place for hashring entries.
    if (receiveMode(container) === 'router') continue;
    const service = asString(asRecord(workload.object.spec)?.serviceName) ?? workload.name;
    const port = portOf(container.flags.get('--grpc-address'), '10901');
    for (let i = 0; i < workload.replicas; i++)
      pods.push({ workload, pod: `${workload.name}-${i}`, service, namespace: workload.namespace, port });
  }
  podsCache.set(index, pods);
  return pods;
}

/** The hashring text a Receive container reads (inline flag or file), where from, and why it is not readable. */
export function hashringText(
  index: Index,
  workload: Workload,
  c: Container,
): { text?: string; where: string; problem?: string; missingKey?: boolean } | undefined {
  const inline = c.flags.get('--receive.hashrings');
  if (inline !== undefined) return { text: inline, where: '--receive.hashrings' };
  const file = c.flags.get('--receive.hashrings-file');
  if (file === undefined) return undefined;
  const got = index.fileText(workload, c, file);
  // The ConfigMap is there but not the key: the file will not exist and receive cannot start.
  const missingKey =
    got.source.from === 'configMap' && index.configMapValue(workload.namespace, got.source.name, got.source.key).found === 'object';
  return { text: got.text, where: file, problem: got.problem, missingKey };
}

/** What a hashring entry and a pod are compared by: `<pod>.<service>.<namespace>:<port>`. */
export function endpointKey(p: { pod: string; service: string; namespace?: string; port?: string }): string {
  return `${p.pod}.${p.service}.${p.namespace ?? '?'}:${p.port ?? '?'}`;
}

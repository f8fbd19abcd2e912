import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord, asString, type Container, type Index, type Workload } from '../lib/model.js';
import { receiveMode } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

interface Pod {
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

const podsCache = new WeakMap<Index, Pod[]>();
const routersCache = new WeakMap<Index, ReadonlySet<string>>();

/** Names of the Receive routers (a hashring and no local endpoint) in the set. */
export function routerNames(index: Index): ReadonlySet<string> {
  let names = routersCache.get(index);
  if (!names) {
    names = new Set(
      index
        .thanos('receive')
        .filter(({ container }) => isRouter(container))
        .map(({ workload }) => workload.name),
    );
    routersCache.set(index, names);
  }
  return names;
}

/** Thanos' router-only mode: a hashring configured and no --receive.local-endpoint (see receiveMode). */
export function isRouter(c: Container): boolean {
  return receiveMode(c) === 'router';
}

/** The pods of every Receive StatefulSet in the set, with their DNS parts and gRPC port. */
function receivePods(index: Index): Pod[] {
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

export function endpointKey(p: { pod: string; service: string; namespace?: string; port?: string }): string {
  return `${p.pod}.${p.service}.${p.namespace ?? '?'}:${p.port ?? '?'}`;
}

export const receiveHashring: Policy = {
  id: 'receive-hashring',
  severity: 'error',
  description:
    "The Receive hashring (`--receive.hashrings-file` through its ConfigMap, or `--receive.hashrings`) lists exactly the Receive StatefulSet's pods: each entry is `<pod>.<service>.<namespace>.svc...:<grpc port>` of a pod that exists (name, governing Service, namespace, gRPC port, count); every pod's `--receive.local-endpoint` is one of the entries; `--receive.replication-factor` is at most the number of endpoints in each hashring.",
  remediation:
    'Generate the hashring from the StatefulSet (name, serviceName, namespace, replicas, gRPC port) and set --receive.local-endpoint=$(POD_NAME).<service>.$(NAMESPACE).svc.cluster.local:<grpc port>.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { workload, container: c } of index.thanosContainersOf(input, 'receive')) {
      const source = hashringText(index, workload, c);
      const localEndpoint = c.flags.get('--receive.local-endpoint');
      if (!source) {
        if (localEndpoint !== undefined)
          out.push({ message: `container ${c.name}: --receive.local-endpoint is set but no hashring is configured`, severity: 'warning' });
        continue;
      }
      if (source.text === undefined && source.missingKey) {
        out.push({ message: `container ${c.name}: ${source.problem}; the hashrings file is missing and receive cannot start` });
        continue;
      }
      if (source.text === undefined) {
        out.push({ message: `container ${c.name}: cannot check the hashring: ${source.problem}`, severity: 'warning' });
        continue;
      }
      let rings: unknown;
      try {
        rings = JSON.parse(source.text);
      } catch (error) {
        out.push({ message: `container ${c.name}: hashring ${source.where} is not valid JSON: ${(error as Error).message}` });
        continue;
      }
      if (!Array.isArray(rings)) {
        out.push({ message: `container ${c.name}: hashring ${source.where} is not a JSON list of hashrings` });
        continue;
      }
      const factor = Number(c.flags.get('--receive.replication-factor') ?? '1');
      const pods = receivePods(index);
      const routers = routerNames(index);
      const podKeys = new Set(pods.map(endpointKey));
      const entries = new Set<string>();
      for (const [i, ring] of rings.entries()) {
        const r = asRecord(ring);
        const name = asString(r?.hashring) ?? `#${i}`;
        const endpoints = asArray(r?.endpoints)
          .map((e) => (typeof e === 'string' ? e : asString(asRecord(e)?.address)))
          .filter((e): e is string => !!e);
        if (endpoints.length === 0) out.push({ message: `container ${c.name}: hashring ${name} has no endpoints` });
        if (Number.isFinite(factor) && factor > endpoints.length && endpoints.length > 0) {
          out.push({
            message: `container ${c.name}: --receive.replication-factor=${factor} exceeds the ${endpoints.length} endpoints of hashring ${name}; writes cannot be replicated`,
          });
        }
        for (const endpoint of endpoints) {
          const parsed = parseEndpoint(endpoint, workload.namespace);
          if (!parsed) {
            out.push({
              message: `container ${c.name}: hashring ${name} entry ${endpoint} is not a StatefulSet pod address (<pod>.<service>.<namespace>.svc.cluster.local:<port>)`,
            });
            continue;
          }
          entries.add(endpointKey(parsed));
          // A router in a hashring is receive-topology's finding, said there once.
          if (routers.has(parsed.pod.replace(/-\d+$/, ''))) continue;
          if (
            podKeys.has(endpointKey(parsed)) ||
            (parsed.namespace === undefined &&
              pods.some((p) => p.pod === parsed.pod && p.service === parsed.service && p.port === parsed.port))
          )
            continue;
          const samePod = pods.find((p) => p.pod === parsed.pod);
          const sameSet = pods.find((p) => parsed.pod.startsWith(`${p.workload.name}-`));
          let why: string;
          if (samePod && samePod.service !== parsed.service)
            why = `pod ${samePod.pod}'s governing Service is ${samePod.service}, not ${parsed.service}`;
          else if (samePod && samePod.namespace !== parsed.namespace)
            why = `pod ${samePod.pod} is in namespace ${samePod.namespace ?? '(unset)'}, not ${parsed.namespace ?? '(unset)'}`;
          else if (samePod) why = `pod ${samePod.pod} serves gRPC on port ${samePod.port}, not ${parsed.port ?? '(none given)'}`;
          else if (sameSet)
            why = `StatefulSet ${sameSet.workload.name} has ${sameSet.workload.replicas} replicas, so there is no pod ${parsed.pod}`;
          else why = 'no Receive StatefulSet in the input has that pod';
          out.push({ message: `container ${c.name}: hashring ${name} entry ${endpoint} does not match a Receive pod: ${why}` });
        }
      }
      if (localEndpoint !== undefined && workload.kind === 'StatefulSet') {
        for (const pod of pods.filter((p) => p.workload === workload)) {
          const resolved = localEndpoint.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, v: string) =>
            c.env.get(v)?.perPod ? pod.pod : whole,
          );
          const parsed = parseEndpoint(resolved, workload.namespace);
          if (!parsed || !entries.has(endpointKey(parsed))) {
            out.push({
              message: `container ${c.name}: pod ${pod.pod}'s --receive.local-endpoint ${resolved} is not an entry of the hashring; it will not accept its share of writes`,
            });
          }
          if (!entries.has(endpointKey(pod)))
            out.push({
              message: `container ${c.name}: pod ${pod.pod} (${pod.pod}.${pod.service}.${pod.namespace ?? '?'}:${pod.port}) is not in the hashring`,
            });
        }
        const service = asString(asRecord(workload.object.spec)?.serviceName);
        if (service) {
          const svc = index.find('Service', workload.namespace, service);
          if (!svc)
            out.push({
              message: `governing Service ${service} is not in the input; the pod DNS names in the hashring need it`,
              severity: 'warning',
            });
          else if (asRecord(svc.object.spec)?.clusterIP !== 'None')
            out.push({
              message: `governing Service ${service} is not headless (clusterIP: None), so pod DNS names in the hashring do not resolve`,
            });
        }
      }
    }
    return out;
  },
};

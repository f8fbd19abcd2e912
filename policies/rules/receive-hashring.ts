import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { endpointKey, hashringText, parseEndpoint, receivePods } from '../lib/hashring.js';
import { asArray, asRecord, asString, type Index } from '../lib/model.js';
import { isReceiveRouter } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

const routersCache = new WeakMap<Index, ReadonlySet<string>>();

/** Names of the Receive routers (a hashring and no local endpoint) in the set. */
function routerNames(index: Index): ReadonlySet<string> {
  let names = routersCache.get(index);
  if (!names) {
    names = new Set(
      index
        .thanos('receive')
        .filter(({ container }) => isReceiveRouter(container))
        .map(({ workload }) => workload.name),
    );
    routersCache.set(index, names);
  }
  return names;
}

/**
 * The hashring is read from `--receive.hashrings-file` through its ConfigMap, or `--receive.hashrings`. Each
 * entry is `<pod>.<service>.<namespace>.svc...:<grpc port>` of a pod that exists (name, governing Service,
 * namespace, gRPC port, count).
 */
export const receiveHashring: Policy = {
  id: 'receive-hashring',
  severity: 'error',
  description:
    "The Receive hashring lists exactly the Receive StatefulSet's pods, every pod's `--receive.local-endpoint` is an entry, and `--receive.replication-factor` is at most each hashring's size.",
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

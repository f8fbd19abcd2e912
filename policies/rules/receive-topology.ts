import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord, asString, mapSelects, sameNamespace, type Container, type Index, type Workload } from '../lib/model.js';
import { discoveryAddresses, parseSrv } from '../lib/discovery.js';
import { endpointKey, hashringText, parseEndpoint, receivePods } from '../lib/hashring.js';
import { isReceiveRouter } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Receive split into routers (a hashring, no local endpoint: they forward) and ingestors (a TSDB and
 * a local endpoint: they store). What the entries of one hashring say about its pods is
 * receive-hashring's; this rule checks the split as a whole.
 */

interface Topology {
  readonly routers: readonly { workload: Workload; container: Container }[];
  readonly ingestors: readonly { workload: Workload; container: Container }[];
  /** "<pod>.<service>.<namespace>:<port>" of every ingestor pod, with its workload. */
  readonly ingestorPods: ReadonlyMap<string, Workload>;
}

const topologyCache = new WeakMap<Index, Topology>();

function topology(index: Index): Topology {
  let found = topologyCache.get(index);
  // Stryker disable next-line ConditionalExpression: a cache; computing the topology again gives the same one
  if (found) return found;
  const routers: Topology['routers'][number][] = [];
  const ingestors: Topology['ingestors'][number][] = [];
  for (const { workload, container } of index.thanos('receive')) {
    if (isReceiveRouter(container)) routers.push({ workload, container });
    else ingestors.push({ workload, container });
  }
  // The pods of the ingestor StatefulSets: receivePods leaves routers out.
  const ingestorPods = new Map(receivePods(index).map((p) => [endpointKey(p), p.workload]));
  found = { routers, ingestors, ingestorPods };
  topologyCache.set(index, found);
  return found;
}

/** The hashrings a router reads: name, tenants and endpoints; undefined when they are not readable (receive-hashring says why). */
function ringsOf(index: Index, workload: Workload, c: Container): { name: string; tenants: string[]; endpoints: string[] }[] | undefined {
  // A router always has a hashring flag, so hashringText answers; JSON.parse throws on an absent or empty text too.
  // Stryker disable next-line OptionalChaining: equivalent, see above
  const text = hashringText(index, workload, c)?.text;
  // Stryker disable next-line ConditionalExpression: equivalent, see above
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return asArray(parsed).map((ring, i) => {
    const r = asRecord(ring);
    return {
      name: asString(r?.hashring) ?? `#${i}`,
      tenants: asArray(r?.tenants).map(String),
      endpoints: asArray(r?.endpoints)
        .map((e) => (typeof e === 'string' ? e : asString(asRecord(e)?.address)))
        .filter((e): e is string => !!e),
    };
  });
}

function routerFindings(index: Index, workload: Workload, c: Container, t: Topology): Diagnostic[] {
  const out: Diagnostic[] = [];
  const claims = workload.claimTemplates;
  const pvcs = asArray(workload.podSpec.volumes)
    .map(asRecord)
    .filter((v) => v?.persistentVolumeClaim)
    .map((v) => String(v?.name));
  if (claims.length + pvcs.length > 0) {
    out.push({
      message: `router ${workload.name} (a hashring and no --receive.local-endpoint) has a persistent volume (${[...claims, ...pvcs].join(', ')}): a router keeps no TSDB, so it holds storage for nothing; run it as a Deployment without one`,
    });
  }
  const rings = ringsOf(index, workload, c);
  if (!rings) return out; // receive-hashring says why the hashring cannot be read
  const listed = new Set<string>();
  const tenantRing = new Map<string, string>();
  for (const ring of rings) {
    for (const tenant of ring.tenants) {
      const other = tenantRing.get(tenant);
      if (other !== undefined && other !== ring.name)
        out.push({
          message: `container ${c.name}: tenant ${tenant} is in hashrings ${other} and ${ring.name}; its writes go to one of them only`,
        });
      tenantRing.set(tenant, ring.name);
    }
    for (const endpoint of ring.endpoints) {
      const parsed = parseEndpoint(endpoint, workload.namespace);
      if (!parsed) continue;
      const router = t.routers.find(
        (r) => parsed.pod === r.workload.name || parsed.pod.startsWith(`${r.workload.name}-`) || parsed.service === r.workload.name,
      );
      if (router) {
        out.push({
          message: `container ${c.name}: hashring ${ring.name} lists ${endpoint}, a pod of router ${router.workload.name}: a router stores nothing and forwards again, so those writes loop or are lost; list only ingestor pods`,
        });
        continue;
      }
      const key = endpointKey(parsed);
      listed.add(key);
      if (parsed.namespace === undefined)
        for (const k of t.ingestorPods.keys())
          if (k.startsWith(`${parsed.pod}.${parsed.service}.`) && k.endsWith(`:${parsed.port}`)) listed.add(k);
    }
  }
  const missing = [...t.ingestorPods.entries()].filter(([key, w]) => !listed.has(key) && sameNamespace(w.namespace, workload.namespace));
  if (missing.length > 0) {
    out.push({
      message: `container ${c.name}: ingestor pod${missing.length > 1 ? 's' : ''} ${missing.map(([key]) => key.split('.')[0]).join(', ')} ${missing.length > 1 ? 'are' : 'is'} in no hashring of router ${workload.name}: ${missing.length > 1 ? 'they receive' : 'it receives'} no writes; derive the hashring from the ingestor StatefulSets`,
    });
  }
  return out;
}

/** The Receive workloads a Query's discovery address reaches, through the Service it names. */
function reached(index: Index, workload: Workload, c: Container): Set<Workload> {
  const out = new Set<Workload>();
  for (const { address } of discoveryAddresses(index, workload, c).addresses) {
    const srv = parseSrv(address, workload.namespace);
    let service: string | undefined = srv?.service;
    let namespace: string | undefined = srv?.namespace;
    if (!srv) {
      const host = address
        .replace(/^[a-z]+\+/, '')
        .replace(/^[a-z]+:\/\//, '')
        .replace(/:\d+$/, '')
        .replace(/\.svc(\..*)?$/, '');
      const labels = host.split('.');
      // <pod>.<service>.<namespace> (a StatefulSet pod) or <service>[.<namespace>]
      const podForm = labels.length === 3 && labels[0].startsWith(`${labels[1]}-`);
      // <pod>.<service> beside a Service of that name: the pod's resolv.conf searches <namespace>.svc.<domain>
      // first, so the name is the pod of the Query's own namespace, not a Service <pod> in namespace <service>.
      const shortPod =
        labels.length === 2 && labels[0].startsWith(`${labels[1]}-`) && index.find('Service', workload.namespace, labels[1]) !== undefined;
      service = podForm || shortPod ? labels[1] : labels[0];
      namespace = shortPod ? workload.namespace : ((podForm ? labels[2] : labels[1]) ?? workload.namespace);
    }
    if (namespace?.includes('$(')) namespace = workload.namespace;
    const svc = service ? index.find('Service', namespace, service) : undefined;
    const selector = asRecord(asRecord(svc?.object.spec)?.selector);
    // Stryker disable next-line LogicalOperator: equivalent: a Service without a selector selects no workload (mapSelects)
    if (!svc || !selector) continue;
    for (const w of index.workloads)
      if (sameNamespace(w.namespace, svc.object.metadata.namespace) && mapSelects(selector, w.podLabels)) out.add(w);
  }
  return out;
}

function queryFindings(index: Index, workload: Workload, c: Container, t: Topology): Diagnostic[] {
  const out: Diagnostic[] = [];
  const hit = reached(index, workload, c);
  const routers = t.routers.filter((r) => hit.has(r.workload) && sameNamespace(r.workload.namespace, workload.namespace));
  for (const r of routers)
    out.push({
      message: `container ${c.name}: its endpoints reach Receive router ${r.workload.name}, which holds no data: every query fans out to it for nothing; point Query at the ingestors' headless Service`,
    });
  const missing = t.ingestors.filter((i) => !hit.has(i.workload) && sameNamespace(i.workload.namespace, workload.namespace));
  if (missing.length > 0)
    out.push({
      message: `container ${c.name}: its endpoints reach no pod of Receive ingestor${missing.length > 1 ? 's' : ''} ${missing.map((i) => i.workload.name).join(', ')}: the newest samples written there are missing from every query`,
    });
  return out;
}

/**
 * A router has a hashring and no `--receive.local-endpoint` (it forwards); an ingestor has a TSDB and a
 * local endpoint (it stores). That each entry is a real pod, the local endpoints and the replication factor
 * against each hashring's size are receive-hashring's.
 */
export const receiveTopology: Policy = {
  id: 'receive-topology',
  severity: 'error',
  description:
    'Split Receive (routers and ingestors): routers have no persistent volume, their hashrings list every ingestor pod and no router, no tenant is in two hashrings, and Query reaches every ingestor, no router.',
  remediation:
    "Run routers as a Deployment without volumes and with only --receive.hashrings-file, derive the hashring from the ingestor StatefulSets (name, Service, namespace, replicas, gRPC port), and point Query at the ingestors' headless Service with dnssrv+_grpc._tcp.",
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const t = topology(index);
    if (t.routers.length === 0) return [];
    const out: Diagnostic[] = [];
    for (const { workload, container } of index.thanosContainersOf(input, 'receive', 'query')) {
      if (container.thanos === 'query') out.push(...queryFindings(index, workload, container, t));
      else if (isReceiveRouter(container)) out.push(...routerFindings(index, workload, container, t));
      else if (workload.kind !== 'StatefulSet')
        out.push({
          message: `container ${container.name}: an ingestor (--receive.local-endpoint) in a ${workload.kind}: its pods have no stable DNS names for the hashring to list; run ingestors as a StatefulSet`,
        });
    }
    return out;
  },
};

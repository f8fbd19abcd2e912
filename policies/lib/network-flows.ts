/**
 * NetworkPolicy semantics as the API documents them (an empty peer selector selects every pod,
 * policyTypes defaults to Ingress plus Egress when egress rules exist) and the connections a Thanos
 * stack's configuration makes: read by the network-policy practice and the network-flow rule.
 */
import {
  asArray,
  asRecord,
  asString,
  mapSelects,
  sameNamespace,
  selectorMatches,
  type Container,
  type Index,
  type Workload,
} from './model.js';
import { parseSrv, discoveryAddresses } from './discovery.js';

type Data = Record<string, unknown>;

/** A NetworkPolicy pod or namespace selector: unlike a workload's, an empty one selects everything. */
export function policySelects(selector: unknown, labels: Record<string, string>): boolean {
  const sel = asRecord(selector) ?? {};
  const empty = Object.keys(asRecord(sel.matchLabels) ?? {}).length === 0 && asArray(sel.matchExpressions).length === 0;
  return empty || selectorMatches(sel, labels);
}

/** A connection the rendered configuration makes: from a workload's pods to a port on some pods. */
export interface Flow {
  readonly what: string;
  readonly to: Workload;
  /** Port number on the target container, and its name when it has one. */
  readonly port: number;
  readonly portName?: string;
}

function policiesSelecting(index: Index, workload: Workload, direction: 'Ingress' | 'Egress'): Data[] {
  return index
    .ofKind('NetworkPolicy')
    .filter((p) => sameNamespace(p.object.metadata.namespace, workload.namespace))
    .map((p) => asRecord(p.object.spec) ?? {})
    .filter((spec) => policySelects(spec.podSelector, workload.podLabels))
    .filter((spec) => {
      const types = asArray(spec.policyTypes);
      // Kubernetes: policyTypes defaults to Ingress, plus Egress when the policy has egress rules.
      return types.length > 0 ? types.includes(direction) : direction === 'Ingress' || spec.egress !== undefined;
    });
}

function peerMatches(index: Index, peer: Data, policyNamespace: string | undefined, other: Workload): boolean {
  if (asRecord(peer.ipBlock)) {
    // Pod IPs are unknown here; only an all-addresses block certainly covers a pod.
    const cidr = asString(asRecord(peer.ipBlock)?.cidr);
    return (cidr === '0.0.0.0/0' || cidr === '::/0') && asArray(asRecord(peer.ipBlock)?.except).length === 0;
  }
  const namespaceSelector = asRecord(peer.namespaceSelector);
  let namespaceOk: boolean;
  if (namespaceSelector) {
    const ns = other.namespace ? index.find('Namespace', undefined, other.namespace) : undefined;
    const nsLabels = {
      'kubernetes.io/metadata.name': other.namespace ?? '',
      ...((ns?.object.metadata.labels ?? {}) as Record<string, string>),
    };
    namespaceOk = policySelects(namespaceSelector, nsLabels);
  } else namespaceOk = sameNamespace(policyNamespace, other.namespace);
  const podSelector = asRecord(peer.podSelector);
  return namespaceOk && (podSelector ? policySelects(podSelector, other.podLabels) : true);
}

function portMatches(rulePorts: unknown[], flow: Flow): boolean {
  if (rulePorts.length === 0) return true;
  return rulePorts.some((raw) => {
    const p = asRecord(raw) ?? {};
    if ((asString(p.protocol) ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === flow.portName;
    const end = typeof p.endPort === 'number' ? p.endPort : p.port;
    return typeof p.port === 'number' && flow.port >= p.port && flow.port <= (end as number);
  });
}

/** Whether the policies selecting `side` let the flow through in `direction`. */
export function allowed(index: Index, self: Workload, other: Workload, flow: Flow, direction: 'Ingress' | 'Egress'): boolean {
  const selecting = policiesSelecting(index, self, direction);
  if (selecting.length === 0) return true; // not isolated in this direction
  const rulesKey = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  return selecting.some((spec) =>
    asArray(spec[rulesKey]).some((rawRule) => {
      const rule = asRecord(rawRule) ?? {};
      const peers = asArray(rule[peersKey]);
      const peerOk = peers.length === 0 || peers.some((peer) => peerMatches(index, asRecord(peer) ?? {}, self.namespace, other));
      return peerOk && portMatches(asArray(rule.ports), flow);
    }),
  );
}

/** The pods behind a Service name and the target port behind one of its ports (by name or number). */
function serviceTarget(
  index: Index,
  service: string,
  namespace: string | undefined,
  port: string | number | undefined,
): { to: Workload; port: number; portName?: string }[] {
  const svc = index.find('Service', namespace, service);
  if (!svc) return [];
  const spec = asRecord(svc.object.spec) ?? {};
  const ports = asArray(spec.ports).map((p) => asRecord(p) ?? {});
  const chosen = port === undefined ? ports[0] : ports.find((p) => p.name === port || p.port === port || String(p.port) === String(port));
  if (!chosen || !asRecord(spec.selector)) return [];
  const targetPort = chosen.targetPort ?? chosen.port;
  const out: { to: Workload; port: number; portName?: string }[] = [];
  for (const to of index.workloads) {
    if (!sameNamespace(to.namespace, svc.object.metadata.namespace) || !mapSelects(asRecord(spec.selector), to.podLabels)) continue;
    const containerPorts = to.containers.flatMap((c) => asArray(c.raw.ports).map((p) => asRecord(p) ?? {}));
    const match =
      typeof targetPort === 'string'
        ? containerPorts.find((p) => p.name === targetPort)
        : containerPorts.find((p) => p.containerPort === targetPort);
    const number = typeof match?.containerPort === 'number' ? match.containerPort : typeof targetPort === 'number' ? targetPort : undefined;
    if (number !== undefined) out.push({ to, port: number, portName: asString(match?.name) });
  }
  return out;
}

/** `http://svc.ns.svc.cluster.local:9090/x`, `pod-0.svc.ns.svc:10901` -> service, namespace, port. */
function parseHostAddress(
  address: string,
  ownNamespace: string | undefined,
): { service: string; namespace?: string; port?: number } | undefined {
  const m = /^(?:[a-z]+:\/\/)?([a-z0-9.-]+)(?::(\d+))?(?:\/.*)?$/i.exec(address.trim());
  if (!m || (!m[1].includes('.') && !m[2])) return undefined;
  const labels = m[1].split('.');
  const svcIndex = labels.indexOf('svc');
  let service: string;
  let namespace: string | undefined;
  if (svcIndex >= 2) {
    service = labels[svcIndex - 2];
    namespace = labels[svcIndex - 1];
  } else if (labels.length === 1) {
    service = labels[0];
    namespace = ownNamespace;
  } else {
    [service, namespace] = labels.length === 2 ? [labels[0], labels[1]] : [labels[1], labels[2]];
  }
  if (namespace?.includes('$(')) namespace = undefined;
  return { service, namespace, port: m[2] ? Number(m[2]) : undefined };
}

/** Every connection a workload's configuration makes to another workload in the input. */
export function flowsOf(index: Index, workload: Workload): Flow[] {
  const flows: Flow[] = [];
  const add = (what: string, service: string, namespace: string | undefined, port: string | number | undefined) => {
    for (const t of serviceTarget(index, service, namespace, port)) flows.push({ what, ...t });
  };
  for (const c of workload.containers) {
    if (!c.thanos) continue;
    for (const a of discoveryAddresses(index, workload, c).addresses) {
      const srv = parseSrv(a.address, workload.namespace);
      if (srv) add(`${a.where} ${a.address}`, srv.service, srv.namespace, srv.port);
      else {
        const host = parseHostAddress(a.address, workload.namespace);
        if (host) add(`${a.where} ${a.address}`, host.service, host.namespace, host.port);
      }
    }
    for (const flag of ['--query-frontend.downstream-url']) {
      for (const url of c.flags.values(flag)) {
        const host = parseHostAddress(url, workload.namespace);
        if (host) add(`${flag}=${url}`, host.service, host.namespace, host.port);
      }
    }
    if (c.thanos === 'receive') receivePeers(index, workload, c, add);
  }
  return flows;
}

/** Receive forwards and replicates to every hashring endpoint. */
function receivePeers(
  index: Index,
  workload: Workload,
  c: Container,
  add: (what: string, service: string, namespace: string | undefined, port: number | undefined) => void,
): void {
  for (const path of c.flags.values('--receive.hashrings-file')) {
    const text = index.fileText(workload, c, path).text;
    if (!text) continue;
    let hashrings: unknown;
    try {
      hashrings = JSON.parse(text);
    } catch {
      continue; // receive-hashring reports it
    }
    for (const ring of asArray(hashrings)) {
      for (const endpoint of asArray(asRecord(ring)?.endpoints)) {
        const address = typeof endpoint === 'string' ? endpoint : asString(asRecord(endpoint)?.address);
        const host = address ? parseHostAddress(address, workload.namespace) : undefined;
        if (host) add(`hashring endpoint ${address}`, host.service, host.namespace, host.port);
      }
    }
  }
}

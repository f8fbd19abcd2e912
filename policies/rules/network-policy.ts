import { WORKLOAD_KINDS } from '../lib/kinds.js';
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
} from '../lib/model.js';
import { parseSrv, discoveryAddresses } from '../lib/discovery.js';
import type { Diagnostic, Policy } from '../lib/types.js';

type Data = Record<string, unknown>;

/** A NetworkPolicy pod or namespace selector: unlike a workload's, an empty one selects everything. */
function policySelects(selector: unknown, labels: Record<string, string>): boolean {
  const sel = asRecord(selector) ?? {};
  const empty = Object.keys(asRecord(sel.matchLabels) ?? {}).length === 0 && asArray(sel.matchExpressions).length === 0;
  return empty || selectorMatches(sel, labels);
}

/** A connection the rendered configuration makes: from a workload's pods to a port on some pods. */
interface Flow {
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
function allowed(index: Index, self: Workload, other: Workload, flow: Flow, direction: 'Ingress' | 'Egress'): boolean {
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
function flowsOf(index: Index, workload: Workload): Flow[] {
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

/**
 * Connections: Query and Ruler discovery addresses, the Query Frontend downstream URL, Receive hashring
 * peers; each must be allowed by the egress policies of the client and the ingress policies of the server.
 */
export const networkPolicy: Policy = {
  id: 'network-policy',
  severity: 'error',
  practice: true,
  description:
    'Every workload is selected by a NetworkPolicy in its namespace, and the policies allow the connections its configuration makes to other workloads of the input.',
  remediation:
    'Select the workload with a NetworkPolicy (a namespace default deny plus one policy per component), and allow each flow the configuration uses: an egress rule on the client to the server pods and port, and an ingress rule on the server from the client pods.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }): Diagnostic[] {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    const selected = index
      .ofKind('NetworkPolicy')
      .some(
        (p) =>
          sameNamespace(p.object.metadata.namespace, workload.namespace) &&
          policySelects(asRecord(p.object.spec)?.podSelector, workload.podLabels),
      );
    if (!selected)
      out.push({ message: 'no NetworkPolicy selects its pods: any pod in the cluster can reach it and it can reach anything' });
    const seen = new Set<string>();
    for (const flow of flowsOf(index, workload)) {
      const key = `${flow.to.kind}/${flow.to.name}:${flow.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const portText = flow.portName ? `${flow.port} (${flow.portName})` : String(flow.port);
      if (!allowed(index, workload, flow.to, flow, 'Egress')) {
        out.push({
          message: `egress to ${flow.to.kind} ${flow.to.name} port ${portText} is not allowed by its NetworkPolicies, but ${flow.what} needs it`,
        });
      }
      if (!allowed(index, flow.to, workload, flow, 'Ingress')) {
        out.push({
          message: `${flow.to.kind} ${flow.to.name} does not allow ingress from it on port ${portText}, but ${flow.what} needs it`,
        });
      }
    }
    return out;
  },
};
